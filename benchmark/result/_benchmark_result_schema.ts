/**
 * The zod schemas of `metrics.json`, the single source of truth: the published interfaces in
 * `benchmark_result.ts` and `benchmark_aggregates.ts` are held to them by the compiler. Private to
 * the package.
 *
 * @module
 */
import { z } from "zod";
import { type PricingInfo, pricingInfoSchema } from "../../telemetry/metrics.ts";
import { type CostBreakdown, costBreakdownSchema } from "../../pricing/breakdown.ts";
import { qualityRecordSchema, runRecordSchema } from "../run_record.ts";
import { scoreSummarySchema } from "../../evaluate/score_summary.ts";
import { evaluationCostSummarySchema } from "../../evaluate/evaluation_cost.ts";
import { passingSummarySchema } from "../../evaluate/passing.ts";

const ms = z.number().nonnegative();
const count = z.number().int().nonnegative();
const usd = z.number().nonnegative().nullable();

/** The zod schema of `StageAggregate`. */
export const stageAggregateSchema = z.object({
  stage: z.string(),
  runs: count,
  latencyP50Ms: ms,
  latencyP95Ms: ms,
  latencyMaxMs: ms,
  streamedCalls: count,
  timeToFirstTokenP50Ms: ms.nullable(),
  llmCalls: count,
  inputTokens: count,
  outputTokens: count,
  meanLlmCalls: z.number().nonnegative(),
  meanInputTokens: z.number().nonnegative(),
  meanOutputTokens: z.number().nonnegative(),
  costUsd: usd,
  costPerRunUsd: usd,
  costShare: z.number().min(0).max(1).nullable(),
  unpricedCalls: count,
  partialCalls: count,
  costBreakdown: costBreakdownSchema as z.ZodType<CostBreakdown>,
});

/** The zod schema of `QualitySummary`. */
export const qualitySummarySchema = z.object({
  name: z.string(),
  runs: count,
  total: z.number(),
  mean: z.number(),
  min: z.number(),
  max: z.number(),
});

/** The zod schema of `DailyVolume`. */
export const dailyVolumeSchema = z.object({ amount: z.number().nonnegative(), label: z.string() });

/** The zod schema of `BenchmarkAggregates`. */
export const benchmarkAggregatesSchema = z.object({
  successfulRuns: count,
  failedRuns: count,
  stages: z.array(stageAggregateSchema),
  wallTimeP50Ms: ms,
  wallTimeP95Ms: ms,
  wallTimeMaxMs: ms,
  streamedCalls: count,
  timeToFirstTokenP50Ms: ms.nullable(),
  llmCalls: count,
  inputTokens: count,
  outputTokens: count,
  costUsd: usd,
  costPerRunUsd: usd,
  unpricedCalls: count,
  partialCalls: count,
  costBreakdown: costBreakdownSchema as z.ZodType<CostBreakdown>,
  allRunsCostUsd: usd,
  unitName: z.string().nullable(),
  inputAmount: z.number().nonnegative().nullable(),
  costPerUnitUsd: usd,
  dailyVolume: dailyVolumeSchema.nullable(),
  projectedDailyCostUsd: usd,
  quality: z.array(qualitySummarySchema),
  // Absent in a metrics.json written before evaluators: none ran.
  scores: z.array(scoreSummarySchema).default([]),
  evaluation: evaluationCostSummarySchema.nullable().default(null),
  passing: passingSummarySchema.nullable().default(null),
});

/** The zod schema of `BenchmarkMeta`. */
export const benchmarkMetaSchema = z.object({
  createdAt: z.string(),
  gitCommit: z.string().nullable(),
  models: z.record(z.string(), z.string()),
  modelsNote: z.string().optional(),
  notes: z.record(z.string(), z.string()).optional(),
  inputSource: z.string(),
  repeats: z.number().int().positive(),
  concurrency: z.number().int().positive(),
  maxCostUsd: z.number().nonnegative().nullable(),
  seed: z.number().int().nullable(),
  graph: z.string().optional(),
  passRules: z.array(z.string()).optional(),
});

/** The zod schema of `RunTotals`. */
export const runTotalsSchema = z.object({
  inputId: z.string(),
  repeat: count,
  ok: z.boolean(),
  error: z.string().nullable(),
  wallTimeMs: ms,
  llmCalls: count,
  inputTokens: count,
  outputTokens: count,
  cacheReadTokens: count,
  costUsd: usd,
  unpricedCalls: count,
  inputAmount: z.number().nonnegative().nullable(),
  quality: qualityRecordSchema.nullable(),
});

/** The zod schema of `StageModels`. */
export const stageModelsSchema = z.object({ stage: z.string(), models: z.array(z.string()) });

/** The zod schema of `StoredBenchmarkRef`. */
export const storedBenchmarkRefSchema = z.object({
  id: z.string(),
  label: z.string().nullable(),
  db: z.string(),
});

/** The zod schema of `BenchmarkResult`. */
export const benchmarkResultSchema = z.object({
  schemaVersion: z.literal(2),
  benchmark: storedBenchmarkRefSchema.nullable(),
  meta: benchmarkMetaSchema,
  pricing: (pricingInfoSchema as z.ZodType<PricingInfo>).nullable(),
  plannedRuns: count,
  notRun: count,
  stoppedReason: z.string().nullable(),
  aggregates: benchmarkAggregatesSchema,
  modelsPerStage: z.array(stageModelsSchema),
  slowestRun: runRecordSchema.nullable(),
  runs: z.array(runTotalsSchema),
  stoppedRuns: z.array(runTotalsSchema).default([]),
});
