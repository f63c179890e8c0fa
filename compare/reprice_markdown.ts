/**
 * A repricing as Markdown: the per-stage table before and after, the cheapest mix, and the plain
 * statement that it is an estimate. Names (stages, models, label) are escaped.
 *
 * @module
 */
import { formatCount, formatUsd } from "../report/format.ts";
import { escapeMarkdown } from "../report/performance_section.ts";
import { formatRelative } from "./compare_markdown.ts";
import type { Reprice } from "./reprice_benchmark.ts";

/** The statement every repricing carries. */
export const REPRICE_CAVEAT: string =
  "**This is an estimate.** It prices the tokens this benchmark recorded at other models' " +
  "rates, keeping the recorded shares of cached input and reasoning. Tokenizers and answer " +
  "lengths differ between models, so the same prompts on another model count other tokens and " +
  "get answers of other lengths: confirm a choice with a real benchmark on that model.";

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

/**
 * The plain statement that a repricing measured no quality, with what the benchmark did measure
 * and the command that would measure the candidates.
 *
 * @param reprice The repricing.
 * @param measureCommand The command that benchmarks the cheapest mix, or null.
 * @returns The paragraph.
 *
 * @example Usage
 * ```ts
 * import { qualityNotMeasured } from "./reprice_markdown.ts";
 * import assert from "node:assert/strict";
 *
 * const text = qualityNotMeasured(
 *   { quality: [{ key: "correct", mean: 0.9, scoredRuns: 10 }] } as never,
 *   "deno task bench --model a=simulated:gpt-4.1-nano",
 * );
 * assert.ok(text.startsWith("**Quality was not measured for the candidates.**"));
 * assert.match(text, /`deno task bench --model a=simulated:gpt-4\.1-nano`/);
 * ```
 */
export function qualityNotMeasured(reprice: Reprice, measureCommand: string | null): string {
  const measured = (reprice.quality ?? []).filter((q) => q.mean !== null);
  const recorded = measured.length === 0
    ? "this benchmark ran no evaluator either"
    : `the recorded models scored ${
      measured.map((q) => `${escapeMarkdown(q.key)} ${q.mean!.toFixed(3)}`).join(", ")
    }`;
  const how = measureCommand === null
    ? "benchmark the candidates with your evaluators and compare the two benchmarks."
    : `measure it, run \`${measureCommand.replace(/`/g, "'")}\` (it compares with this ` +
      "benchmark when done).";
  return "**Quality was not measured for the candidates.** Repricing prices the tokens the " +
    `recorded models produced; it cannot say whether a cheaper model still does the job (${recorded}). To ` +
    how;
}

/**
 * Formats a repricing as Markdown.
 *
 * @param reprice The repricing.
 * @param label The benchmark's name.
 * @param measureCommand The command that would measure the cheapest mix's quality, or null.
 * @returns The Markdown.
 *
 * @example Usage
 * ```ts
 * import { formatRepriceMarkdown, REPRICE_CAVEAT } from "./reprice_markdown.ts";
 * import assert from "node:assert/strict";
 *
 * const markdown = formatRepriceMarkdown({
 *   runs: 1, method: "calls", stages: [], recordedCostPerRunUsd: 0, cheapestMix: {},
 *   cheapestMixCostPerRunUsd: 0,
 * }, "reports/today");
 * assert.ok(markdown.includes(REPRICE_CAVEAT));
 * ```
 */
export function formatRepriceMarkdown(
  reprice: Reprice,
  label: string,
  measureCommand: string | null = null,
): string {
  const columns = [...new Set(reprice.stages.flatMap((s) => s.candidates.map((c) => c.model)))];
  const header = [
    "Stage",
    "Recorded model",
    "Tokens per run (in / out)",
    "Cached in / reasoning",
    "Recorded $/run",
    ...columns.map((model) => `${escapeMarkdown(model)} $/run`),
    "Cheapest",
  ];
  const lines = [
    `## graphmeter reprice: ${escapeMarkdown(label)}`,
    "",
    REPRICE_CAVEAT,
    "",
    `${reprice.runs} runs; ${
      reprice.method === "calls"
        ? "each recorded call repriced on its own"
        : "stage totals repriced (no calls were stored; long-context tiers may be missed)"
    }.`,
    "",
    row(header),
    row(header.map(() => "---")),
  ];
  const columnTotals = columns.map(() => 0 as number | null);
  for (const stage of reprice.stages) {
    const t = stage.tokensPerRun;
    const cells = columns.map((model, index) => {
      const candidate = stage.candidates.find((c) => c.model === model);
      const cost = candidate === undefined ? stage.recordedCostPerRunUsd : candidate.costPerRunUsd;
      const total = columnTotals[index];
      columnTotals[index] = total === null || cost === null ? null : total + cost;
      if (candidate === undefined) return "–";
      const change = stage.recordedCostPerRunUsd === null || stage.recordedCostPerRunUsd === 0 ||
          cost === null
        ? ""
        : ` (${formatRelative(cost / stage.recordedCostPerRunUsd - 1)})`;
      return `${formatUsd(cost)}${change}`;
    });
    lines.push(row([
      escapeMarkdown(stage.stage),
      stage.recordedModels.map(escapeMarkdown).join(", ") || "–",
      `${formatCount(t.input)} / ${formatCount(t.output)}`,
      `${formatCount(t.cacheRead + t.cacheWrite)} / ${formatCount(t.reasoning)}`,
      formatUsd(stage.recordedCostPerRunUsd),
      ...cells,
      escapeMarkdown(stage.cheapest),
    ]));
  }
  lines.push(row([
    "**Total**",
    "",
    "",
    "",
    formatUsd(reprice.recordedCostPerRunUsd),
    ...columnTotals.map((total) => formatUsd(total)),
    formatUsd(reprice.cheapestMixCostPerRunUsd),
  ]));
  const mix = Object.entries(reprice.cheapestMix)
    .filter(([, choice]) => choice !== "recorded")
    .map(([stage, choice]) => `${escapeMarkdown(stage)} → ${escapeMarkdown(choice)}`);
  const saving = reprice.recordedCostPerRunUsd && reprice.cheapestMixCostPerRunUsd !== null
    ? ` (${formatRelative(reprice.cheapestMixCostPerRunUsd / reprice.recordedCostPerRunUsd - 1)})`
    : "";
  lines.push(
    "",
    mix.length === 0
      ? "**Cheapest mix:** the recorded models; no candidate is cheaper."
      : `**Cheapest mix:** ${mix.join(", ")}: ${
        formatUsd(reprice.cheapestMixCostPerRunUsd)
      } per run${saving}, other stages as recorded.`,
    "",
    qualityNotMeasured(reprice, measureCommand),
    "",
  );
  return lines.join("\n");
}
