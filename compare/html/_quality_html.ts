/**
 * `report.html`'s quality section: each evaluator key's mean with its 95% interval (the pass rate
 * of a boolean key), on how many runs it was scored, its evaluator errors and worst-scored
 * inputs, cost per passing run and what the evaluators' own calls cost. Every name is escaped.
 *
 * @module
 */
import type { BenchmarkAggregates } from "../../benchmark/result/benchmark_aggregates.ts";
import {
  formatScore,
  formatScoreInterval,
  formatScoreMean,
} from "../../benchmark/markdown/score_cells.ts";
import { formatCount, formatPartialCost, formatUsd } from "../../report/format.ts";
import { escapeHtml as escape, htmlTable as table } from "./page.ts";

/**
 * The quality section's HTML; empty when no run was scored.
 *
 * @param a The benchmark's aggregates.
 * @returns The HTML.
 */
export function qualityHtml(a: BenchmarkAggregates): string {
  if (a.scores.length === 0) return "";
  const rows = a.scores.map((s) => [
    escape(s.key),
    `${formatCount(s.scoredRuns)} of ${formatCount(s.evaluatedRuns)}`,
    formatScoreMean(s),
    formatScoreInterval(s),
    formatCount(s.errorRuns),
    s.worst.slice(0, 3).filter((w) => s.max !== null && w.score < s.max)
      .map((w) => `${escape(w.inputId)}#${w.repeat} (${formatScore(w.score)})`).join(", ") || "–",
  ]);
  const errors = a.scores.flatMap((s) =>
    s.errors.map((e) => [escape(s.key), `${escape(e.inputId)}#${e.repeat}`, escape(e.error)])
  );
  const passing = a.passing === null
    ? ""
    : `<p><b>Cost per passing run:</b> ${
      formatUsd(a.passing.costPerPassingRunUsd)
    } (${a.passing.passingRuns} of ${a.passing.evaluatedRuns} runs pass ${
      a.passing.rules.map((rule) => `<code>${escape(rule)}</code>`).join(" and ")
    }; the pipeline's cost of every judged run over the passing ones).</p>`;
  const evaluation = a.evaluation === null || a.evaluation.llmCalls === 0
    ? ""
    : `<p><b>Evaluation cost</b> (the evaluators' own LLM calls, apart from the cost per run ` +
      `above): ${formatCount(a.evaluation.llmCalls)} calls, ${
        formatPartialCost(a.evaluation.costUsd, a.evaluation.unpricedCalls)
      } in all, ${formatUsd(a.evaluation.costPerRunUsd)} per evaluated run.</p>`;
  return `<h2>Quality</h2>
<p>The evaluators' scores over the successful runs: the mean with its 95% interval (Student's t;
for a key scored true or false, the pass rate with Wilson's interval). Higher is better.</p>
${
    table(
      ["Key", "Scored runs", "Mean (pass rate)", "95% interval", "Errors", "Worst-scored runs"],
      rows,
    )
  }
${passing}${evaluation}${
    errors.length === 0
      ? ""
      : `<h3>Evaluator errors (the runs stayed ok)</h3>${table(["Key", "Run", "Error"], errors)}`
  }`;
}
