/**
 * `deno task types`: writes the published metric interfaces from their zod schemas, so each
 * field's doc is written once, in its schema's `.describe()`. JSR documents what the source
 * declares (it never runs zod, and shows `z.infer<...>` as an alias, not as fields), so the
 * interfaces are declared in the source: this tool writes them into a marked block of the file
 * that validates them, and `tests/metric_types_test.ts` fails while a block and its schemas
 * disagree. `--check` reports the stale files without writing.
 *
 * @module
 */
import type { z } from "zod";
import { type InterfaceSpec, renderInterfaces } from "./_zod_interfaces.ts";
import { denoFmt } from "./_deno_fmt.ts";
import { TOKEN_USAGE_SCHEMA } from "../pricing/token_usage.ts";
import { costBreakdownSchema } from "../pricing/breakdown.ts";
import {
  costSourceSchema,
  executionSpanSchema,
  llmCallMetricsSchema,
  pipelineMetricsSchema,
  pricingInfoSchema,
  stageMetricsSchema,
  stageTotalsSchema,
  threadMetricsSchema,
} from "../telemetry/metrics.ts";
import { httpAttemptSchema, rateLimitSchema } from "../telemetry/attempt_metrics.ts";
import { pathFiguresSchema, pathMetricsSchema, toolSpanSchema } from "../telemetry/path_metrics.ts";
import { qualityRecordSchema, runRecordSchema } from "../benchmark/run_record.ts";
import {
  benchmarkAggregatesSchema,
  benchmarkMetaSchema,
  benchmarkResultSchema,
  dailyVolumeSchema,
  groupAggregateSchema,
  groupBreakdownSchema,
  qualitySummarySchema,
  runTotalsSchema,
  stageAggregateSchema,
  stageModelsSchema,
  storedBenchmarkRefSchema,
} from "../benchmark/result/_benchmark_result_schema.ts";
import { pathAggregateSchema } from "../benchmark/result/path_aggregates.ts";
import { evaluationRecordSchema } from "../evaluate/score_record.ts";
import { scoreSummarySchema } from "../evaluate/score_summary.ts";
import { evaluationCostSummarySchema } from "../evaluate/evaluation_cost.ts";
import { passingSummarySchema } from "../evaluate/passing.ts";
import { Comparison } from "../compare/compare_benchmarks.ts";
import {
  configurableValueSchema,
  configurationResultSchema,
  estimateSchema,
  goalResultSchema,
  keyEstimateSchema,
  knobResultSchema,
  knobValueSchema,
  misfitResultSchema,
  recommendationSchema,
  roundResultSchema,
  searchSpendSchema,
  tuneResultSchema,
  unreadKnobSchema,
} from "../tune/result.ts";

/** A file holding generated interfaces, and which. */
export interface Target {
  /** The file, from the repository's root. */
  readonly file: string;
  /** Its interfaces, in order. */
  readonly interfaces: readonly InterfaceSpec[];
}

/** Every generated interface, by file. */
export const TARGETS: readonly Target[] = [
  {
    file: "pricing/token_usage.ts",
    interfaces: [{ name: "TokenUsage", schema: TOKEN_USAGE_SCHEMA }],
  },
  {
    file: "pricing/breakdown.ts",
    // Mutable, as it always was: sums of breakdowns are built in place.
    interfaces: [{ name: "CostBreakdown", schema: costBreakdownSchema, readonly: false }],
  },
  {
    file: "telemetry/attempt_metrics.ts",
    interfaces: [
      // Written out in full on the calls: the root exports neither (it names at most 25 things).
      { name: "HttpAttempt", schema: httpAttemptSchema, inline: true },
      { name: "RateLimitReading", schema: rateLimitSchema, inline: true },
    ],
  },
  {
    file: "telemetry/metrics.ts",
    interfaces: [
      { name: "LLMCallMetrics", schema: llmCallMetricsSchema },
      { name: "StageTotals", schema: stageTotalsSchema },
      { name: "ExecutionSpan", schema: executionSpanSchema },
      { name: "StageMetrics", schema: stageMetricsSchema },
      // Metrics built before pricing notes, or by hand, have none.
      { name: "PricingInfo", schema: pricingInfoSchema, optional: ["notes"] },
      // Metrics built before node paths or attribution, or by hand, have none.
      {
        name: "PipelineMetrics",
        schema: pipelineMetricsSchema,
        optional: ["paths", "criticalPath", "threadId", "attributes"],
      },
      { name: "ThreadMetrics", schema: threadMetricsSchema },
    ],
  },
  {
    file: "telemetry/path_metrics.ts",
    interfaces: [
      { name: "PathFigures", schema: pathFiguresSchema },
      { name: "ToolSpan", schema: toolSpanSchema },
      { name: "PathMetrics", schema: pathMetricsSchema },
    ],
  },
  { file: "benchmark/run_record.ts", interfaces: [{ name: "RunRecord", schema: runRecordSchema }] },
  {
    file: "benchmark/result/benchmark_aggregates.ts",
    interfaces: [
      { name: "StageAggregate", schema: stageAggregateSchema },
      { name: "QualitySummary", schema: qualitySummarySchema },
      { name: "DailyVolume", schema: dailyVolumeSchema },
      // Aggregates written before node paths, or by hand, have none.
      { name: "BenchmarkAggregates", schema: benchmarkAggregatesSchema, optional: ["paths"] },
    ],
  },
  {
    file: "benchmark/result/path_aggregates.ts",
    interfaces: [{ name: "PathAggregate", schema: pathAggregateSchema }],
  },
  {
    file: "benchmark/result/benchmark_result.ts",
    interfaces: [
      { name: "BenchmarkMeta", schema: benchmarkMetaSchema },
      { name: "RunTotals", schema: runTotalsSchema },
      { name: "StageModels", schema: stageModelsSchema },
      { name: "StoredBenchmarkRef", schema: storedBenchmarkRefSchema },
      { name: "GroupAggregate", schema: groupAggregateSchema },
      { name: "GroupBreakdown", schema: groupBreakdownSchema },
      // Results built before groups, or by hand, have none.
      { name: "BenchmarkResult", schema: benchmarkResultSchema, optional: ["groups"] },
    ],
  },
  {
    file: "tune/result.ts",
    interfaces: [
      { name: "Estimate", schema: estimateSchema },
      { name: "KeyEstimate", schema: keyEstimateSchema },
      { name: "ConfigurationResult", schema: configurationResultSchema },
      { name: "UnreadKnob", schema: unreadKnobSchema },
      { name: "Recommendation", schema: recommendationSchema },
      { name: "SearchSpend", schema: searchSpendSchema },
      { name: "RoundResult", schema: roundResultSchema },
      { name: "GoalResult", schema: goalResultSchema },
      { name: "KnobResult", schema: knobResultSchema },
      { name: "MisfitResult", schema: misfitResultSchema },
      { name: "TuneResult", schema: tuneResultSchema },
    ],
  },
];

/** Schemas that are types of their own, declared by hand (not objects, so not generated). */
const NAMED = new Map<z.ZodType, string>([
  [costSourceSchema, "CostSource"],
  [qualityRecordSchema, "QualityRecord"],
  // Evaluate's types, declared with their schemas there.
  [evaluationRecordSchema, "EvaluationRecord"],
  [scoreSummarySchema, "ScoreSummary"],
  [evaluationCostSummarySchema, "EvaluationCostSummary"],
  [passingSummarySchema, "PassingSummary"],
  // Compare's comparison, declared by hand there.
  [Comparison as unknown as z.ZodType, "Comparison"],
  [knobValueSchema, "KnobValue"],
  [configurableValueSchema, "unknown"],
]);

/** The first line of a generated block. */
export const BLOCK_START =
  "// ---- Generated by `deno task types` from the schemas' descriptions: edit those. ----";
/** The last line of a generated block. */
export const BLOCK_END = "// ---- End of generated interfaces. ----";

const ROOT = new URL("..", import.meta.url);

/**
 * A target file's text with its generated block rewritten from the schemas, formatted.
 *
 * @param target The file and its interfaces.
 * @param text The file's current text (it must hold one block).
 * @returns The text as it should be.
 */
export async function regenerate(target: Target, text: string): Promise<string> {
  const start = text.indexOf(BLOCK_START);
  const end = text.indexOf(BLOCK_END);
  if (start < 0 || end < start) {
    throw new Error(`${target.file}: no block between "${BLOCK_START}" and "${BLOCK_END}"`);
  }
  const others = TARGETS.flatMap((other) => other === target ? [] : other.interfaces);
  const block = renderInterfaces(target.interfaces, others, NAMED);
  const rewritten = text.slice(0, start) + `${BLOCK_START}\n${block}${BLOCK_END}` +
    text.slice(end + BLOCK_END.length);
  return await denoFmt(rewritten, "ts");
}

if (import.meta.main) {
  const check = Deno.args.includes("--check");
  const stale: string[] = [];
  for (const target of TARGETS) {
    const url = new URL(target.file, ROOT);
    const text = await Deno.readTextFile(url);
    const wanted = await regenerate(target, text);
    if (wanted === text) continue;
    stale.push(target.file);
    if (!check) await Deno.writeTextFile(url, wanted);
  }
  if (check && stale.length > 0) {
    console.error(`stale generated interfaces (run \`deno task types\`): ${stale.join(", ")}`);
    Deno.exit(1);
  }
  console.log(stale.length === 0 ? "interfaces up to date" : `rewrote ${stale.join(", ")}`);
}
