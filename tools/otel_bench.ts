/**
 * What exporting one finished run costs in the process (`deno bench tools/otel_bench.ts`): a
 * 4-stage run with 4 calls, through `OpenTelemetryRunExporter.onRunEnd`, with no SDK registered
 * (graphmeter's own work: attributes, span calls on no-op tracers), and with the JS SDK's tracer
 * and meter (a batch span processor that does not export during the bench, and a meter provider).
 */
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { OpenTelemetryRunExporter } from "../otel/mod.ts";
import { ScriptedChatModel, usage } from "../tests/support/scripted_chat_model.ts";
import { fourStageGraph } from "../tests/support/four_stage_graph.ts";

const graph = fourStageGraph(
  new ScriptedChatModel({ replies: [{ text: "ok", usage: usage(1200, 150) }] }),
  { llmInEveryStage: true },
);
const handler = new PerformanceCallbackHandler();
await graph.invoke({ text: "", count: 0 }, { callbacks: [handler] });
const [run] = handler.takeFinishedRuns();

const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({
  spanProcessors: [
    new BatchSpanProcessor(spans, { maxQueueSize: 2048, scheduledDelayMillis: 50 }),
  ],
});
const meterProvider = new MeterProvider();
const noSdk = new OpenTelemetryRunExporter();
const withSdk = new OpenTelemetryRunExporter({
  tracer: tracerProvider.getTracer("graphmeter"),
  meter: meterProvider.getMeter("graphmeter"),
});
const withSdkOpenInference = new OpenTelemetryRunExporter({
  tracer: tracerProvider.getTracer("graphmeter"),
  meter: meterProvider.getMeter("graphmeter"),
  openInference: true,
});

Deno.bench(
  "onRunEnd, no SDK registered (graphmeter's own work)",
  { group: "export one run" },
  () => {
    noSdk.onRunEnd(run);
  },
);
Deno.bench("onRunEnd through the JS SDK (9 spans, 21 metric points)", {
  group: "export one run",
  baseline: true,
}, () => {
  withSdk.onRunEnd(run);
  if (spans.getFinishedSpans().length > 10_000) spans.reset();
});
Deno.bench("the same with OpenInference attributes", { group: "export one run" }, () => {
  withSdkOpenInference.onRunEnd(run);
  if (spans.getFinishedSpans().length > 10_000) spans.reset();
});
