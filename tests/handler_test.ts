import assert from "node:assert/strict";
import {
  Command,
  END,
  interrupt,
  MemorySaver,
  Send,
  START,
  StateGraph,
} from "@langchain/langgraph";
import { tool } from "@langchain/core/tools";
import { InMemoryCache } from "@langchain/core/caches";
import { CallbackManager } from "@langchain/core/callbacks/manager";
import { RunnableLambda } from "@langchain/core/runnables";
import { z } from "zod";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { PipelineMetrics } from "../telemetry/metrics.ts";
import { reportLLMCall } from "../telemetry/reported_call.ts";
import { PriceOverridesError } from "../pricing/overrides.ts";
import { ScriptedChatModel, usage } from "./support/scripted_chat_model.ts";
import { fourStageGraph, FourStageState } from "./support/four_stage_graph.ts";

// Published per-million-token prices (https://openai.com/api/pricing, gpt-4.1-mini):
// input $0.40, cached input $0.10, output $1.60.
const GPT41_MINI = { input: 0.4, cached: 0.1, output: 1.6 };
const M = 1_000_000;
const close = (actual: number | null, expected: number) =>
  assert.ok(
    actual !== null && Math.abs(actual - expected) < 1e-10,
    `expected ${expected}, got ${actual}`,
  );

const State = FourStageState;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

Deno.test("sequential graph: stages in order, exact tokens and catalog costs", async () => {
  const model = new ScriptedChatModel({
    replies: [
      { text: "chunks", usage: usage(1200, 300) },
      { text: "relations", usage: usage(2500, 400, { cacheRead: 1024 }) },
      { text: "decisions", usage: usage(4000, 700, { cacheRead: 2048, reasoning: 200 }) },
    ],
    modelName: "gpt-4.1-mini",
  });
  const handler = new PerformanceCallbackHandler();
  await fourStageGraph(model).invoke({ text: "" }, { callbacks: [handler] });
  const metrics = PipelineMetrics.parse(handler.metrics);

  assert.deepEqual(Object.keys(metrics.stages), [
    "segmentation",
    "relationship_analysis",
    "integration_decision",
    "node_extraction",
  ]);
  assert.equal(metrics.status, "ok");
  assert.equal(metrics.runCount, 1);
  assert.equal(metrics.stages.node_extraction.llmCalls, 0);
  assert.equal(metrics.stages.node_extraction.costUsd, 0);
  assert.equal(metrics.totals.llmCalls, 3);
  assert.equal(metrics.totals.inputTokens, 1200 + 2500 + 4000);
  assert.equal(metrics.totals.outputTokens, 300 + 400 + 700);
  assert.equal(metrics.totals.cacheReadTokens, 1024 + 2048);
  assert.equal(metrics.totals.reasoningTokens, 200);
  assert.equal(metrics.totals.executions, 4);

  const expected = [
    (1200 * GPT41_MINI.input + 300 * GPT41_MINI.output) / M,
    ((2500 - 1024) * GPT41_MINI.input + 1024 * GPT41_MINI.cached + 400 * GPT41_MINI.output) / M,
    ((4000 - 2048) * GPT41_MINI.input + 2048 * GPT41_MINI.cached + 700 * GPT41_MINI.output) / M,
  ];
  close(metrics.stages.segmentation.costUsd, expected[0]);
  close(metrics.stages.relationship_analysis.costUsd, expected[1]);
  close(metrics.stages.integration_decision.costUsd, expected[2]);
  close(metrics.totals.costUsd, expected[0] + expected[1] + expected[2]);

  const [first] = metrics.calls;
  assert.equal(first.stage, "segmentation");
  assert.equal(first.model, "gpt-4.1-mini");
  assert.equal(first.requestedModel, "gpt-4.1-mini");
  assert.equal(first.provider, "openai");
  assert.equal(first.usageReported, true);
  assert.equal(first.costSource, "catalog");
  assert.equal(first.timeToFirstTokenMs, null);
  assert.equal(first.error, null);
  // Sequential stages: their summed latency fits inside the run's wall time.
  assert.ok(metrics.totals.latencyMs <= metrics.wallTimeMs);
  for (const call of metrics.calls) {
    assert.ok(call.latencyMs <= metrics.stages[call.stage].latencyMs);
  }
});

Deno.test("the model the provider answered with wins over the requested one", async () => {
  const model = new ScriptedChatModel({
    replies: [{ usage: usage(1000, 100), model: "gpt-4.1-mini-2025-04-14" }],
    modelName: "gpt-4.1-mini",
  });
  const handler = new PerformanceCallbackHandler();
  await fourStageGraph(model).invoke({ text: "" }, { callbacks: [handler] });
  const call = handler.metrics.calls[0];
  assert.equal(call.model, "gpt-4.1-mini-2025-04-14");
  assert.equal(call.requestedModel, "gpt-4.1-mini");
  close(call.costUsd, (1000 * GPT41_MINI.input + 100 * GPT41_MINI.output) / M);
});

Deno.test("parallel fan-out: stage latencies sum past the wall time, both right", async () => {
  const branch = async () => {
    await sleep(60);
    return { count: 1 };
  };
  const graph = new StateGraph(State)
    .addNode("fan_out", () => ({ count: 1 }))
    .addNode("left", branch)
    .addNode("right", branch)
    .addNode("join", () => ({ count: 1 }))
    .addEdge(START, "fan_out")
    .addEdge("fan_out", "left")
    .addEdge("fan_out", "right")
    .addEdge("left", "join")
    .addEdge("right", "join")
    .addEdge("join", END)
    .compile();
  const handler = new PerformanceCallbackHandler();
  const output = await graph.invoke({ text: "" }, { callbacks: [handler] });
  assert.equal(output.count, 4);
  const metrics = handler.metrics;
  assert.deepEqual(Object.keys(metrics.stages), ["fan_out", "left", "right", "join"]);
  assert.ok(metrics.stages.left.latencyMs >= 55 && metrics.stages.right.latencyMs >= 55);
  const stageSum = Object.values(metrics.stages).reduce((sum, s) => sum + s.latencyMs, 0);
  assert.equal(metrics.totals.latencyMs, stageSum);
  assert.ok(stageSum > metrics.wallTimeMs, `${stageSum} vs ${metrics.wallTimeMs}`);
});

Deno.test("subgraph internals roll up into their top-level stage", async () => {
  const model = new ScriptedChatModel({ replies: [{ usage: usage(500, 50) }] });
  const inner = new StateGraph(State)
    .addNode("inner_first", async () => {
      await model.invoke("a");
      return { count: 1 };
    })
    .addNode("inner_second", async () => {
      await model.invoke("b");
      return { count: 1 };
    })
    .addEdge(START, "inner_first")
    .addEdge("inner_first", "inner_second")
    .addEdge("inner_second", END)
    .compile();
  const graph = new StateGraph(State)
    .addNode("prepare", () => ({ count: 1 }))
    .addNode("analysis", inner)
    .addEdge(START, "prepare")
    .addEdge("prepare", "analysis")
    .addEdge("analysis", END)
    .compile();
  const handler = new PerformanceCallbackHandler();
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  const metrics = handler.metrics;
  assert.deepEqual(Object.keys(metrics.stages), ["prepare", "analysis"]);
  assert.equal(metrics.stages.analysis.executions, 1);
  assert.equal(metrics.stages.analysis.llmCalls, 2);
  assert.equal(metrics.stages.analysis.inputTokens, 1000);
  assert.ok(metrics.calls.every((call) => call.stage === "analysis"));
});

Deno.test("a retried node counts each attempt and its error", async () => {
  let attempts = 0;
  const graph = new StateGraph(State)
    .addNode("flaky", () => {
      attempts += 1;
      if (attempts < 3) throw new Error(`attempt ${attempts} failed`);
      return { count: 1 };
    }, { retryPolicy: { maxAttempts: 3, initialInterval: 0.001, jitter: false } })
    .addEdge(START, "flaky")
    .addEdge("flaky", END)
    .compile();
  const handler = new PerformanceCallbackHandler();
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  const stage = handler.metrics.stages.flaky;
  assert.equal(stage.executions, 3);
  assert.equal(stage.errors, 2);
  assert.equal(handler.metrics.status, "ok");
});

Deno.test("a failing run is recorded with its error and what it measured before", async () => {
  const model = new ScriptedChatModel({ replies: [{ usage: usage(100, 10) }] });
  const graph = new StateGraph(State)
    .addNode("first", async () => {
      await model.invoke("x");
      return { count: 1 };
    })
    .addNode("broken", () => {
      throw new Error("bad state");
    })
    .addEdge(START, "first")
    .addEdge("first", "broken")
    .addEdge("broken", END)
    .compile();
  const handler = new PerformanceCallbackHandler();
  await assert.rejects(graph.invoke({ text: "" }, { callbacks: [handler] }), /bad state/);
  const metrics = PipelineMetrics.parse(handler.metrics);
  assert.equal(metrics.status, "error");
  assert.equal(metrics.error, "bad state");
  assert.equal(metrics.stages.broken.errors, 1);
  assert.equal(metrics.stages.first.inputTokens, 100);
});

Deno.test("a loop runs a node three times: three executions, three calls", async () => {
  const model = new ScriptedChatModel({ replies: [{ usage: usage(10, 2) }] });
  const graph = new StateGraph(State)
    .addNode("refine", async () => {
      await model.invoke("x");
      return { count: 1 };
    })
    .addEdge(START, "refine")
    .addConditionalEdges("refine", (state) => state.count < 3 ? "refine" : END)
    .compile();
  const handler = new PerformanceCallbackHandler();
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  const stage = handler.metrics.stages.refine;
  assert.equal(stage.executions, 3);
  assert.equal(stage.llmCalls, 3);
  assert.equal(stage.inputTokens, 30);
  assert.equal(stage.outputTokens, 6);
});

Deno.test("a streamed call records time to first token below its latency", async () => {
  const model = new ScriptedChatModel({
    replies: [{ text: "one two three four", usage: usage(40, 4), delayMs: 15 }],
  });
  const graph = new StateGraph(State)
    .addNode("writer", async () => {
      let text = "";
      for await (const chunk of await model.stream("x")) text += chunk.content;
      return { text };
    })
    .addEdge(START, "writer")
    .addEdge("writer", END)
    .compile();
  const handler = new PerformanceCallbackHandler();
  const output = await graph.invoke({ text: "" }, { callbacks: [handler] });
  assert.equal(output.text, "one two three four");
  const [call] = handler.metrics.calls;
  assert.equal(call.inputTokens, 40);
  assert.equal(call.outputTokens, 4);
  assert.ok(call.timeToFirstTokenMs !== null && call.timeToFirstTokenMs >= 14);
  assert.ok(call.timeToFirstTokenMs < call.latencyMs);
});

Deno.test("graph.stream: metrics are complete once the stream is consumed", async () => {
  const model = new ScriptedChatModel({ replies: [{ usage: usage(100, 20) }] });
  const handler = new PerformanceCallbackHandler();
  const steps = [];
  for await (
    const step of await fourStageGraph(model).stream({ text: "" }, { callbacks: [handler] })
  ) {
    steps.push(step);
  }
  assert.equal(steps.length, 4);
  assert.equal(handler.metrics.status, "ok");
  assert.equal(handler.metrics.totals.inputTokens, 300);
  assert.equal(handler.metrics.totals.executions, 4);
});

Deno.test("tool runs count toward their stage", async () => {
  const lookup = tool(async ({ query }: { query: string }) => {
    await sleep(10);
    return `found ${query}`;
  }, { name: "lookup", description: "looks up", schema: z.object({ query: z.string() }) });
  const graph = new StateGraph(State)
    .addNode("research", async () => {
      const found = await lookup.invoke({ query: "prices" });
      return { text: String(found) };
    })
    .addEdge(START, "research")
    .addEdge("research", END)
    .compile();
  const handler = new PerformanceCallbackHandler();
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  const stage = handler.metrics.stages.research;
  assert.equal(stage.toolCalls, 1);
  assert.ok(stage.toolLatencyMs >= 9 && stage.toolLatencyMs <= stage.latencyMs);
});

Deno.test("a shared handler keeps concurrent runs apart and adds them up once", async () => {
  const model = new ScriptedChatModel({ replies: [{ usage: usage(100, 10), delayMs: 5 }] });
  const graph = fourStageGraph(model);
  const handler = new PerformanceCallbackHandler();
  await Promise.all([1, 2, 3].map(() => graph.invoke({ text: "" }, { callbacks: [handler] })));
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  assert.equal(handler.runs.length, 4);
  for (const run of handler.runs) {
    assert.equal(run.totals.llmCalls, 3);
    assert.equal(run.totals.inputTokens, 300);
    assert.equal(run.stages.segmentation.executions, 1);
  }
  const metrics = handler.metrics;
  assert.equal(metrics.runCount, 4);
  assert.equal(metrics.totals.llmCalls, 12);
  assert.equal(metrics.stages.segmentation.executions, 4);
  assert.equal(metrics.calls.length, 12);
  close(metrics.totals.costUsd, 4 * 3 * (100 * GPT41_MINI.input + 10 * GPT41_MINI.output) / M);
});

Deno.test("a handler registered twice counts each run once", async () => {
  const model = new ScriptedChatModel({ replies: [{ usage: usage(100, 10) }] });
  const handler = new PerformanceCallbackHandler();
  // LangChain deduplicates `callbacks: [handler, handler]`; nested graphs can still deliver
  // every event twice (langgraphjs#2706). Simulate that: each callback runs twice.
  const twice = handler as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (
    const name of ["handleChainStart", "handleChainEnd", "handleChatModelStart", "handleLLMEnd"]
  ) {
    const original = twice[name].bind(handler);
    twice[name] = (...args: unknown[]) => {
      original(...args);
      return original(...args);
    };
  }
  await fourStageGraph(model).invoke({ text: "" }, { callbacks: [handler] });
  assert.equal(handler.runs.length, 1);
  assert.equal(handler.metrics.totals.llmCalls, 3);
  assert.equal(handler.metrics.totals.inputTokens, 300);
  assert.equal(handler.metrics.totals.executions, 4);
});

Deno.test("an exception inside the handler is caught and counted, never thrown", async () => {
  let ticks = 0;
  const handler = new PerformanceCallbackHandler({
    clock: () => {
      ticks += 1;
      if (ticks === 4) throw new Error("clock broke");
      return ticks;
    },
  });
  const model = new ScriptedChatModel({ replies: [{ usage: usage(100, 10) }] });
  const output = await fourStageGraph(model).invoke({ text: "" }, { callbacks: [handler] });
  assert.equal(output.count, 4);
  assert.equal(handler.handlerErrors, 1);
  assert.equal((handler.lastHandlerError as Error).message, "clock broke");
  assert.equal(handler.metrics.handlerErrors, 1);
});

Deno.test("an unknown model is unpriced (null), never $0", async () => {
  const model = new ScriptedChatModel({
    replies: [{ usage: usage(100, 10) }],
    modelName: "acme-internal-7b",
    provider: "acme",
  });
  const handler = new PerformanceCallbackHandler();
  await fourStageGraph(model).invoke({ text: "" }, { callbacks: [handler] });
  const metrics = handler.metrics;
  assert.equal(metrics.calls[0].costUsd, null);
  assert.equal(metrics.calls[0].costSource, "unpriced");
  assert.equal(metrics.stages.segmentation.costUsd, null);
  assert.equal(metrics.stages.segmentation.unpricedCalls, 1);
  assert.equal(metrics.totals.costUsd, null);
  assert.equal(metrics.totals.unpricedCalls, 3);
});

Deno.test("price overrides price custom models and win over the catalog", async () => {
  const model = new ScriptedChatModel({
    replies: [{ usage: usage(2000, 500, { cacheRead: 1000 }) }],
    modelName: "acme-internal-7b",
    provider: "acme",
  });
  const handler = new PerformanceCallbackHandler({
    priceOverrides: {
      "acme-internal-7b": { inputPerMTok: 2, outputPerMTok: 8, cacheReadPerMTok: 0.5 },
    },
  });
  await fourStageGraph(model).invoke({ text: "" }, { callbacks: [handler] });
  const call = handler.metrics.calls[0];
  assert.equal(call.costSource, "override");
  close(call.costUsd, (1000 * 2 + 1000 * 0.5 + 500 * 8) / M);
  assert.equal(handler.metrics.pricing.overrideModels, 1);
  assert.throws(
    () =>
      new PerformanceCallbackHandler({
        priceOverrides: { bad: { inputPerMTok: -1, outputPerMTok: 1 } },
      }),
    PriceOverridesError,
  );
});

Deno.test("missing usage is usageReported: false and unpriced, never a silent zero", async () => {
  const model = new ScriptedChatModel({ replies: [{ usage: null }] });
  const handler = new PerformanceCallbackHandler();
  await fourStageGraph(model).invoke({ text: "" }, { callbacks: [handler] });
  const metrics = handler.metrics;
  assert.equal(metrics.calls[0].usageReported, false);
  assert.equal(metrics.calls[0].costUsd, null);
  assert.equal(metrics.calls[0].costSource, "no-usage");
  assert.equal(metrics.totals.callsWithoutUsage, 3);
  assert.equal(metrics.totals.costUsd, null);
});

Deno.test("a failed call is recorded with its latency and error, the stage's errors rise", async () => {
  const model = new ScriptedChatModel({ replies: [{ error: "provider exploded", delayMs: 5 }] });
  const graph = new StateGraph(State)
    .addNode("ask", async () => {
      try {
        await model.invoke("x");
      } catch {
        return { text: "fallback" };
      }
      return { text: "answer" };
    })
    .addEdge(START, "ask")
    .addEdge("ask", END)
    .compile();
  const handler = new PerformanceCallbackHandler();
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  const [call] = handler.metrics.calls;
  assert.equal(call.error, "provider exploded");
  assert.ok(call.latencyMs >= 4);
  assert.equal(call.costUsd, 0);
  assert.equal(call.costSource, "failed");
  assert.equal(handler.metrics.stages.ask.errors, 1);
  assert.equal(handler.metrics.stages.ask.llmCalls, 1);
});

Deno.test("LLM calls outside any node go to (unattributed)", async () => {
  const model = new ScriptedChatModel({ replies: [{ usage: usage(70, 7) }] });
  const handler = new PerformanceCallbackHandler();
  await model.invoke("direct", { callbacks: [handler] });
  const metrics = handler.metrics;
  assert.deepEqual(Object.keys(metrics.stages), ["(unattributed)"]);
  assert.equal(metrics.stages["(unattributed)"].llmCalls, 1);
  assert.equal(metrics.stages["(unattributed)"].executions, 0);
  assert.equal(metrics.totals.inputTokens, 70);
});

Deno.test("a hit in LangChain's LLM cache costs $0", async () => {
  const model = new ScriptedChatModel({
    replies: [{ text: "same", usage: usage(100, 10) }],
    cache: new InMemoryCache(),
  });
  const handler = new PerformanceCallbackHandler();
  await model.invoke("same prompt", { callbacks: [handler] });
  await model.invoke("same prompt", { callbacks: [handler] });
  const [first, second] = handler.metrics.calls;
  assert.equal(first.costSource, "catalog");
  assert.equal(second.costSource, "llm-cache");
  assert.equal(second.costUsd, 0);
  assert.equal(model.calls, 1);
});

Deno.test("handleChainStart: parameters are read in LangChain's run-time order", async () => {
  const handler = new PerformanceCallbackHandler();
  const manager = CallbackManager.configure([handler]);
  const root = await manager?.handleChainStart({ lc: 1, type: "not_implemented", id: ["g"] }, {});
  const childManager = root!.getChild();
  childManager.addMetadata({ langgraph_node: "stage_a" });
  const child = await childManager.handleChainStart(
    { lc: 1, type: "not_implemented", id: ["n"] },
    {},
    undefined,
    "chain",
    undefined,
    undefined,
    "stage_a",
  );
  await child?.handleChainEnd({});
  await root?.handleChainEnd({});
  assert.equal(handler.runs.length, 1);
  assert.deepEqual(Object.keys(handler.metrics.stages), ["stage_a"]);
});

Deno.test("reportLLMCall: a direct SDK call is counted in its node's stage", async () => {
  const graph = new StateGraph(State)
    .addNode("segmentation", async (_state, config) => {
      await reportLLMCall({
        model: "gpt-4.1-mini",
        provider: "openai",
        inputTokens: 3000,
        cacheReadTokens: 1024,
        outputTokens: 250,
        latencyMs: 800,
      }, config);
      return { count: 1 };
    })
    .addEdge(START, "segmentation")
    .addEdge("segmentation", END)
    .compile();
  const handler = new PerformanceCallbackHandler();
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  const stage = handler.metrics.stages.segmentation;
  assert.equal(stage.llmCalls, 1);
  assert.equal(stage.inputTokens, 3000);
  close(
    stage.costUsd,
    ((3000 - 1024) * GPT41_MINI.input + 1024 * GPT41_MINI.cached + 250 * GPT41_MINI.output) / M,
  );
  assert.equal(handler.metrics.calls[0].latencyMs, 800);
});

Deno.test("reportLLMCall: without a config it finds the run LangChain's async context holds", async () => {
  const graph = new StateGraph(State)
    .addNode("segmentation", async () => {
      await reportLLMCall({
        model: "gpt-4.1-mini",
        provider: "openai",
        inputTokens: 10,
        outputTokens: 2,
        latencyMs: 5,
      });
      return { count: 1 };
    })
    .addEdge(START, "segmentation")
    .addEdge("segmentation", END)
    .compile();
  const handler = new PerformanceCallbackHandler();
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  assert.equal(handler.metrics.stages.segmentation.llmCalls, 1);
  assert.equal(handler.metrics.stages.segmentation.inputTokens, 10);
});

Deno.test("reportLLMCall: outside any run it is dropped, never thrown", async () => {
  await reportLLMCall(
    { model: "m", provider: "openai", inputTokens: 1, outputTokens: 1, latencyMs: 1 },
    { callbacks: [new PerformanceCallbackHandler()] },
  );
  await reportLLMCall({
    model: "m",
    provider: "openai",
    inputTokens: 1,
    outputTokens: 1,
    latencyMs: 1,
  });
});

Deno.test("reset forgets every run", async () => {
  const model = new ScriptedChatModel({ replies: [{ usage: usage(1, 1) }] });
  const handler = new PerformanceCallbackHandler();
  await fourStageGraph(model).invoke({ text: "" }, { callbacks: [handler] });
  handler.reset();
  assert.equal(handler.runs.length, 0);
  assert.equal(handler.metrics.runCount, 0);
  assert.equal(handler.metrics.totals.llmCalls, 0);
});

Deno.test("an interrupt is control flow, not a stage error; the resume is a second run", async () => {
  const graph = new StateGraph(State)
    .addNode("review", () => ({ text: String(interrupt("approve?")) }))
    .addEdge(START, "review")
    .addEdge("review", END)
    .compile({ checkpointer: new MemorySaver() });
  const handler = new PerformanceCallbackHandler();
  const config = { configurable: { thread_id: "t" }, callbacks: [handler] };
  await graph.invoke({ text: "" }, config);
  const output = await graph.invoke(new Command({ resume: "approved" }), config);
  assert.equal(output.text, "approved");
  assert.equal(handler.runs.length, 2);
  for (const run of handler.runs) {
    assert.equal(run.status, "ok");
    assert.equal(run.stages.review.executions, 1);
    assert.equal(run.stages.review.errors, 0);
  }
});

Deno.test("Send fan-out: one stage, one execution per branch", async () => {
  const model = new ScriptedChatModel({ replies: [{ usage: usage(100, 10) }] });
  const graph = new StateGraph(State)
    .addNode("plan", () => ({ count: 1 }))
    .addNode("work", async (state) => {
      await model.invoke(state.text);
      return { count: 1 };
    })
    .addEdge(START, "plan")
    .addConditionalEdges("plan", () => ["a", "b", "c"].map((text) => new Send("work", { text })))
    .addEdge("work", END)
    .compile();
  const handler = new PerformanceCallbackHandler();
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  const work = handler.metrics.stages.work;
  assert.equal(work.executions, 3);
  assert.equal(work.llmCalls, 3);
  assert.equal(work.inputTokens, 300);
  assert.equal(work.executionSpans.length, 3);
});

Deno.test("a call still in flight when its run fails is unfinished, then complete when it ends", async () => {
  const slow = new ScriptedChatModel({ replies: [{ usage: usage(1000, 100), delayMs: 80 }] });
  let slowCall: Promise<unknown> = Promise.resolve();
  const graph = new StateGraph(State)
    .addNode("fan_out", () => ({ count: 1 }))
    .addNode("fail", async () => {
      await sleep(10);
      throw new Error("branch failed");
    })
    .addNode("slow", async () => {
      slowCall = slow.invoke("x");
      await slowCall;
      return { count: 1 };
    })
    .addEdge(START, "fan_out")
    .addEdge("fan_out", "fail")
    .addEdge("fan_out", "slow")
    .addEdge("fail", END)
    .addEdge("slow", END)
    .compile();
  const handler = new PerformanceCallbackHandler();
  await assert.rejects(graph.invoke({ text: "" }, { callbacks: [handler] }), /branch failed/);
  const early = handler.metrics;
  assert.equal(early.status, "error");
  assert.equal(early.calls[0].costSource, "unfinished");
  assert.equal(early.calls[0].costUsd, null);
  assert.ok(early.calls[0].latencyMs <= early.wallTimeMs);
  await slowCall;
  const late = handler.metrics;
  assert.equal(late.calls[0].costSource, "catalog");
  assert.equal(late.calls[0].inputTokens, 1000);
  close(late.totals.costUsd, (1000 * GPT41_MINI.input + 100 * GPT41_MINI.output) / M);
  assert.ok(late.calls[0].latencyMs >= 75);
});

Deno.test("a call reported after its run failed counts in the sums of several runs", async () => {
  // A chain (not a graph: LangGraph aborts a failed run's pending nodes and tools) that fails
  // while a tool it started still runs; the tool reports a direct SDK call after the run ended.
  const reported = Promise.withResolvers<void>();
  const gate = Promise.withResolvers<void>();
  const lookup = tool(async (_input: { query: string }, config) => {
    await sleep(30);
    await reportLLMCall({
      model: "gpt-4.1-mini",
      provider: "openai",
      inputTokens: 3000,
      outputTokens: 250,
      latencyMs: 20,
    }, config);
    reported.resolve();
    await gate.promise; // the tool still runs when the metrics are read
    return "found";
  }, { name: "lookup", description: "looks up", schema: z.object({ query: z.string() }) });
  let looking: Promise<unknown> = Promise.resolve();
  const chain = RunnableLambda.from(async (_input: string, config) => {
    looking = lookup.invoke({ query: "prices" }, config);
    await sleep(5);
    throw new Error("chain failed");
  });
  const handler = new PerformanceCallbackHandler();
  await fourStageGraph(new ScriptedChatModel({ replies: [{ usage: usage(1000, 100) }] }))
    .invoke({ text: "" }, { callbacks: [handler] });
  await assert.rejects(chain.invoke("x", { callbacks: [handler] }), /chain failed/);
  assert.equal(handler.metrics.runCount, 2);
  assert.equal(handler.metrics.totals.llmCalls, 3); // both runs ended, nothing reported yet
  await reported.promise;
  const late = handler.metrics;
  assert.equal(late.totals.llmCalls, 4);
  assert.equal(late.totals.inputTokens, 3 * 1000 + 3000);
  assert.equal(late.stages["(unattributed)"].llmCalls, 1);
  assert.equal(late.calls.length, 4);
  gate.resolve();
  await looking;
});

Deno.test("overrides match the requested name when the provider answers a dated one", async () => {
  const model = new ScriptedChatModel({
    replies: [{ usage: usage(1000, 100), model: "gpt-4.1-mini-2025-04-14" }],
    modelName: "gpt-4.1-mini",
  });
  const handler = new PerformanceCallbackHandler({
    priceOverrides: { "openai:gpt-4.1-mini": { inputPerMTok: 1, outputPerMTok: 10 } },
  });
  await model.invoke("x", { callbacks: [handler] });
  const [call] = handler.metrics.calls;
  assert.equal(call.costSource, "override");
  close(call.costUsd, (1000 * 1 + 100 * 10) / M);
});

Deno.test("takeFinishedRuns hands over finished runs and forgets them", async () => {
  const model = new ScriptedChatModel({ replies: [{ usage: usage(10, 1) }] });
  const handler = new PerformanceCallbackHandler();
  const graph = fourStageGraph(model);
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  const taken = handler.takeFinishedRuns();
  assert.equal(taken.length, 2);
  assert.equal(taken[0].totals.llmCalls, 3);
  assert.equal(handler.runs.length, 0);
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  assert.equal(handler.runs.length, 1);
  assert.equal(handler.metrics.totals.llmCalls, 3);
});

Deno.test("a stream of tool-call chunks only still has a time to first token", () => {
  let now = 0;
  const handler = new PerformanceCallbackHandler({ clock: () => now });
  const serialized = { lc: 1, type: "not_implemented" as const, id: ["x"] };
  handler.handleChatModelStart(serialized, [], "call", undefined, {}, [], {});
  now = 5;
  handler.handleLLMNewToken("", { prompt: 0, completion: 0 }, "call", undefined, undefined, {
    chunk: { message: { content: "" } },
  });
  now = 40;
  handler.handleLLMNewToken("", { prompt: 0, completion: 0 }, "call", undefined, undefined, {
    chunk: { message: { content: "", tool_call_chunks: [{ name: "lookup", args: "{" }] } },
  });
  now = 90;
  handler.handleLLMEnd({ generations: [] }, "call");
  const [call] = handler.metrics.calls;
  assert.equal(call.timeToFirstTokenMs, 40);
  assert.equal(call.latencyMs, 90);
});

Deno.test("the handler runs inline, whatever LANGCHAIN_CALLBACKS_BACKGROUND says", () => {
  assert.equal(new PerformanceCallbackHandler().awaitHandlers, true);
});
