/**
 * "Where the money goes": a Markdown table of each stage's cost by billed dimension (uncached
 * input, cached input, cache writes, output and its reasoning part, audio, tool fees,
 * multipliers) and a total row, with a note on partial prices.
 *
 * @module
 */
import type { PipelineMetrics, StageTotals } from "../telemetry/metrics.ts";
import { breakdownTotalUsd, type CostBreakdown } from "../pricing/breakdown.ts";
import { escapeMarkdown } from "./performance_section.ts";
import { formatUsd } from "./format.ts";

/** The columns of the table, in order. */
export const COST_BREAKDOWN_COLUMNS: readonly string[] = [
  "Stage",
  "Uncached input",
  "Cached input",
  "Cache writes 5m",
  "Cache writes 1h",
  "Output (of which reasoning)",
  "Audio",
  "Tool fees",
  "Multipliers",
  "Priced total",
];

/**
 * The cells of one row of the breakdown table (every column but the stage), from a breakdown.
 *
 * @param b The breakdown, US dollars.
 * @returns The formatted cells, in {@linkcode COST_BREAKDOWN_COLUMNS} order after "Stage".
 *
 * @example Usage
 * ```ts
 * import { formatCostBreakdownCells } from "./cost_breakdown_section.ts";
 * import { emptyBreakdown } from "../pricing/breakdown.ts";
 * import assert from "node:assert/strict";
 *
 * const cells = formatCostBreakdownCells({ ...emptyBreakdown(), outputUsd: 2, reasoningUsd: 1 });
 * assert.equal(cells.length, 9);
 * assert.equal(cells[4], "$2.00 ($1.00)");
 * ```
 */
export function formatCostBreakdownCells(b: CostBreakdown): string[] {
  return [
    formatUsd(b.uncachedInputUsd),
    formatUsd(b.cachedInputUsd),
    formatUsd(b.cacheWrite5mUsd),
    formatUsd(b.cacheWrite1hUsd),
    `${formatUsd(b.outputUsd)} (${formatUsd(b.reasoningUsd)})`,
    formatUsd(b.audioUsd),
    formatUsd(b.toolFeesUsd),
    formatUsd(b.multiplierUsd),
    formatUsd(breakdownTotalUsd(b)),
  ];
}

const cells = (totals: StageTotals): string[] => formatCostBreakdownCells(totals.costBreakdown);

/** The suffix of a `costMissing` entry whose count the integration did not report. */
const UNREPORTED = ":unreported";

const row = (values: readonly string[]): string => `| ${values.join(" | ")} |`;

/**
 * Renders where a run's money goes, stage by stage. Provider-reported totals (OpenRouter) and
 * unpriced calls are outside the breakdown; calls with a dimension of unknown rate are named.
 *
 * @param metrics The run's (or runs') metrics.
 * @returns The Markdown section (no heading).
 *
 * @example Usage
 * ```ts
 * import { writeCostBreakdownSection } from "./cost_breakdown_section.ts";
 * import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
 * import assert from "node:assert/strict";
 *
 * const markdown = writeCostBreakdownSection(new PerformanceCallbackHandler().metrics);
 * assert.match(markdown, /^\| Stage \| Uncached input \|/);
 * ```
 */
export function writeCostBreakdownSection(metrics: PipelineMetrics): string {
  const lines = [
    row(COST_BREAKDOWN_COLUMNS),
    row(COST_BREAKDOWN_COLUMNS.map((_, index) => index === 0 ? "---" : "---:")),
  ];
  for (const stage of Object.values(metrics.stages)) {
    lines.push(row([escapeMarkdown(stage.name), ...cells(stage)]));
  }
  lines.push(row(["**Total**", ...cells(metrics.totals).map((cell) => `**${cell}**`)]));
  const partial = metrics.calls.filter((call) => call.costMissing.length > 0);
  if (partial.length > 0 || metrics.totals.partialCalls > 0) {
    const parts = [...new Set(partial.flatMap((call) => call.costMissing))];
    const unreported = parts.filter((part) => part.endsWith(UNREPORTED))
      .map((part) => part.slice(0, -UNREPORTED.length));
    const unknownRate = parts.filter((part) => !part.endsWith(UNREPORTED));
    const reasons = [
      ...(unknownRate.length > 0 ? [`no known rate for ${unknownRate.join(", ")}`] : []),
      ...(unreported.length > 0 ? [`the integration did not report ${unreported.join(", ")}`] : []),
    ];
    lines.push("");
    lines.push(
      `- ${metrics.totals.partialCalls} call(s) are **partially priced**: ` +
        `${reasons.join("; ") || "no known rate for some dimensions"}; those parts are not in ` +
        "the figures above.",
    );
  }
  const notes = metrics.pricing.notes ?? [];
  if (notes.length > 0 && lines.at(-1)?.startsWith("|")) lines.push("");
  for (const note of notes) lines.push(`- ${note.replace(/\r?\n/g, " ")}`);
  const provider = metrics.calls.filter((call) => call.costSource === "provider").length;
  if (provider > 0) {
    lines.push(
      `- ${provider} call(s) were priced by the provider's own reported cost; their breakdown ` +
        `is the catalog's view of the same usage.`,
    );
  }
  return lines.join("\n") + "\n";
}
