/**
 * The benchmarker: run any compiled graph over inputs x repeats with bounded concurrency, log each
 * finished run to JSONL at once (resumable), aggregate the runs and write the Markdown report and
 * `metrics.json`.
 *
 * @example Usage
 * ```ts
 * import { buildBenchmarkResult, runBenchmark, writeBenchmarkReport } from "./mod.ts";
 * import { RunnableLambda } from "@langchain/core/runnables";
 * import assert from "node:assert/strict";
 *
 * const graph = RunnableLambda.from((text: string) => text.length);
 * const run = await runBenchmark({
 *   graph,
 *   inputs: [{ id: "a", input: "hello" }],
 *   unit: { name: "character", amountOf: ({ input }) => input.length },
 * });
 * const result = buildBenchmarkResult(run, {
 *   createdAt: new Date().toISOString(),
 *   gitCommit: null,
 *   models: {},
 *   inputSource: "inline",
 *   repeats: 1,
 *   concurrency: 4,
 *   maxCostUsd: null,
 *   seed: null,
 * });
 * assert.equal(result.aggregates.inputAmount, 5); // 5 characters
 * assert.match(writeBenchmarkReport(result), /# graphmeter benchmark/);
 * ```
 *
 * @module
 */
export * from "./runner.ts";
export * from "./run_log.ts";
export * from "./run_record.ts";
export {
  budgetDecision,
  type BudgetState,
  type PlannedRun,
  planRuns,
  type Shard,
  shardRuns,
} from "./schedule.ts";
export * from "./run_totals.ts";
export * from "./aggregate.ts";
export * from "./benchmark_result.ts";
export { summarizeQuality } from "./quality_summary.ts";
export * from "../report/format.ts";
export * from "./charts.ts";
export * from "./report.ts";
