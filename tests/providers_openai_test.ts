/**
 * OpenAI through the real `ChatOpenAI` (Chat Completions and the Responses API), offline against
 * a scripted server: tokens, model, provider and cost of each call as graphmeter records them.
 */
import { ChatOpenAI } from "@langchain/openai";
import assert from "node:assert/strict";
import {
  chatUsage,
  type OpenAIReply,
  responsesUsage,
  startOpenAIServer,
} from "./fixtures/openai_server.ts";
import {
  assertCost,
  assertStreamTiming,
  CALL_MODES,
  runGraph,
  STAGE,
  usageOf,
  usd,
} from "./fixtures/graph.ts";

// https://openai.com/api/pricing/ (per 1M tokens)
// gpt-4.1-mini: input $0.40, cached input $0.10, output $1.60.
const GPT_41_MINI = { input: 0.40, cachedInput: 0.10, output: 1.60 };
// gpt-5-mini: input $0.25, cached input $0.025, output $2.00 (reasoning billed as output).
const GPT_5_MINI = { input: 0.25, cachedInput: 0.025, output: 2.00 };

function openAI(origin: string, model: string, useResponsesApi = false): ChatOpenAI {
  return new ChatOpenAI({
    model,
    apiKey: "sk-test",
    maxRetries: 1,
    useResponsesApi,
    configuration: { baseURL: `${origin}/v1` },
  });
}

for (const mode of CALL_MODES) {
  Deno.test(`openai chat completions (${mode}): cached prompt tokens at their discount`, async () => {
    const reply: OpenAIReply = {
      model: "gpt-4.1-mini-2025-04-14",
      text: "It costs a few tenths of a cent.",
      usage: chatUsage(12_000, 500, { cached: 8_000 }),
    };
    await using server = startOpenAIServer([reply]);
    const { call, metrics, error } = await runGraph(
      openAI(server.origin, "gpt-4.1-mini"),
      mode,
    );
    assert.equal(error, null);
    assert.equal(server.requests[0].path, "/v1/chat/completions");
    if (mode === "stream") {
      assert.deepEqual(server.requests[0].body?.stream_options, { include_usage: true });
    }
    assert.deepEqual(usageOf(call), {
      model: "gpt-4.1-mini-2025-04-14",
      provider: "openai",
      inputTokens: 12_000,
      outputTokens: 500,
      cacheReadTokens: 8_000,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      usageReported: true,
    });
    assert.equal(call.requestedModel, "gpt-4.1-mini");
    assert.equal(call.costSource, "catalog");
    assertCost(
      call.costUsd,
      usd(12_000 - 8_000, GPT_41_MINI.input) + usd(8_000, GPT_41_MINI.cachedInput) +
        usd(500, GPT_41_MINI.output),
    );
    assert.equal(call.stage, STAGE);
    assertCost(metrics.stages[STAGE].costUsd, call.costUsd!);
    if (mode === "stream") assertStreamTiming(call);
    else assert.equal(call.timeToFirstTokenMs, null);
  });

  Deno.test(`openai responses api (${mode}): reasoning billed as output`, async () => {
    await using server = startOpenAIServer([{
      model: "gpt-5-mini-2025-08-07",
      text: "About three quarters of a cent.",
      usage: responsesUsage(20_000, 3_000, { cached: 15_000, reasoning: 2_000 }),
    }]);
    const { call, error } = await runGraph(openAI(server.origin, "gpt-5-mini", true), mode);
    assert.equal(error, null);
    assert.equal(server.requests[0].path, "/v1/responses");
    assert.deepEqual(usageOf(call), {
      // Streamed, LangChain concatenates `model` from response.created and response.completed
      // in response_metadata; `model_name` stays right.
      model: "gpt-5-mini-2025-08-07",
      provider: "openai",
      inputTokens: 20_000,
      outputTokens: 3_000,
      cacheReadTokens: 15_000,
      cacheWriteTokens: 0,
      reasoningTokens: 2_000,
      usageReported: true,
    });
    assertCost(
      call.costUsd,
      usd(20_000 - 15_000, GPT_5_MINI.input) + usd(15_000, GPT_5_MINI.cachedInput) +
        usd(3_000, GPT_5_MINI.output),
    );
    if (mode === "stream") assertStreamTiming(call);
  });
}

Deno.test("openai stream: time to first token waits for the first text, not the role chunk", async () => {
  // The first SSE chunk carries only `role: assistant` (empty content); text follows 40 ms later.
  await using server = startOpenAIServer([{
    model: "gpt-4.1-mini-2025-04-14",
    text: "Slow to start.",
    usage: chatUsage(100, 5),
    chunkDelayMs: 40,
  }]);
  const { call } = await runGraph(openAI(server.origin, "gpt-4.1-mini"), "stream");
  assertStreamTiming(call);
  assert.ok(
    call.timeToFirstTokenMs! >= 35,
    `time to first token ${call.timeToFirstTokenMs} ms counts the empty role chunk`,
  );
});
