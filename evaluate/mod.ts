/**
 * Evaluators and scores: the ecosystem's evaluator shape (`openevals`, LangSmith's JS
 * `evaluate()`), an adapter for Braintrust's `autoevals` scorers, and the pure summaries of a
 * benchmark's scores (means with 95% intervals, pass rates, cost per passing run, what the
 * evaluators' own calls cost). Nothing here loads LangChain or the benchmarker: an evaluator
 * module can import it freely. `runBenchmark({ evaluators })` (from `./benchmark`) runs them.
 *
 * @example An evaluator, an autoevals scorer, and a summary of their scores
 * ```ts
 * import { type Evaluator, fromAutoevals, readEvaluatorResults, summarizeScores } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const exactMatch: Evaluator = ({ outputs, referenceOutputs }) => ({
 *   key: "exact_match",
 *   score: outputs === referenceOutputs,
 * });
 * const length = fromAutoevals(({ output }) => ({ name: "short", score: String(output).length < 5 ? 1 : 0 }));
 * const runs = await Promise.all(["Lima", "Quito"].map(async (outputs, repeat) => ({
 *   inputId: "capital", repeat,
 *   scores: [
 *     ...readEvaluatorResults(await exactMatch({ inputs: "Peru?", outputs, referenceOutputs: "Lima" }), "exactMatch"),
 *     ...readEvaluatorResults(await length({ inputs: "Peru?", outputs }), "short"),
 *   ],
 * })));
 * const [exact, short] = summarizeScores(runs);
 * assert.equal(exact.mean, 0.5); // a pass rate: the key is boolean
 * assert.equal(exact.kind, "boolean");
 * assert.equal(short.mean, 0.5);
 * ```
 *
 * @module
 */
export {
  type BenchmarkEvaluator,
  DEFAULT_EVALUATOR_TIMEOUT_MS,
  type EvaluationResult,
  type Evaluator,
  type EvaluatorArgs,
  evaluatorName,
  type EvaluatorReturn,
  type NamedEvaluator,
} from "./evaluator.ts";
export {
  type AutoevalsArgs,
  type AutoevalsScore,
  type AutoevalsScorer,
  fromAutoevals,
  type FromAutoevalsOptions,
} from "./autoevals.ts";
export { errorScore, readEvaluatorResults } from "./read_results.ts";
export { EvaluationRecord, EvaluatorCost, type ScoreKind, ScoreRecord } from "./score_record.ts";
export {
  type ScoredRun,
  ScoreSummary,
  summarizeScores,
  SUMMARY_EXAMPLES,
} from "./score_summary.ts";
export {
  EvaluationCostSummary,
  type EvaluatorCostSummary,
  summarizeEvaluationCost,
} from "./evaluation_cost.ts";
export {
  formatPassRule,
  parsePassRules,
  PassingSummary,
  type PassRule,
  PassRuleError,
  passRulesFor,
  runPasses,
  summarizePassing,
} from "./passing.ts";
export { type Interval, meanInterval, passRateInterval } from "./interval.ts";
// The metric types the records hold (the same as the root's).
export type * from "../telemetry/metric_types.ts";
