/**
 * The benchmark runner: run any compiled graph over inputs x repeats with bounded concurrency, hand
 * each finished run to a run log at once (the results store's, so a benchmark is resumable),
 * aggregate the runs and write the Markdown report and `metrics.json`.
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
export { runBenchmark } from "./runner.ts";
export {
  type InterleavedOptions,
  type InterleavedRun,
  type InterleavedSide,
  runInterleaved,
  type Side,
} from "./interleave.ts";
export { BenchmarkStopped, RunTimeoutError } from "./stops.ts";
export type {
  BenchmarkEvent,
  BenchmarkInput,
  BenchmarkOptions,
  BenchmarkProgress,
  BenchmarkRun,
  BenchmarkStop,
  BenchmarkUnit,
  InvokableGraph,
  MetricsHandler,
  RunConfig,
  RunHooks,
} from "./options.ts";
export type { PlannedRun, Shard } from "./schedule.ts";
export { memoryRunLog, type RunLog, type RunLogContents, type SkippedRecord } from "./run_log.ts";
export {
  isSuccessfulRun,
  QualityRecord,
  RunRecord,
  type RunSpend,
  runSpend,
} from "./run_record.ts";
export {
  DEFAULT_EVALUATOR_TIMEOUT_MS,
  evaluateRun,
  type EvaluateRunOptions,
  type EvaluationHandler,
} from "../evaluate/evaluate_run.ts";
export type {
  BenchmarkEvaluator,
  EvaluationCostSummary,
  EvaluationRecord,
  EvaluationResult,
  Evaluator,
  EvaluatorArgs,
  EvaluatorCost,
  EvaluatorCostSummary,
  EvaluatorReturn,
  NamedEvaluator,
  PassingSummary,
  PassRule,
  ScoreKind,
  ScoreRecord,
  ScoreSummary,
} from "../evaluate/mod.ts";
export {
  type AggregateOptions,
  aggregateRuns,
  buildBenchmarkResult,
} from "./result/aggregate_runs.ts";
export {
  BenchmarkMeta,
  BenchmarkResult,
  GroupAggregate,
  GroupBreakdown,
  RunTotals,
  StageModels,
  StoredBenchmarkRef,
} from "./result/benchmark_result.ts";
export { groupRuns, groupValueOf, NO_GROUP } from "./result/groups.ts";
export {
  BenchmarkAggregates,
  type DailyVolume,
  QualitySummary,
  StageAggregate,
} from "./result/benchmark_aggregates.ts";
export { aggregatePaths, PathAggregate } from "./result/path_aggregates.ts";
export { type BenchmarkReportOptions, writeBenchmarkReport } from "./markdown/benchmark_report.ts";
export {
  type EndpointPacing,
  type LimitSource,
  type LimitState,
  RatePacer,
  type RatePacerOptions,
  type ToldLimits,
} from "./pacing/rate_pacer.ts";
// The interface the pacer implements, around each HTTP attempt of an LLM call.
export type { AttemptGate, OutgoingAttempt } from "../telemetry/http_attempts.ts";
export type { AttemptAnswer, AttemptFailure } from "../telemetry/recorder.ts";
export type { HeaderSource } from "../telemetry/rate_limit_headers.ts";
// The metric types the results hold (the same as the root's).
export type * from "../telemetry/metric_types.ts";
