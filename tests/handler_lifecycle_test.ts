/**
 * The handler's lifecycle promises: LangChain's conventions (copy, push on run end, per-run
 * lookup, error listener), values that cannot be changed from outside, a bounded memory with exact
 * sums, and what draining and resetting keep or forget.
 */
import assert from "node:assert/strict";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import type { LLMCallMetrics, PipelineMetrics } from "../telemetry/metrics.ts";
import { estimateCost } from "../pricing/estimate.ts";
import { zeroTokenUsage } from "../pricing/token_usage.ts";
import { ScriptedChatModel, usage } from "./support/scripted_chat_model.ts";
import { fourStageGraph } from "./support/four_stage_graph.ts";

const model = () => new ScriptedChatModel({ replies: [{ usage: usage(1000, 100) }] });

/** gpt-4.1-mini's catalog price of one scripted call (1,000 in, 100 out). */
const CALL_USD = estimateCost(
  { ...zeroTokenUsage(), inputTokens: 1000, outputTokens: 100 },
  "gpt-4.1-mini",
  { provider: "openai" },
).costUsd as number;

Deno.test("copy() is the handler itself, so LangChain's child managers feed one handler", async () => {
  const handler = new PerformanceCallbackHandler();
  assert.equal(handler.copy(), handler);
  await fourStageGraph(model()).invoke({ text: "" }, { callbacks: [handler] });
  assert.equal(handler.metrics.totals.llmCalls, 3);
});

Deno.test("onRunEnd: once per finished root run, with its final priced metrics", async () => {
  const ended: PipelineMetrics[] = [];
  const handler = new PerformanceCallbackHandler({ onRunEnd: (run) => ended.push(run) });
  const graph = fourStageGraph(model());
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  await Promise.all([1, 2].map(() => graph.invoke({ text: "" }, { callbacks: [handler] })));
  assert.equal(ended.length, 3);
  assert.equal(new Set(ended.map((run) => run.runId)).size, 3);
  for (const run of ended) {
    assert.equal(run.status, "ok");
    assert.equal(run.totals.llmCalls, 3);
    assert.ok(Math.abs((run.totals.costUsd as number) - 3 * CALL_USD) < 1e-12);
  }
});

Deno.test("onRunEnd that throws is counted, never thrown into the graph", async () => {
  const errors: number[] = [];
  const handler = new PerformanceCallbackHandler({
    onRunEnd: () => {
      throw new Error("listener bug");
    },
    onError: (_error, count) => errors.push(count),
  });
  const output = await fourStageGraph(model()).invoke({ text: "" }, { callbacks: [handler] });
  assert.equal(output.count, 4);
  assert.equal(handler.handlerErrors, 1);
  assert.deepEqual(errors, [1]);
  assert.equal(handler.metrics.handlerErrors, 1);
});

Deno.test("onCallEnd: each finished call, priced, as it ends", async () => {
  const calls: LLMCallMetrics[] = [];
  const handler = new PerformanceCallbackHandler({ onCallEnd: (call) => calls.push(call) });
  await fourStageGraph(model()).invoke({ text: "" }, { callbacks: [handler] });
  assert.deepEqual(calls.map((call) => call.stage), [
    "segmentation",
    "relationship_analysis",
    "integration_decision",
  ]);
  for (const call of calls) assert.ok(Math.abs((call.costUsd as number) - CALL_USD) < 1e-12);
});

Deno.test("getRun finds a run by its root run id; an unknown id is undefined", async () => {
  const ended: PipelineMetrics[] = [];
  const handler = new PerformanceCallbackHandler({ onRunEnd: (run) => ended.push(run) });
  await fourStageGraph(model()).invoke({ text: "" }, { callbacks: [handler] });
  assert.equal(handler.getRun(ended[0].runId), ended[0]);
  assert.equal(handler.getRun("no-such-run"), undefined);
});

Deno.test("the default error listener warns at the 1st and 10th error, not at each", () => {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (message: string) => warnings.push(message);
  try {
    const handler = new PerformanceCallbackHandler({
      onCallEnd: () => {
        throw new Error("boom");
      },
    });
    const llm = { lc: 1, type: "not_implemented" as const, id: ["x"] };
    for (let i = 0; i < 12; i++) {
      handler.handleChatModelStart(llm, [], `call-${i}`, undefined, {}, [], {});
      handler.handleLLMError(new Error("failed"), `call-${i}`);
    }
    assert.equal(handler.handlerErrors, 12);
    assert.equal(warnings.length, 2);
    assert.match(warnings[1], /10 error\(s\)/);
  } finally {
    console.warn = original;
  }
});

Deno.test("metrics are values: changing one throws and never changes a later read", async () => {
  const handler = new PerformanceCallbackHandler();
  const graph = fourStageGraph(model());
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  for (const metrics of [handler.metrics, handler.runs[0]]) {
    const mutable = metrics as unknown as {
      runCount: number;
      totals: { llmCalls: number };
      calls: unknown[];
      stages: Record<string, { executionSpans: unknown[]; inputTokens: number }>;
    };
    assert.throws(() => (mutable.runCount = 999), TypeError);
    assert.throws(() => (mutable.totals.llmCalls = 999), TypeError);
    assert.throws(() => mutable.calls.push({}), TypeError);
    assert.throws(() => (mutable.stages.segmentation.inputTokens = 1), TypeError);
    assert.throws(() => mutable.stages.segmentation.executionSpans.pop(), TypeError);
  }
  assert.equal(handler.metrics.totals.llmCalls, 6);
  assert.equal(handler.runs[0].totals.llmCalls, 3);
});

Deno.test("bounded: older finished runs fold into exact sums, the newest stay in detail", async () => {
  const bounded = new PerformanceCallbackHandler({ maxRetainedRuns: 2 });
  const unbounded = new PerformanceCallbackHandler({ maxRetainedRuns: 100 });
  const graph = fourStageGraph(model());
  for (let i = 0; i < 7; i++) {
    await graph.invoke({ text: "" }, { callbacks: [bounded, unbounded] });
    if (i === 3) assert.equal(bounded.metrics.runCount, 4); // reads in between stay exact
  }
  assert.equal(bounded.runs.length, 2);
  assert.equal(bounded.metrics.calls.length, 6);
  assert.equal(bounded.metrics.stages.segmentation.executionSpans.length, 2);
  const [a, b] = [bounded.metrics, unbounded.metrics];
  // Each handler reads its own clock, so only the latencies may differ between the two.
  const sums = (
    { latencyMs: _l, toolLatencyMs: _t, ...rest }: { latencyMs: number; toolLatencyMs: number },
  ) => rest;
  assert.equal(a.runCount, 7);
  assert.deepEqual(sums(a.totals), sums(b.totals));
  assert.equal(a.totals.llmCalls, 21);
  assert.equal(a.totals.inputTokens, 21_000);
  assert.ok(Math.abs((a.totals.costUsd as number) - 21 * CALL_USD) < 1e-12);
  assert.ok(Math.abs(a.totals.latencyMs - b.totals.latencyMs) < 5);
  for (const name of Object.keys(b.stages)) {
    const { executionSpans: _a, ...stageA } = a.stages[name];
    const { executionSpans: _b, ...stageB } = b.stages[name];
    assert.deepEqual(sums(stageA), sums(stageB));
  }
  // Handing over the two kept in detail leaves the five folded ones in the sums.
  assert.equal(bounded.takeFinishedRuns().length, 2);
  assert.equal(bounded.metrics.runCount, 5);
  assert.equal(bounded.metrics.totals.llmCalls, 15);
});

Deno.test("a read with nothing new is the same value; one new run makes a new one", async () => {
  const handler = new PerformanceCallbackHandler();
  const graph = fourStageGraph(model());
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  const first = handler.metrics;
  assert.equal(handler.metrics, first);
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  assert.notEqual(handler.metrics, first);
  assert.equal(handler.metrics.runCount, 3);
  assert.equal(first.runCount, 2);
});

/** A graph whose one node waits until `release` is called, to read the handler mid-run. */
function gatedGraph() {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const started = Promise.withResolvers<void>();
  const State = Annotation.Root({ text: Annotation<string> });
  const graph = new StateGraph(State)
    .addNode("wait", async () => {
      started.resolve();
      await gate;
      return { text: "done" };
    })
    .addEdge(START, "wait")
    .addEdge("wait", END)
    .compile();
  return { graph, started: started.promise, release: () => release() };
}

Deno.test("a run still going is status running, and takeFinishedRuns keeps it", async () => {
  const handler = new PerformanceCallbackHandler();
  await fourStageGraph(model()).invoke({ text: "" }, { callbacks: [handler] });
  const gated = gatedGraph();
  const running = gated.graph.invoke({ text: "" }, { callbacks: [handler] });
  await gated.started;
  assert.equal(handler.metrics.status, "running");
  const taken = handler.takeFinishedRuns();
  assert.equal(taken.length, 1);
  assert.equal(taken[0].status, "ok");
  assert.equal(handler.runs.length, 1);
  assert.equal(handler.runs[0].status, "running");
  gated.release();
  await running;
  assert.equal(handler.metrics.status, "ok");
  assert.equal(handler.metrics.runCount, 1);
  assert.deepEqual(Object.keys(handler.metrics.stages), ["wait"]);
});

Deno.test("reset clears the runs, the folded sums and the handler's error count", async () => {
  const handler = new PerformanceCallbackHandler({
    maxRetainedRuns: 1,
    onRunEnd: () => {
      throw new Error("listener bug");
    },
    onError: () => {},
  });
  const graph = fourStageGraph(model());
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  assert.equal(handler.handlerErrors, 2);
  assert.equal(handler.metrics.runCount, 2);
  handler.reset();
  assert.equal(handler.handlerErrors, 0);
  assert.equal(handler.lastHandlerError, null);
  assert.equal(handler.metrics.runCount, 0);
  assert.equal(handler.metrics.totals.llmCalls, 0);
});
