import assert from "node:assert/strict";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { type Context, type Meter, SpanStatusCode, type Tracer } from "@opentelemetry/api";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import {
  ATTEMPT_EVENT,
  ATTEMPTS_ATTRIBUTE,
  type ContextLike,
  exportToOpenTelemetry,
  type MeterLike,
  type TracerLike,
  WAIT_ATTRIBUTE,
} from "../otel/mod.ts";
import { ScriptedChatModel, usage } from "./support/scripted_chat_model.ts";
import { searchModel, startSearchModelServer } from "./fixtures/search_model.ts";
import { runGraph } from "./fixtures/graph.ts";
import { ChatOpenAI } from "@langchain/openai";
import { trackHttpAttempts } from "../sdk/mod.ts";
import { chatUsage, startOpenAIServer } from "./fixtures/openai_server.ts";

class TestMetricReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

// The options take graphmeter's own structural types; OpenTelemetry's own must fit them (this
// fails to compile when they do not).
type Fits<A, B> = [A] extends [B] ? true : false;
const _openTelemetryTypesFit: [
  Fits<Tracer, TracerLike>,
  Fits<Meter, MeterLike>,
  Fits<Context, ContextLike>,
] = [true, true, true];

const State = Annotation.Root({
  n: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
});

Deno.test("a run becomes a run span, stage spans and GenAI call spans with exact usage", async () => {
  const model = new ScriptedChatModel({
    replies: [
      { usage: usage(1500, 200, { cacheRead: 1024 }), model: "gpt-4.1-mini-2025-04-14" },
      { error: "overloaded" },
    ],
  });
  const graph = new StateGraph(State)
    .addNode("segmentation", async () => {
      await model.invoke("a");
      return { n: 1 };
    })
    .addNode("integration_decision", async () => {
      await model.invoke("b").catch(() => null);
      return { n: 1 };
    })
    .addEdge(START, "segmentation")
    .addEdge("segmentation", "integration_decision")
    .addEdge("integration_decision", END)
    .compile();
  const handler = new PerformanceCallbackHandler();
  await graph.invoke({ n: 0 }, { callbacks: [handler] });

  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const [run] = handler.runs;
  exportToOpenTelemetry(run, {
    tracer: tracerProvider.getTracer("test"),
    meter: meterProvider.getMeter("test"),
    workflowName: "transcript-tree",
  });

  const spans = exporter.getFinishedSpans();
  const byName = new Map(spans.map((span) => [span.name, span]));
  assert.deepEqual([...byName.keys()].sort(), [
    "chat gpt-4.1-mini",
    "chat gpt-4.1-mini-2025-04-14",
    "invoke_agent transcript-tree",
    "stage integration_decision",
    "stage segmentation",
  ]);
  const runSpan = byName.get("invoke_agent transcript-tree")!;
  const stageSpan = byName.get("stage segmentation")!;
  const call = byName.get("chat gpt-4.1-mini-2025-04-14")!;
  assert.equal(stageSpan.parentSpanContext?.spanId, runSpan.spanContext().spanId);
  assert.equal(call.parentSpanContext?.spanId, stageSpan.spanContext().spanId);
  assert.equal(call.attributes["gen_ai.operation.name"], "chat");
  assert.equal(call.attributes["gen_ai.provider.name"], "openai");
  assert.equal(call.attributes["gen_ai.request.model"], "gpt-4.1-mini");
  assert.equal(call.attributes["gen_ai.response.model"], "gpt-4.1-mini-2025-04-14");
  assert.equal(call.attributes["gen_ai.usage.input_tokens"], 1500);
  assert.equal(call.attributes["gen_ai.usage.output_tokens"], 200);
  assert.equal(call.attributes["gen_ai.usage.cache_read.input_tokens"], 1024);
  assert.equal(call.attributes["gen_ai.usage.cost"], run.calls[0].costUsd);
  assert.equal(runSpan.attributes["gen_ai.usage.input_tokens"], 1500);
  // The span lasts exactly as long as the call measured.
  const durationMs = call.duration[0] * 1000 + call.duration[1] / 1e6;
  assert.ok(Math.abs(durationMs - run.calls[0].latencyMs) < 0.01);
  const failed = byName.get("chat gpt-4.1-mini")!;
  assert.equal(failed.status.code, SpanStatusCode.ERROR);
  assert.equal(failed.status.message, "overloaded");

  const { resourceMetrics } = await reader.collect();
  const instruments = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  const tokenUsage = instruments.find((m) => m.descriptor.name === "gen_ai.client.token.usage")!;
  const sums = Object.fromEntries(
    tokenUsage.dataPoints.map((point) => [
      String(point.attributes["gen_ai.token.type"]),
      (point.value as { sum: number }).sum,
    ]),
  );
  assert.deepEqual(sums, { input: 1500, output: 200 });
  const duration = instruments.find((m) =>
    m.descriptor.name === "gen_ai.client.operation.duration"
  )!;
  const count = duration.dataPoints.reduce((n, p) => n + (p.value as { count: number }).count, 0);
  assert.equal(count, 2);
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
});

Deno.test("a partial price says so on its spans: the parts left out, the run's partial calls", async () => {
  // A Chat Completions search model reports no search count: the call is priced without it.
  await using server = startSearchModelServer();
  const model = searchModel(server.origin);
  const { handler } = await runGraph(model, "invoke");
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  exportToOpenTelemetry(handler.runs[0], {
    tracer: tracerProvider.getTracer("test"),
    workflowName: "search",
  });
  const spans = exporter.getFinishedSpans();
  const call = spans.find((span) => span.name.startsWith("chat "))!;
  const run = spans.find((span) => span.name === "invoke_agent search")!;
  assert.deepEqual(call.attributes["graphmeter.cost.missing"], ["web_search:unreported"]);
  assert.equal(run.attributes["graphmeter.partial_calls"], 1);
});

Deno.test("a call's HTTP attempts are events on its span, its wait an attribute", async () => {
  using _tracking = trackHttpAttempts();
  await using server = startOpenAIServer([
    {
      model: "gpt-4.1-mini",
      text: "",
      usage: null,
      status: 429,
      headers: { "retry-after": "0", "x-ratelimit-remaining-requests": "0" },
    },
    { model: "gpt-4.1-mini-2025-04-14", text: "hi", usage: chatUsage(100, 10) },
  ]);
  const model = new ChatOpenAI({
    model: "gpt-4.1-mini",
    apiKey: "test-key-not-secret",
    configuration: { baseURL: `${server.origin}/v1` },
    maxRetries: 1,
  });
  const { handler, call } = await runGraph(model, "invoke");
  assert.deepEqual(call.attempts?.map((a) => a.status), [429, 200]);
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  exportToOpenTelemetry(handler.runs[0], { tracer: tracerProvider.getTracer("test") });
  const span = exporter.getFinishedSpans().find((s) => s.name.startsWith("chat "))!;
  assert.equal(span.attributes[WAIT_ATTRIBUTE], call.waitMs);
  assert.equal(span.attributes["graphmeter.service_latency_ms"], call.serviceLatencyMs);
  assert.equal(span.attributes[ATTEMPTS_ATTRIBUTE], 2);
  assert.equal(span.attributes["http.request.resend_count"], 1);
  assert.deepEqual(span.events.map((event) => event.name), [ATTEMPT_EVENT, ATTEMPT_EVENT]);
  assert.deepEqual(span.events.map((event) => event.attributes), [
    {
      "graphmeter.attempt.outcome": "rate_limited",
      "graphmeter.attempt.duration_ms": call.attempts![0].durationMs,
      "http.response.status_code": 429,
      "graphmeter.attempt.retry_after_ms": 0,
    },
    {
      "graphmeter.attempt.outcome": "ok",
      "graphmeter.attempt.duration_ms": call.attempts![1].durationMs,
      "http.response.status_code": 200,
    },
  ]);
  // Each event at its attempt's send, to the microsecond.
  call.attempts!.forEach((attempt, i) => {
    const [seconds, nanos] = span.events[i].time;
    const atMs = seconds * 1000 + nanos / 1e6;
    assert.ok(Math.abs(atMs - (call.startedAt + attempt.startOffsetMs)) < 0.001);
  });
  await tracerProvider.shutdown();
});
