/**
 * Ships a run's measurements to OpenTelemetry, under the GenAI semantic conventions, so any
 * OTLP backend (Jaeger, Tempo, Langfuse, Phoenix, a collector) can aggregate many processes.
 * Spans and metrics are built from the finished metrics, with their exact recorded timestamps,
 * off the callback hot path. Deno exports them natively with `OTEL_DENO=true`; on Node, register
 * an SDK as usual. Only `@opentelemetry/api` is used here.
 *
 * @module
 */
import {
  type Attributes,
  type Context,
  context,
  type Meter,
  metrics as otelMetrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from "@opentelemetry/api";
import type { LLMCallMetrics, PipelineMetrics } from "./metrics.ts";

/** The instrumentation scope name of graphmeter's spans and metrics. */
export const INSTRUMENTATION_NAME = "graphmeter";

/** Options of {@linkcode exportToOpenTelemetry}. */
export interface OpenTelemetryExportOptions {
  /** The tracer (default: the global tracer provider's `graphmeter` tracer). */
  tracer?: Tracer;
  /** The meter (default: the global meter provider's `graphmeter` meter). */
  meter?: Meter;
  /** The workflow's name, for the run span (`invoke_agent <name>`); default `langgraph`. */
  workflowName?: string;
  /** The context to parent the run span in (default: the active context). */
  parentContext?: Context;
}

/** LangChain's `ls_provider` -> the GenAI conventions' `gen_ai.provider.name`. */
const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  google_genai: "gcp.gemini",
  google_vertexai: "gcp.vertex_ai",
  azure_openai: "azure.ai.openai",
  bedrock: "aws.bedrock",
  mistralai: "mistral_ai",
};

/** What identifies a call on spans and metric points: operation, provider, models, stage. */
function callIdentity(call: LLMCallMetrics): Attributes {
  return {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": PROVIDER_NAMES[call.provider] ?? call.provider,
    "gen_ai.request.model": call.requestedModel ?? call.model,
    "gen_ai.response.model": call.model,
    "graphmeter.stage": call.stage,
  };
}

/**
 * The GenAI semantic-convention attributes of one call.
 *
 * @param call The call's metrics.
 * @returns The span attributes (`gen_ai.*`, plus graphmeter's cost and stage).
 *
 * @example Usage
 * ```ts
 * import { callAttributes } from "./otel.ts";
 * import assert from "node:assert/strict";
 *
 * const attributes = callAttributes({
 *   runId: "r1", stage: "segmentation", model: "gpt-4.1-mini-2025-04-14",
 *   requestedModel: "gpt-4.1-mini", provider: "openai", startedAt: 0, latencyMs: 900,
 *   timeToFirstTokenMs: null, inputTokens: 1200, outputTokens: 80, cacheReadTokens: 1024,
 *   cacheWriteTokens: 0, reasoningTokens: 0, usageReported: true, usageIssue: null, costUsd: 0.0002,
 *   costSource: "catalog", error: null,
 * });
 * assert.equal(attributes["gen_ai.usage.cache_read.input_tokens"], 1024);
 * ```
 */
export function callAttributes(call: LLMCallMetrics): Attributes {
  const attributes: Attributes = {
    ...callIdentity(call),
    "graphmeter.cost.source": call.costSource,
  };
  if (call.usageReported) {
    attributes["gen_ai.usage.input_tokens"] = call.inputTokens;
    attributes["gen_ai.usage.output_tokens"] = call.outputTokens;
    attributes["gen_ai.usage.cache_read.input_tokens"] = call.cacheReadTokens;
    attributes["gen_ai.usage.cache_creation.input_tokens"] = call.cacheWriteTokens;
    attributes["gen_ai.usage.reasoning.output_tokens"] = call.reasoningTokens;
  }
  if (call.costUsd !== null) attributes["graphmeter.cost.usd"] = call.costUsd;
  if (call.timeToFirstTokenMs !== null) {
    attributes["graphmeter.time_to_first_token_ms"] = call.timeToFirstTokenMs;
  }
  if (call.error !== null) attributes["error.type"] = "llm_call_error";
  return attributes;
}

function endWithStatus(span: Span, error: string | null, endTime: number): void {
  if (error !== null) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
  span.end(endTime);
}

function recordCallMetrics(meter: Meter, calls: readonly LLMCallMetrics[]): void {
  const tokenUsage = meter.createHistogram("gen_ai.client.token.usage", {
    unit: "{token}",
    description: "Number of input and output tokens used.",
  });
  const duration = meter.createHistogram("gen_ai.client.operation.duration", {
    unit: "s",
    description: "GenAI operation duration.",
  });
  const cost = meter.createCounter("graphmeter.cost", {
    unit: "USD",
    description: "Estimated cost of LLM calls (no GenAI convention exists for cost yet).",
  });
  for (const call of calls) {
    const attributes = callIdentity(call);
    duration.record(
      call.latencyMs / 1000,
      call.error === null ? attributes : { ...attributes, "error.type": "llm_call_error" },
    );
    if (call.usageReported) {
      tokenUsage.record(call.inputTokens, { ...attributes, "gen_ai.token.type": "input" });
      tokenUsage.record(call.outputTokens, { ...attributes, "gen_ai.token.type": "output" });
    }
    if (call.costUsd !== null && call.costUsd > 0) cost.add(call.costUsd, attributes);
  }
}

/**
 * Emits one run as OpenTelemetry spans and metrics: a run span (`invoke_agent <workflow>`), a
 * span per stage execution (`stage <name>`), and a client span per LLM call (`chat <model>`)
 * under the stage execution it happened in, each with its recorded start and end; plus the
 * GenAI metrics `gen_ai.client.token.usage` and `gen_ai.client.operation.duration` and a
 * `graphmeter.cost` counter.
 *
 * @param run One run's metrics (an entry of `handler.runs`).
 * @param options Tracer, meter, workflow name and parent context.
 *
 * @example Usage
 * ```ts
 * import { exportToOpenTelemetry } from "./otel.ts";
 * import { PerformanceCallbackHandler } from "./handler.ts";
 *
 * // With no OpenTelemetry SDK registered, the global tracer and meter are no-ops.
 * const handler = new PerformanceCallbackHandler();
 * for (const run of handler.runs) exportToOpenTelemetry(run, { workflowName: "transcript-tree" });
 * ```
 */
export function exportToOpenTelemetry(
  run: PipelineMetrics,
  options: OpenTelemetryExportOptions = {},
): void {
  const tracer = options.tracer ?? trace.getTracer(INSTRUMENTATION_NAME);
  const meter = options.meter ?? otelMetrics.getMeter(INSTRUMENTATION_NAME);
  const workflowName = options.workflowName ?? "langgraph";
  const parent = options.parentContext ?? context.active();

  const runAttributes: Attributes = {
    "gen_ai.operation.name": "invoke_agent",
    "gen_ai.agent.name": workflowName,
    "graphmeter.run.id": run.runId,
    "gen_ai.usage.input_tokens": run.totals.inputTokens,
    "gen_ai.usage.output_tokens": run.totals.outputTokens,
    "graphmeter.llm_calls": run.totals.llmCalls,
  };
  if (run.totals.costUsd !== null) runAttributes["graphmeter.cost.usd"] = run.totals.costUsd;
  const runSpan = tracer.startSpan(`invoke_agent ${workflowName}`, {
    kind: SpanKind.INTERNAL,
    startTime: run.startedAt,
    attributes: runAttributes,
  }, parent);
  const runContext = trace.setSpan(parent, runSpan);

  const executions: { stage: string; start: number; end: number; context: Context }[] = [];
  for (const stage of Object.values(run.stages)) {
    for (const execution of stage.executionSpans) {
      const end = execution.startedAt + execution.latencyMs;
      const span = tracer.startSpan(`stage ${stage.name}`, {
        startTime: execution.startedAt,
        attributes: { "graphmeter.stage": stage.name },
      }, runContext);
      executions.push({
        stage: stage.name,
        start: execution.startedAt,
        end,
        context: trace.setSpan(runContext, span),
      });
      endWithStatus(span, execution.failed ? "stage execution failed" : null, end);
    }
  }

  for (const call of run.calls) {
    const home = executions.find((execution) =>
      execution.stage === call.stage && execution.start <= call.startedAt &&
      call.startedAt <= execution.end
    );
    const span = tracer.startSpan(`chat ${call.model}`, {
      kind: SpanKind.CLIENT,
      startTime: call.startedAt,
      attributes: callAttributes(call),
    }, home?.context ?? runContext);
    endWithStatus(span, call.error, call.startedAt + call.latencyMs);
  }
  recordCallMetrics(meter, run.calls);
  endWithStatus(runSpan, run.error, run.startedAt + run.wallTimeMs);
}
