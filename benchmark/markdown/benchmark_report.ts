/**
 * The Markdown report of a whole benchmark: a header, per-stage aggregates, cost per volume,
 * where the money goes (cost by billed dimension per stage), the nodes inside the stages and the
 * critical path, quality, the runs by group (`--group-by`), two Mermaid pictures, failed runs and
 * each run's performance section. Pure: data in, string out; every number comes
 * from the {@linkcode BenchmarkResult} written to `metrics.json`.
 *
 * @module
 */
import type { BenchmarkResult, RunTotals, StageModels } from "../result/benchmark_result.ts";
import { ganttOfRun, pieOfCostShare } from "./mermaid_charts.ts";
import {
  formatCount,
  formatMean,
  formatMs,
  formatNumber,
  formatPartialCost,
  formatShare,
  formatUsd,
} from "../../report/format.ts";
import { escapeMarkdown, writePerformanceSection } from "../../report/performance_section.ts";
import type { RunRecord } from "../run_record.ts";
import { moneySection } from "./_money_section.ts";
import { DEFAULT_WAIT_ADVICE, waitsSection } from "./_waits_section.ts";
import { groupsSection } from "./_groups_section.ts";
import { pathsSection } from "./_paths_section.ts";
import { qualitySection } from "./_quality_section.ts";

export { writePerformanceSection };

/** Text as a table cell: Markdown's punctuation escaped, so names show as written. */
const cell = escapeMarkdown;

/** Text as a code span in a table cell: only pipes need escaping there (backslashes show as is). */
function codeCell(text: string): string {
  return "`" + text.replace(/\|/g, "\\|").replace(/`/g, "'").replace(/\r?\n/g, " ") + "`";
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n") + "\n";
}

/** Rows at most in the failed-runs and runs tables; the rest are in the results store. */
const MAX_TABLE_ROWS = 100;

function runLabel(record: { inputId: string; repeat: number }): string {
  return `\`${record.inputId}\` repeat ${record.repeat}`;
}

/** How many models the user's price table priced (the file, if any, is the caller's note). */
function priceOverrides(result: BenchmarkResult): string {
  const count = result.pricing?.overrideModels ?? 0;
  if (count === 0) return "none";
  return `${count} model${count === 1 ? "" : "s"}`;
}

function header(result: BenchmarkResult): string {
  const { meta, aggregates } = result;
  const models = Object.entries(meta.models)
    .map(([stage, model]) =>
      `${codeCell(model)}${stage === "*" ? " (all stages)" : ` (${cell(stage)})`}`
    )
    .join(", ") || "(not stated)";
  const pricing = result.pricing
    ? `${result.pricing.catalog} ${result.pricing.version}` +
      (result.pricing.dataDate ? ` (prices up to ${result.pricing.dataDate})` : "") +
      "; each call priced as of its own start"
    : "(no runs)";
  const runs = `${result.plannedRuns} planned: ${aggregates.successfulRuns} ok, ` +
    `${aggregates.failedRuns} failed, ${result.notRun} not run`;
  // Markdown cells: the user's texts (paths, names) are escaped here, the rest is ours.
  const modelsNote = meta.modelsNote === undefined ? "" : ` — ${cell(meta.modelsNote)}`;
  const notes = Object.entries(meta.notes ?? {}).map(([label, text]) => [cell(label), cell(text)]);
  const rows = [
    ["Date", meta.createdAt],
    ["Models", models + modelsNote],
    ...notes.filter(([label]) => label !== "Price overrides"),
    ["Price catalog", pricing],
    [
      "Price overrides",
      meta.notes?.["Price overrides"] === undefined
        ? priceOverrides(result)
        : `${priceOverrides(result)} (${cell(meta.notes["Price overrides"])})`,
    ],
    ["Runs", runs],
    [
      "Inputs",
      `${cell(meta.inputSource)}; ${meta.repeats} repeat(s); concurrency ${meta.concurrency}`,
    ],
    ["Seed", meta.seed === null ? "none" : String(meta.seed)],
    ["Budget", meta.maxCostUsd === null ? "none" : formatUsd(meta.maxCostUsd)],
    ["Git commit", cell(meta.gitCommit ?? "(not in a git repository)")],
  ];
  let text = "# graphmeter benchmark\n\n" + table(["", ""], rows);
  if (result.stoppedReason) text += `\n**Stopped early:** ${result.stoppedReason}.\n`;
  text += pricingNotes(result.pricing?.notes ?? []);
  return text;
}

/** The pricing notes, each once (a catalog that may be stale, why a model is unpriced). */
function pricingNotes(notes: readonly string[]): string {
  if (notes.length === 0) return "";
  return "\n**Pricing notes:**\n\n" +
    notes.map((note) => `- ${note.replace(/\r?\n/g, " ")}\n`).join("");
}

function modelsPerStage(perStage: readonly StageModels[], note: string | undefined): string {
  if (perStage.length === 0) return "";
  const rows = perStage.map(({ stage, models }) => [cell(stage), models.map(cell).join(", ")]);
  const said = note === undefined ? "" : `${cell(note)}\n\n`;
  return "\n## Models per stage (as answered)\n\n" + said + table(["Stage", "Models"], rows);
}

/** A median time to first token; `–` when no call streamed. */
function formatTtft(ms: number | null): string {
  return ms === null ? "–" : formatMs(ms);
}

function stagesSection(result: BenchmarkResult): string {
  const a = result.aggregates;
  const intro = `\n## Stages across runs\n\nOver ${a.successfulRuns} successful run(s). ` +
    "Latency is the sum of a stage's execution times within one run: under a parallel fan-out " +
    "(e.g. `Send`) it can exceed the time the stage took on the clock. Percentiles are " +
    "nearest-rank over the runs where the stage appears; TTFT is the median time to first " +
    "token of its streamed calls (– when none streamed); per-run means count a run without " +
    "the stage as 0.\n\n";
  if (a.successfulRuns === 0) return intro + "_No successful run to aggregate._\n";
  const n = a.successfulRuns;
  const rows = a.stages.map((s) => [
    cell(s.stage),
    formatCount(s.runs),
    formatMs(s.latencyP50Ms),
    formatMs(s.latencyP95Ms),
    formatMs(s.latencyMaxMs),
    formatTtft(s.timeToFirstTokenP50Ms),
    formatMean(s.meanLlmCalls),
    formatMean(s.meanInputTokens),
    formatMean(s.meanOutputTokens),
    formatPartialCost(s.costPerRunUsd, s.unpricedCalls),
    formatShare(s.costShare),
  ]);
  rows.push([
    "**Run (total)**",
    formatCount(n),
    formatMs(a.wallTimeP50Ms),
    formatMs(a.wallTimeP95Ms),
    formatMs(a.wallTimeMaxMs),
    formatTtft(a.timeToFirstTokenP50Ms),
    formatMean(a.llmCalls / n),
    formatMean(a.inputTokens / n),
    formatMean(a.outputTokens / n),
    formatPartialCost(a.costPerRunUsd, a.unpricedCalls),
    formatShare(a.costUsd ? 1 : null),
  ]);
  const head = [
    "Stage",
    "Runs",
    "Latency p50",
    "Latency p95",
    "Latency max",
    "TTFT p50",
    "Calls / run",
    "Input tokens / run",
    "Output tokens / run",
    "Cost / run",
    "Share of cost",
  ];
  return intro + table(head, rows) +
    "\nThe total row's latencies are the runs' wall times, not sums of stages; its TTFT is " +
    "over every streamed call.\n";
}

function costSection(result: BenchmarkResult): string {
  const a = result.aggregates;
  const rows = [
    ["Cost of the successful runs", formatPartialCost(a.costUsd, a.unpricedCalls)],
    ["Cost of all runs (failed included)", formatUsd(a.allRunsCostUsd)],
    ...(result.stoppedRuns.length === 0 ? [] : [[
      "Cost of the runs stopped in flight",
      formatUsd(sumUsd(result.stoppedRuns.map((r) => r.costUsd))),
    ]]),
    ["Cost per run", formatUsd(a.costPerRunUsd)],
    ["LLM calls", formatCount(a.llmCalls)],
    ["Input tokens", formatCount(a.inputTokens)],
    ["Output tokens", formatCount(a.outputTokens)],
    ...unitRows(a),
  ];
  return "\n## Cost\n\nOver the successful runs unless stated.\n\n" + table(["", ""], rows);
}

/**
 * The per-unit rows: "n/a" where a per-unit figure has no units (none stated, or 0), "unpriced"
 * only where there are units but no priced cost.
 */
function unitRows(a: BenchmarkResult["aggregates"]): string[][] {
  if (a.unitName === null) return [];
  const hasUnits = a.inputAmount !== null && a.inputAmount > 0;
  const perUnit = (usd: number | null): string => hasUnits ? formatUsd(usd) : "n/a";
  const rows = [
    [`Input (${cell(a.unitName)})`, a.inputAmount === null ? "n/a" : formatNumber(a.inputAmount)],
    [`Cost per ${cell(a.unitName)}`, perUnit(a.costPerUnitUsd)],
  ];
  if (a.dailyVolume !== null) {
    rows.push([
      `Projected daily cost at ${cell(a.dailyVolume.label)} a day`,
      perUnit(a.projectedDailyCostUsd),
    ]);
  }
  return rows;
}

/** A sum of costs; null when every one is null. */
function sumUsd(costs: readonly (number | null)[]): number | null {
  const priced = costs.filter((c): c is number => c !== null);
  return priced.length === 0 ? null : priced.reduce((a, b) => a + b, 0);
}

function picturesSection(result: BenchmarkResult): string {
  const slowest: RunRecord | null = result.slowestRun;
  if (slowest === null) return "";
  const title = `${slowest.inputId} repeat ${slowest.repeat} in ${
    formatMs(slowest.metrics.wallTimeMs)
  }`;
  return `\n## Timeline of the slowest run (${runLabel(slowest)})\n\n` +
    ganttOfRun(slowest.metrics, title) +
    "\n## Cost share by stage\n\n" +
    pieOfCostShare(result.aggregates.stages, "Share of priced cost (%)");
}

/** Where the rows a table left out can be found. */
function moreRows(result: BenchmarkResult, left: number, what: string): string {
  if (left <= 0) return "";
  const where = result.benchmark === null
    ? "metrics.json"
    : `benchmark ${cell(result.benchmark.id)} of ${cell(result.benchmark.db)}`;
  return `\n…and ${formatCount(left)} more ${what} in ${where}.\n`;
}

function stoppedSection(runs: readonly RunTotals[]): string {
  if (runs.length === 0) return "";
  const rows = runs.map((r) => [
    cell(r.inputId),
    String(r.repeat),
    formatCount(r.llmCalls),
    formatPartialCost(r.costUsd, r.unpricedCalls),
  ]);
  return "\n## Runs stopped in flight\n\nAborted when the benchmark stopped; not in the figures " +
    "above (their cost was spent all the same) and not logged, so a resume makes them again.\n\n" +
    table(["Input", "Repeat", "Calls made", "Cost spent"], rows);
}

function failedSection(result: BenchmarkResult): string {
  const failed = result.runs.filter((run) => !run.ok);
  if (failed.length === 0) return "";
  const rows = failed.slice(0, MAX_TABLE_ROWS).map((r) => [
    cell(r.inputId),
    String(r.repeat),
    cell(r.error ?? ""),
    formatUsd(r.costUsd),
  ]);
  return "\n## Failed runs\n\n" + table(["Input", "Repeat", "Error", "Cost so far"], rows) +
    moreRows(result, failed.length - MAX_TABLE_ROWS, "failed runs");
}

function runRow(run: RunTotals): string[] {
  return [
    cell(run.inputId),
    String(run.repeat),
    run.ok ? "ok" : "failed",
    formatMs(run.wallTimeMs),
    formatCount(run.llmCalls),
    formatCount(run.inputTokens),
    formatCount(run.outputTokens),
    formatPartialCost(run.costUsd, run.unpricedCalls),
  ];
}

function runsSection(result: BenchmarkResult): string {
  if (result.runs.length === 0) return "";
  const head = ["Input", "Repeat", "Status", "Wall time", "Calls", "Input tokens", "Output tokens"];
  let text = "\n## Runs\n\n" +
    table([...head, "Cost"], result.runs.slice(0, MAX_TABLE_ROWS).map(runRow)) +
    moreRows(result, result.runs.length - MAX_TABLE_ROWS, "runs");
  const slowest = result.slowestRun;
  if (slowest !== null) {
    text += `\n### Slowest run: ${runLabel(slowest)}\n\n${
      writePerformanceSection(slowest.metrics, { depth: 3 })
    }`;
  }
  return text;
}

/** Options of {@linkcode writeBenchmarkReport}. */
export interface BenchmarkReportOptions {
  /**
   * What the warning about waits advises (the caller's words: a command line names its flags);
   * default "run fewer at once, or pace the calls to the provider's rate limits".
   */
  waitAdvice?: string;
}

/**
 * Writes the Markdown report of a whole benchmark.
 *
 * @param result The benchmark, as written to `metrics.json`.
 * @param options What the warning about waits advises.
 * @returns The Markdown text.
 *
 * @example Usage
 * ```ts
 * import { writeBenchmarkReport } from "./benchmark_report.ts";
 * import { buildBenchmarkResult } from "../result/aggregate_runs.ts";
 * import assert from "node:assert/strict";
 *
 * const result = buildBenchmarkResult(
 *   { records: [], total: 0, resumed: 0, notRun: 0, stoppedReason: null },
 *   {
 *     createdAt: "2025-01-01T00:00:00.000Z",
 *     gitCommit: null,
 *     models: { "*": "simulated:gemini-2.5-flash-lite" },
 *     inputSource: "bundled transcripts",
 *     repeats: 1,
 *     concurrency: 4,
 *     maxCostUsd: null,
 *     seed: null,
 *   },
 * );
 * assert.match(writeBenchmarkReport(result), /^# graphmeter benchmark/);
 * ```
 */
export function writeBenchmarkReport(
  result: BenchmarkResult,
  options: BenchmarkReportOptions = {},
): string {
  return [
    header(result),
    modelsPerStage(result.modelsPerStage, result.meta.modelsNote),
    stagesSection(result),
    waitsSection(result.aggregates, options.waitAdvice ?? DEFAULT_WAIT_ADVICE),
    costSection(result),
    moneySection(result.aggregates),
    pathsSection(result),
    qualitySection(result.aggregates),
    groupsSection(result.groups),
    picturesSection(result),
    failedSection(result),
    stoppedSection(result.stoppedRuns),
    runsSection(result),
  ].join("");
}
