/**
 * A search's answer in Markdown, as `deno task tune` prints it: the goal and what was spent
 * against a grid, the frontier, each knob's effect from the baseline (stage by stage), the
 * recommended configuration with the `configurable` to paste, the command that confirms it, and
 * compare's verdicts against the baseline. Every name is escaped. Pure.
 *
 * @module
 */
import { formatComparisonMarkdown } from "../compare/compare_markdown.ts";
import { escapeMarkdown as text } from "../report/performance_section.ts";
import { formatCount, formatMs, formatUsd } from "../report/format.ts";
import type { ConfigurationResult, Estimate, TuneResult } from "./result.ts";

/** What the Markdown adds to the result: the search's name and the command that confirms. */
export interface TuneMarkdownOptions {
  /** The search's name (labels `tune/<name>/...`), or none. */
  readonly name?: string;
  /** The `deno task bench` command that confirms the recommended configuration, or none. */
  readonly confirmCommand?: string | null;
  /** Where the full figures are (e.g. `reports/tune-search/tune.json`), or none. */
  readonly details?: string;
}

/** Prose with names in it: what Markdown or HTML would read as markup is escaped. */
function prose(words: string): string {
  return words.replace(/[\\`*_[\]<>|]/g, "\\$&").replace(/\r?\n/g, " ");
}

/** A fenced code block, its fence longer than any run of backticks in the code. */
function fenced(code: string, language: string): string[] {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}${language}`, code, fence];
}

function score(value: number): string {
  return value.toFixed(3);
}

function interval(e: Estimate | null, format: (value: number) => string): string {
  if (e === null) return "–";
  const half = (e.high - e.low) / 2;
  return `${format(e.value)} ± ${format(half)}`;
}

function signed(value: number, format: (value: number) => string): string {
  return value === 0 ? "±0" : `${value > 0 ? "+" : "−"}${format(Math.abs(value))}`;
}

function share(part: number, whole: number): string {
  return whole === 0 ? "–" : `${((part / whole) * 100).toFixed(1)}%`;
}

function frontierTable(result: TuneResult): string[] {
  const byName = new Map(result.configurations.map((c) => [c.name, c]));
  const rows = result.frontier.map((name) => byName.get(name)!).map((c) => [
    text(c.name) + (c.name === result.baseline ? " (baseline)" : "") +
    (c.name === result.recommended?.name ? " **(recommended)**" : ""),
    interval(c.quality, score),
    interval(c.costPerRunUsd, (usd) => formatUsd(usd)),
    c.p95WallTimeMs === null ? "–" : formatMs(c.p95WallTimeMs),
    `${formatCount(c.inputs)}${c.stoppedBecause === null ? "" : " (stopped)"}`,
    c.goal,
  ]);
  return [
    "| Configuration | Quality (95% CI) | Cost per run (95% CI) | p95 wall time | Inputs | Goal |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map((cells) => `| ${cells.join(" | ")} |`),
  ];
}

/** Each anchor against the baseline: one knob changed, its effect on quality and cost. */
function effectsTable(result: TuneResult): string[] {
  const base = result.configurations.find((c) => c.name === result.baseline);
  if (base === undefined || base.quality === null) return [];
  const rows: string[] = [];
  for (const anchor of result.configurations.filter((c) => c.anchor && c.name !== base.name)) {
    const knob = result.knobs.find((k) =>
      anchor.configuration[k.key] !== base.configuration[k.key]
    );
    if (knob === undefined || anchor.quality === null) continue;
    const cost = anchor.costPerRunUsd === null || base.costPerRunUsd === null
      ? "–"
      : signed(anchor.costPerRunUsd.value - base.costPerRunUsd.value, (usd) => formatUsd(usd));
    rows.push(
      `| ${text(knob.key)} | ${text(String(anchor.configuration[knob.key]))} | ` +
        `${signed(anchor.quality.value - base.quality.value, score)} | ${cost} | ` +
        `${anchor.status === "frontier" ? "on the frontier" : "dominated"} |`,
    );
  }
  if (rows.length === 0) return [];
  return [
    "## Stage by stage: one knob changed from the baseline",
    "",
    "| Knob | Value | Quality Δ | Cost per run Δ | |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ];
}

/**
 * Formats a search's answer as Markdown (see the module doc).
 *
 * @param result What `tune()` returned.
 * @param options The search's name, the confirming command, where the details are.
 * @returns The Markdown.
 *
 * @example Usage
 * ```ts
 * import { formatTuneMarkdown } from "./markdown.ts";
 * import { tune } from "./tune.ts";
 * import { RunnableLambda } from "@langchain/core/runnables";
 * import assert from "node:assert/strict";
 *
 * const result = await tune({
 *   graph: RunnableLambda.from((question: string) => question.length),
 *   inputs: Array.from({ length: 10 }, (_, i) => ({ id: `q${i}`, input: "x".repeat(i) })),
 *   evaluators: [({ outputs }) => ({ key: "long", score: Number(outputs) > 4 })],
 *   knobs: { style: ["terse", "chatty"] },
 * });
 * const markdown = formatTuneMarkdown(result, { name: "demo" });
 * assert.match(markdown, /^# graphmeter tune: demo/);
 * assert.match(markdown, /style: its 2 values gave identical runs/); // the graph never reads it
 * ```
 */
export function formatTuneMarkdown(result: TuneResult, options: TuneMarkdownOptions = {}): string {
  const knobs = result.knobs.map((k) => `${text(k.key)} (${k.values.length})`).join(" × ");
  const configurations = result.knobs.reduce((product, k) => product * k.values.length, 1);
  const { spend } = result;
  const lines = [
    `# graphmeter tune${options.name === undefined ? "" : `: ${text(options.name)}`}`,
    "",
    `**Goal:** ${prose(result.goal.description)}. **Baseline:** ${prose(result.baseline)}.`,
    "",
    `Knobs ${knobs}: ${formatCount(configurations)} configurations on ${
      formatCount(result.inputs)
    } inputs × ${result.repeats} run${result.repeats === 1 ? "" : "s"}. The search ran ${
      formatCount(result.configurations.length)
    } configurations: ${formatCount(spend.runs)} runs, ${
      share(spend.runs, spend.gridRuns)
    } of the ${formatCount(spend.gridRuns)} a grid would make, for ${formatUsd(spend.costUsd)} ` +
    `(the grid: about ${formatUsd(spend.gridCostUsd)})` +
    (spend.reusedRuns > 0 ? `; ${formatCount(spend.reusedRuns)} runs reused` : "") + ".",
    "",
  ];
  if (result.stoppedReason !== null) {
    lines.push(`**Stopped before it was done:** ${prose(result.stoppedReason)}.`, "");
  }
  for (const knob of result.unreadKnobs) {
    lines.push(
      `**Not searched:** ${text(knob.key)}: ${text(knob.evidence)}: the graph never ` +
        `reads configurable.${text(knob.key)} (or it changes nothing).`,
      "",
    );
  }
  if (result.frontier.length > 0) {
    const dominated = result.configurations.length - result.frontier.length;
    lines.push(
      `## Frontier: ${result.frontier.length} configurations no other dominates significantly`,
      "",
      ...frontierTable(result),
      "",
      `${formatCount(dominated)} configuration${dominated === 1 ? " was" : "s were"} ` +
        "dominated (higher cost, no better quality, by the paired bootstrap at 99%); " +
        `${formatCount(configurations - result.configurations.length)} were never run (their ` +
        'predictions from the knobs\' effects were dominated). "stopped": it can no longer be ' +
        "the goal's answer, so it ran fewer inputs." +
        (options.details === undefined ? "" : ` Every figure: ${text(options.details)}.`),
      "",
    );
  }
  lines.push(...effectsTable(result));
  const recommended = result.recommended;
  if (recommended === null) {
    lines.push("## No recommendation: no configuration ran every input.", "");
    return lines.join("\n");
  }
  lines.push(
    `## Recommended: ${prose(recommended.name)}`,
    "",
    `${prose(recommended.why)}.`,
    "",
    "The `configurable` to paste:",
    "",
    ...fenced(JSON.stringify({ configurable: recommended.configurable }, null, 2), "json"),
    "",
  );
  if (options.confirmCommand) {
    lines.push("Confirm it on the full dataset:", "", ...fenced(options.confirmCommand, "sh"), "");
  }
  const compared = {
    ...recommended.comparison,
    scopes: recommended.comparison.scopes.filter((scope) => scope.stage === null),
  };
  lines.push(formatComparisonMarkdown(compared).replace(/^## /, "### Against the baseline: "));
  return lines.join("\n");
}

/**
 * One line per configuration for a progress log: its name and figures.
 *
 * @param c The configuration.
 * @returns The line.
 */
export function formatConfigurationLine(c: ConfigurationResult): string {
  return `${c.name}: quality ${interval(c.quality, score)}, ${
    interval(c.costPerRunUsd, (usd) => formatUsd(usd))
  } per run, ${c.inputs} inputs, ${c.status}`;
}
