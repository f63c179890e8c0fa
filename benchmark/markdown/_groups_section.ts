/**
 * The "By <key>" section of `report.md`: the runs broken down by the `--group-by` key, one row
 * per group (cost, latency, quality), from `metrics.json`'s `groups`.
 *
 * @module
 */
import type { GroupBreakdown } from "../result/benchmark_result.ts";
import { formatCount, formatMs, formatNumber, formatUsd } from "../../report/format.ts";
import { escapeMarkdown } from "../../report/performance_section.ts";

/** Groups listed at most (a key with a value per user has many; metrics.json has them all). */
const MAX_GROUPS = 100;

/**
 * The section, or "" without a breakdown.
 *
 * @param breakdown The groups, or null.
 * @returns The Markdown text.
 *
 * @example Usage
 * ```ts
 * import { groupsSection } from "./_groups_section.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(groupsSection(null), "");
 * assert.match(groupsSection({ key: "split", groups: [] }), /## By split/);
 * ```
 */
export function groupsSection(breakdown: GroupBreakdown | null | undefined): string {
  if (!breakdown) return "";
  const measures = [...new Set(breakdown.groups.flatMap((g) => Object.keys(g.quality)))];
  const head = [
    escapeMarkdown(breakdown.key),
    "Runs",
    "Failed",
    "Cost / run",
    "Total cost",
    "p50 wall time",
    "p95 wall time",
    ...measures.map((measure) => `${escapeMarkdown(measure)} (mean)`),
  ];
  const rows = breakdown.groups.slice(0, MAX_GROUPS).map((group) => [
    escapeMarkdown(group.value),
    formatCount(group.runs),
    formatCount(group.failedRuns),
    formatUsd(group.costPerRunUsd),
    formatUsd(group.costUsd),
    group.wallTimeP50Ms === null ? "–" : formatMs(group.wallTimeP50Ms),
    group.wallTimeP95Ms === null ? "–" : formatMs(group.wallTimeP95Ms),
    ...measures.map((m) => m in group.quality ? formatNumber(group.quality[m]) : "–"),
  ]);
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const more = breakdown.groups.length > MAX_GROUPS
    ? `\n${breakdown.groups.length - MAX_GROUPS} more groups are in metrics.json.\n`
    : "";
  return `\n## By ${escapeMarkdown(breakdown.key)}\n\nThe runs grouped by their \`${
    breakdown.key.replace(/`/g, "'")
  }\` (the input's metadata, else the run's attribution key); cost, wall time and quality of ` +
    "each group's successful runs.\n\n" +
    [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n") + "\n" + more;
}
