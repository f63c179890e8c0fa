/**
 * Aggregates a benchmark's runs per stage and in total (pure functions), and assembles the
 * {@linkcode BenchmarkResult} written to `metrics.json`.
 *
 * @module
 */
import { addTotals, emptyTotals, mergeNotes } from "../../telemetry/aggregate.ts";
import type {
  LLMCallMetrics,
  PricingInfo,
  StageMetrics,
  StageTotals,
} from "../../telemetry/metrics.ts";
import type { BenchmarkMeta, BenchmarkResult, StoredBenchmarkRef } from "./benchmark_result.ts";
import type { BenchmarkAggregates, DailyVolume, StageAggregate } from "./benchmark_aggregates.ts";
import { modelsPerStage, runTotalsOf, slowestRun } from "./run_totals.ts";
import { summarizeQuality } from "./quality_summary.ts";
import { serviceLatencyOf } from "./service_latency.ts";
import { aggregatePaths } from "./path_aggregates.ts";
import { isSuccessfulRun, type RunRecord } from "../run_record.ts";
import { summarizeScores } from "../../evaluate/score_summary.ts";
import { summarizeEvaluationCost } from "../../evaluate/evaluation_cost.ts";
import {
  parsePassRules,
  type PassRule,
  passRulesFor,
  summarizePassing,
} from "../../evaluate/passing.ts";
import type { BenchmarkRun } from "../runner.ts";
import { groupRuns } from "./groups.ts";

export type { DailyVolume };

/** What {@linkcode aggregateRuns} normalises cost by. */
export interface AggregateOptions {
  /** The benchmark's unit name (e.g. `1,000 words`), or null for none. */
  unitName?: string | null;
  /** The daily volume for the projection, or null for none. */
  daily?: DailyVolume | null;
  /** What passing means (`KEY>=VALUE` rules); default every boolean key must pass. */
  passRules?: readonly PassRule[];
}

/**
 * The nearest-rank percentile of some values: the smallest value with at least `q` of the values
 * at or below it.
 *
 * @param values The values, in any order.
 * @param q The percentile as a fraction (0.5 for the median, 0.95 for p95).
 * @returns The percentile, or 0 for no values.
 *
 * @example Usage
 * ```ts
 * import { percentile } from "./aggregate_runs.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(percentile([30, 10, 20, 40], 0.5), 20);
 * assert.equal(percentile([30, 10, 20, 40], 0.95), 40);
 * ```
 */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

/**
 * Sums stages (or runs) by telemetry's rule ({@linkcode addTotals}): the cost is null when they
 * made calls and none was priced, never $0; otherwise the sum of the priced ones, partial when
 * some were unpriced. The cost breakdown and partial calls are summed alike.
 */
function sumTotals(rows: readonly StageTotals[]): StageTotals {
  const total = emptyTotals();
  for (const row of rows) addTotals(total, row);
  return total;
}

/** How many calls streamed, and their median time to first token (null when none did). */
function timeToFirstToken(
  calls: readonly LLMCallMetrics[],
): { streamed: number; p50: number | null } {
  const times = calls.flatMap((call) => call.timeToFirstTokenMs ?? []);
  return { streamed: times.length, p50: times.length === 0 ? null : percentile(times, 0.5) };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** The largest value, 0 for none (no spread: 100,000 arguments overflow the stack). */
function max(values: readonly number[]): number {
  return values.reduce((largest, value) => Math.max(largest, value), 0);
}

function perRun(total: number | null, runs: number): number | null {
  return total === null || runs === 0 ? null : total / runs;
}

/** A percentile of the known values; null when none is known. */
function knownPercentile(values: readonly (number | null)[], q: number): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : percentile(known, q);
}

/** The HTTP attempt sums of some totals. */
function waitSums(totals: StageTotals) {
  return {
    trackedCalls: totals.trackedCalls,
    httpAttempts: totals.httpAttempts,
    rateLimitedAttempts: totals.rateLimitedAttempts,
    waitMs: totals.waitMs,
  };
}

/**
 * Aggregates the successful runs per stage and in total; failed runs only count in
 * `failedRuns` and `allRunsCostUsd`.
 *
 * @param records The finished runs.
 * @param options The unit cost is normalised by and the daily volume of the projection.
 * @returns The aggregates.
 *
 * @example Usage
 * ```ts
 * import { aggregateRuns } from "./aggregate_runs.ts";
 * import assert from "node:assert/strict";
 *
 * const aggregates = aggregateRuns([], { unitName: "document" });
 * assert.equal(aggregates.successfulRuns, 0);
 * assert.equal(aggregates.costUsd, null);
 * assert.equal(aggregates.costPerUnitUsd, null);
 * ```
 */
export function aggregateRuns(
  records: readonly RunRecord[],
  options: AggregateOptions = {},
): BenchmarkAggregates {
  const ok = records.filter(isSuccessfulRun);
  const n = ok.length;
  const stageNames = [...new Set(ok.flatMap((record) => Object.keys(record.metrics.stages)))];
  const stageRows = stageNames.map((name) =>
    ok.map((record) => record.metrics.stages[name]).filter((s): s is StageMetrics => !!s)
  );
  const stageSums = stageRows.map((rows) => sumTotals(rows));
  const runSums = sumTotals(ok.map((record) => record.metrics.totals));
  const costUsd = n === 0 ? null : runSums.costUsd;
  const calls = ok.flatMap((record) => record.metrics.calls);
  const stages = stageNames.map((stage, index): StageAggregate => {
    const rows = stageRows[index];
    const latencies = rows.map((row) => row.latencyMs);
    const service = rows.map((row) => serviceLatencyOf(row.latencyMs, row));
    const ttft = timeToFirstToken(calls.filter((call) => call.stage === stage));
    const llmCalls = sum(rows.map((row) => row.llmCalls));
    const inputTokens = sum(rows.map((row) => row.inputTokens));
    const outputTokens = sum(rows.map((row) => row.outputTokens));
    const stageCost = stageSums[index].costUsd;
    return {
      stage,
      runs: rows.length,
      latencyP50Ms: percentile(latencies, 0.5),
      latencyP95Ms: percentile(latencies, 0.95),
      latencyMaxMs: max(latencies),
      latencyTotalMs: sum(latencies),
      serviceLatencyP50Ms: knownPercentile(service, 0.5),
      serviceLatencyP95Ms: knownPercentile(service, 0.95),
      streamedCalls: ttft.streamed,
      timeToFirstTokenP50Ms: ttft.p50,
      llmCalls,
      inputTokens,
      outputTokens,
      meanLlmCalls: llmCalls / n,
      meanInputTokens: inputTokens / n,
      meanOutputTokens: outputTokens / n,
      costUsd: stageCost,
      costPerRunUsd: perRun(stageCost, n),
      costShare: stageCost === null || !costUsd ? null : stageCost / costUsd,
      unpricedCalls: sum(rows.map((row) => row.unpricedCalls)),
      partialCalls: stageSums[index].partialCalls,
      costBreakdown: { ...stageSums[index].costBreakdown },
      ...waitSums(stageSums[index]),
    };
  });
  const wallTimes = ok.map((record) => record.metrics.wallTimeMs);
  const serviceWallTimes = ok.map((record) =>
    serviceLatencyOf(record.metrics.wallTimeMs, record.metrics.totals)
  );
  const unitName = options.unitName ?? null;
  const amounts = ok.map((record) => record.inputAmount);
  const inputAmount = unitName !== null && n > 0 && amounts.every((a) => a !== null)
    ? sum(amounts as number[])
    : null;
  const costPerUnitUsd = costUsd === null || !inputAmount ? null : costUsd / inputAmount;
  const daily = unitName === null ? null : options.daily ?? null;
  const ttft = timeToFirstToken(calls);
  return {
    successfulRuns: n,
    failedRuns: records.length - n,
    stages,
    wallTimeP50Ms: percentile(wallTimes, 0.5),
    wallTimeP95Ms: percentile(wallTimes, 0.95),
    wallTimeMaxMs: max(wallTimes),
    serviceWallTimeP50Ms: knownPercentile(serviceWallTimes, 0.5),
    serviceWallTimeP95Ms: knownPercentile(serviceWallTimes, 0.95),
    streamedCalls: ttft.streamed,
    timeToFirstTokenP50Ms: ttft.p50,
    llmCalls: sum(stages.map((s) => s.llmCalls)),
    inputTokens: sum(stages.map((s) => s.inputTokens)),
    outputTokens: sum(stages.map((s) => s.outputTokens)),
    costUsd,
    costPerRunUsd: perRun(costUsd, n),
    unpricedCalls: sum(stages.map((s) => s.unpricedCalls)),
    partialCalls: runSums.partialCalls,
    costBreakdown: { ...runSums.costBreakdown },
    allRunsCostUsd: records.length === 0
      ? null
      : sumTotals(records.map((record) => record.metrics.totals)).costUsd,
    unitName,
    inputAmount,
    costPerUnitUsd,
    dailyVolume: daily,
    projectedDailyCostUsd: costPerUnitUsd === null || daily === null
      ? null
      : costPerUnitUsd * daily.amount,
    quality: summarizeQuality(ok),
    ...waitSums(runSums),
    paths: aggregatePaths(ok),
    ...qualityAggregates(ok, options.passRules ?? []),
  };
}

/** The evaluators' figures over the successful runs: scores, evaluation cost, passing runs. */
function qualityAggregates(
  ok: readonly RunRecord[],
  passRules: readonly PassRule[],
): Pick<BenchmarkAggregates, "scores" | "evaluation" | "passing"> {
  const scored = ok.map((record) => ({
    inputId: record.inputId,
    repeat: record.repeat,
    scores: record.evaluation?.scores,
    costUsd: record.metrics.totals.costUsd,
  }));
  const scores = summarizeScores(scored);
  const evaluated = ok.flatMap((record) => record.evaluation ?? []);
  return {
    scores,
    evaluation: evaluated.length === 0 ? null : summarizeEvaluationCost(evaluated),
    passing: summarizePassing(scored, passRulesFor(passRules, scores)),
  };
}

/** The runs' price catalog (the first run's), with every run's pricing notes, each once. */
function pricingOf(records: readonly RunRecord[]): PricingInfo | null {
  const first = records[0]?.metrics.pricing;
  if (first === undefined) return null;
  const notes = mergeNotes(...records.map((record) => record.metrics.pricing.notes));
  return notes.length === 0 ? first : { ...first, notes };
}

/** A run's record without its pricing notes: the benchmark lists them once, in `pricing`. */
function withoutNotes(record: RunRecord | null): RunRecord | null {
  if (record === null || (record.metrics.pricing.notes ?? []).length === 0) return record;
  const pricing = { ...record.metrics.pricing, notes: [] };
  return { ...record, metrics: { ...record.metrics, pricing } };
}

/**
 * Assembles the content of `metrics.json` from a finished benchmark: typed by construction, so
 * nothing is parsed again (at 100,000 runs that took seconds).
 *
 * @param run What the runner returned.
 * @param meta Facts about the benchmark (date, models, git commit, ...).
 * @param daily The daily volume for the cost projection (in the run's unit), or null.
 * @param benchmark Where the runs are stored, or null.
 * @returns The result.
 *
 * @example Usage
 * ```ts
 * import { buildBenchmarkResult } from "./aggregate_runs.ts";
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
 * assert.equal(result.runs.length, 0);
 * ```
 */
export function buildBenchmarkResult(
  run: BenchmarkRun,
  meta: BenchmarkMeta,
  daily: DailyVolume | null = null,
  benchmark: StoredBenchmarkRef | null = null,
): BenchmarkResult {
  return {
    schemaVersion: 2,
    benchmark,
    meta,
    pricing: pricingOf(run.records),
    plannedRuns: run.total,
    notRun: run.notRun,
    stoppedReason: run.stoppedReason,
    aggregates: aggregateRuns(run.records, {
      unitName: run.unitName ?? null,
      daily,
      passRules: meta.passRules === undefined ? [] : parsePassRules(meta.passRules.join(",")),
    }),
    modelsPerStage: modelsPerStage(run.records),
    slowestRun: withoutNotes(slowestRun(run.records)),
    runs: run.records.map(runTotalsOf),
    stoppedRuns: (run.stoppedRuns ?? []).map(runTotalsOf),
    groups: meta.groupBy === undefined ? null : groupRuns(run.records, meta.groupBy),
  };
}
