/**
 * A comparison (and the gate's results) as Markdown that fits a pull-request comment. Every name
 * from a graph, a dataset or the user (stage, label, rule) is escaped, so `<img src=x>` shows as
 * text.
 *
 * @module
 */
import { formatMean, formatMs, formatUsd } from "../report/format.ts";
import { escapeMarkdown } from "../report/performance_section.ts";
import type {
  Comparison,
  ComparisonTiming,
  FigureComparison,
  Pairing,
  ScopeComparison,
} from "./compare_benchmarks.ts";
import { type Figure, figureLabel, figureMinimumRuns, figureUnit } from "./figures.ts";
import type { GateResult } from "./gate.ts";
import {
  qualityChanges,
  qualityDeltaCell,
  qualityIntervalCell,
  qualityLines,
} from "./_quality_markdown.ts";
import type { QualityComparison } from "./quality_comparison.ts";

/**
 * Formats a figure's value in its unit: dollars, milliseconds, or a mean count.
 *
 * @param value The value, or null.
 * @param figure The figure comparison it belongs to.
 * @returns The text; `–` for null.
 *
 * @example Usage
 * ```ts
 * import { formatFigureValue } from "./compare_markdown.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatFigureValue(1234.4, "p95"), "1,234 ms");
 * assert.equal(formatFigureValue(null, "cost"), "–");
 * ```
 */
export function formatFigureValue(
  value: number | null,
  figure: FigureComparison["figure"],
): string {
  if (value === null) return "–";
  switch (figureUnit(figure)) {
    case "usd":
      return formatUsd(value);
    case "ms":
      return formatMs(value);
    default:
      return formatMean(value);
  }
}

function signed(value: number, figure: FigureComparison["figure"]): string {
  const sign = value > 0 ? "+" : value < 0 ? "−" : "±";
  return sign + formatFigureValue(Math.abs(value), figure);
}

/**
 * Formats a relative change as a signed percentage, e.g. `+400.0%`.
 *
 * @param relative The change as a fraction of the baseline, or null.
 * @returns The text; `–` for null.
 *
 * @example Usage
 * ```ts
 * import { formatRelative } from "./compare_markdown.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatRelative(4), "+400.0%");
 * assert.equal(formatRelative(-0.05), "−5.0%");
 * ```
 */
export function formatRelative(relative: number | null): string {
  if (relative === null) return "–";
  const sign = relative > 0 ? "+" : relative < 0 ? "−" : "±";
  return `${sign}${(Math.abs(relative) * 100).toFixed(1)}%`;
}

function deltaCell(f: FigureComparison): string {
  if (f.delta === null) return "–";
  if (f.delta === 0) return "±0";
  const significant = f.verdict === "regressed" || f.verdict === "improved";
  const ratio = significant && f.baseline !== null && f.baseline > 0 && f.candidate !== null
    ? ` (×${(f.candidate / f.baseline).toFixed(2)})`
    : "";
  return `${signed(f.delta, f.figure)} ${formatRelative(f.relativeDelta)}${ratio}`;
}

function intervalCell(f: FigureComparison): string {
  if (f.interval === null) return "–";
  if (f.interval[0] === 0 && f.interval[1] === 0) return "±0";
  return `${signed(f.interval[0], f.figure)} … ${signed(f.interval[1], f.figure)}`;
}

function verdictCell(f: FigureComparison): string {
  if (f.verdict === "regressed") return "**regressed**";
  if (f.verdict === "improved") return "**improved**";
  if (f.verdict === "too few runs") return `too few runs (needs ${figureMinimumRuns(f.figure)})`;
  return f.verdict;
}

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

const PAIRING: Record<Pairing, string> = {
  run: "runs paired by input and repeat",
  input: "runs paired by input",
  none: "unpaired (the benchmarks ran different inputs)",
};

/** Sides this far apart in time or more met different load: their latency is not comparable. */
export const FAR_APART_MS = 10 * 60_000;

/**
 * Formats a span of time in words: `45 s`, `12 min`, `1 h 4 min`, `2 d 3 h`.
 *
 * @param ms The span, milliseconds.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import { formatSpan } from "./compare_markdown.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatSpan(3_840_000), "1 h 4 min");
 * assert.equal(formatSpan(45_000), "45 s");
 * ```
 */
export function formatSpan(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 === 0 ? "" : ` ${minutes % 60} min`}`;
  return `${Math.floor(hours / 24)} d${hours % 24 === 0 ? "" : ` ${hours % 24} h`}`;
}

/**
 * What the comparison says about when the two sides ran: interleaved in one time window, one
 * after the other, or so far apart that their latency figures met different load.
 *
 * @param timing The comparison's timing.
 * @returns One Markdown sentence, or "" when a side has no runs.
 *
 * @example Usage
 * ```ts
 * import { formatTiming } from "./compare_markdown.ts";
 * import assert from "node:assert/strict";
 *
 * const side = (startedAt: number) => ({ startedAt, endedAt: startedAt + 60_000 });
 * const timing = { baseline: side(0), candidate: side(3_900_000), gapMs: 3_840_000, interleaved: false };
 * assert.match(formatTiming(timing), /ran 1 h 4 min apart/);
 * ```
 */
export function formatTiming(timing: ComparisonTiming): string {
  if (timing.gapMs === null) return "";
  if (timing.interleaved) return "The two sides ran interleaved, in one time window.";
  if (timing.gapMs >= FAR_APART_MS) {
    return `⚠️ **The two sides ran ${formatSpan(timing.gapMs)} apart**: machine and provider ` +
      "load differ between them, so a latency verdict may be the weather rather than the " +
      "change; run both in one time window, interleaved, to judge latency.";
  }
  return `The two sides ran one after the other${
    timing.gapMs > 0 ? `, ${formatSpan(timing.gapMs)} apart` : ""
  } (not interleaved): slow drifts in load can still reach the latency figures.`;
}

/** The end-to-end figure a service figure stands beside. */
const END_TO_END: Partial<Record<Figure, Figure>> = { serviceP50: "p50", serviceP95: "p95" };

/**
 * A service figure equal on both sides to its end-to-end one (no call waited): the summary says
 * the change once, under its end-to-end name.
 */
function sameAsEndToEnd(figure: FigureComparison, figures: readonly FigureComparison[]): boolean {
  const endToEnd = END_TO_END[figure.figure];
  const twin = figures.find((f) => f.figure === endToEnd);
  return twin !== undefined && twin.baseline === figure.baseline &&
    twin.candidate === figure.candidate;
}

/** Below this many pairs (or runs a side), the summary warns that intervals are rough. */
const FEW_PAIRS = 20;

/** A name as Markdown text: escaped, so it shows as written. */
const text = escapeMarkdown;

/**
 * Formats a comparison as Markdown: a summary of what changed, a table of the whole pipeline,
 * a table per stage, one table of the node paths inside the stages, and the gate's lines when
 * rules were given.
 *
 * @param comparison The comparison.
 * @param gate The gate's results, when a gate was asked for.
 * @returns The Markdown.
 *
 * @example Usage
 * ```ts
 * import { compareBenchmarks } from "./compare_benchmarks.ts";
 * import { formatComparisonMarkdown } from "./compare_markdown.ts";
 * import assert from "node:assert/strict";
 *
 * const comparison = compareBenchmarks([], [], { baselineLabel: "<b>main</b>" });
 * const markdown = formatComparisonMarkdown(comparison);
 * assert.match(markdown, /\\<b\\>main\\<\/b\\>/);
 * assert.doesNotMatch(markdown, /<b>/);
 * ```
 */
export function formatComparisonMarkdown(
  comparison: Comparison,
  gate: readonly GateResult[] = [],
): string {
  const { baseline, candidate } = comparison;
  const lines = [
    `## graphmeter compare: ${text(baseline.label)} → ${text(candidate.label)}`,
    "",
    `Baseline ${text(baseline.label)}: ${baseline.runs} runs (${baseline.failedRuns} failed); ` +
    `candidate ${
      text(candidate.label)
    }: ${candidate.runs} runs (${candidate.failedRuns} failed). ` +
    `${PAIRING[comparison.pairing]}` +
    (comparison.pairing === "none" ? "" : ` (${comparison.pairs} pairs)`) +
    `; Δ = candidate − baseline with its ${comparison.confidence * 100}% bootstrap confidence ` +
    `interval (${comparison.resamples} resamples, seed ${comparison.seed}); a change counts ` +
    "only when its interval excludes zero." +
    (comparison.pairs > 0 && comparison.pairs < FEW_PAIRS || comparison.pairing === "none" &&
        Math.min(baseline.runs, candidate.runs) < FEW_PAIRS
      ? ` With under ${FEW_PAIRS} runs a side, intervals (of p95 above all) are rough.`
      : ""),
    "",
  ];
  const timing = formatTiming(comparison.timing);
  if (timing !== "") lines.push(timing, "");
  const changed = [
    ...qualityChanges(comparison.quality),
    ...comparison.scopes.flatMap((scope) =>
      scope.figures
        .filter((f) => f.verdict === "regressed" || f.verdict === "improved")
        .filter((f) => !sameAsEndToEnd(f, scope.figures))
        .map((f) =>
          `${scope.stage === null ? "" : `${text(scope.stage)} `}${
            figureLabel(f.figure, scope.stage)
          } ` +
          `${f.verdict} ${formatRelative(f.relativeDelta)}`
        )
    ),
  ];
  lines.push(
    changed.length === 0 ? "**No significant change.**" : `**Changed:** ${changed.join("; ")}.`,
    "",
  );
  if (gate.length > 0) lines.push(...formatGate(gate), "");

  lines.push(...qualityLines(comparison.quality));
  const header = ["Figure", "Baseline", "Candidate", "Δ", "95% CI", "Verdict"];
  for (const scope of comparison.scopes) {
    if (scope.depth !== undefined) continue; // node paths: one table below
    lines.push(scope.stage === null ? "### Whole pipeline" : `### Stage ${text(scope.stage)}`, "");
    lines.push(row(header), row(header.map(() => "---")));
    for (const f of scope.figures) {
      lines.push(row([
        figureLabel(f.figure, scope.stage),
        formatFigureValue(f.baseline, f.figure),
        formatFigureValue(f.candidate, f.figure),
        deltaCell(f),
        intervalCell(f),
        verdictCell(f),
      ]));
    }
    lines.push("");
  }
  lines.push(...nestedTable(comparison.scopes.filter((scope) => scope.depth !== undefined)));
  return lines.join("\n");
}

/** The figures the node paths' table shows, one column each. */
const NESTED_COLUMNS: readonly FigureComparison["figure"][] = ["exclusive", "p50", "cost", "calls"];

/** A figure as `baseline → candidate`, its change when significant. */
function changeCell(f: FigureComparison | undefined): string {
  if (f === undefined || f.baseline === null && f.candidate === null) return "–";
  const values = `${formatFigureValue(f.baseline, f.figure)} → ${
    formatFigureValue(f.candidate, f.figure)
  }`;
  const significant = f.verdict === "regressed" || f.verdict === "improved";
  return significant ? `${values} (**${f.verdict}** ${formatRelative(f.relativeDelta)})` : values;
}

/**
 * One table for the node paths inside the stages: per path its exclusive time, p50 latency, cost
 * and calls (`baseline → candidate`), and what changed significantly among all its figures.
 */
function nestedTable(scopes: readonly ScopeComparison[]): string[] {
  if (scopes.length === 0) return [];
  const header = ["Node path", "Exclusive time / run", "p50 latency", "Cost / run", "Calls / run"];
  const lines = [
    "### Nodes inside the stages",
    "",
    "Each node path's own (exclusive) time and its inclusive figures; the last column names " +
    "every figure whose change is significant.",
    "",
    row([...header, "Verdict"]),
    row([...header, "Verdict"].map(() => "---")),
  ];
  for (const scope of scopes) {
    const changed = scope.figures.filter((f) =>
      f.verdict === "regressed" || f.verdict === "improved"
    );
    const verdict = changed.length === 0
      ? (scope.figures.every((f) => f.verdict !== "no significant change")
        ? "not comparable"
        : "no significant change")
      : changed.map((f) =>
        `**${f.verdict}** ${figureLabel(f.figure, scope.stage)} ${formatRelative(f.relativeDelta)}`
      ).join("; ");
    lines.push(row([
      "`" + (scope.stage ?? "").replace(/\|/g, "\\|").replace(/`/g, "'") + "`",
      ...NESTED_COLUMNS.map((figure) => changeCell(scope.figures.find((f) => f.figure === figure))),
      verdict,
    ]));
  }
  lines.push("");
  return lines;
}

/**
 * The gate's lines: each rule passed or failed, and why.
 *
 * @param gate The gate's results.
 * @returns One Markdown list item per rule, after a heading.
 *
 * @example Usage
 * ```ts
 * import { formatGate } from "./compare_markdown.ts";
 * import type { GateResult } from "./gate.ts";
import {
  qualityChanges,
  qualityDeltaCell,
  qualityIntervalCell,
  qualityLines,
} from "./_quality_markdown.ts";
import type { QualityComparison } from "./quality_comparison.ts";
 * import assert from "node:assert/strict";
 *
 * const result = {
 *   rule: { text: "cost:+5%", stage: null, figure: "cost", threshold: { kind: "percent", value: 0.05 } },
 *   comparison: {
 *     figure: "cost", baseline: 1, candidate: 2, delta: 1, relativeDelta: 1,
 *     interval: [0.9, 1.1], verdict: "regressed",
 *   },
 *   failed: true,
 * } as GateResult;
 * assert.match(formatGate([result]).join("\n"), /FAILED `cost:\+5%`/);
 * ```
 */
export function formatGate(gate: readonly GateResult[]): string[] {
  const failed = gate.filter((result) => result.failed).length;
  const lines = [
    `### Gate: ${failed === 0 ? "passed" : `FAILED (${failed} of ${gate.length} rules)`}`,
    "",
  ];
  for (const result of gate) {
    if ("key" in result.comparison) {
      lines.push(qualityGateLine(result.rule, result.comparison, result.failed));
      continue;
    }
    const { rule, failed } = result;
    const f = result.comparison;
    const name = `${rule.stage === null ? "" : `${rule.stage} `}${
      figureLabel(f.figure, rule.stage)
    }`;
    const limit = rule.threshold.kind === "percent"
      ? `+${(rule.threshold.value * 100).toFixed(1)}%`
      : signed(rule.threshold.value, f.figure);
    const change = f.delta === null
      ? "not comparable"
      : f.verdict === "too few runs"
      ? `cannot be judged: too few runs (needs ${figureMinimumRuns(f.figure)} a side)`
      : `${f.verdict} by ${deltaCell(f)} (95% CI ${intervalCell(f)})`;
    const code = "`" + rule.text.replace(/`/g, "'") + "`";
    lines.push(
      failed
        ? `- ❌ FAILED ${code}: ${text(name)} ${change}, past the limit ${limit}`
        : f.verdict === "too few runs" || f.verdict === "not comparable"
        ? `- ⚠️ not judged ${code}: ${text(name)} ${change}; run more to gate on it`
        : `- ✅ passed ${code}: ${text(name)} ${change}; limit ${limit}`,
    );
  }
  return lines;
}

/** One quality rule's line: the key's change against how far it may drop. */
function qualityGateLine(rule: GateResult["rule"], q: QualityComparison, failed: boolean): string {
  const limit = rule.threshold.kind === "percent"
    ? `−${(rule.threshold.value * 100).toFixed(1)}%`
    : `−${rule.threshold.value}`;
  const name = `quality ${text(q.key)}`;
  const code = "`" + rule.text.replace(/`/g, "'") + "`";
  const change = q.delta === null
    ? "not comparable"
    : q.verdict === "too few runs"
    ? `cannot be judged: too few scored runs (${q.baselineScored} and ${q.candidateScored})`
    : `${q.verdict} by ${qualityDeltaCell(q)} (95% CI ${qualityIntervalCell(q)})`;
  if (failed) return `- ❌ FAILED ${code}: ${name} ${change}, past the limit ${limit}`;
  if (q.verdict === "too few runs" || q.verdict === "not comparable") {
    return `- ⚠️ not judged ${code}: ${name} ${change}; run more to gate on it`;
  }
  return `- ✅ passed ${code}: ${name} ${change}; limit ${limit}`;
}
