/**
 * Runs any compiled graph (any LangChain Runnable) over inputs x repeats with bounded concurrency,
 * measuring each run with a fresh `PerformanceCallbackHandler` and logging each finished
 * run at once, so an interrupted benchmark loses nothing and can be resumed.
 *
 * @module
 */
import type { CallbackHandlerMethods } from "@langchain/core/callbacks/base";
import type { RunnableConfig } from "@langchain/core/runnables";
import { executeRun } from "./execute_run.ts";
import type { PipelineMetrics } from "../telemetry/metrics.ts";
import { formatUsd } from "../report/format.ts";
import { memoryRunLog, type RunLog } from "./run_log.ts";
import { type QualityRecord, runKey, type RunRecord } from "./run_record.ts";
import {
  budgetDecision,
  estimateRemainingMs,
  type PlannedRun,
  planRuns,
  type Shard,
  shardRuns,
} from "./schedule.ts";

/** One input of a benchmark. */
export interface BenchmarkInput<I> {
  /** A unique id (e.g. the transcript's file name). */
  id: string;
  /** What is passed to `graph.invoke`. */
  input: I;
  /** Words in the input, for cost per 1,000 words; null or absent when not meaningful. */
  words?: number | null;
}

/** Anything with LangChain's `invoke(input, config)`: a compiled graph, a chain, a model. */
export interface InvokableGraph<I, O> {
  /** Runs the graph once. */
  invoke(input: I, config?: RunnableConfig): Promise<O>;
}

/** A callback handler that measures a run (the default is `PerformanceCallbackHandler`). */
export type MetricsHandler = CallbackHandlerMethods & {
  /** The handler's name (LangChain takes an object with one as a handler). */
  readonly name: string;
  /** What the handler measured. */
  readonly metrics: PipelineMetrics;
};

/** Where a benchmark stands, reported after each finished run. */
export interface BenchmarkProgress {
  /** Runs finished (resumed ones included). */
  done: number;
  /** Runs planned in all (inputs x repeats). */
  total: number;
  /** Finished runs that failed. */
  failed: number;
  /** Milliseconds since this session started. */
  elapsedMs: number;
  /** Estimated milliseconds left, or null before the first run of this session finishes. */
  etaMs: number | null;
  /** Cost of the finished runs so far in US dollars (unpriced calls count as 0). */
  costUsd: number;
}

/** How to run a benchmark. */
export interface BenchmarkOptions<I, O> {
  /** The graph to run. */
  graph: InvokableGraph<I, O>;
  /** The inputs; ids must be unique. */
  inputs: readonly BenchmarkInput<I>[];
  /** Runs per input; default 1. */
  repeats?: number;
  /** Runs in flight at most; default 4. */
  concurrency?: number;
  /**
   * Config of every run, or a function that makes each run's (the measuring handler is added to
   * its callbacks). Without a `configurable.thread_id`, each run gets its own thread,
   * `graphmeter-<uuid>/<inputId>#<repeat>` (one uuid per benchmark), so a graph with a
   * checkpointer can run and its runs do not share state; a `thread_id` you give is kept.
   */
  config?: RunnableConfig | ((run: PlannedRun) => RunnableConfig);
  /** Makes the handler of one run; default `new PerformanceCallbackHandler()`. */
  createHandler?: () => MetricsHandler;
  /** Where finished runs are logged; default an in-memory log. */
  log?: RunLog;
  /** Load the log and skip the runs it holds, instead of starting an empty log. */
  resume?: boolean;
  /** Run one slice of the planned runs (see `shardRuns`); default all of them. */
  shard?: Shard;
  /**
   * Stop launching runs once one more, with each run in flight, estimated at the cost of the
   * dearest finished run, could take the whole benchmark (resumed runs included) past this
   * budget. An estimate: a run dearer than every one before it can still pass it. Unpriced calls
   * count as $0, with a warning that the budget cannot be enforced.
   */
  maxCostUsd?: number;
  /** Measures the quality of a run's output. */
  quality?: (output: O, input: BenchmarkInput<I>) => QualityRecord;
  /**
   * Summarizes a run's output in a short text; default its JSON, cut at 200 characters. When it
   * throws (or the output is not JSON: a BigInt, a cycle), the summary is null, with a warning.
   */
  summarizeOutput?: (output: O) => string;
  /** Called at the start and after each finished run. */
  onProgress?: (progress: BenchmarkProgress) => void;
  /** Called with each warning (e.g. a truncated log line ignored on resume). */
  onWarning?: (message: string) => void;
  /**
   * Wait for LangChain's background callbacks (e.g. a LangSmith tracer in your `config`) after
   * each run; default false: graphmeter's own handler runs inline and needs no waiting. Draining
   * asks LangSmith's client for the home directory, which Deno allows only with `--allow-sys`.
   * (LangChain may ask for it anyway while a graph runs: with `@langchain/core` 1.4 a LangGraph
   * node does, so each run then fails with a message asking for `--allow-sys`.)
   */
  drainBackgroundCallbacks?: boolean;
  /** The clock, in milliseconds; default `performance.now`. */
  now?: () => number;
}

/** What a benchmark produced. */
export interface BenchmarkRun {
  /** Every finished run, resumed ones included, in plan order (repeat by repeat, input by input). */
  records: RunRecord[];
  /** Runs planned in all (inputs x repeats). */
  total: number;
  /** Runs taken from the log instead of being run again. */
  resumed: number;
  /** Runs never launched because the budget would have been passed. */
  notRun: number;
  /** Null, or why the benchmark stopped early (the budget). */
  stoppedReason: string | null;
}

/**
 * Runs a benchmark: every input `repeats` times, at most `concurrency` at once, each run measured
 * by a fresh handler and appended to the log as soon as it ends. A failing run is recorded with its
 * partial metrics and the others go on.
 *
 * @param options What to run and how.
 * @returns Every finished run and how the benchmark ended.
 *
 * @example Usage
 * ```ts
 * import { RunnableLambda } from "@langchain/core/runnables";
 * import { runBenchmark } from "./runner.ts";
 * import assert from "node:assert/strict";
 *
 * const graph = RunnableLambda.from((text: string) => text.toUpperCase());
 * const result = await runBenchmark({ graph, inputs: [{ id: "a", input: "hi" }], repeats: 2 });
 * assert.equal(result.records.length, 2);
 * assert.equal(result.records[0].outputSummary, '"HI"');
 * ```
 */
export async function runBenchmark<I, O>(options: BenchmarkOptions<I, O>): Promise<BenchmarkRun> {
  const repeats = options.repeats ?? 1;
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error("repeats must be an integer ≥ 1");
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error("concurrency must be an integer ≥ 1");
  }
  const log = options.log ?? memoryRunLog();
  const now = options.now ?? (() => performance.now());
  const inputIds = options.inputs.map((input) => input.id);
  const planned = shardRuns(planRuns(inputIds, repeats), options.shard);
  const total = planned.length;

  const finished = new Map<string, RunRecord>();
  if (options.resume) {
    const loaded = await log.load();
    loaded.warnings.forEach((warning) => options.onWarning?.(warning));
    const keys = new Set(planned.map((r) => runKey(r.inputId, r.repeat)));
    for (const record of loaded.records) {
      const key = runKey(record.inputId, record.repeat);
      if (keys.has(key)) finished.set(key, record);
    }
  } else {
    await log.create();
  }
  const resumed = finished.size;
  const plan = planned.filter((run) => !finished.has(runKey(run.inputId, run.repeat)));

  const threadPrefix = `graphmeter-${crypto.randomUUID()}`;
  const startedAt = now();
  let spentUsd = 0;
  let dearestRunUsd = 0;
  let failed = 0;
  const warnedUnpriced = new Set<string>();
  const count = (record: RunRecord): void => {
    spentUsd += runCostUsd(record);
    dearestRunUsd = Math.max(dearestRunUsd, runCostUsd(record));
    if (record.error !== null) failed++;
    const unpriced = options.maxCostUsd === undefined ? null : unpricedWarning(record);
    if (unpriced !== null && !warnedUnpriced.has(unpriced)) {
      warnedUnpriced.add(unpriced);
      options.onWarning?.(unpriced);
    }
  };
  finished.forEach(count);
  const progress = (): BenchmarkProgress => {
    const elapsedMs = now() - startedAt;
    const remaining = total - finished.size;
    const etaMs = estimateRemainingMs(elapsedMs, finished.size - resumed, remaining);
    return { done: finished.size, total, failed, elapsedMs, etaMs, costUsd: spentUsd };
  };
  options.onProgress?.(progress());

  let next = 0;
  let inFlight = 0;
  let stopped = false;
  await new Promise<void>((resolve, reject) => {
    const launchMore = (): void => {
      while (!stopped && inFlight < concurrency && next < plan.length) {
        const decision = budgetDecision({
          maxCostUsd: options.maxCostUsd,
          spentUsd,
          finishedRuns: finished.size,
          dearestRunUsd,
          inFlight,
        });
        if (decision === "stop") stopped = true;
        if (decision !== "launch") break;
        const run = plan[next++];
        inFlight++;
        executeRun(options, run, threadPrefix)
          .then(async (record) => {
            await log.append(record);
            finished.set(runKey(run.inputId, run.repeat), record);
            count(record);
            inFlight--;
            options.onProgress?.(progress());
            launchMore();
          })
          .catch((error) => {
            stopped = true; // a failed log write (or callback) ends the benchmark: launch no more
            reject(error);
          });
      }
      if (inFlight === 0 && (stopped || next >= plan.length)) resolve();
    };
    launchMore();
  });

  const notRun = plan.length - next;
  const records = planned
    .map((run) => finished.get(runKey(run.inputId, run.repeat)))
    .filter((record): record is RunRecord => record !== undefined);
  const stoppedReason = notRun > 0
    ? `stopped launching runs: one more (up to about ${formatUsd(dearestRunUsd)}, the dearest ` +
      `run so far) would pass the budget of ${formatUsd(options.maxCostUsd ?? 0)} ` +
      `(spent ${formatUsd(spentUsd)}); ${notRun} of ${total} runs not run`
    : null;
  return { records, total, resumed, notRun, stoppedReason };
}

/** A run's total cost, with unpriced calls counted as 0. */
function runCostUsd(record: RunRecord): number {
  return record.metrics.totals.costUsd ?? 0;
}

/** Why a run's cost cannot be held to a budget, or null when it can. */
function unpricedWarning(record: RunRecord): string | null {
  const { costUsd, unpricedCalls } = record.metrics.totals;
  if (costUsd === null) return "--max-cost: runs are unpriced, the budget cannot be enforced";
  if (unpricedCalls > 0) {
    return "--max-cost: some calls are unpriced, the budget counts only the priced ones";
  }
  return null;
}
