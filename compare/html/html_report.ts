/**
 * `report.html`: one self-contained file that works offline. Its charts are Vega-Lite
 * specifications rendered to inline SVG when the report is written (no script, no CDN at view
 * time); the page shell (`page.ts`) forbids scripts and remote loads outright, and every name is
 * escaped.
 *
 * @module
 */
import { aggregateRuns } from "../../benchmark/result/aggregate_runs.ts";
import {
  formatCount,
  formatMs,
  formatPartialCost,
  formatShare,
  formatUsd,
} from "../../report/format.ts";
import { isSuccessfulRun, type RunRecord } from "../../benchmark/run_record.ts";
import {
  comparisonSpec,
  costBreakdownSpec,
  latencyDistributionSpec,
  qualityCostSpec,
  stageCostSpec,
  stageLatencySpec,
  waterfallSpec,
} from "./_chart_specs.ts";
import { renderSvg } from "./_vega.ts";
import { criticalPathSpec, icicleSpec } from "./_path_charts.ts";
import type { PathAggregate } from "../../benchmark/result/path_aggregates.ts";
import { qualityHtml } from "./_quality_html.ts";
import { parsePassRules } from "../../evaluate/passing.ts";
import type { Comparison, FigureComparison } from "../compare_benchmarks.ts";
import { formatFigureValue, formatRelative } from "../compare_markdown.ts";
import { type Figure, figureLabel } from "../figures.ts";
import { formatQualityValue, qualityDeltaCell, qualityIntervalCell } from "../_quality_markdown.ts";
import { escapeHtml, htmlPage, htmlTable as table } from "./page.ts";
import {
  DEFAULT_WAIT_ADVICE,
  WAIT_COLUMNS,
  waitRows,
  waitWarning,
} from "../../benchmark/markdown/_waits_section.ts";
import { groupsTable } from "./_groups_table.ts";

/** What the report says about the benchmark beyond its runs. */
export interface HtmlReportMeta {
  /** The benchmark's name (label, id or folder). */
  label: string;
  /** When it ran (ISO 8601), if known. */
  createdAt?: string;
  /** The git commit it ran at, if known. */
  gitCommit?: string | null;
  /** The model of each stage (`*` for all), if known. */
  models?: Record<string, string>;
  /** What the warning about waits advises (e.g. a command line's flags). */
  waitAdvice?: string;
  /** What passing means (`KEY>=VALUE`), for cost per passing run; default the boolean keys. */
  passRules?: readonly string[];
  /** The key the runs are broken down by (`--group-by`), if any. */
  groupBy?: string;
}

function card(title: string, value: string): string {
  return `<div class="card">${title}<b>${value}</b></div>`;
}

const PAIRED: Record<Comparison["pairing"], string> = {
  run: "runs paired by input and repeat",
  input: "runs paired by input",
  none: "unpaired (different inputs)",
};

/** The figures of the comparison table, one column each. */
const COMPARED: readonly Figure[] = ["cost", "tokens", "calls", "p50", "p95", "errors"];

function changeCell(f: FigureComparison): string {
  if (f.delta === null) return "not comparable";
  const change = f.relativeDelta === null
    ? formatFigureValue(f.delta, f.figure)
    : formatRelative(f.relativeDelta);
  const interval = f.interval === null
    ? ""
    : ` title="95% CI of the change: ${formatFigureValue(f.interval[0], f.figure)} to ${
      formatFigureValue(f.interval[1], f.figure)
    }"`;
  const verdict = f.verdict === "no significant change" ? "no sig. change" : f.verdict;
  return `<span class="${
    f.verdict.replaceAll(" ", "-")
  }"${interval}>${change}<br>${verdict}</span>`;
}

/** Service latency beside end-to-end, attempts, 429s and waits per stage; "" without calls. */
function waitsSection(aggregates: ReturnType<typeof aggregateRuns>, advice: string): string {
  if (aggregates.successfulRuns === 0 || aggregates.llmCalls === 0) return "";
  const intro = `<h2>Latency and waiting</h2><p>End-to-end latency includes the time calls ` +
    `waited (failed attempts, backoff, retry-after, pacing to rate limits); service latency ` +
    `leaves it out.</p>`;
  if (aggregates.trackedCalls === 0) {
    return `${intro}<p>No call's HTTP attempts were tracked: service latency and waits are ` +
      `unknown.</p>`;
  }
  const warning = waitWarning(aggregates, advice);
  return intro +
    table([...WAIT_COLUMNS], waitRows(aggregates).map((cells) => cells.map(escapeHtml))) +
    (warning === null ? "" : `<p class="warning">⚠️ ${escapeHtml(warning)}</p>`);
}

function qualityRows(comparison: Comparison): string {
  if (comparison.quality.length === 0) return "";
  const rows = comparison.quality.map((q) => {
    const change = q.delta === null ? "not comparable" : qualityDeltaCell(q);
    const verdict = q.verdict === "no significant change" ? "no sig. change" : q.verdict;
    return [
      escapeHtml(q.key),
      formatQualityValue(q.baseline, q.kind),
      formatQualityValue(q.candidate, q.kind),
      `<span class="${q.verdict.replaceAll(" ", "-")}" title="95% CI of the change: ${
        escapeHtml(qualityIntervalCell(q))
      }">${escapeHtml(change)}<br>${verdict}</span>`,
      `${q.baselineScored} / ${q.candidateScored}`,
    ];
  });
  return "<h3>Quality (higher is better; runs paired by input)</h3>" +
    table(["Key", "Baseline", "Candidate", "Change", "Scored runs"], rows);
}

function comparisonSection(comparison: Comparison): string {
  const rows = comparison.scopes.map((scope) => [
    escapeHtml(scope.stage ?? "(whole pipeline)"),
    ...COMPARED.map((figure) => changeCell(scope.figures.find((f) => f.figure === figure)!)),
  ]);
  return `<p>Baseline <b>${
    escapeHtml(comparison.baseline.label)
  }</b> (${comparison.baseline.runs}` +
    ` runs) → candidate <b>${escapeHtml(comparison.candidate.label)}</b> ` +
    `(${comparison.candidate.runs} runs); ${PAIRED[comparison.pairing]}; a change counts ` +
    `when its 95% bootstrap interval (${comparison.resamples} resamples, seed ` +
    `${comparison.seed}) excludes zero.</p>` +
    table(["Scope", ...COMPARED.map((figure) => figureLabel(figure, null))], rows) +
    qualityRows(comparison);
}

/** The node paths that held the most time on their own, with what they cost. */
function pathTable(paths: readonly PathAggregate[], runs: number): string {
  const top = [...paths].sort((a, b) => b.exclusive.timeMs - a.exclusive.timeMs).slice(0, 20);
  const rows = top.map((p) => [
    escapeHtml(p.path),
    formatMs(p.exclusive.timeMs / runs),
    formatMs(p.inclusive.timeMs / runs),
    p.inclusive.llmCalls === 0 ? "–" : formatPartialCost(
      p.inclusive.costUsd === null ? null : p.inclusive.costUsd / runs,
      p.inclusive.unpricedCalls,
    ),
    p.latencyP50Ms === null ? "–" : formatMs(p.latencyP50Ms),
    p.latencyP95Ms === null ? "–" : formatMs(p.latencyP95Ms),
    `${p.criticalRuns} of ${runs}`,
  ]);
  return `<h2>Node paths by exclusive time (top ${top.length})</h2>` + table(
    ["Path", "Exclusive / run", "Inclusive / run", "Cost / run", "p50", "p95", "Critical path"],
    rows,
  );
}

/**
 * Writes the HTML report of a benchmark: summary, per-stage table, the runs by group (given a
 * `groupBy` key), per-stage cost and latency charts, latency distributions, the slowest run's
 * waterfall, the cost breakdown, the nodes inside the stages (icicles of inclusive time and cost,
 * the critical path, the top node paths) and, given a baseline comparison, the comparison table and
 * charts.
 *
 * @param runs The benchmark's runs.
 * @param meta Its name and where it came from.
 * @param comparison The comparison with a baseline, if any.
 * @returns The whole HTML document.
 *
 * @example Usage
 * ```ts
 * import { writeHtmlReport } from "./html_report.ts";
 * import assert from "node:assert/strict";
 *
 * const html = await writeHtmlReport([], { label: "<b>empty</b>" });
 * assert.match(html, /^<!doctype html>/);
 * assert.match(html, /&lt;b&gt;empty&lt;\/b&gt;/);
 * assert.doesNotMatch(html, /<script/);
 * ```
 */
export async function writeHtmlReport(
  runs: readonly RunRecord[],
  meta: HtmlReportMeta,
  comparison?: Comparison,
): Promise<string> {
  const passRules = meta.passRules?.length ? parsePassRules(meta.passRules.join(",")) : [];
  const aggregates = aggregateRuns(runs, { passRules });
  const ok = runs.filter(isSuccessfulRun);
  const slowest = [...(ok.length > 0 ? ok : runs)]
    .sort((a, b) => b.metrics.wallTimeMs - a.metrics.wallTimeMs)[0];
  const charts: string[] = [];
  const chart = async (title: string, spec: Parameters<typeof renderSvg>[0]) =>
    charts.push(`<h2>${title}</h2><figure>${await renderSvg(spec)}</figure>`);
  if (comparison !== undefined) {
    charts.push(`<h2>Comparison with the baseline</h2>${comparisonSection(comparison)}`);
    const qualityCost = qualityCostSpec(comparison);
    if (qualityCost !== null) await chart("Quality versus cost", qualityCost);
    await chart("Cost change", comparisonSpec(comparison, "cost"));
    await chart("p95 latency change", comparisonSpec(comparison, "p95"));
  }
  if (aggregates.stages.length > 0) {
    await chart("Cost per stage", stageCostSpec(aggregates.stages));
    await chart("Latency per stage", stageLatencySpec(aggregates.stages));
    await chart("Latency distributions", latencyDistributionSpec(runs));
    await chart("Cost breakdown", costBreakdownSpec(ok));
  }
  if (slowest !== undefined) await chart("Slowest run", waterfallSpec(slowest));
  const paths = aggregates.paths ?? [];
  const n = aggregates.successfulRuns;
  const nested = n > 0 && paths.some((p) => p.depth > 1 || p.criticalRuns < n);
  if (nested) {
    await chart("Inside the stages: time", icicleSpec(paths, "time", n));
    if (aggregates.costUsd) await chart("Inside the stages: cost", icicleSpec(paths, "cost", n));
    await chart("Critical path", criticalPathSpec(paths, n));
    charts.push(pathTable(paths, n));
  }

  const stageRows = aggregates.stages.map((s) => [
    escapeHtml(s.stage),
    formatPartialCost(s.costPerRunUsd, s.unpricedCalls),
    formatShare(s.costShare),
    formatCount(s.meanLlmCalls),
    formatCount(s.meanInputTokens),
    formatCount(s.meanOutputTokens),
    formatMs(s.latencyP50Ms),
    formatMs(s.latencyP95Ms),
  ]);
  const models = Object.entries(meta.models ?? {})
    .map(([stage, model]) => `${escapeHtml(model)} (${escapeHtml(stage === "*" ? "all" : stage)})`)
    .join(", ");
  const facts = [
    meta.createdAt ? `ran ${escapeHtml(meta.createdAt)}` : "",
    meta.gitCommit ? `commit ${escapeHtml(meta.gitCommit)}` : "",
    models ? `models ${models}` : "",
  ].filter((fact) => fact !== "").join(" · ");
  const body = `<p class="meta">${facts}</p>
<div class="cards">
${card("Runs", `${aggregates.successfulRuns} ok, ${aggregates.failedRuns} failed`)}
${card("Cost per run", formatUsd(aggregates.costPerRunUsd))}
${card("Total cost", formatUsd(aggregates.costUsd))}
${card("p50 wall time", formatMs(aggregates.wallTimeP50Ms))}
${card("p95 wall time", formatMs(aggregates.wallTimeP95Ms))}
</div>
<h2>Stages (successful runs)</h2>
${
    table(
      [
        "Stage",
        "Cost / run",
        "Share",
        "Calls / run",
        "In tokens / run",
        "Out tokens / run",
        "p50",
        "p95",
      ],
      stageRows,
    )
  }
${waitsSection(aggregates, meta.waitAdvice ?? DEFAULT_WAIT_ADVICE)}
${qualityHtml(aggregates)}
${groupsTable(runs, meta.groupBy)}
${charts.join("\n")}`;
  return htmlPage({
    title: `graphmeter: ${meta.label}`,
    heading: `graphmeter benchmark: ${meta.label}`,
    body,
  });
}
