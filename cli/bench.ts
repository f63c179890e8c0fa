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
  type BenchmarkInput,
  type BenchmarkUnit,
  type InvokableGraph,
  runBenchmark,
} from "../benchmark/runner.ts";
import { RunTimeoutError } from "../benchmark/stops.ts";
import { type Lease, LeaseLostError, StoreError } from "../store/mod.ts";
import { newBenchmarkId } from "../store/_benchmark_rows.ts";
import { planRuns, shardRuns } from "../benchmark/schedule.ts";
import {
  buildTranscriptTreeGraph,
  buildTranscriptTreeInput,
  DEFAULT_SIMULATED_MODEL,
  LLM_STAGES,
  loadTranscripts,
  SimulatedChatModel,
  type TranscriptTreeModels,
  type TranscriptTreeState,
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
  MAX_PLANNED_RUNS,
  type ModelChoice,
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
import { loadUserGraphTarget } from "./bench/user_graph_target.ts";
import { createChatModel, resolveApiKey } from "./bench/models.ts";
import { progressReporter } from "./bench/progress.ts";

const label = (choice: ModelChoice): string => `${choice.provider}:${choice.model}`;

/** The model of each stage: `--model stage=...`, else `--model ...`, else the simulated default. */
function stageChoices(args: BenchArgs): Record<string, ModelChoice> {
  const fallback = args.defaultModel ?? { provider: "simulated", model: DEFAULT_SIMULATED_MODEL };
  return Object.fromEntries(
    LLM_STAGES.map((stage) => [stage, args.stageModels[stage] ?? fallback]),
  );
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
      model = await createChatModel(choice, {
        apiKey: keys.get(choice.provider) ?? null,
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
          }),
      });
      built.set(label(choice), model);
    }
    models[stage] = model;
  }
  return models as TranscriptTreeModels;
}

async function gitCommit(): Promise<string | null> {
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

/** What is benchmarked: the bundled workload or the user's graph, and what to say about it. */
interface BenchTarget {
  graph: InvokableGraph<unknown, unknown>;
  inputs: BenchmarkInput<unknown>[];
  quality?: (output: unknown) => QualityRecord;
  summarizeOutput?: (output: unknown) => string;
  settings: Omit<BenchSettings, "prices" | "repeats" | "shard">;
  meta: Pick<BenchmarkMeta, "models" | "modelsNote" | "notes" | "inputSource" | "graph">;
  /** The normalisation unit (the workload's 1,000 words), or none. */
  unit?: BenchmarkUnit<unknown>;
  /** The chosen models per stage (none for a user's graph). */
  choices: Record<string, ModelChoice>;
  /** Windows of each input (the workload's), for progress inside its runs. */
  windowsOf?: (inputId: string) => number;
}

async function workloadTarget(
  args: BenchArgs,
  io: CliIo,
  onRetry: (error: unknown) => void,
  priceOverrides: PriceOverrides | undefined,
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
  const inputs = transcripts.map((t) => {
    const input = buildTranscriptTreeInput(t.text, { id: t.id });
    if (args.maxWindows !== null) input.windows = input.windows.slice(0, args.maxWindows);
    return { id: t.id, input };
  });
  const windowsOf = new Map(inputs.map(({ id, input }) => [id, input.windows.length]));
  return {
    // The workload's graph type widens invoke's input and output to LangGraph's generic state.
    graph: buildTranscriptTreeGraph(models) as unknown as InvokableGraph<unknown, unknown>,
    inputs,
    unit: thousandWords(transcripts) as BenchmarkUnit<unknown>,
    choices,
    windowsOf: (id) => windowsOf.get(id) ?? 0,
    quality: (output) => ({ ...treeQuality(output as TranscriptTreeState) }) as QualityRecord,
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
      notes: benchNotes(args, simulated),
      inputSource: args.input ?? "bundled transcripts",
    },
  };
}

async function userTarget(args: BenchArgs): Promise<BenchTarget> {
  const target = await loadUserGraphTarget(args, Deno.cwd());
  return {
    graph: target.graph,
    inputs: target.inputs,
    settings: {
      models: { graph: target.graphSource },
      seed: args.seed,
      input: { source: target.inputSource, sha256: target.inputSha256 },
      baseUrl: null,
      maxWindows: null,
    },
    meta: {
      models: {},
      ...(args.prices === null ? {} : { notes: { "Price overrides": `from ${args.prices}` } }),
      inputSource: target.inputSource,
      graph: target.graphSource,
    },
    choices: {},
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
  const db = args.db ?? DEFAULT_DB;
  // What a signal says depends on how far the benchmark got (see `interruptedLine`).
  const state: InterruptState = { db, hint: null, stopped: 0 };
  let lease: Lease | null = null;
  const pending = new PendingFiles();
  let endProgress = (): void => {};
  using interrupts = new Interrupts((signal) => {
    endProgress();
    pending.removeAll();
    io.err(`${interruptedLine(signal, state)}\n`);
    lease?.release();
    Deno.exit(signalExitCode(signal));
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
  let failedAttempts = 0;
  const onRetry = (): void => void failedAttempts++;
  const target = args.graph === null
    ? await workloadTarget(args, io, onRetry, priceOverrides)
    : await userTarget(args);
  const runsPlanned = target.inputs.length * args.runs;
  if (runsPlanned > MAX_PLANNED_RUNS) {
    throw new UsageError(
      `--runs ${args.runs} x ${target.inputs.length} input(s) plans ${runsPlanned} runs, more ` +
        `than ${MAX_PLANNED_RUNS} in one benchmark; give fewer --runs (or split the inputs ` +
        "into several benchmarks)",
    );
  }
  const shard = args.shard === null ? null : `${args.shard.index}/${args.shard.count}`;
  const settings: BenchSettings = {
    ...target.settings,
    prices: args.prices === null ? null : { file: args.prices, table: priceOverrides },
    repeats: args.runs,
    shard,
    defaults: {
      concurrency: args.concurrency,
      maxCostUsd: args.maxCostUsd,
      dailyWords: args.dailyWords,
      timeoutSeconds: args.timeoutSeconds,
      maxRetries: args.maxRetries,
      runTimeoutSeconds: args.runTimeoutSeconds,
    },
  };
  const meta: BenchmarkMeta = {
    createdAt: new Date().toISOString(),
    gitCommit: await gitCommit(),
    ...target.meta,
    repeats: args.runs,
    concurrency: args.concurrency,
    maxCostUsd: args.maxCostUsd,
    seed: args.seed,
  };
  const plannedRuns = shardRuns(
    planRuns(target.inputs.map((input) => input.id), args.runs),
    args.shard ?? undefined,
  ).length;
  using store = await openStoreForCli(db, false, {
    rerun: (paths) => rerunCommand(parsed.argv, paths),
  });
  // The id and output folder before the benchmark is stored: a refused start leaves nothing.
  const newId = args.resume ? undefined : newBenchmarkId(meta.createdAt);
  const outPath = args.out ?? `reports/${args.resumeRef ?? newId}`;
  const outExisted = await Deno.stat(outPath).then(() => true, () => false);
  const out = await prepareOut(outPath, parsed.argv);
  // A refused start (another process writes the benchmark) leaves no folder it made behind.
  const refused = (): Promise<void> =>
    outExisted ? Promise.resolve() : Deno.remove(out).catch(() => {});
  const started = await Promise.resolve().then(() =>
    startBenchmark(store, {
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
    })
  ).catch(async (error) => {
    await refused();
    throw error;
  });
  const { id, label: benchmarkLabel } = started;
  lease = started.lease;
  try {
    const hint = resumeCommand(id, args.db, args.out === null ? null : out);
    state.hint = hint;
    const windows = windowProgress(target.windowsOf ?? (() => 0));
    const errIsTerminal = io.errIsTerminal ?? false;
    const reporter = progressReporter(io.err, errIsTerminal, undefined, () => [
      // Every failed attempt the integration saw (those retried, and each failed call's last).
      ...(failedAttempts > 0
        ? [`${failedAttempts} failed attempt${failedAttempts === 1 ? "" : "s"}`]
        : []),
      ...windows.parts(),
    ]);
    endProgress = reporter.end;
    // A signal stops the runs (their paid calls kept as stopped runs), then the command returns.
    interrupts.setPhase(() => {});
    const heartbeat = setInterval(() => started.lease.renew(), HEARTBEAT_MS);
    const ticker = errIsTerminal ? setInterval(reporter.tick, 1000) : undefined;
    const context = providerContext(args, target.choices);
    let run;
    try {
      run = await runBenchmark({
        graph: target.graph,
        inputs: target.inputs,
        unit: target.unit,
        repeats: args.runs,
        concurrency: args.concurrency,
        createHandler: (hooks) => new PerformanceCallbackHandler({ ...hooks, priceOverrides }),
        log: store.runLog(id, started.lease),
        // The store keeps the records: the runner holds only keys, the report reads them back.
        retainRecords: false,
        resume: args.resume,
        shard: args.shard ?? undefined,
        maxCostUsd: args.maxCostUsd ?? undefined,
        signal: interrupts.signal,
        runTimeoutMs: args.runTimeoutSeconds * 1000,
        quality: target.quality,
        summarizeOutput: target.summarizeOutput,
        describeError: (error) =>
          error instanceof RunTimeoutError
            ? `${error.message} (--run-timeout)`
            : describeProviderError(error, context),
        onProgress: reporter.report,
        onCallEnd: windows.onCallEnd,
        onRunEnd: windows.onRunEnd,
        onEvent: (event) => {
          // After a signal the one line says how many runs were stopped in flight.
          if (event.kind === "run-stopped" && interrupts.received !== null) return;
          io.err(`${formatBenchEvent(event)}\n`);
        },
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
      clearInterval(heartbeat);
      clearInterval(ticker);
      reporter.end();
    }
    if (interrupts.received !== null) {
      state.stopped = run.stoppedRuns?.length ?? 0;
      io.err(`${interruptedLine(interrupts.received, state)}\n`);
      return signalExitCode(interrupts.received);
    }
    // Writing the report: a signal removes the files not yet in place and ends at once.
    interrupts.setPhase(null);
    return await reportBenchmark({
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
      baseline,
      priceOverrides,
      pending,
    });
  } finally {
    started.lease.release();
  }
}

/** How often the lease's heartbeat is beaten while the runs go on. */
const HEARTBEAT_MS = 5000;

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
