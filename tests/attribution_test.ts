/**
 * Attribution through real LangGraph: the thread and the attribution keys a run carries, what
 * LangGraph does and does not pass to callbacks, and a thread's cost rolled up across invocations.
 */
import assert from "node:assert/strict";
import { MemorySaver } from "@langchain/langgraph";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { PipelineMetrics, ThreadMetrics } from "../telemetry/metrics.ts";
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

Deno.test("a run carries its thread and the attribution keys of its metadata", async () => {
  const handler = new PerformanceCallbackHandler();
  await fourStageGraph(model()).invoke({ text: "" }, {
    callbacks: [handler],
    configurable: { thread_id: "conversation-1" },
    metadata: { user_id: "u-1", tenant_id: "acme", feature: "summaries" },
  });
  const [run] = handler.runs;
  assert.equal(run.threadId, "conversation-1");
  assert.deepEqual(run.attributes, { user_id: "u-1", tenant_id: "acme" });
  assert.ok(PipelineMetrics.safeParse(run).success);
});

Deno.test("LangGraph passes configurable.thread_id to callbacks, but not configurable.user_id", async () => {
  // The fact the design rests on (@langchain/langgraph 1.7): only thread, checkpoint and task ids
  // travel from `configurable` into the metadata callbacks receive.
  const handler = new PerformanceCallbackHandler();
  await fourStageGraph(model()).invoke({ text: "" }, {
    callbacks: [handler],
    configurable: { thread_id: "t-9", user_id: "only-in-configurable" },
  });
  assert.equal(handler.runs[0].threadId, "t-9");
  assert.deepEqual(handler.runs[0].attributes, {});
});

Deno.test("the attributes option names the keys; values become text, objects are ignored", async () => {
  const handler = new PerformanceCallbackHandler({ attributes: ["feature", "plan", "seats"] });
  await fourStageGraph(model()).invoke({ text: "" }, {
    callbacks: [handler],
    metadata: { user_id: "u-1", feature: "search", plan: { tier: "pro" }, seats: 12 },
  });
  assert.deepEqual(handler.runs[0].attributes, { feature: "search", seats: "12" });
  assert.equal(handler.runs[0].threadId, null);
  assert.throws(() => new PerformanceCallbackHandler({ attributes: [""] }), /non-empty string/);
});

Deno.test("a chat model invoked alone is attributed by its own metadata", async () => {
  const handler = new PerformanceCallbackHandler();
  await model().invoke("hi", {
    callbacks: [handler],
    metadata: { user_id: "u-2", session_id: "s" },
  });
  assert.equal(handler.runs[0].threadId, "s");
  assert.deepEqual(handler.runs[0].attributes, { user_id: "u-2" });
});

Deno.test("merged metrics keep what every run shares", async () => {
  const handler = new PerformanceCallbackHandler({ maxRetainedRuns: 1 });
  const graph = fourStageGraph(model());
  for (const user_id of ["u-1", "u-2", "u-3"]) {
    await graph.invoke({ text: "" }, {
      callbacks: [handler],
      metadata: { user_id, tenant_id: "acme" },
    });
  }
  assert.deepEqual(handler.metrics.attributes, { tenant_id: "acme" });
  assert.equal(handler.metrics.threadId, null);
});

Deno.test("a thread of five invocations reports its summed cost exactly", async () => {
  // A checkpointed graph: one conversation, five turns, interleaved with another thread's turns;
  // runs fold (maxRetainedRuns: 2) and are handed over midway, and the sums stay exact.
  const ended: PipelineMetrics[] = [];
  const handler = new PerformanceCallbackHandler({
    maxRetainedRuns: 2,
    onRunEnd: (run) => ended.push(run),
  });
  const graph = fourStageGraph(model());
  const checkpointed = fourStageGraph(model());
  checkpointed.checkpointer = new MemorySaver();
  for (let turn = 0; turn < 5; turn++) {
    await checkpointed.invoke({ text: `turn ${turn}` }, {
      callbacks: [handler],
      configurable: { thread_id: "conversation-A" },
      metadata: { user_id: "u-1" },
    });
    await graph.invoke({ text: "" }, {
      callbacks: [handler],
      configurable: { thread_id: "conversation-B" },
    });
    if (turn === 2) handler.takeFinishedRuns();
  }
  const costs = ended.filter((run) => run.threadId === "conversation-A")
    .map((run) => run.totals.costUsd as number);
  assert.equal(costs.length, 5);
  const thread = handler.thread("conversation-A") as ThreadMetrics;
  assert.ok(ThreadMetrics.safeParse(thread).success);
  assert.equal(thread.runCount, 5);
  assert.equal(thread.failedRuns, 0);
  assert.equal(thread.totals.llmCalls, 15);
  assert.equal(thread.totals.inputTokens, 15_000);
  assert.equal(thread.totals.outputTokens, 1_500);
  // Exactly the runs' own costs summed, and 15 calls at the catalog price.
  assert.equal(thread.totals.costUsd, costs.reduce((sum, cost) => sum + cost, 0));
  assert.ok(Math.abs((thread.totals.costUsd as number) - 15 * CALL_USD) < 1e-15);
  assert.deepEqual(thread.attributes, { user_id: "u-1" });
  assert.equal(handler.thread("conversation-B")?.runCount, 5);
  assert.equal(handler.thread("no-such-thread"), undefined);
  // The checkpointer really carried the conversation: its state counted every turn's stages.
  const state = await checkpointed.getState({ configurable: { thread_id: "conversation-A" } });
  assert.equal(state.values.count, 20);
});

Deno.test("threads are bounded: the least recently active is forgotten first", async () => {
  const handler = new PerformanceCallbackHandler({ maxThreads: 2, maxRetainedRuns: 0 });
  const graph = fourStageGraph(model());
  for (const thread_id of ["a", "b", "a", "c"]) {
    await graph.invoke({ text: "" }, { callbacks: [handler], configurable: { thread_id } });
  }
  assert.equal(handler.thread("b"), undefined);
  assert.equal(handler.thread("a")?.runCount, 2);
  assert.equal(handler.thread("c")?.runCount, 1);
  assert.throws(() => new PerformanceCallbackHandler({ maxThreads: -1 }), RangeError);
});

Deno.test("a call that ends after its run did is in its thread's sums", async () => {
  // A node that leaves a model call running and returns: the call ends after the root did.
  const { Annotation, END, START, StateGraph } = await import("@langchain/langgraph");
  const late = new ScriptedChatModel({ replies: [{ usage: usage(1000, 100), delayMs: 30 }] });
  let pending: Promise<unknown> = Promise.resolve();
  const State = Annotation.Root({ text: Annotation<string> });
  const graph = new StateGraph(State)
    .addNode("fire", (_state, config) => {
      pending = late.invoke("hi", config);
      return { text: "fired" };
    })
    .addEdge(START, "fire")
    .addEdge("fire", END)
    .compile();
  const handler = new PerformanceCallbackHandler();
  await graph.invoke({ text: "" }, { callbacks: [handler], configurable: { thread_id: "t" } });
  assert.equal(handler.thread("t")?.totals.costUsd, null); // unfinished: not priced yet
  await pending;
  assert.ok(Math.abs((handler.thread("t")?.totals.costUsd as number) - CALL_USD) < 1e-15);
});
