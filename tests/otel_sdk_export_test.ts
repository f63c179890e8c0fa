/**
 * End to end through the official OTLP/HTTP exporters of the OpenTelemetry JS SDK
 * (`@opentelemetry/exporter-trace-otlp-http`, `@opentelemetry/exporter-metrics-otlp-http`, both
 * sending OTLP/JSON) into a receiver that decodes with the opentelemetry-proto definitions.
 */
import assert from "node:assert/strict";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { OpenTelemetryRunExporter } from "../otel/mod.ts";
import type { PipelineMetrics } from "../telemetry/metrics.ts";
import { startOpenTelemetry } from "../examples/otel_sdk.ts";
import { type ReceivedSpan, startOtlpReceiver } from "./fixtures/otlp_receiver.ts";
import { CALL, CALLS_PER_RUN, OTEL_TEST_PRICES, otelTestGraph } from "./support/otel_workload.ts";
import { FOUR_STAGES } from "./support/four_stage_graph.ts";

const input = { text: "", count: 0 };
const RUNS = 5;
const SPANS_PER_RUN = 1 + FOUR_STAGES.length + CALLS_PER_RUN;

function instrumented(otel: ReturnType<typeof startOpenTelemetry>) {
  const runs: PipelineMetrics[] = [];
  const exporter = new OpenTelemetryRunExporter({
    tracer: otel.tracerProvider.getTracer("graphmeter"),
    meter: otel.meterProvider.getMeter("graphmeter"),
    workflowName: "tree",
  });
  const handler = new PerformanceCallbackHandler({
    priceOverrides: OTEL_TEST_PRICES,
    maxRetainedRuns: 0,
    onRunEnd: (run) => {
      runs.push(run);
      exporter.onRunEnd(run);
    },
  });
  return { runs, exporter, handler };
}

/** ns since the epoch of a recorded ms timestamp, as the SDK converts it (to the µs). */
function nanosOf(epochMs: number): bigint {
  return BigInt(Math.round(epochMs * 1000)) * 1000n;
}

function assertNear(actual: bigint, expected: bigint, label: string): void {
  const diff = actual > expected ? actual - expected : expected - actual;
  assert.ok(diff <= 1000n, `${label}: ${actual} vs ${expected}`);
}

Deno.test("runs arrive through the SDK's OTLP/HTTP exporters: spans, parents, tokens, costs, times exact", async () => {
  await using receiver = startOtlpReceiver();
  const otel = startOpenTelemetry({
    endpoint: receiver.origin,
    serviceName: "otel-e2e",
    registerGlobally: false,
  });
  const { runs, exporter, handler } = instrumented(otel);
  const graph = otelTestGraph();
  for (let i = 0; i < RUNS; i++) await graph.invoke(input, { callbacks: [handler] });
  await otel.shutdown(); // flushes spans and the last metric export

  assert.equal(exporter.exportedRuns, RUNS);
  assert.equal(receiver.spans.length, RUNS * SPANS_PER_RUN);
  assert.deepEqual(otel.delivery(), {
    ended: RUNS * SPANS_PER_RUN,
    delivered: RUNS * SPANS_PER_RUN,
    dropped: 0,
  });
  assert.ok(receiver.requests.every((r) => r.contentType.includes("json")));
  const byId = new Map(receiver.spans.map((span) => [span.spanId, span]));
  const runSpans = receiver.spans.filter((span) => span.name === "invoke_agent tree");
  assert.deepEqual(
    runSpans.map((span) => span.attributes["graphmeter.run.id"]).sort(),
    runs.map((run) => run.runId).sort(),
  );
  for (const run of runs) {
    const runSpan = runSpans.find((span) => span.attributes["graphmeter.run.id"] === run.runId)!;
    assert.equal(runSpan.parentSpanId, "");
    assert.equal(runSpan.resource["service.name"], "otel-e2e");
    assertNear(runSpan.startTimeUnixNano, nanosOf(run.startedAt), "run start");
    assertNear(runSpan.endTimeUnixNano, nanosOf(run.startedAt + run.wallTimeMs), "run end");
    assert.equal(runSpan.attributes["gen_ai.usage.input_tokens"], CALLS_PER_RUN * CALL.inputTokens);
    assert.equal(runSpan.attributes["gen_ai.usage.cost"], run.totals.costUsd);
    assert.ok(Math.abs(run.totals.costUsd! - CALLS_PER_RUN * CALL.costUsd) < 1e-15);
    const inTrace = receiver.spans.filter((span) => span.traceId === runSpan.traceId);
    assert.equal(inTrace.length, SPANS_PER_RUN);
    const stages = inTrace.filter((span) => span.name.startsWith("stage "));
    assert.deepEqual(stages.map((s) => s.name).sort(), FOUR_STAGES.map((s) => `stage ${s}`).sort());
    for (const stage of stages) assert.equal(stage.parentSpanId, runSpan.spanId);
    const calls = inTrace.filter((span) => span.name === "chat gpt-4.1-mini-2025-04-14");
    assert.equal(calls.length, CALLS_PER_RUN);
    for (const [i, call] of calls.entries()) {
      const parent: ReceivedSpan = byId.get(call.parentSpanId)!;
      assert.equal(parent.name, `stage ${call.attributes["graphmeter.stage"]}`);
      assert.equal(call.kind, 3); // SPAN_KIND_CLIENT
      assert.deepEqual(
        {
          operation: call.attributes["gen_ai.operation.name"],
          provider: call.attributes["gen_ai.provider.name"],
          requestModel: call.attributes["gen_ai.request.model"],
          input: call.attributes["gen_ai.usage.input_tokens"],
          cacheRead: call.attributes["gen_ai.usage.cache_read.input_tokens"],
          cacheWrite: call.attributes["gen_ai.usage.cache_creation.input_tokens"],
          output: call.attributes["gen_ai.usage.output_tokens"],
          reasoning: call.attributes["gen_ai.usage.reasoning.output_tokens"],
        },
        {
          operation: "chat",
          provider: "openai",
          requestModel: "gpt-4.1-mini",
          input: 1000,
          cacheRead: 200,
          cacheWrite: 0,
          output: 100,
          reasoning: 0,
        },
      );
      const measured = run.calls.find((c) => c.stage === call.attributes["graphmeter.stage"])!;
      assert.equal(call.attributes["gen_ai.usage.cost"], measured.costUsd, `call ${i}`);
      assertNear(call.startTimeUnixNano, nanosOf(measured.startedAt), "call start");
      assertNear(
        call.endTimeUnixNano,
        nanosOf(measured.startedAt + measured.latencyMs),
        "call end",
      );
    }
  }

  // Metrics: cumulative, so the last export holds the totals.
  const last = (metric: string) => {
    const points = receiver.points.filter((p) => p.metric === metric);
    const seen = new Map<string, (typeof points)[number]>();
    for (const point of points) seen.set(JSON.stringify(point.attributes), point);
    return [...seen.values()];
  };
  const cost = last("graphmeter.cost");
  assert.equal(cost.length, CALLS_PER_RUN);
  for (const point of cost) {
    assert.equal(point.unit, "USD");
    assert.equal(point.attributes["gen_ai.response.model"], "gpt-4.1-mini-2025-04-14");
    assert.ok(Math.abs(point.value! - RUNS * CALL.costUsd) < 1e-15);
  }
  const tokens = last("gen_ai.client.token.usage");
  const inputSum = tokens.filter((p) => p.attributes["gen_ai.token.type"] === "input")
    .reduce((sum, p) => sum + p.sum!, 0);
  assert.equal(inputSum, RUNS * CALLS_PER_RUN * CALL.inputTokens);
  const stageLatency = last("graphmeter.stage.duration");
  assert.equal(stageLatency.length, FOUR_STAGES.length);
  for (const point of stageLatency) assert.equal(point.count, RUNS);
  const durations = last("gen_ai.client.operation.duration");
  assert.equal(durations.reduce((n, p) => n + p.count!, 0), RUNS * CALLS_PER_RUN);
});

Deno.test("a slow receiver never holds up a run: runs end first, spans arrive later", async () => {
  await using receiver = startOtlpReceiver({ delayMs: 1500 });
  const otel = startOpenTelemetry({
    endpoint: receiver.origin,
    serviceName: "slow",
    registerGlobally: false,
  });
  const { exporter, handler } = instrumented(otel);
  const graph = otelTestGraph();
  await graph.invoke(input, { callbacks: [handler] });
  const flushing = otel.tracerProvider.forceFlush(); // the first run's export, answered in 1.5 s
  await receiver.waitFor(() => receiver.requests.length === 1);
  for (let i = 1; i < RUNS; i++) await graph.invoke(input, { callbacks: [handler] });
  // Every run has ended while the first export is still waiting for its answer.
  assert.equal(exporter.exportedRuns, RUNS);
  assert.equal(receiver.requests.length, 1);
  assert.equal(receiver.spans.length, 0);
  await flushing;
  await otel.shutdown();
  assert.equal(receiver.spans.length, RUNS * SPANS_PER_RUN);
});

Deno.test("a receiver that is down never breaks a run; what is lost is counted", async () => {
  const receiver = startOtlpReceiver();
  const endpoint = receiver.origin;
  await receiver.close();
  const otel = startOpenTelemetry({
    endpoint,
    serviceName: "down",
    registerGlobally: false,
    maxQueueSize: 16,
    exportTimeoutMs: 300,
  });
  const { exporter, handler } = instrumented(otel);
  const graph = otelTestGraph();
  for (let i = 0; i < RUNS; i++) {
    const result = await graph.invoke(input, { callbacks: [handler] });
    assert.equal(result.count, 4);
  }
  await otel.shutdown();
  assert.equal(exporter.exportedRuns, RUNS);
  assert.equal(exporter.failedRuns, 0);
  assert.deepEqual(otel.delivery(), {
    ended: RUNS * SPANS_PER_RUN,
    delivered: 0,
    dropped: RUNS * SPANS_PER_RUN,
  });
});
