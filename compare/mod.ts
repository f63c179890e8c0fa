/**
 * Decide with evidence: compare two benchmarks per stage with bootstrap confidence intervals and
 * verdicts, gate a pull request on them, reprice recorded tokens at other models' rates, chart a
 * history, and write a self-contained `report.html`.
 *
 * @example Compare two benchmarks and gate on cost
 * ```ts
 * import { checkGate, compareBenchmarks, formatComparisonMarkdown, parseGateRules } from "./mod.ts";
 * import type { RunRecord } from "../benchmark/run_record.ts";
 * import assert from "node:assert/strict";
 *
 * const run = (inputId: string, costUsd: number) => ({
 *   inputId, repeat: 0, error: null,
 *   metrics: {
 *     status: "ok", wallTimeMs: 100, stages: {},
 *     totals: { costUsd, inputTokens: 10, outputTokens: 5, llmCalls: 1, errors: 0 },
 *   },
 * }) as unknown as RunRecord;
 * const comparison = compareBenchmarks(
 *   [run("a", 1), run("b", 2), run("c", 3)],
 *   [run("a", 1.5), run("b", 3), run("c", 4.5)],
 * );
 * const gate = checkGate(comparison, parseGateRules("cost:+5%"));
 * assert.equal(gate[0].failed, true);
 * assert.match(formatComparisonMarkdown(comparison, gate), /FAILED `cost:\+5%`/);
 * ```
 *
 * @module
 */
export {
  type BenchmarkSide,
  compareBenchmarks,
  type CompareOptions,
  Comparison,
  type ComparisonTiming,
  type FigureComparison,
  type Pairing,
  type ScopeComparison,
  type SideWindow,
  type Verdict,
} from "./compare_benchmarks.ts";
export { formatComparisonMarkdown, formatGate } from "./compare_markdown.ts";
export {
  compareQuality,
  QUALITY_MINIMUM_RUNS,
  type QualityComparison,
  type QualityVerdict,
} from "./quality_comparison.ts";
export { type Figure, FIGURES } from "./figures.ts";
export {
  checkGate,
  type GateResult,
  type GateRule,
  GateRuleError,
  parseGateRules,
} from "./gate.ts";
export {
  formatHistoryMarkdown,
  historyChartSvg,
  type HistoryPoint,
  historyPointOf,
} from "./history_points.ts";
export { type HtmlReportMeta, writeHtmlReport } from "./html/html_report.ts";
export { formatHistoryPage, type HistoryPageRow } from "./html/history_page.ts";
export {
  type CandidatePrice,
  type ModelRef,
  parseModelRef,
  type Reprice,
  repriceBenchmark,
  type RepriceOptions,
  type StageReprice,
} from "./reprice_benchmark.ts";
export { formatRepriceMarkdown, qualityNotMeasured } from "./reprice_markdown.ts";
export type { Statistic } from "./_bootstrap.ts";
export type { QualityRecord, RunRecord } from "../benchmark/run_record.ts";
export type {
  EvaluationRecord,
  EvaluatorCost,
  ScoreKind,
  ScoreRecord,
} from "../evaluate/score_record.ts";
// The metric types a run record holds (the same as the root's).
export type * from "../telemetry/metric_types.ts";
export type { ModelPrice, PriceOverrides } from "../pricing/overrides.ts";
