/**
 * The "By <key>" table of `report.html`: a benchmark's runs broken down by the `--group-by` key.
 *
 * @module
 */
import type { RunRecord } from "../../benchmark/run_record.ts";
import { groupRuns } from "../../benchmark/result/groups.ts";
import { formatCount, formatMs, formatNumber, formatUsd } from "../../report/format.ts";
import { escapeHtml, htmlTable } from "./page.ts";

/** Groups listed at most (the rest are in metrics.json). */
const MAX_GROUPS = 100;

/**
 * The section's HTML, or "" without a key.
 *
 * @param runs The benchmark's runs.
 * @param key The group-by key, if any.
 * @returns The HTML.
 *
 * @example Usage
 * ```ts
 * import { groupsTable } from "./_groups_table.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(groupsTable([], undefined), "");
 * assert.match(groupsTable([], "<split>"), /By &lt;split&gt;/);
 * ```
 */
export function groupsTable(runs: readonly RunRecord[], key: string | undefined): string {
  if (key === undefined) return "";
  const { groups } = groupRuns(runs, key);
  const measures = [...new Set(groups.flatMap((g) => Object.keys(g.quality)))];
  const rows = groups.slice(0, MAX_GROUPS).map((group) => [
    escapeHtml(group.value),
    formatCount(group.runs),
    formatCount(group.failedRuns),
    formatUsd(group.costPerRunUsd),
    formatUsd(group.costUsd),
    group.wallTimeP50Ms === null ? "–" : formatMs(group.wallTimeP50Ms),
    group.wallTimeP95Ms === null ? "–" : formatMs(group.wallTimeP95Ms),
    ...measures.map((m) => m in group.quality ? formatNumber(group.quality[m]) : "–"),
  ]);
  const more = groups.length > MAX_GROUPS
    ? `<p>${groups.length - MAX_GROUPS} more groups are in metrics.json.</p>`
    : "";
  return `<h2>By ${escapeHtml(key)}</h2>\n` + htmlTable(
    [
      escapeHtml(key),
      "Runs",
      "Failed",
      "Cost / run",
      "Total cost",
      "p50",
      "p95",
      ...measures.map((m) => `${escapeHtml(m)} (mean)`),
    ],
    rows,
  ) + more;
}
