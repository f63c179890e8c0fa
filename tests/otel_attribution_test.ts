/**
 * Attribution through the OpenTelemetry SDK: spans carry every run's user and thread, metric points
 * only the attribution keys the exporter allows, each with a bounded number of values. Real
 * LangGraph runs, the SDK's tracer and meter providers, no network.
 */
import assert from "node:assert/strict";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import {
  BasicTracerProvider,
  type ReadableSpan,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { type DataPoint, MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { METRIC_NAMES, OpenTelemetryRunExporter, OTHER_ATTRIBUTE_VALUE } from "../otel/mod.ts";
import { ScriptedChatModel, usage } from "./support/scripted_chat_model.ts";

class TestMetricReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Keeps what the test checks of each ended span (not the span: 70,000 of them would be heavy). */
class AttributionTally implements SpanProcessor {
  readonly usersByKind = new Map<string, Set<string>>();
  readonly spansByKind = new Map<string, number>();
  readonly missing: string[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    const kind = span.name.split(" ")[0];
    this.spansByKind.set(kind, (this.spansByKind.get(kind) ?? 0) + 1);
    if (kind === "stage") return;
    const user = span.attributes["user.id"];
    const thread = span.attributes["gen_ai.conversation.id"];
    if (typeof user !== "string" || thread !== `thread-${user}`) {
      this.missing.push(`${span.name}: ${user} ${thread}`);
      return;
    }
    if (span.attributes["graphmeter.attribution.user_id"] !== user) this.missing.push(span.name);
    let users = this.usersByKind.get(kind);
    if (!users) this.usersByKind.set(kind, users = new Set());
    users.add(user);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const State = Annotation.Root({ n: Annotation<number>({ reducer: (a, b) => a + b }) });

/** Two stages, each calling two models: 2 x 2 stage-model pairs. */
function twoByTwoGraph() {
  const mini = new ScriptedChatModel({ replies: [{ usage: usage(100, 10) }] });
  const nano = new ScriptedChatModel({
    modelName: "gpt-4.1-nano",
    replies: [{ usage: usage(100, 10) }],
  });
  const node = async () => {
    await mini.invoke("a");
    await nano.invoke("b");
    return { n: 1 };
  };
  return new StateGraph(State)
    .addNode("draft", node)
    .addNode("review", node)
    .addEdge(START, "draft")
    .addEdge("draft", "review")
    .addEdge("review", END)
    .compile();
}

/** Series (data points) per metric, and the values one attribute takes across them. */
async function seriesOf(reader: MetricReader) {
  const { resourceMetrics } = await reader.collect();
  const points = new Map<string, DataPoint<unknown>[]>();
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      points.set(metric.descriptor.name, metric.dataPoints as DataPoint<unknown>[]);
    }
  }
  return points;
}

Deno.test("10,000 distinct user_ids: spans carry them, metric series stay at stage x model", async () => {
  const USERS = 10_000;
  const tally = new AttributionTally();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [tally] });
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const exporter = new OpenTelemetryRunExporter({
    tracer: tracerProvider.getTracer("graphmeter"),
    meter: meterProvider.getMeter("graphmeter"),
    workflowName: "support",
    metricAttributes: ["tenant_id"],
  });
  const handler = new PerformanceCallbackHandler({
    maxRetainedRuns: 0,
    maxThreads: 100,
    onRunEnd: exporter.onRunEnd,
  });
  const graph = twoByTwoGraph();
  for (let i = 0; i < USERS; i++) {
    const user_id = `user-${i}`;
    await graph.invoke({ n: 0 }, {
      callbacks: [handler],
      configurable: { thread_id: `thread-${user_id}` },
      metadata: { user_id, tenant_id: `tenant-${i % 3}` },
    });
  }
  assert.equal(exporter.exportedRuns, USERS);
  assert.equal(exporter.failedRuns, 0);
  assert.equal(handler.handlerErrors, 0);

  // Spans: every run span and every chat span carries its user and thread.
  assert.deepEqual(tally.missing, []);
  assert.equal(tally.spansByKind.get("invoke_agent"), USERS);
  assert.equal(tally.spansByKind.get("chat"), USERS * 4);
  assert.equal(tally.usersByKind.get("invoke_agent")?.size, USERS);
  assert.equal(tally.usersByKind.get("chat")?.size, USERS);

  // Metrics: series are stage x model (x token type), x the 3 allowed tenants; no user, no thread.
  const series = await seriesOf(reader);
  assert.equal(series.get(METRIC_NAMES.operationDuration)?.length, 2 * 2 * 3);
  assert.equal(series.get(METRIC_NAMES.cost)?.length, 2 * 2 * 3);
  assert.equal(series.get(METRIC_NAMES.tokenUsage)?.length, 2 * 2 * 2 * 3);
  assert.equal(series.get(METRIC_NAMES.stageDuration)?.length, 2 * 3);
  assert.equal(series.get(METRIC_NAMES.runDuration)?.length, 3);
  for (const points of series.values()) {
    for (const point of points) {
      const keys = Object.keys(point.attributes);
      assert.ok(!keys.includes("user.id") && !keys.includes("gen_ai.conversation.id"), `${keys}`);
      assert.ok(!keys.includes("graphmeter.attribution.user_id"), `${keys}`);
      assert.match(String(point.attributes["graphmeter.attribution.tenant_id"]), /^tenant-[012]$/);
    }
  }
  // The calls' costs are all there: 10,000 runs x 2 stages x (mini + nano) call.
  const costs = series.get(METRIC_NAMES.cost)!.reduce((sum, p) => sum + (p.value as number), 0);
  const expected = handler.metrics.totals.costUsd as number;
  assert.ok(Math.abs(costs - expected) < 1e-9, `${costs} vs ${expected}`);
  assert.equal(handler.metrics.totals.llmCalls, USERS * 4);
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
});

Deno.test("an allowed key keeps at most maxMetricAttributeValues values; later ones are _other", async () => {
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const exporter = new OpenTelemetryRunExporter({
    tracer: new BasicTracerProvider().getTracer("graphmeter"),
    meter: meterProvider.getMeter("graphmeter"),
    metricAttributes: ["user_id"],
    maxMetricAttributeValues: 5,
  });
  const handler = new PerformanceCallbackHandler({
    maxRetainedRuns: 0,
    onRunEnd: exporter.onRunEnd,
  });
  const graph = twoByTwoGraph();
  for (let i = 0; i < 40; i++) {
    await graph.invoke({ n: 0 }, { callbacks: [handler], metadata: { user_id: `u-${i}` } });
  }
  const runs = (await seriesOf(reader)).get(METRIC_NAMES.runDuration)!;
  const values = runs.map((point) => point.attributes["graphmeter.attribution.user_id"]).sort();
  assert.deepEqual(values, ["_other", "u-0", "u-1", "u-2", "u-3", "u-4"]);
  assert.equal(OTHER_ATTRIBUTE_VALUE, "_other");
  const other = runs.find((p) => p.attributes["graphmeter.attribution.user_id"] === "_other")!;
  assert.equal((other.value as { count: number }).count, 35);
  assert.throws(
    () => new OpenTelemetryRunExporter({ maxMetricAttributeValues: 0 }),
    /whole number ≥ 1/,
  );
  await meterProvider.shutdown();
});

Deno.test("with openInference, spans carry the thread as session.id too; no thread, no attribute", async () => {
  const { InMemorySpanExporter, SimpleSpanProcessor } = await import(
    "@opentelemetry/sdk-trace-base"
  );
  const spans = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const exporter = new OpenTelemetryRunExporter({
    tracer: provider.getTracer("graphmeter"),
    meter: new MeterProvider().getMeter("graphmeter"),
    openInference: true,
  });
  const handler = new PerformanceCallbackHandler({ onRunEnd: exporter.onRunEnd });
  const graph = twoByTwoGraph();
  await graph.invoke({ n: 0 }, {
    callbacks: [handler],
    configurable: { thread_id: "t-1" },
    metadata: { tenant_id: "acme" },
  });
  await graph.invoke({ n: 0 }, { callbacks: [handler] });
  const runs = spans.getFinishedSpans().filter((span) => span.name.startsWith("invoke_agent"));
  assert.deepEqual(
    runs.map((span) => [
      span.attributes["gen_ai.conversation.id"],
      span.attributes["session.id"],
      span.attributes["graphmeter.attribution.tenant_id"],
      span.attributes["user.id"],
    ]),
    [["t-1", "t-1", "acme", undefined], [undefined, undefined, undefined, undefined]],
  );
  await provider.shutdown();
});
