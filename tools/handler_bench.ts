/**
 * Overhead of the handler on a bare 4-stage LangGraph invocation with an instant fake model
 * (one call per stage): no handler, a no-op inline handler, LangChain's RunCollectorCallbackHandler
 * and PerformanceCallbackHandler, one after the other (`deno bench tools/handler_bench.ts`); the
 * interleaved comparison with Langfuse and OpenInference is `deno task overhead` (tools/overhead.ts).
 */
import { RunCollectorCallbackHandler } from "@langchain/core/tracers/run_collector";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { AIMessage } from "@langchain/core/messages";
import { ScriptedChatModel, usage } from "../tests/support/scripted_chat_model.ts";
import { fourStageGraph } from "../tests/support/four_stage_graph.ts";
import { NoOpHandler } from "../tests/support/noop_handler.ts";

const model = new ScriptedChatModel({ replies: [{ text: "ok", usage: usage(1200, 150) }] });
const graph = fourStageGraph(model, { llmInEveryStage: true });

const input = { text: "", count: 0 };

Deno.bench(
  "no handler",
  { group: "4-stage invoke", baseline: true, n: 2000, warmup: 300 },
  async () => {
    await graph.invoke(input);
  },
);

Deno.bench("no-op inline handler", { group: "4-stage invoke", n: 2000, warmup: 300 }, async () => {
  await graph.invoke(input, { callbacks: [new NoOpHandler()] });
});

Deno.bench(
  "RunCollectorCallbackHandler",
  { group: "4-stage invoke", n: 2000, warmup: 300 },
  async () => {
    await graph.invoke(input, { callbacks: [new RunCollectorCallbackHandler()] });
  },
);

Deno.bench(
  "PerformanceCallbackHandler",
  { group: "4-stage invoke", n: 2000, warmup: 300 },
  async () => {
    await graph.invoke(input, { callbacks: [new PerformanceCallbackHandler()] });
  },
);

Deno.bench("PerformanceCallbackHandler + read metrics", {
  group: "4-stage invoke",
  n: 2000,
  warmup: 300,
}, async () => {
  const handler = new PerformanceCallbackHandler();
  await graph.invoke(input, { callbacks: [handler] });
  if (handler.metrics.totals.llmCalls !== 4) throw new Error("metrics incomplete");
});

// The handler's own work, without LangChain's dispatch: the callbacks of one 4-stage run
// (graph start, 4 node starts/ends, 4 chat-model starts/ends, graph end), called directly.
const serialized = { lc: 1, type: "not_implemented" as const, id: ["bench"] };
const llmResult = {
  generations: [[{
    text: "ok",
    message: new AIMessage({
      content: "ok",
      usage_metadata: usage(1200, 150),
      response_metadata: { model_name: "gpt-4.1-mini" },
    }),
  }]],
};
const stageNames = [
  "segmentation",
  "relationship_analysis",
  "integration_decision",
  "node_extraction",
];
const stageMetadata = stageNames.map((name) => ({ langgraph_node: name }));
const chatMetadata = { ls_provider: "openai", ls_model_name: "gpt-4.1-mini" };
let runCounter = 0;

function feedOneRun(handler: PerformanceCallbackHandler): void {
  const root = `run-${runCounter++}`;
  handler.handleChainStart(serialized, {}, root);
  for (let i = 0; i < 4; i++) {
    const node = `${root}-n${i}`;
    const llm = `${root}-l${i}`;
    handler.handleChainStart(
      serialized,
      {},
      node,
      root,
      [],
      stageMetadata[i],
      "chain",
      stageNames[i],
    );
    handler.handleChatModelStart(serialized, [], llm, node, {}, [], chatMetadata);
    handler.handleLLMEnd(llmResult, llm);
    handler.handleChainEnd({}, node);
  }
  handler.handleChainEnd({}, root);
}

Deno.bench("callbacks of one 4-stage run, called directly", { group: "handler alone" }, () => {
  feedOneRun(new PerformanceCallbackHandler());
});

Deno.bench("the same, then read metrics (prices 4 calls)", { group: "handler alone" }, () => {
  const handler = new PerformanceCallbackHandler();
  feedOneRun(handler);
  if (handler.metrics.totals.llmCalls !== 4) throw new Error("metrics incomplete");
});
