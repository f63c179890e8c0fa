/**
 * "Where the money goes" in the benchmark report: each stage's cost per successful run split by
 * billed dimension (uncached and cached input, cache writes, output and its reasoning part,
 * audio, tool fees, multipliers), from the aggregates in `metrics.json`.
 *
 * @module
 */
import type { BenchmarkAggregates } from "../result/benchmark_aggregates.ts";
import { breakdownTotalUsd, type CostBreakdown } from "../../pricing/breakdown.ts";
import {
  COST_BREAKDOWN_COLUMNS,
  formatCostBreakdownCells,
} from "../../report/cost_breakdown_section.ts";
import { escapeMarkdown } from "../../report/performance_section.ts";
import { formatCount, formatUsd } from "../../report/format.ts";

/** A breakdown divided by a number of runs. */
function perRun(breakdown: CostBreakdown, runs: number): CostBreakdown {
  const entries = Object.entries(breakdown).map(([part, usd]) => [part, usd / runs]);
  return Object.fromEntries(entries) as unknown as CostBreakdown;
}

const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;

/**
 * The "Where the money goes" section: one row per stage that made LLM calls and a total row, in
 * US dollars per successful run; empty when no successful run made a call.
 *
 * @param a The benchmark's aggregates.
 * @returns The Markdown section, heading included, or "".
 */
export function moneySection(a: BenchmarkAggregates): string {
  const n = a.successfulRuns;
  if (n === 0 || a.llmCalls === 0) return "";
  const rows = [
    line(COST_BREAKDOWN_COLUMNS),
    line(COST_BREAKDOWN_COLUMNS.map((_, index) => index === 0 ? "---" : "---:")),
    ...a.stages.filter((s) => s.llmCalls > 0).map((s) =>
      line([escapeMarkdown(s.stage), ...formatCostBreakdownCells(perRun(s.costBreakdown, n))])
    ),
    line([
      "**Run (total)**",
      ...formatCostBreakdownCells(perRun(a.costBreakdown, n)).map((cell) => `**${cell}**`),
    ]),
  ];
  const notes: string[] = [];
  if (a.unpricedCalls > 0) {
    notes.push(`- ${formatCount(a.unpricedCalls)} unpriced call(s) are not in the figures.`);
  }
  if (a.partialCalls > 0) {
    notes.push(
      `- ${formatCount(a.partialCalls)} call(s) are **partially priced**: a dimension had no ` +
        "known rate or a count the integration did not report, and that part is not in the " +
        "figures (each call's `cost_missing_json` in the results store names it).",
    );
  }
  const breakdownPerRun = breakdownTotalUsd(a.costBreakdown) / n;
  const costPerRun = a.costPerRunUsd ?? 0;
  if (Math.abs(breakdownPerRun - costPerRun) > 1e-9 * Math.max(1, Math.abs(costPerRun))) {
    notes.push(
      `- The priced total (${formatUsd(breakdownPerRun)}) differs from the cost per run ` +
        `(${formatUsd(a.costPerRunUsd)}): calls priced by the provider's own reported cost ` +
        "(e.g. OpenRouter's `usage.cost`) are broken down as the catalog prices the same usage.",
    );
  }
  return "\n## Where the money goes\n\nCost per successful run by billed dimension, per stage " +
    "that made LLM calls; output includes reasoning (its share in parentheses); multipliers " +
    "are what service tiers and data residency added (or took off).\n\n" +
    rows.join("\n") + "\n" + (notes.length === 0 ? "" : `\n${notes.join("\n")}\n`);
}
