/**
 * The report's quality section: each evaluator key's mean with its 95% interval (the pass rate
 * of a boolean key), on how many runs it was scored, cost per passing run, the worst-scored runs,
 * every evaluator error by key and input, what the evaluators' own calls cost (apart from the
 * pipeline's), and the quality function's measures. Private to the package.
 *
 * @module
 */
import type { BenchmarkAggregates, QualitySummary } from "../result/benchmark_aggregates.ts";
import type { ScoreSummary } from "../../evaluate/score_summary.ts";
import type { EvaluationCostSummary } from "../../evaluate/evaluation_cost.ts";
import type { PassingSummary } from "../../evaluate/passing.ts";
import { formatCount, formatNumber, formatPartialCost, formatUsd } from "../../report/format.ts";
import { escapeMarkdown } from "../../report/performance_section.ts";
import { formatScore as score, formatScoreInterval, formatScoreMean } from "./score_cells.ts";

const cell = escapeMarkdown;

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n") + "\n";
}

function scoresTable(scores: readonly ScoreSummary[]): string {
  const rows = scores.map((s) => [
    cell(s.key),
    `${formatCount(s.scoredRuns)} of ${formatCount(s.evaluatedRuns)}`,
    formatScoreMean(s),
    formatScoreInterval(s),
    score(s.min),
    score(s.max),
    formatCount(s.errorRuns),
  ]);
  return table(
    ["Key", "Scored runs", "Mean (pass rate)", "95% interval", "Min", "Max", "Errors"],
    rows,
  );
}

function passingText(passing: PassingSummary | null): string {
  if (passing === null) return "";
  const rules = passing.rules.map((rule) => `\`${rule.replace(/`/g, "'")}\``).join(" and ");
  return `\n**Cost per passing run:** ${formatUsd(passing.costPerPassingRunUsd)} — ` +
    `${formatCount(passing.passingRuns)} of ${formatCount(passing.evaluatedRuns)} runs pass ` +
    `(${rules}; a run without a score for a rule's key does not pass); the pipeline's cost of ` +
    "every judged run, divided by the passing ones.\n";
}

function worstTable(scores: readonly ScoreSummary[]): string {
  // Only scores below the key's best: when every run scored the same, none is worst.
  const rows = scores.flatMap((s) =>
    s.worst.slice(0, 3).filter((w) => s.max !== null && w.score < s.max).map((w) => [
      cell(s.key),
      cell(w.inputId),
      String(w.repeat),
      score(w.score),
      cell((w.comment ?? "").slice(0, 160)),
    ])
  );
  if (rows.length === 0) return "";
  return "\n### Worst-scored runs\n\nThe three lowest scores of each key (below its best).\n\n" +
    table(["Key", "Input", "Repeat", "Score", "Comment"], rows);
}

function errorsTable(scores: readonly ScoreSummary[]): string {
  const failing = scores.filter((s) => s.errorRuns > 0);
  if (failing.length === 0) return "";
  const count = failing.reduce((sum, s) => sum + s.errorRuns, 0);
  const rows = failing.flatMap((s) =>
    s.errors.map((e) => [cell(s.key), cell(e.inputId), String(e.repeat), cell(e.error)])
  );
  const listed = rows.length < count ? ` (the first ${rows.length} listed; all in the store)` : "";
  return `\n### Evaluator errors\n\n${formatCount(count)} score(s) could not be taken${listed}: ` +
    "the evaluator threw, timed out or returned a malformed result. Their runs stayed ok and " +
    "count everywhere else.\n\n" + table(["Key", "Input", "Repeat", "Error"], rows);
}

function evaluationCostText(evaluation: EvaluationCostSummary | null): string {
  if (evaluation === null) return "";
  if (evaluation.llmCalls === 0) {
    return "\nThe evaluators made no LLM call: evaluating cost nothing.\n";
  }
  const rows = evaluation.evaluators.map((e) => [
    cell(e.evaluator),
    formatCount(e.llmCalls),
    formatCount(e.inputTokens),
    formatCount(e.outputTokens),
    formatPartialCost(e.costUsd, e.unpricedCalls),
  ]);
  return "\n### Evaluation cost\n\nThe evaluators' own LLM calls (an LLM-as-judge's), metered " +
    "apart: not in the stages or the cost per run above. " +
    `${formatCount(evaluation.llmCalls)} calls, ` +
    `${formatPartialCost(evaluation.costUsd, evaluation.unpricedCalls)} in all, ` +
    `${formatUsd(evaluation.costPerRunUsd)} per evaluated run.\n\n` +
    table(["Evaluator", "Calls", "Input tokens", "Output tokens", "Cost"], rows);
}

function measuresTable(summary: readonly QualitySummary[]): string {
  // Means, never totals: a sum of per-run ratios or shares means nothing.
  const rows = summary.map((q) => [
    cell(q.name),
    formatCount(q.runs),
    formatNumber(q.mean),
    formatNumber(q.min),
    formatNumber(q.max),
  ]);
  return table(["Measure", "Runs", "Mean / run", "Min", "Max"], rows);
}

/**
 * The quality section of a benchmark's report; empty without scores or measures.
 *
 * @param a The benchmark's aggregates.
 * @returns The Markdown.
 */
export function qualitySection(a: BenchmarkAggregates): string {
  const measures = a.quality;
  if (a.scores.length === 0) {
    if (measures.length === 0) return "";
    return "\n## Quality\n\nFrom the benchmark's quality function, per run, over the " +
      "successful runs.\n\n" + measuresTable(measures);
  }
  const evaluated = a.scores[0].evaluatedRuns;
  let text = `\n## Quality\n\nThe evaluators' scores over ${formatCount(evaluated)} evaluated ` +
    "run(s) (the successful ones), by key: the mean with its 95% interval (Student's t; for a " +
    "key scored true or false, the pass rate with Wilson's interval). Higher is better.\n\n" +
    scoresTable(a.scores) + passingText(a.passing) + worstTable(a.scores) +
    errorsTable(a.scores) + evaluationCostText(a.evaluation);
  if (measures.length > 0) {
    text += "\n### Measures\n\nFrom the benchmark's quality function, per run, over the " +
      "successful runs.\n\n" + measuresTable(measures);
  }
  return text;
}
