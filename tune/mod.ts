/**
 * Which value for each knob? `tune()` searches the `configurable` values of a graph — each stage's
 * model, a temperature, a prompt — for the quality–cost frontier with far fewer runs than a grid:
 * configurations race over shared inputs in rounds, the ones not run yet are predicted stage by
 * stage from the single-knob changes, and one is eliminated only when another dominates it
 * significantly (compare's paired bootstrap). It returns the frontier, the goal's answer with
 * compare's verdicts against the baseline, and what was spent against a grid.
 *
 * @example Two models for one step
 * ```ts
 * import { tune } from "./mod.ts";
 * import { RunnableLambda } from "@langchain/core/runnables";
 * import assert from "node:assert/strict";
 *
 * const graph = RunnableLambda.from((question: string, config) =>
 *   `${config?.configurable?.model}: ${question.toUpperCase()}`
 * );
 * const result = await tune({
 *   graph,
 *   inputs: Array.from({ length: 10 }, (_, i) => ({ id: `q${i}`, input: `question ${i}` })),
 *   evaluators: [({ outputs }) => ({ key: "shouts", score: /QUESTION/.test(String(outputs)) })],
 *   knobs: { model: ["big", "small"] },
 * });
 * assert.equal(result.baseline, "model=big");
 * assert.equal(result.recommended?.name, "model=big"); // equal cost (0): the baseline stays
 * ```
 *
 * @module
 */
export { type ConfigurationLog, type ConfigurationLogs, tune, type TuneOptions } from "./tune.ts";
export {
  checkKnobs,
  type Configuration,
  configurationCount,
  formatConfiguration,
  formatKnobValue,
  type Knob,
  KnobError,
  type KnobValue,
  MAX_CONFIGURATIONS,
  parseKnob,
} from "./knobs.ts";
export {
  DEFAULT_GOAL,
  DEFAULT_MAX_DROP,
  describeGoal,
  type GoalKind,
  type TuneGoal,
} from "./goal.ts";
export type {
  ConfigurationResult,
  Estimate,
  GoalResult,
  KeyEstimate,
  KnobResult,
  MisfitResult,
  Recommendation,
  RoundResult,
  SearchSpend,
  UnreadKnob,
} from "./result.ts";
export { TuneResult } from "./result.ts";
// The types the options and results use, so this entry's documentation is complete.
export type {
  BenchmarkEvent,
  BenchmarkInput,
  InvokableGraph,
  MetricsHandler,
  RunConfig,
  RunHooks,
} from "../benchmark/options.ts";
export type { RunLog, RunLogContents, SkippedRecord } from "../benchmark/run_log.ts";
export type { QualityRecord, RunRecord } from "../benchmark/run_record.ts";
export type { PlannedRun } from "../benchmark/schedule.ts";
export type {
  BenchmarkEvaluator,
  EvaluationRecord,
  EvaluationResult,
  Evaluator,
  EvaluatorArgs,
  EvaluatorCost,
  EvaluatorReturn,
  NamedEvaluator,
  ScoreKind,
  ScoreRecord,
} from "../evaluate/mod.ts";
export type {
  BenchmarkSide,
  Comparison,
  ComparisonTiming,
  FigureComparison,
  Pairing,
  ScopeComparison,
  SideWindow,
  Verdict,
} from "../compare/compare_benchmarks.ts";
export type { QualityComparison, QualityVerdict } from "../compare/quality_comparison.ts";
export { type Figure, FIGURES } from "../compare/figures.ts";
export type * from "../telemetry/metric_types.ts";
export {
  DEFAULT_ELIMINATION_CONFIDENCE,
  DEFAULT_QUALITY_TIE,
  type RoundSummary,
} from "./search.ts";
