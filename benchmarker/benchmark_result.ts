/**
 * The schema of `metrics.json`: the aggregates, each run's totals and the slowest run's record;
 * every call lives in the results store, so the file stays small at any number of runs.
 *
 * @module
 */
import { z } from "zod";
import { type PricingInfo, pricingInfoSchema } from "../telemetry/metrics.ts";
import { type CostBreakdown, costBreakdownSchema } from "../pricing/breakdown.ts";
import { QualityRecord, RunRecord } from "./run_record.ts";

const ms: z.ZodNumber = z.number().nonnegative();
const count: z.ZodNumber = z.number().int().nonnegative();
const usd: z.ZodNullable<z.ZodNumber> = z.number().nonnegative().nullable();

type Num = z.ZodNumber;
type NullableNum = z.ZodNullable<z.ZodNumber>;
type Str = z.ZodString;

/** The shape of {@linkcode StageAggregate}. */
type StageAggregateShape = {
  stage: Str;
  runs: Num;
  latencyP50Ms: Num;
  latencyP95Ms: Num;
  latencyMaxMs: Num;
  streamedCalls: Num;
  timeToFirstTokenP50Ms: NullableNum;
  llmCalls: Num;
  inputTokens: Num;
  outputTokens: Num;
  meanLlmCalls: Num;
  meanInputTokens: Num;
  meanOutputTokens: Num;
  costUsd: NullableNum;
  costPerRunUsd: NullableNum;
  costShare: NullableNum;
  unpricedCalls: Num;
  partialCalls: Num;
  costBreakdown: z.ZodType<CostBreakdown>;
};

/**
 * One stage across the successful runs of a benchmark.
 *
 * @example Usage
 * ```ts
 * import { StageAggregate } from "./benchmark_result.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(StageAggregate.safeParse({ stage: "segmentation" }).success, false);
 * ```
 */
export const StageAggregate: z.ZodObject<StageAggregateShape> = z.object({
  /** The stage's name. */
  stage: z.string(),
  /** Successful runs in which the stage appears (executed or was attributed calls). */
  runs: count,
  /** Median of the stage's per-run latency (nearest rank), over the runs where it appears. */
  latencyP50Ms: ms,
  /** 95th percentile of the stage's per-run latency (nearest rank). */
  latencyP95Ms: ms,
  /** Largest per-run latency of the stage. */
  latencyMaxMs: ms,
  /** The stage's calls that streamed (have a `timeToFirstTokenMs`), summed over the runs. */
  streamedCalls: count,
  /**
   * Median time to first token of the stage's streamed calls (nearest rank, over every such call
   * of the successful runs); null when none streamed.
   */
  timeToFirstTokenP50Ms: ms.nullable(),
  /** LLM calls summed over the successful runs. */
  llmCalls: count,
  /** Prompt tokens summed over the successful runs. */
  inputTokens: count,
  /** Completion tokens summed over the successful runs. */
  outputTokens: count,
  /** LLM calls per successful run (runs where the stage did not execute count as 0). */
  meanLlmCalls: z.number().nonnegative(),
  /** Prompt tokens per successful run. */
  meanInputTokens: z.number().nonnegative(),
  /** Completion tokens per successful run. */
  meanOutputTokens: z.number().nonnegative(),
  /**
   * Priced cost summed over the successful runs: null when the stage made calls and none of them
   * could be priced (never $0); a partial sum when some could (see `unpricedCalls`).
   */
  costUsd: usd,
  /** `costUsd` per successful run. */
  costPerRunUsd: usd,
  /** `costUsd` over the sum of all stages' `costUsd`; null when that sum is 0 or unknown. */
  costShare: z.number().min(0).max(1).nullable(),
  /** Calls left out of `costUsd` because they could not be priced. */
  unpricedCalls: count,
  /** Priced calls with a dimension whose rate is unknown (that part is not in the costs). */
  partialCalls: count,
  /** Where the stage's money went, by billed dimension, summed over the successful runs. */
  costBreakdown: costBreakdownSchema as z.ZodType<CostBreakdown>,
});
/** One stage across the successful runs of a benchmark. */
export type StageAggregate = z.infer<typeof StageAggregate>;

/** The shape of {@linkcode QualitySummary}. */
type QualitySummaryShape = { name: Str; runs: Num; total: Num; mean: Num; min: Num; max: Num };

/**
 * One quality measure (from the workload's quality function) over the successful runs.
 *
 * @example Usage
 * ```ts
 * import { QualitySummary } from "./benchmark_result.ts";
 * import assert from "node:assert/strict";
 *
 * const summary = { name: "nodesCreated", runs: 2, total: 8, mean: 4, min: 3, max: 5 };
 * assert.deepEqual(QualitySummary.parse(summary), summary);
 * ```
 */
export const QualitySummary: z.ZodObject<QualitySummaryShape> = z.object({
  /** The measure's name, as the quality function returned it. */
  name: z.string(),
  /** Successful runs that reported the measure. */
  runs: count,
  /** Sum over those runs. */
  total: z.number(),
  /** `total` / `runs`. */
  mean: z.number(),
  /** Smallest value. */
  min: z.number(),
  /** Largest value. */
  max: z.number(),
});
/** One quality measure (from the workload's quality function) over the successful runs. */
export type QualitySummary = z.infer<typeof QualitySummary>;

/** The shape of {@linkcode BenchmarkAggregates}. */
type BenchmarkAggregatesShape = {
  successfulRuns: Num;
  failedRuns: Num;
  stages: z.ZodArray<typeof StageAggregate>;
  wallTimeP50Ms: Num;
  wallTimeP95Ms: Num;
  wallTimeMaxMs: Num;
  streamedCalls: Num;
  timeToFirstTokenP50Ms: NullableNum;
  llmCalls: Num;
  inputTokens: Num;
  outputTokens: Num;
  costUsd: NullableNum;
  costPerRunUsd: NullableNum;
  unpricedCalls: Num;
  partialCalls: Num;
  costBreakdown: z.ZodType<CostBreakdown>;
  allRunsCostUsd: NullableNum;
  unitName: z.ZodNullable<Str>;
  inputAmount: NullableNum;
  costPerUnitUsd: NullableNum;
  dailyVolume: z.ZodNullable<z.ZodObject<{ amount: Num; label: Str }>>;
  projectedDailyCostUsd: NullableNum;
  quality: z.ZodArray<typeof QualitySummary>;
};

/**
 * What a whole benchmark measured, over its successful runs unless a field says otherwise.
 *
 * @example Usage
 * ```ts
 * import { BenchmarkAggregates } from "./benchmark_result.ts";
 * import { aggregateRuns } from "./aggregate.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(BenchmarkAggregates.safeParse(aggregateRuns([])).success, true);
 * ```
 */
export const BenchmarkAggregates: z.ZodObject<BenchmarkAggregatesShape> = z.object({
  /** Successful runs (the ones aggregated). */
  successfulRuns: count,
  /** Failed runs (left out of the aggregates except `allRunsCostUsd`). */
  failedRuns: count,
  /** Per stage, in the order stages first appeared. */
  stages: z.array(StageAggregate),
  /** Median wall time of a run (nearest rank). */
  wallTimeP50Ms: ms,
  /** 95th percentile wall time of a run (nearest rank). */
  wallTimeP95Ms: ms,
  /** Longest wall time of a run. */
  wallTimeMaxMs: ms,
  /** Calls that streamed (have a `timeToFirstTokenMs`), summed over the successful runs. */
  streamedCalls: count,
  /** Median time to first token over every streamed call (nearest rank); null when none. */
  timeToFirstTokenP50Ms: ms.nullable(),
  /** LLM calls summed. */
  llmCalls: count,
  /** Prompt tokens summed. */
  inputTokens: count,
  /** Completion tokens summed. */
  outputTokens: count,
  /**
   * Priced cost summed: null when there is no successful run, or when calls were made and none
   * could be priced (never $0); a partial sum when some could.
   */
  costUsd: usd,
  /** `costUsd` per successful run. */
  costPerRunUsd: usd,
  /** Calls left out of `costUsd` because they could not be priced. */
  unpricedCalls: count,
  /** Priced calls with a dimension whose rate is unknown (that part is not in the costs). */
  partialCalls: count,
  /** Where the money went, by billed dimension, summed over the successful runs. */
  costBreakdown: costBreakdownSchema as z.ZodType<CostBreakdown>,
  /** Priced cost of every run, failed ones included (what the benchmark itself cost). */
  allRunsCostUsd: usd,
  /** What cost is normalised by (the benchmark's unit, e.g. `1,000 words`), or null for none. */
  unitName: z.string().nullable(),
  /** The inputs' amount of that unit, summed; null without a unit or when an input has none. */
  inputAmount: z.number().nonnegative().nullable(),
  /** `costUsd` per unit; null when the amount or cost is unknown, or the amount is 0. */
  costPerUnitUsd: usd,
  /** The daily volume the projection assumes (in units, and in words a reader knows), or null. */
  dailyVolume: z.object({ amount: z.number().nonnegative(), label: z.string() }).nullable(),
  /** `costPerUnitUsd` x `dailyVolume.amount`; null without either. */
  projectedDailyCostUsd: usd,
  /** The quality measures of the successful runs. */
  quality: z.array(QualitySummary),
});
/** What a whole benchmark measured, over its successful runs unless a field says otherwise. */
export type BenchmarkAggregates = z.infer<typeof BenchmarkAggregates>;

/** The shape of {@linkcode BenchmarkMeta}. */
type BenchmarkMetaShape = {
  createdAt: Str;
  gitCommit: z.ZodNullable<Str>;
  models: z.ZodRecord<Str, Str>;
  modelsNote: z.ZodOptional<Str>;
  notes: z.ZodOptional<z.ZodRecord<Str, Str>>;
  inputSource: Str;
  repeats: Num;
  concurrency: Num;
  maxCostUsd: NullableNum;
  seed: NullableNum;
  graph: z.ZodOptional<Str>;
};

/**
 * Facts about a benchmark that the runs themselves do not hold.
 *
 * @example Usage
 * ```ts
 * import { BenchmarkMeta } from "./benchmark_result.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(BenchmarkMeta.safeParse({ createdAt: "2025-01-01" }).success, false);
 * ```
 */
export const BenchmarkMeta: z.ZodObject<BenchmarkMetaShape> = z.object({
  /** When the benchmark report was made, ISO 8601. */
  createdAt: z.string(),
  /** The git commit of the code measured, when run inside a repository. */
  gitCommit: z.string().nullable(),
  /** The configured model per stage (`*` for all stages), e.g. `{ "*": "openai:gpt-4o-mini" }`. */
  models: z.record(z.string(), z.string()),
  /**
   * A note the report shows wherever models are listed (e.g. that they were simulated: real
   * names and prices, no provider called).
   */
  modelsNote: z.string().optional(),
  /**
   * Free-form facts the report lists in its header, label -> text (e.g. `Calls`, `Price
   * overrides`): what the benchmark's definition or its command line wants a reader to know.
   */
  notes: z.record(z.string(), z.string()).optional(),
  /** Where the inputs came from (a path, or `bundled transcripts`). */
  inputSource: z.string(),
  /** Runs per input. */
  repeats: z.number().int().positive(),
  /** Runs in flight at most. */
  concurrency: z.number().int().positive(),
  /** The budget, or null for none. */
  maxCostUsd: z.number().nonnegative().nullable(),
  /** The seed given to the models, or null. */
  seed: z.number().int().nullable(),
  /** The graph benchmarked, when not the bundled workload (e.g. `agent` or `./g.ts:graph`). */
  graph: z.string().optional(),
});
/** Facts about a benchmark that the runs themselves do not hold. */
export type BenchmarkMeta = z.infer<typeof BenchmarkMeta>;

/** The shape of {@linkcode RunTotals}. */
type RunTotalsShape = {
  inputId: Str;
  repeat: Num;
  ok: z.ZodBoolean;
  error: z.ZodNullable<Str>;
  wallTimeMs: Num;
  llmCalls: Num;
  inputTokens: Num;
  outputTokens: Num;
  cacheReadTokens: Num;
  costUsd: NullableNum;
  unpricedCalls: Num;
  inputAmount: NullableNum;
  quality: z.ZodNullable<typeof QualityRecord>;
};

/**
 * One run's totals in `metrics.json` (its stages and calls live in the results store).
 *
 * @example Usage
 * ```ts
 * import { RunTotals } from "./benchmark_result.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(RunTotals.safeParse({ inputId: "a", repeat: 0 }).success, false);
 * ```
 */
export const RunTotals: z.ZodObject<RunTotalsShape> = z.object({
  /** The input's id. */
  inputId: z.string(),
  /** The repeat, from 0. */
  repeat: count,
  /** Whether the run succeeded. */
  ok: z.boolean(),
  /** Null, or why the run failed. */
  error: z.string().nullable(),
  /** The run's wall time. */
  wallTimeMs: ms,
  /** LLM calls. */
  llmCalls: count,
  /** Prompt tokens (cached included). */
  inputTokens: count,
  /** Completion tokens. */
  outputTokens: count,
  /** Prompt tokens read from a cache. */
  cacheReadTokens: count,
  /** Priced cost; null when calls were made and none could be priced. */
  costUsd: usd,
  /** Calls that could not be priced. */
  unpricedCalls: count,
  /** The input's amount of the benchmark's unit (e.g. thousands of words), or null. */
  inputAmount: z.number().nonnegative().nullable(),
  /** Quality measures, or null. */
  quality: QualityRecord.nullable(),
});
/** One run's totals in `metrics.json` (its stages and calls live in the results store). */
export type RunTotals = z.infer<typeof RunTotals>;

/** The shape of {@linkcode StageModels}. */
type StageModelsShape = { stage: Str; models: z.ZodArray<Str> };

/**
 * The models that answered one stage's calls (`provider:model`, in first-seen order).
 *
 * @example Usage
 * ```ts
 * import { StageModels } from "./benchmark_result.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(StageModels.safeParse({ stage: "a", models: ["openai:gpt-4o"] }).success, true);
 * ```
 */
export const StageModels: z.ZodObject<StageModelsShape> = z.object({
  /** The stage. */
  stage: z.string(),
  /** `provider:model` of every model that answered it. */
  models: z.array(z.string()),
});
/** The models that answered one stage's calls. */
export type StageModels = z.infer<typeof StageModels>;

/** The shape of {@linkcode StoredBenchmarkRef}. */
type StoredBenchmarkRefShape = { id: Str; label: z.ZodNullable<Str>; db: Str };

/**
 * Where a benchmark's runs and calls are stored: its id and label in a results store.
 *
 * @example Usage
 * ```ts
 * import { StoredBenchmarkRef } from "./benchmark_result.ts";
 * import assert from "node:assert/strict";
 *
 * const ref = { id: "20260101-000000-ab12", label: null, db: "reports/graphmeter.db" };
 * assert.deepEqual(StoredBenchmarkRef.parse(ref), ref);
 * ```
 */
export const StoredBenchmarkRef: z.ZodObject<StoredBenchmarkRefShape> = z.object({
  /** The benchmark's id in the store. */
  id: z.string(),
  /** Its label, or null. */
  label: z.string().nullable(),
  /** The store's path. */
  db: z.string(),
});
/** Where a benchmark's runs and calls are stored. */
export type StoredBenchmarkRef = z.infer<typeof StoredBenchmarkRef>;

/** The shape of {@linkcode BenchmarkResult}. */
type BenchmarkResultShape = {
  schemaVersion: z.ZodLiteral<2>;
  benchmark: z.ZodNullable<typeof StoredBenchmarkRef>;
  meta: typeof BenchmarkMeta;
  pricing: z.ZodNullable<z.ZodType<PricingInfo>>;
  plannedRuns: Num;
  notRun: Num;
  stoppedReason: z.ZodNullable<Str>;
  aggregates: typeof BenchmarkAggregates;
  modelsPerStage: z.ZodArray<typeof StageModels>;
  slowestRun: z.ZodNullable<typeof RunRecord>;
  runs: z.ZodArray<typeof RunTotals>;
  stoppedRuns: z.ZodDefault<z.ZodArray<typeof RunTotals>>;
};

/**
 * The content of `metrics.json`: a whole benchmark's aggregates, each run's totals and the slowest
 * run's record (its calls and every other run's stages live in the results store).
 *
 * @example Usage
 * ```ts
 * import { BenchmarkResult } from "./benchmark_result.ts";
 * import assert from "node:assert/strict";
 *
 * // metrics.json is validated when read back.
 * assert.equal(BenchmarkResult.safeParse({ schemaVersion: 1 }).success, false);
 * ```
 */
export const BenchmarkResult: z.ZodObject<BenchmarkResultShape> = z.object({
  /** The version of this schema (2: calls moved to the results store). */
  schemaVersion: z.literal(2),
  /** Where the runs and calls are stored, or null when they were not stored. */
  benchmark: StoredBenchmarkRef.nullable(),
  /** Facts about the benchmark. */
  meta: BenchmarkMeta,
  /** The price catalog of the runs' costs (from the first run), or null without runs. */
  pricing: (pricingInfoSchema as z.ZodType<PricingInfo>).nullable(),
  /** Runs planned (inputs x repeats). */
  plannedRuns: count,
  /** Runs not made (never launched, or stopped in flight): the budget stopped the benchmark. */
  notRun: count,
  /** Null, or why the benchmark stopped early. */
  stoppedReason: z.string().nullable(),
  /** The aggregates, computed from every run's record. */
  aggregates: BenchmarkAggregates,
  /** The models that answered each stage, in the order stages first made a call. */
  modelsPerStage: z.array(StageModels),
  /** The slowest successful run (the slowest run when none succeeded), or null without runs. */
  slowestRun: RunRecord.nullable(),
  /** Each finished run's totals, in plan order. */
  runs: z.array(RunTotals),
  /**
   * Runs aborted in flight when the benchmark stopped (the budget), their totals so far: their
   * cost was spent, but they are not in `runs` or the aggregates, and a resume makes them again.
   */
  stoppedRuns: z.array(RunTotals).default([]),
});
/** The content of `metrics.json`: a whole benchmark's aggregates and each run's totals. */
export type BenchmarkResult = z.infer<typeof BenchmarkResult>;
