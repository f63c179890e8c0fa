/**
 * The zod schemas of `metrics.json`, the single source of truth: the published interfaces in
 * `benchmark_result.ts` and `benchmark_aggregates.ts` are generated from them and their
 * descriptions (`deno task types`), and held to them by the compiler. Private to the package.
 *
 * @module
 */
import { z } from "zod";
import { type PricingInfo, pricingInfoSchema } from "../../telemetry/metrics.ts";
import { type CostBreakdown, costBreakdownSchema } from "../../pricing/breakdown.ts";
import { qualityRecordSchema, runRecordSchema } from "../run_record.ts";
import { pathAggregateSchema } from "./path_aggregates.ts";
import { scoreSummarySchema } from "../../evaluate/score_summary.ts";
import { evaluationCostSummarySchema } from "../../evaluate/evaluation_cost.ts";
import { passingSummarySchema } from "../../evaluate/passing.ts";

const ms = z.number().nonnegative();
const count = z.number().int().nonnegative();
const usd = z.number().nonnegative().nullable();

/** The HTTP attempt sums a stage aggregate and the whole benchmark share (absent before: 0). */
function waitFields(of: string) {
  return {
    trackedCalls: count.default(0).describe(
      `${of} calls whose HTTP attempts were tracked, summed over the successful runs.`,
    ),
    httpAttempts: count.default(0).describe("Their HTTP attempts (retries included)."),
    rateLimitedAttempts: count.default(0).describe(
      "Of those, the ones answered 429 (rate limited).",
    ),
    waitMs: ms.default(0).describe(
      `What failed attempts, backoff, \`retry-after\` and pacing added to ${of.toLowerCase()} ` +
        "calls, summed, ms.",
    ),
  };
}

/** The zod schema of `StageAggregate`. */
export const stageAggregateSchema = z.object({
  stage: z.string().describe("The stage's name."),
  runs: count.describe(
    "Successful runs in which the stage appears (executed or was attributed calls).",
  ),
  latencyP50Ms: ms.describe(
    "Median of the stage's per-run latency (nearest rank), over the runs where it appears.",
  ),
  latencyP95Ms: ms.describe("95th percentile of the stage's per-run latency (nearest rank)."),
  latencyMaxMs: ms.describe("Largest per-run latency of the stage."),
  latencyTotalMs: ms.default(0).describe(
    "The stage's latency summed over the runs where it appears, ms (what waits are a share of).",
  ),
  serviceLatencyP50Ms: ms.nullable().default(null).describe(
    "Median of the stage's per-run latency without its calls' waits (failed attempts, backoff, " +
      "`retry-after`, pacing), over the runs whose calls were all tracked; null when none were.",
  ),
  serviceLatencyP95Ms: ms.nullable().default(null).describe(
    "95th percentile of the same (nearest rank); null likewise.",
  ),
  streamedCalls: count.describe(
    "The stage's calls that streamed (have a `timeToFirstTokenMs`), summed over the runs.",
  ),
  timeToFirstTokenP50Ms: ms.nullable().describe(
    "Median time to first token of the stage's streamed calls (nearest rank, over every such " +
      "call of the successful runs); null when none streamed.",
  ),
  llmCalls: count.describe("LLM calls summed over the successful runs."),
  inputTokens: count.describe("Prompt tokens summed over the successful runs."),
  outputTokens: count.describe("Completion tokens summed over the successful runs."),
  meanLlmCalls: z.number().nonnegative().describe(
    "LLM calls per successful run (runs where the stage did not execute count as 0).",
  ),
  meanInputTokens: z.number().nonnegative().describe("Prompt tokens per successful run."),
  meanOutputTokens: z.number().nonnegative().describe("Completion tokens per successful run."),
  costUsd: usd.describe(
    "Priced cost summed over the successful runs: null when the stage made calls and none of " +
      "them could be priced (never $0); a partial sum when some could (see `unpricedCalls`).",
  ),
  costPerRunUsd: usd.describe("`costUsd` per successful run."),
  costShare: z.number().min(0).max(1).nullable().describe(
    "`costUsd` over the sum of all stages' `costUsd`; null when that sum is 0 or unknown.",
  ),
  unpricedCalls: count.describe("Calls left out of `costUsd` because they could not be priced."),
  partialCalls: count.describe(
    "Priced calls with a dimension whose rate is unknown (that part is not in the costs).",
  ),
  costBreakdown: (costBreakdownSchema as z.ZodType<CostBreakdown>).describe(
    "Where the stage's money went, by billed dimension, summed over the successful runs.",
  ),
  ...waitFields("The stage's"),
}).describe("One stage across the successful runs of a benchmark.");

/** The zod schema of `QualitySummary`. */
export const qualitySummarySchema = z.object({
  name: z.string().describe("The measure's name, as the quality function returned it."),
  runs: count.describe("Successful runs that reported the measure."),
  total: z.number().describe("Sum over those runs."),
  mean: z.number().describe("`total` / `runs`."),
  min: z.number().describe("Smallest value."),
  max: z.number().describe("Largest value."),
}).describe(
  "One quality measure (from the workload's quality function) over the successful runs.",
);

/** The zod schema of `DailyVolume`. */
export const dailyVolumeSchema = z.object({
  amount: z.number().nonnegative().describe(
    'Units a day (e.g. 100 when the unit is "1,000 words" and the volume 100,000 words).',
  ),
  label: z.string().describe("The volume in words a reader knows, e.g. `100,000 words`."),
}).describe("A daily volume for the cost projection, in the benchmark's unit.");

/** The zod schema of `BenchmarkAggregates`. */
export const benchmarkAggregatesSchema = z.object({
  successfulRuns: count.describe("Successful runs (the ones aggregated)."),
  failedRuns: count.describe(
    "Failed runs (left out of the aggregates except `allRunsCostUsd`).",
  ),
  stages: z.array(stageAggregateSchema).describe(
    "Per stage, in the order stages first appeared.",
  ),
  wallTimeP50Ms: ms.describe("Median wall time of a run (nearest rank)."),
  wallTimeP95Ms: ms.describe("95th percentile wall time of a run (nearest rank)."),
  wallTimeMaxMs: ms.describe("Longest wall time of a run."),
  serviceWallTimeP50Ms: ms.nullable().default(null).describe(
    "Median wall time of a run without its calls' waits, over the runs whose calls were all " +
      "tracked; null when none were.",
  ),
  serviceWallTimeP95Ms: ms.nullable().default(null).describe(
    "95th percentile of the same (nearest rank); null likewise.",
  ),
  streamedCalls: count.describe(
    "Calls that streamed (have a `timeToFirstTokenMs`), summed over the successful runs.",
  ),
  timeToFirstTokenP50Ms: ms.nullable().describe(
    "Median time to first token over every streamed call (nearest rank); null when none.",
  ),
  llmCalls: count.describe("LLM calls summed."),
  inputTokens: count.describe("Prompt tokens summed."),
  outputTokens: count.describe("Completion tokens summed."),
  costUsd: usd.describe(
    "Priced cost summed: null when there is no successful run, or when calls were made and " +
      "none could be priced (never $0); a partial sum when some could.",
  ),
  costPerRunUsd: usd.describe("`costUsd` per successful run."),
  unpricedCalls: count.describe("Calls left out of `costUsd` because they could not be priced."),
  partialCalls: count.describe(
    "Priced calls with a dimension whose rate is unknown (that part is not in the costs).",
  ),
  costBreakdown: (costBreakdownSchema as z.ZodType<CostBreakdown>).describe(
    "Where the money went, by billed dimension, summed over the successful runs.",
  ),
  allRunsCostUsd: usd.describe(
    "Priced cost of every run, failed ones included (what the benchmark itself cost).",
  ),
  unitName: z.string().nullable().describe(
    "What cost is normalised by (the benchmark's unit, e.g. `1,000 words`), or null for none.",
  ),
  inputAmount: z.number().nonnegative().nullable().describe(
    "The inputs' amount of that unit, summed; null without a unit or when an input has none.",
  ),
  costPerUnitUsd: usd.describe(
    "`costUsd` per unit; null when the amount or cost is unknown, or the amount is 0.",
  ),
  dailyVolume: dailyVolumeSchema.nullable().describe(
    "The daily volume the projection assumes (in units, and in words a reader knows), or null.",
  ),
  projectedDailyCostUsd: usd.describe(
    "`costPerUnitUsd` x `dailyVolume.amount`; null without either.",
  ),
  quality: z.array(qualitySummarySchema).describe(
    "The quality measures of the successful runs (the quality function's plain numbers).",
  ),
  // Absent in a metrics.json written before evaluators: none ran.
  scores: z.array(scoreSummarySchema).default([]).describe(
    "Each evaluator key's scores over the successful runs; empty without evaluators.",
  ),
  evaluation: evaluationCostSummarySchema.nullable().default(null).describe(
    "What the evaluators' own LLM calls (an LLM-as-judge's) cost, apart from the pipeline: never " +
      "in `costUsd` or `costPerRunUsd`. Null when no run was evaluated.",
  ),
  passing: passingSummarySchema.nullable().default(null).describe(
    "Which runs pass (every `meta.passRules` rule, else every boolean key) and the pipeline's " +
      "cost per passing run; null when there is nothing to pass by.",
  ),
  ...waitFields("The"),
  paths: z.array(pathAggregateSchema).default([]).describe(
    "Per node path (stages and the nodes inside them at any depth), parents first; at most " +
      "500, the rest folded into `(other)` paths.",
  ),
}).describe(
  "What a whole benchmark measured, over its successful runs unless a field says otherwise.",
);

/** The zod schema of `BenchmarkMeta`. */
export const benchmarkMetaSchema = z.object({
  createdAt: z.string().describe("When the benchmark report was made, ISO 8601."),
  gitCommit: z.string().nullable().describe(
    "The git commit of the code measured, when run inside a repository.",
  ),
  models: z.record(z.string(), z.string()).describe(
    'The configured model per stage (`*` for all stages), e.g. `{ "*": "openai:gpt-4o-mini" }`.',
  ),
  modelsNote: z.string().optional().describe(
    "A note the report shows wherever models are listed (e.g. that they were simulated: real " +
      "names and prices, no provider called).",
  ),
  notes: z.record(z.string(), z.string()).optional().describe(
    "Free-form facts the report lists in its header, label -> text (e.g. `Calls`, `Price " +
      "overrides`): what the benchmark's definition or its command line wants a reader to know.",
  ),
  inputSource: z.string().describe(
    "Where the inputs came from (a path, or `bundled transcripts`).",
  ),
  repeats: z.number().int().positive().describe("Runs per input."),
  concurrency: z.number().int().positive().describe("Runs in flight at most."),
  maxCostUsd: z.number().nonnegative().nullable().describe("The budget, or null for none."),
  seed: z.number().int().nullable().describe("The seed given to the models, or null."),
  graph: z.string().optional().describe(
    "The graph benchmarked, when not the bundled workload (e.g. `agent` or `./g.ts:graph`).",
  ),
  passRules: z.array(z.string()).optional().describe(
    'What passing means for cost per passing run, e.g. `["correctness>=1"]` (`KEY>=VALUE`); ' +
      "absent: every boolean key must pass.",
  ),
  groupBy: z.string().optional().describe(
    "The key the reports break the runs down by (`--group-by`): a key of the inputs' metadata " +
      "(`split` reads LangSmith's `dataset_split`) or an attribution key (`user_id`).",
  ),
}).describe("Facts about a benchmark that the runs themselves do not hold.");

/** The zod schema of `GroupAggregate`. */
export const groupAggregateSchema = z.object({
  value: z.string().describe(
    "The runs' value of the key (a list is joined with `, `), or `(none)` for runs without one.",
  ),
  runs: count.describe("Runs in the group, failed ones included."),
  failedRuns: count.describe("Of those, the runs that failed."),
  llmCalls: count.describe("LLM calls of the group's successful runs."),
  costUsd: usd.describe(
    "Priced cost of the group's successful runs (their pipelines' calls; evaluators' apart): null " +
      "when calls were made and none could be priced, or there is no successful run.",
  ),
  costPerRunUsd: usd.describe("`costUsd` per successful run."),
  wallTimeP50Ms: ms.nullable().describe(
    "Median wall time of the group's successful runs (nearest rank); null without one.",
  ),
  wallTimeP95Ms: ms.nullable().describe("95th percentile wall time (nearest rank), or null."),
  quality: z.record(z.string(), z.number()).describe(
    "Each quality measure's and evaluator key's mean over the group's successful runs that " +
      "have it (a boolean key's mean is its pass rate).",
  ),
}).describe("The runs of one value of the group-by key: their cost, latency and quality.");

/** The zod schema of `GroupBreakdown`. */
export const groupBreakdownSchema = z.object({
  key: z.string().describe("The key the runs are grouped by, as given (`split`, `user_id`)."),
  groups: z.array(groupAggregateSchema).describe(
    "One per value, in value order (`(none)` last).",
  ),
}).describe("A benchmark's runs broken down by one key of their metadata or attribution.");

/** The zod schema of `RunTotals`. */
export const runTotalsSchema = z.object({
  inputId: z.string().describe("The input's id."),
  repeat: count.describe("The repeat, from 0."),
  ok: z.boolean().describe("Whether the run succeeded."),
  error: z.string().nullable().describe("Null, or why the run failed."),
  wallTimeMs: ms.describe("The run's wall time."),
  llmCalls: count.describe("LLM calls."),
  inputTokens: count.describe("Prompt tokens (cached included)."),
  outputTokens: count.describe("Completion tokens."),
  cacheReadTokens: count.describe("Prompt tokens read from a cache."),
  costUsd: usd.describe("Priced cost; null when calls were made and none could be priced."),
  unpricedCalls: count.describe("Calls that could not be priced."),
  inputAmount: z.number().nonnegative().nullable().describe(
    "The input's amount of the benchmark's unit (e.g. thousands of words), or null.",
  ),
  quality: qualityRecordSchema.nullable().describe("Quality measures, or null."),
}).describe("One run's totals in `metrics.json` (its stages and calls live in the results store).");

/** The zod schema of `StageModels`. */
export const stageModelsSchema = z.object({
  stage: z.string().describe("The stage."),
  models: z.array(z.string()).describe("`provider:model` of every model that answered it."),
}).describe("The models that answered one stage's calls (`provider:model`, in first-seen order).");

/** The zod schema of `StoredBenchmarkRef`. */
export const storedBenchmarkRefSchema = z.object({
  id: z.string().describe("The benchmark's id in the store."),
  label: z.string().nullable().describe("Its label, or null."),
  db: z.string().describe("The store's path."),
}).describe("Where a benchmark's runs and calls are stored: its id and label in a results store.");

/** The zod schema of `BenchmarkResult`. */
export const benchmarkResultSchema = z.object({
  schemaVersion: z.literal(2).describe(
    "The version of this schema (2: calls moved to the results store).",
  ),
  benchmark: storedBenchmarkRefSchema.nullable().describe(
    "Where the runs and calls are stored, or null when they were not stored.",
  ),
  meta: benchmarkMetaSchema.describe("Facts about the benchmark."),
  pricing: (pricingInfoSchema as z.ZodType<PricingInfo>).nullable().describe(
    "The price catalog of the runs' costs (from the first run), or null without runs.",
  ),
  plannedRuns: count.describe("Runs planned (inputs x repeats)."),
  notRun: count.describe(
    "Runs not made (never launched, or stopped in flight): the budget stopped the benchmark.",
  ),
  stoppedReason: z.string().nullable().describe("Null, or why the benchmark stopped early."),
  aggregates: benchmarkAggregatesSchema.describe(
    "The aggregates, computed from every run's record.",
  ),
  modelsPerStage: z.array(stageModelsSchema).describe(
    "The models that answered each stage, in the order stages first made a call.",
  ),
  slowestRun: runRecordSchema.nullable().describe(
    "The slowest successful run (the slowest run when none succeeded), or null without runs.",
  ),
  runs: z.array(runTotalsSchema).describe("Each finished run's totals, in plan order."),
  stoppedRuns: z.array(runTotalsSchema).default([]).describe(
    "Runs aborted in flight when the benchmark stopped (the budget), their totals so far: " +
      "their cost was spent, but they are not in `runs` or the aggregates, and a resume makes " +
      "them again.",
  ),
  groups: groupBreakdownSchema.nullable().default(null).describe(
    "The runs broken down by `meta.groupBy`, or null without one.",
  ),
}).describe(
  "The content of `metrics.json`: a whole benchmark's aggregates, each run's totals and the " +
    "slowest run's record (its calls and every other run's stages live in the results store).",
);
