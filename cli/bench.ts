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
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BenchmarkMeta } from "../benchmark/result/benchmark_result.ts";
import type { QualityRecord } from "../benchmark/run_record.ts";
import {
  type BenchmarkEvent,
  type BenchmarkUnit,
  type InvokableGraph,
  runBenchmark,
  type RunHooks,
} from "../benchmark/runner.ts";
import { RatePacer } from "../benchmark/pacing/rate_pacer.ts";
import { runInterleaved } from "../benchmark/interleave.ts";
import { trackHttpAttemptsWith } from "../telemetry/http_attempts.ts";
import { RunTimeoutError } from "../benchmark/stops.ts";
import { type Lease, LeaseLostError, StoreError } from "../store/mod.ts";
import { newBenchmarkId } from "../store/_benchmark_rows.ts";
import { planRuns, shardRuns } from "../benchmark/schedule.ts";
import {
  buildTranscriptTreeGraph,
  buildTranscriptTreeInput,
  DEFAULT_SIMULATED_MODEL,
  LLM_STAGES,
  loadReferenceTrees,
  loadTranscripts,
  relationshipAccuracy,
  SimulatedChatModel,
  topicRecall,
  type TranscriptTreeModels,
  type TranscriptTreeState,
  TREE_EVALUATORS,
  treeQuality,
} from "../workload/mod.ts";
import { o200kEncoder } from "../workload/simulated/tokens.ts";
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
import { readPriceTable, readTranscripts, type TranscriptFile } from "./bench/inputs.ts";
import { unpricedModels } from "./bench/budget.ts";
import { formatBenchEvent } from "./bench/events.ts";
import { prepareOut, rerunCommand, resumeCommand } from "./bench/out_dir.ts";
import { PendingFiles } from "./bench/pending_files.ts";
import { interruptedLine, type InterruptState, reportBenchmark } from "./bench/finish.ts";
import { Interrupts, signalExitCode } from "./interrupts.ts";
import { resumeSettings } from "./bench/resume.ts";
import { benchNotes, SIMULATED_NOTE, thousandWords } from "./bench/unit.ts";
import { describeStoreError } from "./errors.ts";
import {
  DEFAULT_BASE_URLS,
  describeProviderError,
  type ProviderContext,
} from "./bench/provider_errors.ts";
import { windowProgress } from "./bench/window_progress.ts";
import { type BenchSettings, transcriptsSha256 } from "./bench/settings.ts";
import { DEFAULT_DB, openStoreForCli, startBenchmark, type StoredBenchMeta } from "./open_store.ts";
import { readBaseline } from "./bench/baseline.ts";
import { projectBenchTarget } from "./bench/project_target.ts";
import type { BenchTarget } from "./bench/bench_target.ts";
import { createChatModel, resolveApiKey } from "./bench/models.ts";
import { progressReporter } from "./bench/progress.ts";
import { formatPacing, toldLimits } from "./bench/pacing.ts";
import { loadEvaluators } from "./bench/evaluator_source.ts";
import type { NamedEvaluator } from "../evaluate/evaluator.ts";
import { formatPassRule } from "../evaluate/passing.ts";

const label = (choice: ModelChoice): string => `${choice.provider}:${choice.model}`;

/**
 * The model of each stage: `--model stage=...`, else `--model ...`, else the simulated default.
 *
 * @param args The command line.
 * @returns The choice per LLM stage.
 */
export function stageChoices(args: BenchArgs): Record<string, ModelChoice> {
  const fallback = args.defaultModel ?? { provider: "simulated", model: DEFAULT_SIMULATED_MODEL };
  return Object.fromEntries(
    LLM_STAGES.map((stage) => [stage, args.stageModels[stage] ?? fallback]),
  );
}

/**
 * One chat model for a `--model` choice, built as `bench` builds every one: the seed, timeout and
 * retries of the command line; a simulated one streamed, at its latency scale, with its quality
 * profile.
 *
 * @param args The command line.
 * @param choice The provider and model.
 * @param apiKey The provider's key, or null.
 * @param onRetry Told of each failed attempt.
 * @returns The model.
 */
export function benchChatModel(
  args: BenchArgs,
  choice: ModelChoice,
  apiKey: string | null,
  onRetry: (error: unknown) => void,
): Promise<BaseChatModel> {
  return createChatModel(choice, {
    apiKey,
    baseUrl: choice.provider === "simulated" ? null : args.baseUrl,
    seed: args.seed,
    timeoutMs: args.timeoutSeconds * 1000,
    maxRetries: args.maxRetries,
    onRetry,
    createSimulated: (name, seed) =>
      new SimulatedChatModel({
        model: name,
        seed: seed ?? 0,
        timeScale: args.latencyScale,
        // Streamed, so every call reports its time to first token (tokens are the same).
        streaming: true,
        // A small model's simulated mistakes (tokens and cost stay the clean answer's).
        mistakes: "by-model",
      }),
  });
}

async function buildModels(
  args: BenchArgs,
  choices: Record<string, ModelChoice>,
  env: (name: string) => string | undefined,
  onRetry: (error: unknown) => void,
): Promise<TranscriptTreeModels> {
  const keys = new Map<string, string | null>();
  for (const choice of Object.values(choices)) {
    keys.set(choice.provider, resolveApiKey(choice.provider, env, args.baseUrl));
  }
  const built = new Map<string, BaseChatModel>();
  const models: Record<string, BaseChatModel> = {};
  for (const [stage, choice] of Object.entries(choices)) {
    let model = built.get(label(choice));
    if (!model) {
      model = await benchChatModel(args, choice, keys.get(choice.provider) ?? null, onRetry);
      built.set(label(choice), model);
    }
    models[stage] = model;
  }
  return models as TranscriptTreeModels;
}

/**
 * The git commit of the current folder, or null outside a repository (or without git).
 *
 * @returns The short commit hash, or null.
 */
export async function gitCommit(): Promise<string | null> {
  try {
    const { success, stdout } = await new Deno.Command("git", {
      args: ["rev-parse", "--short=12", "HEAD"],
      stdout: "piped",
      stderr: "null",
    }).output();
    return success ? new TextDecoder().decode(stdout).trim() || null : null;
  } catch {
    return null;
  }
}

function summarizeTree(output: TranscriptTreeState): string {
  return `${output.tree.length} nodes from ${output.windowIndex} windows, ` +
    `${output.invalidOutputs.length} invalid outputs`;
}

/**
 * The bundled workload as `bench` runs it: its models, transcripts, reference trees, evaluators,
 * settings and report facts.
 *
 * @param args The command line.
 * @param io Where warnings go, and the environment (API keys).
 * @param onRetry Told of each failed attempt.
 * @param priceOverrides The `--prices` table, if any.
 * @param modelFor Builds the model a run's `configurable` names for a stage (`tune`'s knobs).
 * @returns The target.
 */
export async function workloadTarget(
  args: BenchArgs,
  io: CliIo,
  onRetry: (error: unknown) => void,
  priceOverrides: PriceOverrides | undefined,
  modelFor?: (spec: string) => Promise<BaseChatModel>,
): Promise<BenchTarget> {
  const choices = stageChoices(args);
  checkBudgetPriced(args, choices, priceOverrides);
  const models = await buildModels(args, choices, io.env ?? (() => undefined), onRetry);
  const transcripts: TranscriptFile[] = args.input === null
    ? await loadTranscripts()
    : await readTranscripts(args.input, (warning) => io.err(`warning: ${warning}\n`));
  // Load the simulated model's tokenizer now, not inside the first runs' timings.
  if (Object.values(choices).some((c) => c.provider === "simulated")) o200kEncoder();
  const simulated = Object.values(choices).every((c) => c.provider === "simulated");
  const distinct = new Set(Object.values(choices).map(label));
  const configured: Record<string, string> = distinct.size === 1
    ? { "*": [...distinct][0] }
    : Object.fromEntries(Object.entries(choices).map(([stage, c]) => [stage, label(c)]));
  // The bundled transcripts' reference trees are their dataset outputs.
  const references = args.input === null
    ? await loadReferenceTrees(transcripts.map((t) => t.id))
    : [];
  const inputs = transcripts.map((t, index) => {
    const input = buildTranscriptTreeInput(t.text, { id: t.id });
    if (args.maxWindows !== null) input.windows = input.windows.slice(0, args.maxWindows);
    const reference = references[index];
    return { id: t.id, input, ...(reference === undefined ? {} : { referenceOutputs: reference }) };
  });
  const windowsOf = new Map(inputs.map(({ id, input }) => [id, input.windows.length]));
  return {
    // The workload's graph type widens invoke's input and output to LangGraph's generic state.
    graph: buildTranscriptTreeGraph(models, { modelFor }) as unknown as InvokableGraph<
      unknown,
      unknown
    >,
    inputs,
    unit: thousandWords(transcripts) as BenchmarkUnit<unknown>,
    choices,
    windowsOf: (id) => windowsOf.get(id) ?? 0,
    quality: (output) => ({ ...treeQuality(output as TranscriptTreeState) }) as QualityRecord,
    // Against the reference trees when there are some; the structural ones always.
    evaluators:
      (references.length > 0
        ? TREE_EVALUATORS
        : TREE_EVALUATORS.filter((e) =>
          e !== topicRecall && e !== relationshipAccuracy
        )) as unknown as NamedEvaluator[],
    summarizeOutput: (output) => summarizeTree(output as TranscriptTreeState),
    settings: {
      models: Object.fromEntries(Object.entries(choices).map(([stage, c]) => [stage, label(c)])),
      seed: args.seed,
      input: {
        source: args.input ?? "bundled transcripts",
        sha256: await transcriptsSha256(transcripts),
      },
      baseUrl: args.baseUrl,
      maxWindows: args.maxWindows,
    },
    meta: {
      models: configured,
      ...(simulated ? { modelsNote: SIMULATED_NOTE } : {}),
      notes: benchNotes(args, simulated, Object.values(choices)),
      inputSource: args.input ?? "bundled transcripts",
    },
  };
}

/** A budget needs a price for every model: refuse to start without one. */
function checkBudgetPriced(
  args: BenchArgs,
  choices: Record<string, ModelChoice>,
  priceOverrides: PriceOverrides | undefined,
): void {
  if (args.maxCostUsd === null) return;
  const unpriced = unpricedModels(choices, priceOverrides);
  if (unpriced.length > 0) {
    throw new UsageError(
      `--max-cost: no price is known for ${unpriced.join(", ")}, so the budget could not be ` +
        "held; give its rates with --prices FILE, or drop --max-cost",
    );
  }
}

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
  const shard = args.shard === null ? null : `${args.shard.index}/${args.shard.count}`;
  const passRules = args.passRules.map(formatPassRule);
  const settings: BenchSettings = {
    ...target.settings,
    prices: args.prices === null ? null : { file: args.prices, table: priceOverrides },
    repeats: args.runs,
    shard,
    ...(args.evaluators.length === 0 ? {} : { evaluators: args.evaluators }),
    defaults: {
      concurrency: args.concurrency,
      maxCostUsd: args.maxCostUsd,
      dailyWords: args.dailyWords,
      timeoutSeconds: args.timeoutSeconds,
      maxRetries: args.maxRetries,
      evaluatorTimeoutSeconds: args.evaluatorTimeoutSeconds,
      passRules,
      runTimeoutSeconds: args.runTimeoutSeconds,
    },
  };
  const evaluatorNote: Record<string, string> = evaluators.length === 0
    ? {}
    : { Evaluators: evaluators.map((evaluator) => evaluator.name).join(", ") };
  const meta: BenchmarkMeta = {
    createdAt: new Date().toISOString(),
    gitCommit: await gitCommit(),
    ...target.meta,
    notes: { ...target.meta.notes, ...evaluatorNote },
    repeats: args.runs,
    concurrency: args.concurrency,
    maxCostUsd: args.maxCostUsd,
    seed: args.seed,
    ...(passRules.length === 0 ? {} : { passRules }),
    ...(args.groupBy === null ? {} : { groupBy: args.groupBy }),
  };
  const plannedRuns = shardRuns(
    planRuns(target.inputs.map((input) => input.id), args.runs),
    args.shard ?? undefined,
  ).length;
  const db = args.db ?? DEFAULT_DB;
  using store = await openStoreForCli(db, false, {
    rerun: (paths) => rerunCommand(argv, paths),
  });
  // The id and output folder before the benchmark is stored: a refused start leaves nothing.
  const newId = args.resume ? undefined : newBenchmarkId(meta.createdAt);
  const outPath = args.out ?? `reports/${args.resumeRef ?? newId}`;
  const outExisted = await Deno.stat(outPath).then(() => true, () => false);
  const out = await prepareOut(outPath, argv);
  const leases: Lease[] = [];
  const started = await Promise.resolve().then(() => {
    // `--interleave`: its baseline is stored first, so `latest` names the candidate.
    const baselineSide = interleaved === null ? null : startBenchmark(store, {
      resume: false,
      resumeRef: null,
      label: args.label === null ? null : `${args.label}.baseline`,
      settings: { ...settings, ...interleaved.settings },
      meta: {
        meta: { ...meta, ...interleaved.meta },
        dailyWords: args.dailyWords,
        unitName: interleaved.unit?.name ?? null,
        inputIds: interleaved.inputs.map((input) => input.id),
      } satisfies StoredBenchMeta,
      plannedRuns,
      shard: null,
      gitCommit: meta.gitCommit,
    });
    if (baselineSide !== null) leases.push(baselineSide.lease);
    const candidate = startBenchmark(store, {
      resume: args.resume,
      resumeRef: args.resumeRef,
      id: newId,
      label: args.label,
      settings,
      meta: {
        meta,
        dailyWords: args.dailyWords,
        unitName: target.unit?.name ?? null,
        // The whole plan's order, so `deno task merge` can put shards back in it.
        inputIds: target.inputs.map((input) => input.id),
      } satisfies StoredBenchMeta,
      plannedRuns,
      shard,
      gitCommit: meta.gitCommit,
    });
    leases.push(candidate.lease);
    return { ...candidate, baselineSide };
  }).catch(async (error) => {
    // A refused start (another process writes the benchmark) leaves no folder it made behind.
    for (const lease of leases) lease.release();
    if (!outExisted) await Deno.remove(out).catch(() => {});
    throw error;
  });
  const { id, label: benchmarkLabel, lease, baselineSide } = started;
  session.lease = {
    renew: () => leases.map((held) => held.renew()).every(Boolean),
    release: () => leases.forEach((held) => held.release()),
  };
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
