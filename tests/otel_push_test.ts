import assert from "node:assert/strict";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import type { Tracer } from "@opentelemetry/api";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { OpenTelemetryRunExporter } from "../otel/mod.ts";
import { CALL, CALLS_PER_RUN, OTEL_TEST_PRICES, otelTestGraph } from "./support/otel_workload.ts";

function inMemoryOtel() {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metrics,
    exportIntervalMillis: 1e6,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    spans,
    tracer: tracerProvider.getTracer("test"),
    meter: meterProvider.getMeter("test"),
    async metricPoints(name: string) {
      await reader.forceFlush();
      const batches = metrics.getMetrics();
      const last = batches[batches.length - 1];
      const metric = last.scopeMetrics.flatMap((scope) => scope.metrics)
        .find((m) => m.descriptor.name === name);
      return metric?.dataPoints ?? [];
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

const input = { text: "", count: 0 };

Deno.test("onRunEnd exports each finished run once, as it ends, and the handler forgets it", async () => {
  const otel = inMemoryOtel();
  const exporter = new OpenTelemetryRunExporter({ tracer: otel.tracer, meter: otel.meter });
  const handler = new PerformanceCallbackHandler({
    priceOverrides: OTEL_TEST_PRICES,
    onRunEnd: exporter.onRunEnd,
    maxRetainedRuns: 0,
  });
  const graph = otelTestGraph();
  for (let i = 0; i < 3; i++) {
    await graph.invoke(input, { callbacks: [handler] });
    // Pushed synchronously at the run's end: exported by the time invoke resolves.
    assert.equal(exporter.exportedRuns, i + 1);
    assert.equal(handler.runs.length, 0);
  }
  const spans = otel.spans.getFinishedSpans();
  const runSpans = spans.filter((span) => span.name === "invoke_agent langgraph");
  assert.equal(runSpans.length, 3);
  assert.equal(new Set(runSpans.map((span) => span.spanContext().traceId)).size, 3);
  const calls = spans.filter((span) => span.name === "chat gpt-4.1-mini-2025-04-14");
  assert.equal(calls.length, 3 * CALLS_PER_RUN);
  for (const call of calls) {
    assert.equal(call.attributes["gen_ai.usage.input_tokens"], CALL.inputTokens);
    assert.equal(call.attributes["gen_ai.usage.cache_read.input_tokens"], CALL.cacheReadTokens);
    assert.equal(call.attributes["gen_ai.usage.output_tokens"], CALL.outputTokens);
    assert.ok(Math.abs(Number(call.attributes["gen_ai.usage.cost"]) - CALL.costUsd) < 1e-15);
  }
  const costPoints = await otel.metricPoints("graphmeter.cost");
  const costByStage = Object.fromEntries(
    costPoints.map((p) => [String(p.attributes["graphmeter.stage"]), p.value as number]),
  );
  assert.deepEqual(Object.keys(costByStage).sort(), [
    "integration_decision",
    "relationship_analysis",
    "segmentation",
  ]);
  for (const usd of Object.values(costByStage)) assert.ok(Math.abs(usd - 3 * CALL.costUsd) < 1e-15);
  const stagePoints = await otel.metricPoints("graphmeter.stage.duration");
  assert.equal(stagePoints.length, 4);
  for (const point of stagePoints) assert.equal((point.value as { count: number }).count, 3);
  await otel.shutdown();
});

Deno.test("the OpenInference option adds LLM/CHAIN/AGENT kinds, token counts and llm.cost.total", async () => {
  const otel = inMemoryOtel();
  const exporter = new OpenTelemetryRunExporter({
    tracer: otel.tracer,
    meter: otel.meter,
    openInference: true,
    workflowName: "tree",
  });
  const handler = new PerformanceCallbackHandler({
    priceOverrides: OTEL_TEST_PRICES,
    onRunEnd: exporter.onRunEnd,
  });
  await otelTestGraph().invoke(input, { callbacks: [handler] });
  const spans = otel.spans.getFinishedSpans();
  const kinds = (name: string) =>
    spans.filter((span) => span.name === name).map((s) => s.attributes["openinference.span.kind"]);
  assert.deepEqual(kinds("invoke_agent tree"), ["AGENT"]);
  assert.deepEqual(kinds("stage segmentation"), ["CHAIN"]);
  const call = spans.find((span) => span.name.startsWith("chat "))! as ReadableSpan;
  assert.equal(call.attributes["openinference.span.kind"], "LLM");
  assert.equal(call.attributes["llm.model_name"], "gpt-4.1-mini-2025-04-14");
  assert.equal(call.attributes["llm.token_count.prompt"], CALL.inputTokens);
  assert.equal(call.attributes["llm.token_count.completion"], CALL.outputTokens);
  assert.equal(call.attributes["llm.token_count.total"], CALL.inputTokens + CALL.outputTokens);
  assert.equal(call.attributes["llm.token_count.prompt_details.cache_read"], CALL.cacheReadTokens);
  assert.equal(call.attributes["llm.cost.total"], call.attributes["gen_ai.usage.cost"]);
  const runSpan = spans.find((span) => span.name === "invoke_agent tree")!;
  assert.equal(runSpan.attributes["llm.token_count.prompt"], CALLS_PER_RUN * CALL.inputTokens);
  await otel.shutdown();
});

Deno.test("a tracer that throws is caught and counted: the graph still answers", async () => {
  const broken = {
    startSpan() {
      throw new Error("exporter bug");
    },
  } as unknown as Tracer;
  const exporter = new OpenTelemetryRunExporter({ tracer: broken });
  const handler = new PerformanceCallbackHandler({ onRunEnd: exporter.onRunEnd });
  const result = await otelTestGraph().invoke(input, { callbacks: [handler] });
  assert.equal(result.count, 4);
  assert.equal(exporter.exportedRuns, 0);
  assert.equal(exporter.failedRuns, 1);
  assert.match(String(exporter.lastError), /exporter bug/);
});
