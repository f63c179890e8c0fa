/**
 * Time to first token under LangGraph's event streaming (`streamEvents(..., { version: "v3" })`):
 * LangChain then streams chat models through `handleChatModelStreamEvent` only.
 */
import { ChatAnthropic } from "@langchain/anthropic";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import assert from "node:assert/strict";
import { PerformanceCallbackHandler } from "../mod.ts";
import { anthropicUsage, startAnthropicServer } from "./fixtures/anthropic_server.ts";

const State = Annotation.Root({ reply: Annotation<string> });

Deno.test("streamEvents v3: model.invoke() inside a node gets its time to first token", async () => {
  await using server = startAnthropicServer([{
    model: "claude-sonnet-4-5-20250929",
    text: "one two three four",
    usage: anthropicUsage(1_000, 40),
    chunkDelayMs: 20,
  }]);
  const model = new ChatAnthropic({
    model: "claude-sonnet-4-5",
    apiKey: "test",
    maxRetries: 0,
    anthropicApiUrl: server.origin,
  });
  const graph = new StateGraph(State)
    .addNode("answer", async (_state, config) => ({
      reply: String((await model.invoke("hi", config)).content),
    }))
    .addEdge(START, "answer")
    .addEdge("answer", END)
    .compile();
  const handler = new PerformanceCallbackHandler();
  const run = await graph.streamEvents({ reply: "" }, { version: "v3", callbacks: [handler] });
  let events = 0;
  for await (const _event of run) events++;
  assert.ok(events > 0);
  assert.ok(server.requests[0].body?.stream === true, "the model streamed");
  const [call] = handler.metrics.calls;
  assert.equal(call.inputTokens, 1_000);
  // message_start's placeholder output token is not counted twice (the stream's first chunk is
  // its message-start event under v3).
  assert.equal(call.outputTokens, 40);
  assert.notEqual(call.timeToFirstTokenMs, null, "first token recorded from stream events");
  // The first delta came after the first chunk delay, before the end.
  assert.ok(call.timeToFirstTokenMs! >= 15, `ttft ${call.timeToFirstTokenMs}`);
  assert.ok(call.timeToFirstTokenMs! < call.latencyMs);
});
