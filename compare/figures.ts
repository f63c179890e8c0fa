/**
 * The figures a comparison weighs, and how each is read out of one run's record: per run for the
 * whole pipeline (`total`) or for one stage. All are "lower is better".
 *
 * @module
 */
import { isSuccessfulRun, type RunRecord } from "../benchmark/run_record.ts";
import { mean, percentileOf, type Statistic } from "./_bootstrap.ts";
import { serviceLatencyOf } from "../benchmark/result/service_latency.ts";
import { pathSegment } from "../telemetry/_path_figures.ts";

/**
 * The compared figures, in table order: cost per run, input/output/all tokens per run, LLM calls
 * per run, p50 and p95 latency (wall time for the total, stage time for a stage, waits included),
 * p50 and p95 service latency (the same without the calls' waits: failed attempts, backoff,
 * pacing; for the total and the stages), errors (failed runs per run for the total, failed
 * executions and calls per run for a stage), and the exclusive time per run of a stage or of a
 * node inside one (what it held on its own; not for the whole pipeline). A node path inside a
 * stage (`research_agent/tools`) is compared on its inclusive figures, like a stage.
 *
 * @example Usage
 * ```ts
 * import { FIGURES } from "./figures.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(FIGURES[0], "cost");
 * ```
 */
export const FIGURES = [
  "cost",
  "inputTokens",
  "outputTokens",
  "tokens",
  "calls",
  "p50",
  "p95",
  "serviceP50",
  "serviceP95",
  "errors",
  "exclusive",
] as const;
/** One compared figure. */
export type Figure = typeof FIGURES[number];

/** A value's unit, for formatting. */
export type FigureUnit = "usd" | "tokens" | "count" | "ms";

interface FigureDefinition {
  unit: FigureUnit;
  minimumRuns: number;
  statistic: Statistic;
  label: (stage: string | null) => string;
  value: (record: RunRecord, stage: string | null) => number | null;
}

const p50 = percentileOf(0.5);
const p95 = percentileOf(0.95);

/** A run's latency for the scope: wall time (total) or the stage's time; null when left out. */
function latency(record: RunRecord, stage: string | null): number | null {
  if (!isSuccessfulRun(record)) return null; // failed runs end early: their times mislead
  if (stage === null) return record.metrics.wallTimeMs;
  return (record.metrics.stages[stage] ?? record.metrics.paths?.[stage])?.latencyMs ?? null;
}

/**
 * The same without its calls' waits; null when left out, when a call's attempts were untracked,
 * and for a node path inside a stage (its calls' waits are summed per stage only).
 */
function serviceLatency(record: RunRecord, stage: string | null): number | null {
  const latencyMs = latency(record, stage);
  const totals = stage === null ? record.metrics.totals : record.metrics.stages[stage];
  return latencyMs === null || totals === undefined ? null : serviceLatencyOf(latencyMs, totals);
}

/** The sums of a scope in one run: the totals, a stage's, or a node path's inclusive figures. */
function row(record: RunRecord, stage: string | null) {
  if (stage === null) return record.metrics.totals;
  return record.metrics.stages[stage] ?? record.metrics.paths?.[stage]?.inclusive;
}

/** What a stage's or node's own code held in one run (a stage's path is its name). */
function exclusiveTime(record: RunRecord, stage: string | null): number | null {
  const paths = record.metrics.paths ?? {};
  // Runs recorded before node paths (an older store) have none: not comparable, never 0.
  if (stage === null || !isSuccessfulRun(record) || Object.keys(paths).length === 0) return null;
  const key = record.metrics.stages[stage] === undefined ? stage : pathSegment(stage);
  const path = paths[key];
  return path?.exclusive.timeMs ?? 0; // a node that did not run held nothing
}

const DEFINITIONS: Record<Figure, FigureDefinition> = {
  cost: {
    unit: "usd",
    minimumRuns: 2,
    statistic: mean,
    label: () => "cost per run",
    // A stage that did not run cost nothing; an unpriced row (null) is left out.
    value: (record, stage) => {
      const totals = row(record, stage);
      return totals === undefined ? 0 : totals.costUsd;
    },
  },
  inputTokens: {
    unit: "tokens",
    minimumRuns: 2,
    statistic: mean,
    label: () => "input tokens per run",
    value: (record, stage) => row(record, stage)?.inputTokens ?? 0,
  },
  outputTokens: {
    unit: "tokens",
    minimumRuns: 2,
    statistic: mean,
    label: () => "output tokens per run",
    value: (record, stage) => row(record, stage)?.outputTokens ?? 0,
  },
  tokens: {
    unit: "tokens",
    minimumRuns: 2,
    statistic: mean,
    label: () => "tokens per run",
    value: (record, stage) => {
      const totals = row(record, stage);
      return totals === undefined ? 0 : totals.inputTokens + totals.outputTokens;
    },
  },
  calls: {
    unit: "count",
    minimumRuns: 2,
    statistic: mean,
    label: () => "LLM calls per run",
    value: (record, stage) => row(record, stage)?.llmCalls ?? 0,
  },
  p50: {
    unit: "ms",
    minimumRuns: 10,
    statistic: p50,
    label: (stage) => stage === null ? "p50 wall time" : "p50 latency",
    value: latency,
  },
  p95: {
    unit: "ms",
    minimumRuns: 40,
    statistic: p95,
    label: (stage) => stage === null ? "p95 wall time" : "p95 latency",
    value: latency,
  },
  serviceP50: {
    unit: "ms",
    minimumRuns: 10,
    statistic: p50,
    label: (stage) => stage === null ? "p50 service wall time" : "p50 service latency",
    value: serviceLatency,
  },
  serviceP95: {
    unit: "ms",
    minimumRuns: 40,
    statistic: p95,
    label: (stage) => stage === null ? "p95 service wall time" : "p95 service latency",
    value: serviceLatency,
  },
  errors: {
    unit: "count",
    minimumRuns: 2,
    statistic: mean,
    label: (stage) => stage === null ? "failed runs per run" : "errors per run",
    value: (record, stage) =>
      stage === null ? (isSuccessfulRun(record) ? 0 : 1) : row(record, stage)?.errors ?? 0,
  },
  exclusive: {
    unit: "ms",
    // A time: a mean over a few runs is at the mercy of warm-up and scheduling (as p50 is).
    minimumRuns: 10,
    statistic: mean,
    label: () => "exclusive time per run",
    value: exclusiveTime,
  },
};

/**
 * A figure's value in one run, for the whole pipeline (`stage` null) or one stage; null when the
 * run does not count for the figure (an unpriced cost, the latency of a failed run or of a stage
 * that did not run).
 *
 * @param figure The figure.
 * @param record The run.
 * @param stage The stage, or null for the whole pipeline.
 * @returns The value, or null.
 *
 * @example Usage
 * ```ts
 * import { figureValue } from "./figures.ts";
 * import type { RunRecord } from "../benchmark/run_record.ts";
 * import assert from "node:assert/strict";
 *
 * const record = {
 *   error: null,
 *   metrics: { status: "ok", totals: { inputTokens: 10, outputTokens: 5 }, stages: {} },
 * } as unknown as RunRecord;
 * assert.equal(figureValue("tokens", record, null), 15);
 * assert.equal(figureValue("p50", record, "missing_stage"), null);
 * ```
 */
export function figureValue(
  figure: Figure,
  record: RunRecord,
  stage: string | null,
): number | null {
  return DEFINITIONS[figure].value(record, stage);
}

/**
 * The statistic a figure compares: the mean per run, or the nearest-rank percentile.
 *
 * @param figure The figure.
 * @returns The statistic.
 *
 * @example Usage
 * ```ts
 * import { figureStatistic } from "./figures.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(figureStatistic("p95")(Float64Array.from([1, 2, 3, 4])), 4);
 * assert.equal(figureStatistic("cost")(Float64Array.from([1, 2, 3, 4])), 2.5);
 * ```
 */
export function figureStatistic(figure: Figure): Statistic {
  return DEFINITIONS[figure].statistic;
}

/**
 * A figure's name in a report, e.g. `cost per run` or `p95 wall time`.
 *
 * @param figure The figure.
 * @param stage The stage, or null for the whole pipeline.
 * @returns The label.
 *
 * @example Usage
 * ```ts
 * import { figureLabel } from "./figures.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(figureLabel("p95", null), "p95 wall time");
 * assert.equal(figureLabel("p95", "segmentation"), "p95 latency");
 * ```
 */
export function figureLabel(figure: Figure, stage: string | null): string {
  return DEFINITIONS[figure].label(stage);
}

/**
 * The fewest runs a side needs before a figure gets a verdict. A bootstrap cannot judge an
 * extreme percentile from a few runs (the resampled p95 of 14 runs is their maximum, so its
 * interval is degenerate): p95 needs 40 runs (two above the percentile), p50 needs 10, a mean 2
 * (the mean exclusive time 10, as a time).
 *
 * @param figure The figure.
 * @returns The minimum number of runs (or paired units).
 *
 * @example Usage
 * ```ts
 * import { figureMinimumRuns } from "./figures.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(figureMinimumRuns("p95"), 40);
 * ```
 */
export function figureMinimumRuns(figure: Figure): number {
  return DEFINITIONS[figure].minimumRuns;
}

/**
 * A figure's unit.
 *
 * @param figure The figure.
 * @returns `usd`, `tokens`, `count` or `ms`.
 *
 * @example Usage
 * ```ts
 * import { figureUnit } from "./figures.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(figureUnit("cost"), "usd");
 * ```
 */
export function figureUnit(figure: Figure): FigureUnit {
  return DEFINITIONS[figure].unit;
}
