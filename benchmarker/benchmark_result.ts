/**
 * The schema of `metrics.json`: every run's record (with its `PipelineMetrics`) and the aggregates
 * computed from them, so every number in the Markdown report can be recomputed from the file.
 *
 * @module
 */
import { z } from "zod";
import { PricingInfo } from "../telemetry/metrics.ts";
import { RunRecord } from "./run_record.ts";

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
});
/** Facts about a benchmark that the runs themselves do not hold. */
export type BenchmarkMeta = z.infer<typeof BenchmarkMeta>;

/** The shape of {@linkcode BenchmarkResult}. */
type BenchmarkResultShape = {
  schemaVersion: z.ZodLiteral<1>;
  meta: typeof BenchmarkMeta;
  pricing: z.ZodNullable<typeof PricingInfo>;
  plannedRuns: Num;
  notRun: Num;
  stoppedReason: z.ZodNullable<Str>;
  stoppedRuns: z.ZodDefault<z.ZodArray<typeof RunRecord>>;
  runs: z.ZodArray<typeof RunRecord>;
  aggregates: typeof BenchmarkAggregates;
};

/**
 * The content of `metrics.json`: a whole benchmark, every run and the aggregates.
 *
 * @example Usage
 * ```ts
 * import { BenchmarkResult } from "./benchmark_result.ts";
 * import assert from "node:assert/strict";
 *
 * // metrics.json is validated when read back, as when written.
 * assert.equal(BenchmarkResult.safeParse({ schemaVersion: 2 }).success, false);
 * ```
 */
export const BenchmarkResult: z.ZodObject<BenchmarkResultShape> = z.object({
  /** The version of this schema. */
  schemaVersion: z.literal(1),
  /** Facts about the benchmark. */
  meta: BenchmarkMeta,
  /** The price catalog of the runs' costs (from the first run), or null without runs. */
  pricing: PricingInfo.nullable(),
  /** Runs planned (inputs x repeats). */
  plannedRuns: count,
  /** Runs not made (never launched, or stopped in flight): the budget stopped the benchmark. */
  notRun: count,
  /** Null, or why the benchmark stopped early. */
  stoppedReason: z.string().nullable(),
  /**
   * Runs aborted in flight when the benchmark stopped (the budget), with their partial metrics:
   * their cost was spent, but they are not in `runs` and a resume makes them again.
   */
  stoppedRuns: z.array(RunRecord).default([]),
  /** Every finished run, in plan order. */
  runs: z.array(RunRecord),
  /** The aggregates, computed from `runs`. */
  aggregates: BenchmarkAggregates,
});
/** The content of `metrics.json`: a whole benchmark, every run and the aggregates. */
export type BenchmarkResult = z.infer<typeof BenchmarkResult>;
