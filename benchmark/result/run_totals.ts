/**
 * The bounded parts of `metrics.json` taken from a benchmark's run records: each run's totals,
 * the models per stage and the slowest run (pure functions).
 *
 * @module
 */
import type { RunTotals, StageModels } from "./benchmark_result.ts";
import { isSuccessfulRun, type RunRecord } from "../run_record.ts";

/**
 * One run's totals, as `metrics.json` lists them.
 *
 * @param record The run.
 * @returns Its totals.
 *
 * @example Usage
 * ```ts
 * import { runTotalsOf } from "./run_totals.ts";
 * import { runBenchmark } from "../runner.ts";
 * import { RunnableLambda } from "@langchain/core/runnables";
 * import assert from "node:assert/strict";
 *
 * const graph = RunnableLambda.from((text: string) => text);
 * const { records } = await runBenchmark({ graph, inputs: [{ id: "a", input: "hi" }] });
 * assert.equal(runTotalsOf(records[0]).llmCalls, 0);
 * ```
 */
export function runTotalsOf(record: RunRecord): RunTotals {
  const { totals } = record.metrics;
  const ok = isSuccessfulRun(record);
  return {
    inputId: record.inputId,
    repeat: record.repeat,
    ok,
    error: ok ? null : record.error ?? record.metrics.error ?? `status ${record.metrics.status}`,
    wallTimeMs: record.metrics.wallTimeMs,
    llmCalls: totals.llmCalls,
    inputTokens: totals.inputTokens,
    outputTokens: totals.outputTokens,
    cacheReadTokens: totals.cacheReadTokens,
    costUsd: totals.costUsd,
    unpricedCalls: totals.unpricedCalls,
    inputAmount: record.inputAmount,
    quality: record.quality,
  };
}

/**
 * The models that answered each stage's calls, over every run.
 *
 * @param records The runs.
 * @returns Per stage (in the order stages first made a call), its `provider:model`s.
 *
 * @example Usage
 * ```ts
 * import { modelsPerStage } from "./run_totals.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(modelsPerStage([]), []);
 * ```
 */
export function modelsPerStage(records: readonly RunRecord[]): StageModels[] {
  const byStage = new Map<string, Set<string>>();
  for (const record of records) {
    for (const call of record.metrics.calls) {
      const models = byStage.get(call.stage) ?? new Set<string>();
      models.add(`${call.provider}:${call.model}`);
      byStage.set(call.stage, models);
    }
  }
  return [...byStage].map(([stage, models]) => ({ stage, models: [...models] }));
}

/**
 * The slowest successful run (the slowest run when none succeeded).
 *
 * @param records The runs.
 * @returns It, or null without runs.
 *
 * @example Usage
 * ```ts
 * import { slowestRun } from "./run_totals.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(slowestRun([]), null);
 * ```
 */
export function slowestRun(records: readonly RunRecord[]): RunRecord | null {
  const anyOk = records.some(isSuccessfulRun);
  let slowest: RunRecord | null = null;
  for (const record of records) {
    if (anyOk && !isSuccessfulRun(record)) continue;
    if (slowest === null || record.metrics.wallTimeMs > slowest.metrics.wallTimeMs) {
      slowest = record;
    }
  }
  return slowest;
}
