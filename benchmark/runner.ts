/**
 * Runs any compiled graph (any LangChain Runnable) over inputs x repeats with bounded concurrency,
 * measuring each run with a fresh `PerformanceCallbackHandler` and logging each finished
 * run at once, so an interrupted benchmark loses nothing and can be resumed. A budget is held
 * live: after every LLM call.
 *
 * @module
 */
import type { LLMCallMetrics } from "../telemetry/metrics.ts";
import { executeRun } from "./execute_run.ts";
import { formatUsd } from "../report/format.ts";
import type {
  BenchmarkOptions,
  BenchmarkProgress,
  BenchmarkRun,
  BenchmarkStop,
} from "./options.ts";
import { memoryRunLog } from "./run_log.ts";
import { runKey, type RunRecord, runSpend } from "./run_record.ts";
import {
  budgetDecision,
  estimateRemainingMs,
  type PlannedRun,
  planRuns,
  shardRuns,
} from "./schedule.ts";

export type * from "./options.ts";

/** A run in flight: its abort controller and what its calls have cost so far. */
interface InFlightRun {
  controller: AbortController;
  costUsd: number;
  pricedCalls: number;
  unpricedCalls: number;
}

/**
 * Runs a benchmark: every input `repeats` times, at most `concurrency` at once, each run measured
 * by a fresh handler and appended to the log as soon as it ends. A failing run is recorded with its
 * partial metrics and the others go on. With `maxCostUsd`, the budget is checked after every LLM
 * call; crossing it aborts the runs in flight (see {@linkcode BenchmarkOptions.maxCostUsd}).
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
  const budgetUsd = options.maxCostUsd;
  const inputIds = options.inputs.map((input) => input.id);
  const planned = shardRuns(planRuns(inputIds, repeats), options.shard);
  const total = planned.length;

  let finishedUsd = 0;
  let finishedPricedCalls = 0;
  let finishedUnpricedCalls = 0;
  let dearestRunUsd = 0;
  let failed = 0;
  let failedCalls = 0;
  let stop: BenchmarkStop | null = null;

  // A run's spend is its graph's calls and its evaluators' (an LLM judge costs money too).
  function count(record: RunRecord): void {
    const spend = runSpend(record);
    finishedUsd += spend.costUsd;
    finishedPricedCalls += spend.pricedCalls;
    finishedUnpricedCalls += spend.unpricedCalls;
    dearestRunUsd = Math.max(dearestRunUsd, spend.costUsd);
    if (record.error !== null) failed++;
  }

  // A finished run's record is kept only when asked (the log has it): at 100,000 runs the full
  // records were ~290 MB of live heap, the runner's whole growth.
  const retain = options.retainRecords ?? true;
  const finished = new Map<string, RunRecord | null>();
  if (options.resume) {
    const loaded = await log.load();
    if (loaded.skipped.length > 0) {
      options.onEvent?.({ kind: "log-records-skipped", skipped: loaded.skipped });
    }
    const keys = new Set(planned.map((r) => runKey(r.inputId, r.repeat)));
    const latest = new Map<string, RunRecord>(); // a key logged twice: its last record
    for (const record of loaded.records) {
      const key = runKey(record.inputId, record.repeat);
      if (keys.has(key)) latest.set(key, record);
    }
    for (const [key, record] of latest) {
      finished.set(key, retain ? record : null);
      count(record);
    }
  } else {
    await log.create();
  }
  const resumed = finished.size;
  const plan = planned.filter((run) => !finished.has(runKey(run.inputId, run.repeat)));

  const threadPrefix = `graphmeter-${crypto.randomUUID()}`;
  const startedAt = now();
  const inFlight = new Map<string, InFlightRun>();
  const stoppedRuns: RunRecord[] = [];
  const spentUsd = (): number =>
    finishedUsd + [...inFlight.values()].reduce((sum, run) => sum + run.costUsd, 0);
  const progress = (): BenchmarkProgress => {
    const elapsedMs = now() - startedAt;
    const remaining = total - finished.size;
    const etaMs = estimateRemainingMs(elapsedMs, finished.size - resumed, remaining);
    const runs = [...inFlight.values()];
    const priced = finishedPricedCalls + runs.reduce((sum, run) => sum + run.pricedCalls, 0);
    const unpriced = finishedUnpricedCalls + runs.reduce((sum, run) => sum + run.unpricedCalls, 0);
    return {
      done: finished.size,
      total,
      failed,
      running: inFlight.size,
      failedCalls,
      elapsedMs,
      etaMs,
      costUsd: priced === 0 && unpriced > 0 ? null : spentUsd(),
      unpricedCalls: unpriced,
    };
  };
  options.onProgress?.(progress());

  /** Stops the benchmark for good: launch nothing more, abort every run in flight. */
  const stopAll = (why: BenchmarkStop): void => {
    if (stop !== null) return;
    stop = why;
    for (const run of inFlight.values()) run.controller.abort(new BudgetStop(stopReason(why)));
  };
  const onCallEnd = (
    run: PlannedRun,
    state: InFlightRun,
    call: LLMCallMetrics,
    evaluating = false,
  ): void => {
    if (call.error !== null) failedCalls++;
    if (call.costUsd !== null) {
      state.costUsd += call.costUsd;
      state.pricedCalls++;
    } else if (call.usageReported || call.error === null) {
      state.unpricedCalls++;
    }
    if (budgetUsd !== undefined) {
      if (call.costUsd === null && call.error === null) {
        options.onEvent?.({
          kind: "budget-unenforceable",
          provider: call.provider,
          model: call.model,
        });
        stopAll({ kind: "unpriced-call", budgetUsd, provider: call.provider, model: call.model });
      } else if (spentUsd() > budgetUsd) {
        stopAll({ kind: "budget-crossed", budgetUsd, spentUsd: spentUsd() });
      }
    }
    if (!evaluating) options.onCallEnd?.(run, call);
    options.onProgress?.(progress());
  };

  let next = 0;
  await new Promise<void>((resolve, reject) => {
    const launchMore = (): void => {
      while (stop === null && inFlight.size < concurrency && next < plan.length) {
        const decision = budgetDecision({
          maxCostUsd: budgetUsd,
          spentUsd: spentUsd(),
          finishedRuns: finished.size,
          dearestRunUsd,
          inFlight: inFlight.size,
        });
        if (decision === "stop") {
          stop = {
            kind: "budget-would-pass",
            budgetUsd: budgetUsd ?? 0,
            spentUsd: spentUsd(),
            dearestRunUsd,
          };
        }
        if (decision !== "launch") break;
        const run = plan[next++];
        const key = runKey(run.inputId, run.repeat);
        const state: InFlightRun = {
          controller: new AbortController(),
          costUsd: 0,
          pricedCalls: 0,
          unpricedCalls: 0,
        };
        inFlight.set(key, state);
        executeRun(options, run, threadPrefix, {
          signal: state.controller.signal,
          onCallEnd: (call) => onCallEnd(run, state, call),
          onEvaluationCallEnd: (call) => onCallEnd(run, state, call, true),
        })
          .then(async (record) => {
            if (state.controller.signal.aborted && record.error !== null) {
              // Stopped in flight: not logged, so a resume makes the run again.
              inFlight.delete(key);
              finishedUsd += runSpend(record).costUsd;
              stoppedRuns.push(record);
              options.onEvent?.({
                kind: "run-stopped",
                run,
                costUsd: record.metrics.totals.costUsd,
              });
            } else {
              await log.append(record);
              inFlight.delete(key);
              finished.set(key, retain ? record : null);
              count(record);
            }
            options.onRunEnd?.(run, record);
            options.onProgress?.(progress());
            launchMore();
          })
          .catch((error) => {
            // A failed log write (or callback) ends the benchmark: abort the rest, launch no more.
            next = plan.length;
            for (const other of inFlight.values()) other.controller.abort(error);
            reject(error);
          });
      }
      if (inFlight.size === 0 && (stop !== null || next >= plan.length)) resolve();
    };
    launchMore();
  });

  const records = retain
    ? planned
      .map((run) => finished.get(runKey(run.inputId, run.repeat)))
      .filter((record): record is RunRecord => record !== undefined && record !== null)
    : [];
  const notRun = total - finished.size;
  const stopped = stop as BenchmarkStop | null;
  const stoppedReason = stopped === null
    ? null
    : `${stopReason(stopped)}; ${notRun} of ${total} runs not run` +
      (stoppedRuns.length > 0 ? ` (${stoppedRuns.length} stopped in flight)` : "");
  return {
    records,
    finishedRuns: finished.size,
    total,
    resumed,
    notRun,
    stoppedRuns,
    stoppedReason,
    stop: stopped,
    unitName: options.unit?.name ?? null,
  };
}

/** The abort reason given to the runs in flight when the benchmark stops. */
class BudgetStop extends Error {
  override name = "BenchmarkStopped";
}

/** Why the benchmark stopped, in words (no caller's vocabulary: no flags). */
function stopReason(stop: BenchmarkStop): string {
  switch (stop.kind) {
    case "budget-would-pass":
      return `stopped launching runs: one more (up to about ${formatUsd(stop.dearestRunUsd)}, ` +
        `the dearest run so far) would pass the budget of ${formatUsd(stop.budgetUsd)} ` +
        `(spent ${formatUsd(stop.spentUsd)})`;
    case "budget-crossed":
      return `stopped: the calls made cost ${formatUsd(stop.spentUsd)}, past the budget of ` +
        `${formatUsd(stop.budgetUsd)}; the runs in flight were aborted`;
    case "unpriced-call":
      return `stopped: a call to ${stop.provider}:${stop.model} could not be priced, so the ` +
        `budget of ${formatUsd(stop.budgetUsd)} could not be held; the runs in flight were aborted`;
  }
}
