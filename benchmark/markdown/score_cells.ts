/**
 * How a score reads in a table (pure, shared by `report.md` and `report.html`): up to three
 * decimals; a boolean key's mean as a pass rate.
 *
 * @module
 */
import type { ScoreSummary } from "../../evaluate/score_summary.ts";
import { formatNumber, formatShare } from "../../report/format.ts";

/**
 * A score for a table: up to three decimals; `–` for none.
 *
 * @param value The score, or null.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import { formatScore } from "./score_cells.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatScore(0.81234), "0.812");
 * assert.equal(formatScore(null), "–");
 * ```
 */
export function formatScore(value: number | null): string {
  return value === null ? "–" : formatNumber(Number(value.toFixed(3)));
}

/**
 * A key's estimate: the mean, or for a boolean key its pass rate as a percentage.
 *
 * @param summary The key's summary.
 * @returns The text, e.g. `0.812` or `85.7% pass`.
 *
 * @example Usage
 * ```ts
 * import { formatScoreMean } from "./score_cells.ts";
 * import type { ScoreSummary } from "../../evaluate/score_summary.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatScoreMean({ kind: "boolean", mean: 6 / 7 } as ScoreSummary), "85.7% pass");
 * ```
 */
export function formatScoreMean(summary: ScoreSummary): string {
  if (summary.mean === null) return "–";
  return summary.kind === "boolean"
    ? `${formatShare(summary.mean)} pass`
    : formatScore(summary.mean);
}

/**
 * A key's 95% interval, in the unit of its estimate.
 *
 * @param summary The key's summary.
 * @returns The text, e.g. `0.74 … 0.88`.
 *
 * @example Usage
 * ```ts
 * import { formatScoreInterval } from "./score_cells.ts";
 * import type { ScoreSummary } from "../../evaluate/score_summary.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatScoreInterval({ kind: "number", low: 0.7, high: 0.9 } as ScoreSummary), "0.7 … 0.9");
 * ```
 */
export function formatScoreInterval(summary: ScoreSummary): string {
  if (summary.low === null || summary.high === null) return "–";
  const show = summary.kind === "boolean" ? formatShare : formatScore;
  return `${show(summary.low)} … ${show(summary.high)}`;
}
