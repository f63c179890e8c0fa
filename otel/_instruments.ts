/**
 * The metric instruments of graphmeter's OpenTelemetry export, created once per meter, and the
 * recording of one finished run on them.
 *
 * @module
 */
import type { AttributesLike, CounterLike, HistogramLike, MeterLike } from "./api_types.ts";
import type { PipelineMetrics } from "../telemetry/metrics.ts";
import { callIdentity, STAGE_ATTRIBUTE } from "./_attributes.ts";

// Bucket boundaries the GenAI metric conventions advise
// (https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/).
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304];
const DURATION_BUCKETS_S = [
  0.01,
  0.02,
  0.04,
  0.08,
  0.16,
  0.32,
  0.64,
  1.28,
  2.56,
  5.12,
  10.24,
  20.48,
  40.96,
  81.92,
];

/** The names of the metrics graphmeter exports. */
export const METRIC_NAMES = {
  tokenUsage: "gen_ai.client.token.usage",
  operationDuration: "gen_ai.client.operation.duration",
  stageDuration: "graphmeter.stage.duration",
  runDuration: "graphmeter.run.duration",
  cost: "graphmeter.cost",
} as const;

/** The instruments one exporter records on. */
export interface RunInstruments {
  readonly tokenUsage: HistogramLike;
  readonly operationDuration: HistogramLike;
  readonly stageDuration: HistogramLike;
  readonly runDuration: HistogramLike;
  readonly cost: CounterLike;
}

/** Creates the instruments on `meter`. */
export function createRunInstruments(meter: MeterLike): RunInstruments {
  return {
    tokenUsage: meter.createHistogram(METRIC_NAMES.tokenUsage, {
      unit: "{token}",
      description: "Number of input and output tokens used.",
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    }),
    operationDuration: meter.createHistogram(METRIC_NAMES.operationDuration, {
      unit: "s",
      description: "GenAI operation duration.",
      advice: { explicitBucketBoundaries: DURATION_BUCKETS_S },
    }),
    stageDuration: meter.createHistogram(METRIC_NAMES.stageDuration, {
      unit: "s",
      description: "Duration of one execution of a LangGraph stage (top-level node).",
      advice: { explicitBucketBoundaries: DURATION_BUCKETS_S },
    }),
    runDuration: meter.createHistogram(METRIC_NAMES.runDuration, {
      unit: "s",
      description: "Wall time of one LangGraph run.",
      advice: { explicitBucketBoundaries: DURATION_BUCKETS_S },
    }),
    cost: meter.createCounter(METRIC_NAMES.cost, {
      unit: "USD",
      description: "Estimated cost of LLM calls, by stage and model (no GenAI convention yet).",
    }),
  };
}

/**
 * Records one finished run: per call tokens, duration and cost; per stage execution latency.
 * `allowed` are the attribution attributes the cardinality guard lets onto every point.
 */
export function recordRun(
  instruments: RunInstruments,
  run: PipelineMetrics,
  workflowName: string,
  allowed: AttributesLike = {},
): void {
  for (const call of run.calls) {
    const attributes = { ...callIdentity(call), ...allowed };
    instruments.operationDuration.record(
      call.latencyMs / 1000,
      call.error === null ? attributes : { ...attributes, "error.type": "llm_call_error" },
    );
    if (call.usageReported) {
      instruments.tokenUsage.record(call.inputTokens, {
        ...attributes,
        "gen_ai.token.type": "input",
      });
      instruments.tokenUsage.record(call.outputTokens, {
        ...attributes,
        "gen_ai.token.type": "output",
      });
    }
    if (call.costUsd !== null && call.costUsd > 0) instruments.cost.add(call.costUsd, attributes);
  }
  for (const stage of Object.values(run.stages)) {
    for (const execution of stage.executionSpans) {
      instruments.stageDuration.record(
        execution.latencyMs / 1000,
        execution.failed
          ? { [STAGE_ATTRIBUTE]: stage.name, ...allowed, "error.type": "stage_execution_error" }
          : { [STAGE_ATTRIBUTE]: stage.name, ...allowed },
      );
    }
  }
  instruments.runDuration.record(
    run.wallTimeMs / 1000,
    run.error === null
      ? { "gen_ai.agent.name": workflowName, ...allowed }
      : { "gen_ai.agent.name": workflowName, ...allowed, "error.type": "run_error" },
  );
}
