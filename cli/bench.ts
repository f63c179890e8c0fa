/**
 * `deno task bench`: benchmarks the reference workload (transcripts -> tree) with the chosen chat
 * models, or the user's own graph (`--graph`) over a dataset, stores every run in the results
 * store (`--db`, with the settings `--resume` must match) and writes `report.md`, `report.html`
 * and `metrics.json` into the output folder; with `--baseline` it then compares with that
 * benchmark (and `--fail-on` gates on the comparison).
 * Run with `--help` for the flags.
 *
 * @module
 */
import { type BenchmarkEvent, runBenchmark, type RunHooks } from "../benchmark/runner.ts";
import { RatePacer } from "../benchmark/pacing/rate_pacer.ts";
import { runInterleaved } from "../benchmark/interleave.ts";
import { trackHttpAttemptsWith } from "../telemetry/http_attempts.ts";
import { RunTimeoutError } from "../benchmark/stops.ts";
import { type Lease, LeaseLostError, StoreError } from "../store/mod.ts";
import { LLM_STAGES } from "../workload/mod.ts";
import type { PriceOverrides } from "../pricing/overrides.ts";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import {
  BENCH_FLAGS,
  BENCH_POSITIONALS,
  type BenchArgs,
  benchArgs,
  interleavedModels,
  MAX_PLANNED_RUNS,
  type ModelChoice,
  parseModels,
} from "./bench/args.ts";
import { type CliIo, type CommandInput, defineCommand, processIo, runCommand } from "./command.ts";
import { UsageError } from "./usage_error.ts";
import { readPriceTable } from "./bench/inputs.ts";
import { formatBenchEvent } from "./bench/events.ts";
import { rerunCommand, resumeCommand } from "./bench/out_dir.ts";
import { PendingFiles } from "./bench/pending_files.ts";
import { interruptedLine, type InterruptState, reportBenchmark } from "./bench/finish.ts";
import { Interrupts, signalExitCode } from "./interrupts.ts";
import { resumeSettings } from "./bench/resume.ts";
import { describeStoreError } from "./errors.ts";
import {
  DEFAULT_BASE_URLS,
  describeProviderError,
  type ProviderContext,
} from "./bench/provider_errors.ts";
import { windowProgress } from "./bench/window_progress.ts";
import { DEFAULT_DB, openStoreForCli } from "./open_store.ts";
import { readBaseline } from "./bench/baseline.ts";
import { projectBenchTarget } from "./bench/project_target.ts";
import { workloadTarget } from "./bench/workload_target.ts";
import { benchFacts } from "./bench/facts.ts";
import { startSides } from "./bench/start_sides.ts";
import type { BenchTarget } from "./bench/bench_target.ts";
import { progressReporter } from "./bench/progress.ts";
import { formatPacing, toldLimits } from "./bench/pacing.ts";
import { loadEvaluators } from "./bench/evaluator_source.ts";

/** The provider the messages of failed runs name: the one real provider, or null for several. */
function providerContext(args: BenchArgs, choices: Record<string, ModelChoice>): ProviderContext {
  const real = [...new Set(Object.values(choices).map((c) => c.provider))]
    .filter((p) => p !== "simulated");
  const provider = real.length === 1 ? real[0] : null;
  return {
    provider,
    baseUrl: args.baseUrl ?? (provider === null ? "its endpoint" : DEFAULT_BASE_URLS[provider]),
    timeoutSeconds: args.timeoutSeconds,
    maxRetries: args.maxRetries,
  };
}

async function bench(
  parsed: CommandInput<typeof BENCH_FLAGS>,
  io: CliIo,
): Promise<number> {
  let args = benchArgs(parsed, LLM_STAGES);
  // What a signal says and undoes depends on how far the benchmark got (`interruptedLine`).
  const session: Session = {
    state: { db: args.db ?? DEFAULT_DB, hint: null, stopped: 0 },
    lease: null,
    pending: new PendingFiles(),
    endProgress: () => {},
    kill: () => {},
  };
  using interrupts = new Interrupts((signal) => {
    session.endProgress();
    session.kill();
    // The report's temporary files: the write in flight settled first, then removed.
    void session.pending.abandon().finally(() => {
      io.err(`${interruptedLine(signal, session.state)}\n`);
      session.lease?.release();
      Deno.exit(signalExitCode(signal));
    });
  });
  if (args.resume) args = await resumeSettings(args);
  // Before any run: a baseline that cannot be read costs nothing.
  const baseline = args.baseline === null
    ? null
    : await readBaseline(args.baseline, args.db, args.failOn);
  if (baseline?.running) {
    io.err(`note: --baseline ${args.baseline} is still running: ${baseline.running}\n`);
  }
  const priceOverrides = args.prices === null ? undefined : await readPriceTable(args.prices);
  // Every LLM request goes through fetch: wrap it before any provider client is built (a client
  // keeps the fetch it was built with), so each call's attempts are seen and paced.
  using _tracking = trackHttpAttemptsWith();
  let failedAttempts = 0;
  const onRetry = (): void => void failedAttempts++;
  const target = args.graph === null
    ? await workloadTarget(args, io, onRetry, priceOverrides)
    : await projectBenchTarget(args, io.err);
  let interleaved: BenchTarget | null = null;
  session.kill = () => {
    target.kill?.();
    interleaved?.kill?.();
  };
  try {
    // `--interleave`: the baseline, the same benchmark with another graph or other models.
    interleaved = args.interleave === null ? null : args.graph === null
      ? await workloadTarget(
        { ...args, ...parseModels(interleavedModels(args.interleave), LLM_STAGES) },
        io,
        onRetry,
        priceOverrides,
      )
      : await projectBenchTarget({ ...args, graph: args.interleave }, io.err);
    return await benchTarget(
      parsed.argv,
      args,
      io,
      target,
      baseline,
      priceOverrides,
      () => failedAttempts,
      interleaved,
      { session, interrupts },
    );
  } finally {
    await target.close?.();
    await interleaved?.close?.();
  }
}

/** A signal's handling across the phases: what its line says, what it undoes. */
interface Session {
  /** What the line says. */
  state: InterruptState;
  /** The benchmark's lease (and its interleaved baseline's), once taken. */
  lease: Pick<Lease, "renew" | "release"> | null;
  /** The report's temporary files. */
  pending: PendingFiles;
  /** Ends the progress line. */
  endProgress: () => void;
  /** Stops the user's graph's worker, if any. */
  kill: () => void;
}

/** How long between heartbeats of the benchmark's lease while its runs go on. */
const HEARTBEAT_MS = 5000;

async function benchTarget(
  argv: readonly string[],
  args: BenchArgs,
  io: CliIo,
  target: BenchTarget,
  baseline: Awaited<ReturnType<typeof readBaseline>> | null,
  priceOverrides: PriceOverrides | undefined,
  failedAttemptsSoFar: () => number,
  interleaved: BenchTarget | null,
  { session, interrupts }: { session: Session; interrupts: Interrupts },
): Promise<number> {
  for (const warning of target.warnings ?? []) io.err(`${warning}\n`);
  const runsPlanned = target.inputs.length * args.runs;
  if (runsPlanned > MAX_PLANNED_RUNS) {
    throw new UsageError(
      `--runs ${args.runs} x ${target.inputs.length} input(s) plans ${runsPlanned} runs, more ` +
        `than ${MAX_PLANNED_RUNS} in one benchmark; give fewer --runs (or split the inputs ` +
        "into several benchmarks)",
    );
  }
  // Before any run: an evaluator that cannot be loaded costs nothing.
  const evaluators = [
    ...(target.evaluators ?? []),
    ...(target.evaluatorFlagsLoaded ? [] : await loadEvaluators(args.evaluators, Deno.cwd())),
  ];
  const facts = await benchFacts(args, target, evaluators, priceOverrides);
  const { meta } = facts;
  const db = args.db ?? DEFAULT_DB;
  using store = await openStoreForCli(db, false, {
    rerun: (paths) => rerunCommand(argv, paths),
  });
  const started = await startSides(store, { argv, args, target, interleaved, facts });
  const { id, label: benchmarkLabel, lease, baselineSide, out } = started;
  session.lease = started.leases;
  try {
    const hint = resumeCommand(id, args.db, args.out === null ? null : out);
    session.state.hint = hint;
    const windows = windowProgress(target.windowsOf ?? (() => 0));
    const providers = [...new Set(Object.values(target.choices).map((choice) => choice.provider))];
    // One limiter per provider endpoint for the whole benchmark, learning limits from answers.
    const pacer = new RatePacer({
      told: toldLimits(args.rpm, args.tpm, args.baseUrl, providers),
      // Said once as it starts (and when its limits change), beside the progress line's word.
      onPacing: (endpoint) => {
        reporter.end();
        for (const line of formatPacing([endpoint])) io.err(`${line}\n`);
      },
    });
    // A user's graph sends its requests from its worker: they ask this pacer too.
    target.pace?.(pacer);
    interleaved?.pace?.(pacer);
    const errIsTerminal = io.errIsTerminal ?? false;
    const reporter = progressReporter(io.err, errIsTerminal, undefined, () => [
      // Every failed attempt the integration saw (those retried, and each failed call's last).
      ...(failedAttemptsSoFar() > 0
        ? [
          `${failedAttemptsSoFar()} failed attempt${failedAttemptsSoFar() === 1 ? "" : "s"}`,
        ]
        : []),
      ...formatPacing(pacer.status()),
      ...windows.parts(),
    ]);
    session.endProgress = reporter.end;
    // A signal stops the runs (their paid calls kept as stopped runs), then the command returns;
    // a --graph's worker is stopped at once (its node may be blocking its event loop).
    interrupts.setPhase(() => session.kill());
    const heartbeat = setInterval(() => session.lease?.renew(), HEARTBEAT_MS);
    const ticker = errIsTerminal ? setInterval(reporter.tick, 1000) : undefined;
    const context = providerContext(args, target.choices);
    const describeError = target.describeError ??
      ((error: unknown) => describeProviderError(error, context));
    const shared = {
      repeats: args.runs,
      concurrency: args.concurrency,
      // The store keeps the records: the runner holds only keys, the report reads them back.
      retainRecords: false,
      resume: args.resume,
      shard: args.shard ?? undefined,
      maxCostUsd: args.maxCostUsd ?? undefined,
      signal: interrupts.signal,
      // A --graph's worker holds its runs to the run timeout itself (and replaces a worker whose
      // node does not yield); the bundled workload's runs are held here.
      runTimeoutMs: target.kill === undefined ? args.runTimeoutSeconds * 1000 : undefined,
      evaluators,
      evaluatorTimeoutMs: args.evaluatorTimeoutSeconds * 1000,
      summarizeOutput: target.summarizeOutput,
      describeError: (error: unknown) =>
        error instanceof RunTimeoutError
          ? `${error.message} (--run-timeout)`
          : describeError(error),
      onProgress: reporter.report,
      onEvent: (event: BenchmarkEvent) => {
        // After a signal the one line says how many runs were stopped in flight.
        if (event.kind === "run-stopped" && interrupts.received !== null) return;
        io.err(`${formatBenchEvent(event)}\n`);
      },
      pacer,
    };
    const side = (of: BenchTarget, benchmarkId: string, held: Lease) => ({
      graph: of.graph,
      inputs: of.inputs,
      unit: of.unit,
      quality: of.quality,
      config: of.runConfig,
      createHandler: (hooks: RunHooks) =>
        new PerformanceCallbackHandler({ ...hooks, priceOverrides, clock: of.clock }),
      log: store.runLog(benchmarkId, held),
    });
    let run;
    try {
      run = interleaved === null || baselineSide === null
        ? await runBenchmark({
          ...shared,
          ...side(target, id, lease),
          onCallEnd: windows.onCallEnd,
          onRunEnd: windows.onRunEnd,
        })
        : await runInterleaved({
          ...shared,
          baseline: side(interleaved, baselineSide.id, baselineSide.lease),
          candidate: side(target, id, lease),
        }).then((both) => {
          session.state.interleaved = {
            id: baselineSide.id,
            stopped: both.baseline.stoppedRuns?.length ?? 0,
          };
          return both.candidate;
        });
    } catch (error) {
      // A store that stayed locked, or was taken over: one line; what finished is stored.
      if (error instanceof LeaseLostError) throw new UsageError(error.message);
      if (error instanceof StoreError) {
        throw new UsageError(
          `${describeStoreError(error)}; finished runs are stored; continue with ${hint}`,
        );
      }
      throw error;
    } finally {
      target.pace?.(null);
      interleaved?.pace?.(null);
      pacer.close();
      clearInterval(heartbeat);
      clearInterval(ticker);
      reporter.end();
    }
    if (interrupts.received !== null) {
      session.state.stopped = run.stoppedRuns?.length ?? 0;
      io.err(`${interruptedLine(interrupts.received, session.state)}\n`);
      return signalExitCode(interrupts.received);
    }
    // Writing the report: a signal removes the files not yet in place and ends at once.
    interrupts.setPhase(null);
    const against = baseline ?? (baselineSide === null ? null : {
      label: baselineSide.label ?? baselineSide.id,
      runs: store.readRuns(baselineSide.id).records,
      id: baselineSide.id,
      startedAt: meta.createdAt,
      gitCommit: meta.gitCommit,
    });
    const code = await reportBenchmark({
      args,
      io,
      store,
      id,
      label: benchmarkLabel,
      out,
      hint,
      run,
      meta,
      inputIds: target.inputs.map((input) => input.id),
      unit: target.unit,
      modelsFromCalls: target.modelsFromCalls ?? false,
      baseline: against,
      interleavedWith: baselineSide === null ? null : {
        id: baselineSide.id,
        label: baselineSide.label,
        runs: against!.runs.length,
      },
      priceOverrides,
      pending: session.pending,
    });
    // Reported: a signal from now on lets the command end as it would.
    interrupts.setPhase(() => {});
    return code;
  } finally {
    session.lease?.release();
  }
}

/**
 * `bench`, declared: its flags are `BENCH_FLAGS` (`cli/bench/args.ts`).
 *
 * @example Usage
 * ```ts
 * import { benchCommand } from "./bench.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(benchCommand.name, "bench");
 * ```
 */
export const benchCommand = defineCommand({
  name: "bench",
  about: "benchmark a graph (default: the bundled reference workload)",
  description:
    `Runs the reference workload (transcripts -> tree) over transcripts, or your own graph
(--graph) over a dataset, stores every run in the results store (--db) and writes report.md,
report.html and metrics.json. With no --model it uses the simulated model (no key, no network).`,
  positionals: BENCH_POSITIONALS,
  flags: BENCH_FLAGS,
  notes:
    `<benchmark> names the benchmark --resume continues: its id (every printed hint names it) or
its label.

Keys come from OPENAI_API_KEY, ANTHROPIC_API_KEY, GOOGLE_API_KEY or GEMINI_API_KEY.

Exit status: 0 done, 1 some runs failed or a --fail-on rule failed (the report is still
written), 2 bad usage or input (one line says what to do), 128+N stopped by a signal: 130
Ctrl-C (SIGINT), 143 SIGTERM, 129 SIGHUP (one line; finished runs are kept, the runs in flight
are stored as stopped with their cost, and the printed --resume command continues).`,
  run: bench,
});

/**
 * Runs `deno task bench` with the given arguments: a usage mistake, a bad input or a full disk
 * prints one line on `err` and returns 2; a bug prints one line too (its stack trace only with
 * `--debug`) and returns 1.
 *
 * @param argv The arguments.
 * @param io Output streams and environment.
 * @returns The exit code: 0 done, 1 some runs failed or a `--fail-on` rule failed (the report
 * is written), 2 bad usage.
 *
 * @example Usage
 * ```ts
 * import { runBenchCli } from "./bench.ts";
 * import assert from "node:assert/strict";
 *
 * let err = "";
 * const io = { out: () => {}, err: (t: string) => (err += t), errIsTerminal: false, env: () => undefined };
 * assert.equal(await runBenchCli(["--runs", "0"], io), 2);
 * assert.match(err, /^bench: --runs must be/);
 * ```
 */
export function runBenchCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(benchCommand, argv, io);
}

if (import.meta.main) Deno.exit(await runBenchCli(Deno.args, processIo()));
