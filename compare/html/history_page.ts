/**
 * The history as one HTML page (`history --html`): the chart of cost per run and p95 wall time
 * over time, then a table of the benchmarks, in the one page shell.
 *
 * @module
 */
import { formatMs, formatUsd } from "../../report/format.ts";
import { historyChartSvg, type HistoryPoint } from "../history_points.ts";
import { escapeHtml, htmlPage, htmlTable } from "./page.ts";

/** A benchmark in the history page: its point, and its id and runs for the table. */
export interface HistoryPageRow extends HistoryPoint {
  /** Its id in the results store. */
  id: string;
  /** The runs stored. */
  runs: number;
  /** The runs planned. */
  plannedRuns: number;
}

/**
 * The history as one self-contained HTML page; every name is escaped.
 *
 * @param rows The benchmarks, oldest first.
 * @param store The results store's path, for the heading.
 * @returns The HTML document.
 *
 * @example Usage
 * ```ts
 * import { formatHistoryPage } from "./history_page.ts";
 * import assert from "node:assert/strict";
 *
 * const html = await formatHistoryPage([], "<db>");
 * assert.match(html, /^<!doctype html>/);
 * assert.match(html, /<h1>graphmeter history: &lt;db&gt;<\/h1>/);
 * ```
 */
export async function formatHistoryPage(
  rows: readonly HistoryPageRow[],
  store: string,
): Promise<string> {
  const chart = rows.length === 0 ? "<p>No benchmarks yet.</p>" : await historyChartSvg(rows);
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row.quality ?? {})))].slice(0, 4);
  const cells = rows.map((row, index) =>
    [
      String(index + 1),
      row.label,
      row.id,
      row.commit ?? "–",
      row.date,
      `${row.runs}/${row.plannedRuns}`,
      formatUsd(row.costPerRunUsd),
      formatMs(row.p95Ms),
      ...keys.map((key) => row.quality?.[key]?.toFixed(3) ?? "–"),
    ].map(escapeHtml)
  );
  const header = [
    "#",
    "Benchmark",
    "Id",
    "Commit",
    "Started",
    "Runs",
    "Cost/run",
    "p95",
    ...keys.map(escapeHtml),
  ];
  return htmlPage({
    title: `graphmeter history: ${store}`,
    heading: `graphmeter history: ${store}`,
    body: `<p>Cost per successful run, p95 wall time and each evaluator key's mean score of each
benchmark, oldest first.</p>
<figure>${chart}</figure>
${htmlTable(header, cells, "text")}`,
  });
}
