/**
 * A history of benchmarks: cost per run and p95 wall time of each (label, commit, date), as a
 * Markdown table with a text chart that reads anywhere, and as an SVG chart for HTML.
 *
 * @module
 */
import { aggregateRuns } from "../benchmark/result/aggregate_runs.ts";
import { formatMs, formatUsd } from "../report/format.ts";
import { escapeMarkdown } from "../report/performance_section.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { historySpec } from "./html/_chart_specs.ts";
import { renderSvg } from "./html/_vega.ts";

/** One benchmark in a history: when it ran and what it cost. */
export interface HistoryPoint {
  /** Its label (or id). */
  label: string;
  /** The git commit, or null. */
  commit: string | null;
  /** When it ran (ISO 8601). */
  date: string;
  /** Cost per successful run in US dollars, or null when unpriced or no run succeeded. */
  costPerRunUsd: number | null;
  /** p95 wall time of the successful runs, milliseconds. */
  p95Ms: number;
  /** Each evaluator key's mean score over the successful runs (null: none scored). */
  quality?: Readonly<Record<string, number | null>>;
}

/**
 * The history point of a benchmark, from its runs.
 *
 * @param runs The benchmark's runs.
 * @param about Its label, commit and date.
 * @returns The point.
 *
 * @example Usage
 * ```ts
 * import { historyPointOf } from "./history_points.ts";
 * import assert from "node:assert/strict";
 *
 * const point = historyPointOf([], { label: "main", commit: null, date: "2026-11-27" });
 * assert.equal(point.costPerRunUsd, null);
 * ```
 */
export function historyPointOf(
  runs: readonly RunRecord[],
  about: { label: string; commit: string | null; date: string },
): HistoryPoint {
  const aggregates = aggregateRuns(runs);
  return {
    ...about,
    costPerRunUsd: aggregates.costPerRunUsd,
    p95Ms: aggregates.wallTimeP95Ms,
    quality: Object.fromEntries(aggregates.scores.map((s) => [s.key, s.mean])),
  };
}

const BAR_WIDTH = 24;

function bar(value: number | null, max: number): string {
  if (value === null || max <= 0) return "";
  const eighths = Math.round((value / max) * BAR_WIDTH * 8);
  return "█".repeat(Math.floor(eighths / 8)) + (eighths % 8 ? "▏▎▍▌▋▊▉"[(eighths % 8) - 1] : "");
}

/**
 * Formats a history as Markdown: one row per benchmark, oldest first, with bars of cost per run
 * and p95 wall time drawn in text (so the chart shows in a terminal and in any Markdown viewer),
 * and each evaluator key's mean score (at most four keys).
 *
 * @param points The benchmarks, in any order (sorted by date here).
 * @returns The Markdown.
 *
 * @example Usage
 * ```ts
 * import { formatHistoryMarkdown } from "./history_points.ts";
 * import assert from "node:assert/strict";
 *
 * const markdown = formatHistoryMarkdown([
 *   { label: "b", commit: "bbbbbbbbb", date: "2026-11-02", costPerRunUsd: 0.02, p95Ms: 900 },
 *   { label: "a", commit: null, date: "2026-11-01", costPerRunUsd: 0.01, p95Ms: 1200 },
 * ]);
 * assert.match(markdown, /\| 1 \| a \| – \| 2026-11-01 \| \$0\.01 \| `█{12}` \| 1,200 ms \| `█{24}` \|/);
 * assert.match(markdown, /\| 2 \| b \| bbbbbbb \|/);
 * ```
 */
export function formatHistoryMarkdown(points: readonly HistoryPoint[]): string {
  const sorted = [...points].sort((a, b) => a.date.localeCompare(b.date));
  const maxCost = Math.max(0, ...sorted.map((p) => p.costPerRunUsd ?? 0));
  const maxP95 = Math.max(0, ...sorted.map((p) => p.p95Ms));
  const keys = [...new Set(sorted.flatMap((p) => Object.keys(p.quality ?? {})))].slice(0, 4);
  const score = (p: HistoryPoint, key: string) => {
    const mean = p.quality?.[key];
    return mean === undefined || mean === null ? "–" : mean.toFixed(3);
  };
  const lines = [
    "| # | Benchmark | Commit | Date | Cost per run | | p95 wall time | |" +
    keys.map((key) => ` ${escapeMarkdown(key)} |`).join(""),
    "| --- | --- | --- | --- | --- | --- | --- | --- |" + keys.map(() => " --- |").join(""),
    ...sorted.map((p, index) =>
      `| ${index + 1} | ${escapeMarkdown(p.label)} | ${
        p.commit ? escapeMarkdown(p.commit.slice(0, 7)) : "–"
      } | ${p.date.replace(/[^\dT:.Z+-]/g, "")} | ${formatUsd(p.costPerRunUsd)} | \`${
        bar(p.costPerRunUsd, maxCost)
      }\` | ${formatMs(p.p95Ms)} | \`${bar(p.p95Ms, maxP95)}\` |` +
      keys.map((key) => ` ${score(p, key)} |`).join("")
    ),
  ];
  return lines.join("\n") + "\n";
}

/**
 * Draws a history as an SVG chart (cost per run and p95 wall time, oldest first), for HTML.
 *
 * @param points The benchmarks, in any order (sorted by date here).
 * @returns The `<svg>` markup.
 *
 * @example Usage
 * ```ts
 * import { historyChartSvg } from "./history_points.ts";
 * import assert from "node:assert/strict";
 *
 * const svg = await historyChartSvg([
 *   { label: "<b>", commit: null, date: "2026-11-01", costPerRunUsd: 0.01, p95Ms: 1200 },
 * ]);
 * assert.match(svg, /^<svg/);
 * assert.match(svg, /1\. &lt;b&gt;/);
 * ```
 */
export async function historyChartSvg(points: readonly HistoryPoint[]): Promise<string> {
  const sorted = [...points].sort((a, b) => a.date.localeCompare(b.date));
  return await renderSvg(historySpec(sorted));
}
