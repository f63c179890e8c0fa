/**
 * The quality rows of a comparison in Markdown: one row per evaluator key (a boolean key's means
 * as pass rates), its delta, the 95% interval and the verdict. Keys are escaped.
 *
 * @module
 */
import { formatCount, formatShare } from "../report/format.ts";
import { escapeMarkdown } from "../report/performance_section.ts";
import { formatScore } from "../benchmark/markdown/score_cells.ts";
import { QUALITY_MINIMUM_RUNS, type QualityComparison } from "./quality_comparison.ts";

/**
 * A key's score in its unit: a pass rate for a boolean key, else the score.
 *
 * @param value The value, or null.
 * @param kind The key's kind.
 * @returns The text; `–` for null.
 */
export function formatQualityValue(value: number | null, kind: QualityComparison["kind"]): string {
  if (value === null) return "–";
  return kind === "boolean" ? formatShare(value) : formatScore(value);
}

function signedQuality(value: number, kind: QualityComparison["kind"]): string {
  const sign = value > 0 ? "+" : value < 0 ? "−" : "±";
  return kind === "boolean"
    ? `${sign}${(Math.abs(value) * 100).toFixed(1)} pts`
    : `${sign}${formatScore(Math.abs(value))}`;
}

/**
 * A key's change: the delta in its unit (percentage points for a pass rate) and relative.
 *
 * @param q The key compared.
 * @returns The text, e.g. `−0.12 −14.6%`.
 */
export function qualityDeltaCell(q: QualityComparison): string {
  if (q.delta === null) return "–";
  if (q.delta === 0) return "±0";
  const relative = q.relativeDelta === null
    ? ""
    : ` ${q.relativeDelta > 0 ? "+" : "−"}${(Math.abs(q.relativeDelta) * 100).toFixed(1)}%`;
  return `${signedQuality(q.delta, q.kind)}${relative}`;
}

/**
 * A key's 95% interval of the change.
 *
 * @param q The key compared.
 * @returns The text, e.g. `−0.2 … −0.05`.
 */
export function qualityIntervalCell(q: QualityComparison): string {
  if (q.interval === null) return "–";
  if (q.interval[0] === 0 && q.interval[1] === 0) return "±0";
  return `${signedQuality(q.interval[0], q.kind)} … ${signedQuality(q.interval[1], q.kind)}`;
}

/**
 * A key's verdict, bold when it changed.
 *
 * @param q The key compared.
 * @returns The text.
 */
export function qualityVerdictCell(q: QualityComparison): string {
  if (q.verdict === "regressed") return "**regressed**";
  if (q.verdict === "improved") return "**improved**";
  if (q.verdict === "too few runs") {
    return `too few runs (needs ${QUALITY_MINIMUM_RUNS} scored a side)`;
  }
  return q.verdict;
}

/**
 * The quality section of a comparison; empty when neither side was scored.
 *
 * @param quality The keys compared.
 * @returns The Markdown lines.
 */
export function qualityLines(quality: readonly QualityComparison[]): string[] {
  if (quality.length === 0) return [];
  const header = ["Key", "Baseline", "Candidate", "Δ", "95% CI", "Verdict", "Scored runs"];
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    "### Quality",
    "",
    "Each evaluator key's mean score (the pass rate of a key scored true or false) over the " +
    "successful runs; runs paired by input; higher is better, so a lower score is a regression.",
    "",
    row(header),
    row(header.map(() => "---")),
    ...quality.map((q) =>
      row([
        escapeMarkdown(q.key),
        formatQualityValue(q.baseline, q.kind),
        formatQualityValue(q.candidate, q.kind),
        qualityDeltaCell(q),
        qualityIntervalCell(q),
        qualityVerdictCell(q),
        `${formatCount(q.baselineScored)} / ${formatCount(q.candidateScored)}`,
      ])
    ),
    "",
  ];
}

/**
 * The keys that changed significantly, for the comparison's summary line.
 *
 * @param quality The keys compared.
 * @returns One phrase per changed key, e.g. `quality topic_recall regressed −14.6%`.
 */
export function qualityChanges(quality: readonly QualityComparison[]): string[] {
  return quality.filter((q) => q.verdict === "regressed" || q.verdict === "improved")
    .map((q) => `quality ${escapeMarkdown(q.key)} ${q.verdict} ${qualityDeltaCell(q)}`);
}
