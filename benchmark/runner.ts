/**
 * Runs any compiled graph (any LangChain Runnable) over inputs x repeats with bounded concurrency,
 * measuring each run with a fresh `PerformanceCallbackHandler` and logging each finished
 * run at once, so an interrupted benchmark loses nothing and can be resumed. A budget is held
 * live: after every LLM call. Runs stopped in flight (the budget, an interrupt) are logged apart
 * with what their calls cost; a run past the run timeout fails and the others go on.
 *
 * @module
 */
import type { LLMCallMetrics } from "../telemetry/metrics.ts";
import { executeRun } from "./execute_run.ts";
import { BenchmarkStopped, RunTimeoutError, stopCause, stopReason } from "./stops.ts";
import type {
  BenchmarkOptions,
  BenchmarkProgress,
  BenchmarkRun,
  BenchmarkStop,
} from "./options.ts";
import { memoryRunLog } from "./run_log.ts";
import { startHttpTracking } from "./http_tracking.ts";
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
  const runTimeoutMs = options.runTimeoutMs;
  if (runTimeoutMs !== undefined && !(runTimeoutMs > 0)) {
    throw new Error("runTimeoutMs must be above 0");
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
    // Runs stopped in flight before: made again, but what their calls cost was spent.
    for (const record of loaded.stopped ?? []) finishedUsd += runSpend(record).costUsd;
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
    const reason = new BenchmarkStopped(stopReason(why, spentUsd()));
    for (const run of inFlight.values()) run.controller.abort(reason);
  };
  const external = options.signal;
  const onExternalAbort = (): void =>
    stopAll({ kind: "interrupted", reason: abortReasonText(external?.reason) });
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
    http.onCallEnd(call);
    if (!evaluating) options.onCallEnd?.(run, call);
    options.onProgress?.(progress());
  };

  // Each call's HTTP attempts are tracked, and paced to the endpoints' limits, while runs go.
  const http = startHttpTracking(options);
  let next = 0;
  if (external?.aborted) onExternalAbort();
  external?.addEventListener("abort", onExternalAbort);
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
        const timer = runTimeoutMs === undefined ? undefined : setTimeout(
          () => state.controller.abort(new RunTimeoutError(runTimeoutMs)),
          runTimeoutMs,
        );
        executeRun(options, run, threadPrefix, {
          signal: state.controller.signal,
          onCallEnd: (call) => onCallEnd(run, state, call),
          onEvaluationCallEnd: (call) => onCallEnd(run, state, call, true),
        })
          .then(async (record) => {
            clearTimeout(timer);
            const reason: unknown = state.controller.signal.reason;
            if (
              state.controller.signal.aborted && record.error !== null &&
              !(reason instanceof RunTimeoutError)
            ) {
              // Stopped in flight: logged apart (its calls were paid), so a resume makes the
              // run again.
              const cause = reason instanceof BenchmarkStopped && stop !== null
                ? stopCause(stop)
                : abortReasonText(reason);
              await log.appendStopped?.(record, cause);
              inFlight.delete(key);
              finishedUsd += runSpend(record).costUsd;
              stoppedRuns.push(record);
              options.onEvent?.({
                kind: "run-stopped",
                run,
                costUsd: runSpend(record).costUsd,
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
            clearTimeout(timer);
            next = plan.length;
            for (const other of inFlight.values()) other.controller.abort(error);
            reject(error);
          });
      }
      if (inFlight.size === 0 && (stop !== null || next >= plan.length)) resolve();
    };
    launchMore();
  }).finally(() => {
    http.stop();
    external?.removeEventListener("abort", onExternalAbort);
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
    : `${stopReason(stopped, finishedUsd)}; ${notRun} of ${total} runs not run` +
      (stoppedRuns.length > 0 ? ` (${stoppedRuns.length} stopped in flight)` : "");
  return {
    records,
    spentUsd: finishedUsd,
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

/** An abort reason in words: an error's message, or the value itself. */
function abortReasonText(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? "aborted" : String(reason);
}
