/**
 * The performance section of a report: one Markdown table of a run's stages (latency, calls,
 * tokens, cost), optionally the nodes inside them, a total row, the pipeline's wall time and notes
 * on anything unpriced.
 *
 * @module
 */
import type { PipelineMetrics, StageTotals } from "../telemetry/metrics.ts";
import type { PathMetrics } from "../telemetry/path_metrics.ts";
import { pathSegment } from "../telemetry/_path_figures.ts";
import { formatCount, formatPartialCost } from "./format.ts";

/** The columns of the performance table, in order. */
export const PERFORMANCE_COLUMNS: readonly string[] = [
  "Stage",
  "Latency (s)",
  "LLM Calls",
  "Input Tokens",
  "Output Tokens",
  "Est. Cost ($)",
];

const MARKDOWN_SPECIAL = /[\\`*_{}\[\]<>()#+\-.!|~]/g;

/**
 * Escapes text for a Markdown table cell: Markdown's punctuation gets a backslash, so a stage
 * named `a|b` or `__init__` shows as written.
 *
 * @param text The raw text.
 * @returns The escaped text.
 *
 * @example Usage
 * ```ts
 * import { escapeMarkdown } from "./performance_section.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(escapeMarkdown("a|b_c"), "a\\|b\\_c");
 * ```
 */
export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_SPECIAL, (char) => `\\${char}`).replace(/\r?\n/g, " ");
}

/**
 * Formats milliseconds as seconds with three decimals, the unit of the latency column.
 *
 * @param ms The duration in milliseconds.
 * @returns The seconds, e.g. `1.234`.
 *
 * @example Usage
 * ```ts
 * import { formatSeconds } from "./performance_section.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatSeconds(1234.4), "1.234");
 * ```
 */
export function formatSeconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** A cost cell: dollars without the `$` (the header has it), `unpriced`, or a partial sum. */
function costCell(totals: StageTotals): string {
  return formatPartialCost(totals.costUsd, totals.unpricedCalls).replace("$", "");
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function numberCells(totals: StageTotals): string[] {
  return [
    formatSeconds(totals.latencyMs),
    formatCount(totals.llmCalls),
    formatCount(totals.inputTokens),
    formatCount(totals.outputTokens),
    costCell(totals),
  ];
}

function notes(metrics: PipelineMetrics): string[] {
  const lines: string[] = [];
  const { totals } = metrics;
  const stageLatencySum = totals.latencyMs;
  if (stageLatencySum > metrics.wallTimeMs * 1.001 && metrics.runCount === 1) {
    lines.push(
      `Stage latencies add up to ${formatSeconds(stageLatencySum)} s, more than the wall time: ` +
        `stages ran in parallel.`,
    );
  }
  const unpriced = metrics.calls.filter((call) => call.costSource === "unpriced");
  if (unpriced.length > 0) {
    const models = [...new Set(unpriced.map((call) => `\`${call.model}\``))].join(", ");
    lines.push(
      `${unpriced.length} call(s) are **unpriced** (no price known for ${models}); their cost ` +
        `is not in the totals. Add the model to your price overrides to price it.`,
    );
  }
  const noUsage = metrics.calls.filter((call) => call.costSource === "no-usage").length;
  if (noUsage > 0) {
    lines.push(
      `${noUsage} call(s) reported **no usage**: their tokens are unknown ` +
        `(counted as 0 above) and their cost is not in the totals.`,
    );
  }
  const unfinished = metrics.calls.filter((call) => call.costSource === "unfinished").length;
  if (unfinished > 0) {
    lines.push(
      `${unfinished} call(s) had **not finished** when the run ended: their tokens and cost are ` +
        `unknown (counted as 0 above).`,
    );
  }
  const local = metrics.calls.filter((call) => call.costSource === "local").length;
  if (local > 0) lines.push(`${local} call(s) ran on a local model: $0 by definition.`);
  const failed = metrics.calls.filter((call) => call.error !== null).length;
  if (failed > 0) lines.push(`${failed} call(s) failed.`);
  if (metrics.status === "error") {
    lines.push(`The run failed: ${escapeMarkdown(metrics.error ?? "unknown error")}.`);
  }
  if (metrics.handlerErrors > 0) {
    lines.push(
      `The handler caught ${metrics.handlerErrors} internal error(s); numbers may be low.`,
    );
  }
  return lines;
}

/** The cells of a nested node's row: its figures with everything inside it. */
function pathCells(path: PathMetrics): string[] {
  const figures = path.inclusive;
  return [
    formatSeconds(path.latencyMs),
    formatCount(figures.llmCalls),
    formatCount(figures.inputTokens),
    formatCount(figures.outputTokens),
    formatPartialCost(figures.costUsd, figures.unpricedCalls).replace("$", ""),
  ];
}

/** The nested rows under one stage, parents first, down to `depth`. */
function nestedRows(metrics: PipelineMetrics, stage: string, depth: number): string[] {
  const prefix = `${stage}/`;
  return Object.values(metrics.paths ?? {})
    .filter((path) => path.depth >= 2 && path.depth <= depth && path.path.startsWith(prefix))
    .map((path) => row([`↳ ${escapeMarkdown(path.path)}`, ...pathCells(path)]));
}

/**
 * Renders a run's performance as Markdown: a table with the columns `Stage | Latency (s) |
 * LLM Calls | Input Tokens | Output Tokens | Est. Cost ($)`, one row per stage in execution
 * order, a **Total** row, the pipeline wall time, and notes when a call was unpriced, reported
 * no usage or failed. With `depth` above 1, each stage's row is followed by the nodes of its
 * subgraphs (`↳ research_agent/tools`), each with everything inside it: they are part of their
 * stage's row, not added to the total.
 *
 * @param metrics The run's metrics (e.g. `handler.metrics`).
 * @param options `depth`: the deepest node level shown: 1 (the default) lists the stages only, 2
 *   adds the nodes of their subgraphs under each stage (`↳ research_agent/agent`), and so on.
 * @returns The Markdown section (no heading; the caller chooses one).
 *
 * @example Usage
 * ```ts
 * import { writePerformanceSection } from "./performance_section.ts";
 * import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
 * import assert from "node:assert/strict";
 *
 * const markdown = writePerformanceSection(new PerformanceCallbackHandler().metrics);
 * assert.match(markdown, /\| \*\*Total\*\* \| \*\*0\.000\*\* \|/);
 * ```
 *
 * @example Nested rows
 * ```ts
 * import { writePerformanceSection } from "./performance_section.ts";
 * import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
 * import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
 * import assert from "node:assert/strict";
 *
 * const State = Annotation.Root({ text: Annotation<string> });
 * const inner = new StateGraph(State)
 *   .addNode("draft", (state) => ({ text: state.text + "!" }))
 *   .addEdge(START, "draft")
 *   .addEdge("draft", END)
 *   .compile();
 * const graph = new StateGraph(State)
 *   .addNode("writer", inner)
 *   .addEdge(START, "writer")
 *   .addEdge("writer", END)
 *   .compile();
 * const handler = new PerformanceCallbackHandler();
 * await graph.invoke({ text: "hi" }, { callbacks: [handler] });
 * assert.match(writePerformanceSection(handler.metrics, { depth: 2 }), /\| ↳ writer\/draft \|/);
 * ```
 */
export function writePerformanceSection(
  metrics: PipelineMetrics,
  options: { readonly depth?: number } = {},
): string {
  const depth = options.depth ?? 1;
  const lines = [
    row(PERFORMANCE_COLUMNS),
    row(PERFORMANCE_COLUMNS.map((_, index) => index === 0 ? "---" : "---:")),
  ];
  let nested = 0;
  for (const stage of Object.values(metrics.stages)) {
    lines.push(row([escapeMarkdown(stage.name), ...numberCells(stage)]));
    if (depth < 2) continue;
    const rows = nestedRows(metrics, pathSegment(stage.name), depth);
    nested += rows.length;
    lines.push(...rows);
  }
  lines.push(row(["**Total**", ...numberCells(metrics.totals).map((cell) => `**${cell}**`)]));
  lines.push("");
  lines.push(
    `Pipeline wall time: **${formatSeconds(metrics.wallTimeMs)} s**` +
      (metrics.runCount > 1 ? ` (${metrics.runCount} runs, first start to last end)` : "") +
      ".",
  );
  const extra = notes(metrics);
  if (nested > 0) {
    extra.unshift(
      "Rows marked ↳ are nodes inside the stage above (subgraph nodes, tool nodes), each with " +
        "everything inside it: part of their stage's row, not added to the total.",
    );
  }
  if (extra.length > 0) {
    lines.push("");
    for (const note of extra) lines.push(`- ${note}`);
  }
  return lines.join("\n") + "\n";
}
