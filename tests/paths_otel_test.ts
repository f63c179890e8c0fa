/**
 * OpenTelemetry spans nest as the graph does: the supervisor graph (real LangGraph) exported as
 * each run ends gives a run span, stage spans, node spans inside them (`node research_agent/tools`
 * inside `stage research_agent`), an `execute_tool` span inside the tool node's span, and each
 * `chat` span inside the node execution that made the call.
 */
import assert from "node:assert/strict";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { OpenTelemetryRunExporter } from "../otel/mod.ts";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import {
  startSupervisorServer,
  SUMMARIZE_BRANCHES,
  SUPERVISOR_INPUT,
  supervisorGraph,
} from "./fixtures/supervisor_graph.ts";

Deno.test("otel: node spans inside stage spans, tool spans inside the tool node's, calls inside their node", async () => {
  await using server = startSupervisorServer();
  const graph = supervisorGraph({ origin: server.origin, searchMs: 40 });
  const spans = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const exporter = new OpenTelemetryRunExporter({
    tracer: provider.getTracer("test"),
    workflowName: "supervisor",
  });
  const handler = new PerformanceCallbackHandler({ onRunEnd: exporter.onRunEnd });
  await graph.invoke(SUPERVISOR_INPUT, { callbacks: [handler] });
  assert.deepEqual([exporter.exportedRuns, exporter.failedRuns], [1, 0]);

  const finished = spans.getFinishedSpans();
  const named = (name: string) => finished.filter((span) => span.name === name);
  const parentOf = (span: ReadableSpan) =>
    finished.find((other) => other.spanContext().spanId === span.parentSpanContext?.spanId);
  const count = (name: string) => named(name).length;
  assert.deepEqual(
    [
      "stage research_agent",
      "node research_agent/agent",
      "node research_agent/tools",
      "execute_tool web_search",
      "node writer_agent/agent",
      "execute_tool word_count",
      "stage summarize",
      "chat gpt-4o-mini-2024-07-18",
    ].map(count),
    [1, 2, 1, 1, 2, 1, SUMMARIZE_BRANCHES, 8],
  );
  // Nodes inside their stage, the tool inside its node.
  for (const node of named("node research_agent/agent")) {
    assert.equal(parentOf(node)?.name, "stage research_agent");
    assert.equal(node.attributes["graphmeter.node.path"], "research_agent/agent");
    assert.equal(node.attributes["graphmeter.node.depth"], 2);
    assert.equal(node.attributes["graphmeter.stage"], "research_agent");
  }
  const [search] = named("execute_tool web_search");
  assert.equal(parentOf(search)?.name, "node research_agent/tools");
  assert.equal(parentOf(parentOf(search)!)?.name, "stage research_agent");
  assert.equal(search.attributes["gen_ai.operation.name"], "execute_tool");
  assert.equal(search.attributes["gen_ai.tool.name"], "web_search");
  const searchMs = search.duration[0] * 1000 + search.duration[1] / 1e6;
  assert.ok(searchMs >= 39, `${searchMs} ms`);
  // Each call inside the node execution that made it: the agents' in their agent nodes, the rest
  // in their stage's execution.
  const homes = named("chat gpt-4o-mini-2024-07-18").map((call) => parentOf(call)?.name).sort();
  assert.deepEqual(homes, [
    "node research_agent/agent",
    "node research_agent/agent",
    "node writer_agent/agent",
    "node writer_agent/agent",
    "stage summarize",
    "stage summarize",
    "stage summarize",
    "stage supervisor",
  ]);
  const agentCall = named("chat gpt-4o-mini-2024-07-18")
    .find((call) => call.attributes["graphmeter.node.path"] === "research_agent/agent");
  assert.ok(agentCall, "a call's span names its node path");
  // Every span ends within its parent.
  const end = (span: ReadableSpan) => span.endTime[0] * 1000 + span.endTime[1] / 1e6;
  const start = (span: ReadableSpan) => span.startTime[0] * 1000 + span.startTime[1] / 1e6;
  for (const span of finished) {
    const parent = parentOf(span);
    if (!parent) continue;
    assert.ok(start(span) >= start(parent) - 0.001 && end(span) <= end(parent) + 0.001, span.name);
  }
  await provider.shutdown();
});
