/**
 * The aggregates of `metrics.json`: per stage, per quality measure, and for the whole benchmark.
 * Each type is a readonly interface held by the compiler to its zod schema (the single source of
 * truth), with a validator of the same name.
 *
 * @module
 */
import type { z } from "zod";
import type { MetricsSchema } from "../../telemetry/metrics.ts";
import type { CostBreakdown } from "../../pricing/breakdown.ts";
import {
  benchmarkAggregatesSchema,
  type dailyVolumeSchema,
  qualitySummarySchema,
  stageAggregateSchema,
} from "./_benchmark_result_schema.ts";
import type { SameKeys } from "../../pricing/_same_keys.ts";
import type { ScoreSummary } from "../../evaluate/score_summary.ts";
import type { EvaluationCostSummary } from "../../evaluate/evaluation_cost.ts";
import type { PassingSummary } from "../../evaluate/passing.ts";

/** One stage across the successful runs of a benchmark. */
export interface StageAggregate {
  /** The stage's name. */
  readonly stage: string;
  /** Successful runs in which the stage appears (executed or was attributed calls). */
  readonly runs: number;
  /** Median of the stage's per-run latency (nearest rank), over the runs where it appears. */
  readonly latencyP50Ms: number;
  /** 95th percentile of the stage's per-run latency (nearest rank). */
  readonly latencyP95Ms: number;
  /** Largest per-run latency of the stage. */
  readonly latencyMaxMs: number;
  /** The stage's calls that streamed (have a `timeToFirstTokenMs`), summed over the runs. */
  readonly streamedCalls: number;
  /**
   * Median time to first token of the stage's streamed calls (nearest rank, over every such call
   * of the successful runs); null when none streamed.
   */
  readonly timeToFirstTokenP50Ms: number | null;
  /** LLM calls summed over the successful runs. */
  readonly llmCalls: number;
  /** Prompt tokens summed over the successful runs. */
  readonly inputTokens: number;
  /** Completion tokens summed over the successful runs. */
  readonly outputTokens: number;
  /** LLM calls per successful run (runs where the stage did not execute count as 0). */
  readonly meanLlmCalls: number;
  /** Prompt tokens per successful run. */
  readonly meanInputTokens: number;
  /** Completion tokens per successful run. */
  readonly meanOutputTokens: number;
  /**
   * Priced cost summed over the successful runs: null when the stage made calls and none of them
   * could be priced (never $0); a partial sum when some could (see `unpricedCalls`).
   */
  readonly costUsd: number | null;
  /** `costUsd` per successful run. */
  readonly costPerRunUsd: number | null;
  /** `costUsd` over the sum of all stages' `costUsd`; null when that sum is 0 or unknown. */
  readonly costShare: number | null;
  /** Calls left out of `costUsd` because they could not be priced. */
  readonly unpricedCalls: number;
  /** Priced calls with a dimension whose rate is unknown (that part is not in the costs). */
  readonly partialCalls: number;
  /** Where the stage's money went, by billed dimension, summed over the successful runs. */
  readonly costBreakdown: CostBreakdown;
}

/** One quality measure (from the workload's quality function) over the successful runs. */
export interface QualitySummary {
  /** The measure's name, as the quality function returned it. */
  readonly name: string;
  /** Successful runs that reported the measure. */
  readonly runs: number;
  /** Sum over those runs. */
  readonly total: number;
  /** `total` / `runs`. */
  readonly mean: number;
  /** Smallest value. */
  readonly min: number;
  /** Largest value. */
  readonly max: number;
}

/** A daily volume for the cost projection, in the benchmark's unit. */
export interface DailyVolume {
  /** Units a day (e.g. 100 when the unit is "1,000 words" and the volume 100,000 words). */
  readonly amount: number;
  /** The volume in words a reader knows, e.g. `100,000 words`. */
  readonly label: string;
}

/** What a whole benchmark measured, over its successful runs unless a field says otherwise. */
export interface BenchmarkAggregates {
  /** Successful runs (the ones aggregated). */
  readonly successfulRuns: number;
  /** Failed runs (left out of the aggregates except `allRunsCostUsd`). */
  readonly failedRuns: number;
  /** Per stage, in the order stages first appeared. */
  readonly stages: readonly StageAggregate[];
  /** Median wall time of a run (nearest rank). */
  readonly wallTimeP50Ms: number;
  /** 95th percentile wall time of a run (nearest rank). */
  readonly wallTimeP95Ms: number;
  /** Longest wall time of a run. */
  readonly wallTimeMaxMs: number;
  /** Calls that streamed (have a `timeToFirstTokenMs`), summed over the successful runs. */
  readonly streamedCalls: number;
  /** Median time to first token over every streamed call (nearest rank); null when none. */
  readonly timeToFirstTokenP50Ms: number | null;
  /** LLM calls summed. */
  readonly llmCalls: number;
  /** Prompt tokens summed. */
  readonly inputTokens: number;
  /** Completion tokens summed. */
  readonly outputTokens: number;
  /**
   * Priced cost summed: null when there is no successful run, or when calls were made and none
   * could be priced (never $0); a partial sum when some could.
   */
  readonly costUsd: number | null;
  /** `costUsd` per successful run. */
  readonly costPerRunUsd: number | null;
  /** Calls left out of `costUsd` because they could not be priced. */
  readonly unpricedCalls: number;
  /** Priced calls with a dimension whose rate is unknown (that part is not in the costs). */
  readonly partialCalls: number;
  /** Where the money went, by billed dimension, summed over the successful runs. */
  readonly costBreakdown: CostBreakdown;
  /** Priced cost of every run, failed ones included (what the benchmark itself cost). */
  readonly allRunsCostUsd: number | null;
  /** What cost is normalised by (the benchmark's unit, e.g. `1,000 words`), or null for none. */
  readonly unitName: string | null;
  /** The inputs' amount of that unit, summed; null without a unit or when an input has none. */
  readonly inputAmount: number | null;
  /** `costUsd` per unit; null when the amount or cost is unknown, or the amount is 0. */
  readonly costPerUnitUsd: number | null;
  /** The daily volume the projection assumes (in units, and in words a reader knows), or null. */
  readonly dailyVolume: DailyVolume | null;
  /** `costPerUnitUsd` x `dailyVolume.amount`; null without either. */
  readonly projectedDailyCostUsd: number | null;
  /** The quality measures of the successful runs (the quality function's plain numbers). */
  readonly quality: readonly QualitySummary[];
  /** Each evaluator key's scores over the successful runs; empty without evaluators. */
  readonly scores: readonly ScoreSummary[];
  /**
   * What the evaluators' own LLM calls (an LLM-as-judge's) cost, apart from the pipeline: never
   * in `costUsd` or `costPerRunUsd`. Null when no run was evaluated.
   */
  readonly evaluation: EvaluationCostSummary | null;
  /**
   * Which runs pass (every `meta.passRules` rule, else every boolean key) and the pipeline's
   * cost per passing run; null when there is nothing to pass by.
   */
  readonly passing: PassingSummary | null;
}

/**
 * Validates one stage's aggregate.
 *
 * @example Usage
 * ```ts
 * import { StageAggregate } from "./benchmark_aggregates.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(StageAggregate.safeParse({ stage: "segmentation" }).success, false);
 * ```
 */
export const StageAggregate: MetricsSchema<StageAggregate> = stageAggregateSchema;

/**
 * Validates one quality measure's summary.
 *
 * @example Usage
 * ```ts
 * import { QualitySummary } from "./benchmark_aggregates.ts";
 * import assert from "node:assert/strict";
 *
 * const summary = { name: "nodesCreated", runs: 2, total: 8, mean: 4, min: 3, max: 5 };
 * assert.deepEqual(QualitySummary.parse(summary), summary);
 * ```
 */
export const QualitySummary: MetricsSchema<QualitySummary> = qualitySummarySchema;

/**
 * Validates a benchmark's aggregates.
 *
 * @example Usage
 * ```ts
 * import { BenchmarkAggregates } from "./benchmark_aggregates.ts";
 * import { aggregateRuns } from "./aggregate_runs.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(BenchmarkAggregates.safeParse(aggregateRuns([])).success, true);
 * ```
 */
export const BenchmarkAggregates: MetricsSchema<BenchmarkAggregates> = benchmarkAggregatesSchema;

// The compiler holds each interface to its schema: the assignments above check that the schema's
// values are the interface's; these check that neither side has a field the other lacks.
const _sameFields: [
  SameKeys<StageAggregate, z.infer<typeof stageAggregateSchema>>,
  SameKeys<QualitySummary, z.infer<typeof qualitySummarySchema>>,
  SameKeys<DailyVolume, z.infer<typeof dailyVolumeSchema>>,
  SameKeys<BenchmarkAggregates, z.infer<typeof benchmarkAggregatesSchema>>,
] = [true, true, true, true];
