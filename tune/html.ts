/**
 * A search's `report.html`: one self-contained page in the shell every graphmeter page shares (no
 * script, no remote load): what was searched and spent against a grid, the frontier picture and
 * table, each knob's effect from the baseline, the recommended configuration with its
 * `configurable`, the command that confirms it, and compare's verdicts against the baseline.
 * Every name is escaped.
 *
 * @module
 */
import { escapeHtml, htmlPage, htmlTable } from "../compare/html/page.ts";
import { renderSvg } from "../compare/html/_vega.ts";
import { formatFigureValue, formatRelative } from "../compare/compare_markdown.ts";
import { figureLabel } from "../compare/figures.ts";
import {
  formatQualityValue,
  qualityDeltaCell,
  qualityIntervalCell,
} from "../compare/_quality_markdown.ts";
import { formatCount, formatMs, formatUsd } from "../report/format.ts";
import { frontierChartSpec } from "./frontier_chart.ts";
import type { Estimate, Recommendation, TuneResult } from "./result.ts";

/** What the page adds to the result. */
export interface TuneHtmlOptions {
  /** The search's name. */
  readonly name: string;
  /** The command that confirms the recommended configuration, or null. */
  readonly confirmCommand?: string | null;
}

function card(title: string, value: string): string {
  return `<div class="card">${title}<b>${value}</b></div>`;
}

function estimate(e: Estimate | null, format: (value: number) => string): string {
  return e === null ? "–" : `${format(e.value)} ± ${format((e.high - e.low) / 2)}`;
}

function verdictSpan(verdict: string, change: string): string {
  const shown = verdict === "no significant change" ? "no sig. change" : verdict;
  return `<span class="${verdict.replaceAll(" ", "-")}">${escapeHtml(change)}<br>${shown}</span>`;
}

function verdicts(recommended: Recommendation): string {
  const comparison = recommended.comparison;
  const whole = comparison.scopes.find((scope) => scope.stage === null);
  const rows = (whole?.figures ?? []).map((f) => [
    figureLabel(f.figure, null),
    formatFigureValue(f.baseline, f.figure),
    formatFigureValue(f.candidate, f.figure),
    verdictSpan(
      f.verdict,
      f.delta === null
        ? "not comparable"
        : f.relativeDelta === null
        ? formatFigureValue(f.delta, f.figure)
        : formatRelative(f.relativeDelta),
    ),
  ]);
  const quality = comparison.quality.map((q) => [
    `quality ${escapeHtml(q.key)}`,
    formatQualityValue(q.baseline, q.kind),
    formatQualityValue(q.candidate, q.kind),
    verdictSpan(q.verdict, q.delta === null ? "not comparable" : qualityDeltaCell(q)) +
    ` <small>(${escapeHtml(qualityIntervalCell(q))})</small>`,
  ]);
  return `<p>compare's verdicts, the recommended configuration against the baseline: ` +
    `${comparison.pairs} inputs paired, 95% bootstrap intervals (${comparison.resamples} ` +
    `resamples); a change counts when its interval excludes zero.</p>` +
    htmlTable(["Figure", "Baseline", "Recommended", "Change"], [...quality, ...rows]);
}

/**
 * Writes a search's `report.html` (see the module doc).
 *
 * @param result What `tune()` returned.
 * @param options The search's name and the confirming command.
 * @returns The whole HTML document.
 *
 * @example Usage
 * ```ts
 * import { writeTuneHtml } from "./html.ts";
 * import type { TuneResult } from "./result.ts";
 * import assert from "node:assert/strict";
 *
 * const empty = {
 *   goal: { description: "the cheapest", keys: [] }, knobs: [], unreadKnobs: [], baseline: "<script>",
 *   configurations: [], frontier: [], recommended: null, rounds: [], stoppedReason: null,
 *   spend: { runs: 0, reusedRuns: 0, costUsd: 0, gridRuns: 0, gridCostUsd: null },
 * } as unknown as TuneResult;
 * const html = await writeTuneHtml(empty, { name: "demo" });
 * assert.match(html, /^<!doctype html>/);
 * assert.doesNotMatch(html, /<script/);
 * assert.match(html, /Baseline: &lt;script&gt;/);
 * ```
 */
export async function writeTuneHtml(result: TuneResult, options: TuneHtmlOptions): Promise<string> {
  const byName = new Map(result.configurations.map((c) => [c.name, c]));
  const spec = frontierChartSpec(result);
  const chart = spec === null ? "" : `<figure>${await renderSvg(spec)}</figure>`;
  const frontierRows = result.frontier.map((name) => byName.get(name)!).map((c) => [
    escapeHtml(c.name) + (c.name === result.baseline ? " <i>(baseline)</i>" : "") +
    (c.name === result.recommended?.name ? " <b>(recommended)</b>" : ""),
    estimate(c.quality, (value) => value.toFixed(3)),
    estimate(c.costPerRunUsd, (usd) => formatUsd(usd)),
    c.p95WallTimeMs === null ? "–" : formatMs(c.p95WallTimeMs),
    `${formatCount(c.inputs)}${c.stoppedBecause === null ? "" : " (stopped)"}`,
    escapeHtml(c.goal),
  ]);
  const unread = result.unreadKnobs.map((k) =>
    `<p><b>Not searched:</b> ${escapeHtml(k.key)}: ${escapeHtml(k.evidence)}.</p>`
  ).join("");
  const spend = result.spend;
  const recommended = result.recommended;
  const answer = recommended === null
    ? "<p>No recommendation: no configuration ran every input.</p>"
    : `<h2>Recommended: ${escapeHtml(recommended.name)}</h2>
<p>${escapeHtml(recommended.why)}.</p>
<p>The <code>configurable</code> to paste:</p>
<pre>${escapeHtml(JSON.stringify({ configurable: recommended.configurable }, null, 2))}</pre>
${
      options.confirmCommand
        ? `<p>Confirm it on the full dataset:</p><pre>${escapeHtml(options.confirmCommand)}</pre>`
        : ""
    }
${verdicts(recommended)}`;
  const rounds = result.rounds.map((round) => [
    String(round.round),
    formatCount(round.inputs),
    formatCount(round.racing),
    formatCount(round.joined),
    formatCount(round.eliminated),
    formatCount(round.stopped),
  ]);
  const body = `<p class="meta">Goal: ${escapeHtml(result.goal.description)}. Baseline: ${
    escapeHtml(result.baseline)
  }.</p>
<div class="cards">
${
    card(
      "Configurations",
      `${result.configurations.length} run of ${
        formatCount(result.knobs.reduce((product, k) => product * k.values.length, 1))
      }`,
    )
  }
${card("Runs", `${formatCount(spend.runs)} of a grid's ${formatCount(spend.gridRuns)}`)}
${card("Spent", `${formatUsd(spend.costUsd)} (grid ≈ ${formatUsd(spend.gridCostUsd)})`)}
${card("Frontier", `${result.frontier.length} configurations`)}
</div>
${
    result.stoppedReason === null
      ? ""
      : `<p><b>Stopped before it was done:</b> ${escapeHtml(result.stoppedReason)}.</p>`
  }${unread}
<h2>The frontier</h2>
${chart}
${
    htmlTable(
      ["Configuration", "Quality (95% CI)", "Cost per run (95% CI)", "p95", "Inputs", "Goal"],
      frontierRows,
    )
  }
${answer}
<h2>Rounds</h2>
${htmlTable(["Round", "Inputs", "Racing", "Joined", "Eliminated", "Stopped"], rounds)}`;
  return htmlPage({
    title: `graphmeter tune: ${options.name}`,
    heading: `graphmeter tune: ${options.name}`,
    body,
  });
}
