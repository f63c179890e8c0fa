/**
 * Faults through the real integrations, offline: a rate limit retried inside the SDK, a server
 * error, an answer without usage, a stream cut mid-way, a model no price table knows.
 */
import { ChatGoogleGenerativeAI } from "@langchain/google-genai";
import { ChatOpenAI } from "@langchain/openai";
import assert from "node:assert/strict";
import { chatUsage, startOpenAIServer } from "./fixtures/openai_server.ts";
import { startGeminiServer } from "./fixtures/gemini_server.ts";
import { assertCost, CALL_MODES, runGraph, STAGE, usd } from "./fixtures/graph.ts";

// https://openai.com/api/pricing/ (per 1M tokens): gpt-4.1-mini input $0.40, output $1.60.
const GPT_41_MINI = { input: 0.40, output: 1.60 };
const MODEL = "gpt-4.1-mini-2025-04-14";

function openAI(origin: string, maxRetries: number, model = "gpt-4.1-mini"): ChatOpenAI {
  return new ChatOpenAI({
    model,
    apiKey: "sk-test",
    maxRetries,
    configuration: { baseURL: `${origin}/v1` },
  });
}

Deno.test("429 with retry-after: retried inside the SDK, one call whose latency includes the wait", async () => {
  await using server = startOpenAIServer([
    {
      model: MODEL,
      text: "",
      usage: null,
      status: 429,
      headers: { "retry-after": "0.2" },
      errorBody: { error: { message: "Rate limit reached", type: "requests", code: null } },
    },
    { model: MODEL, text: "Second time lucky.", usage: chatUsage(1_000, 20) },
  ]);
  const { metrics, call, error } = await runGraph(openAI(server.origin, 2), "invoke");
  assert.equal(error, null);
  assert.equal(server.requests.length, 2, "the SDK retried once");
  assert.equal(metrics.calls.length, 1, "a retry inside the SDK is one call");
  assert.equal(call.error, null);
  assert.ok(call.latencyMs >= 200, `latency ${call.latencyMs} ms leaves out the 200 ms wait`);
  assert.equal(call.inputTokens, 1_000);
  assertCost(call.costUsd, usd(1_000, GPT_41_MINI.input) + usd(20, GPT_41_MINI.output));
  assert.equal(metrics.stages[STAGE].errors, 0);
});

Deno.test("500: the call fails, is recorded with its error, the stage counts it", async () => {
  await using server = startOpenAIServer([{
    model: MODEL,
    text: "",
    usage: null,
    status: 500,
    errorBody: { error: { message: "The server had an error", type: "server_error" } },
  }]);
  const { metrics, call, error } = await runGraph(openAI(server.origin, 0), "invoke");
  assert.ok(error instanceof Error, "the graph run fails");
  assert.equal(server.requests.length, 1);
  assert.equal(metrics.status, "error");
  assert.equal(metrics.calls.length, 1);
  assert.match(call.error ?? "", /server had an error|500/);
  assert.equal(call.usageReported, false);
  assert.equal(call.inputTokens, 0);
  assert.equal(call.costUsd, 0, "nothing is billed for a failed request");
  assert.equal(call.costSource, "failed");
  const stage = metrics.stages[STAGE];
  assert.equal(stage.llmCalls, 1);
  assert.equal(stage.errors, 2, "the failed call and the failed node execution");
  assert.equal(stage.executions, 1);
  assert.equal(metrics.totals.errors, stage.errors);
  assert.equal(metrics.totals.inputTokens, 0);
  assert.equal(metrics.totals.costUsd, 0);
});

for (const mode of CALL_MODES) {
  Deno.test(`openai answer without usage (${mode}): usageReported false, cost unknown`, async () => {
    await using server = startOpenAIServer([{ model: MODEL, text: "No usage here.", usage: null }]);
    const { metrics, call, error } = await runGraph(openAI(server.origin, 1), mode);
    assert.equal(error, null);
    assert.equal(call.usageReported, false);
    assert.equal(call.model, MODEL);
    assert.equal(call.costUsd, null);
    assert.equal(call.costSource, "no-usage");
    assert.equal(metrics.stages[STAGE].callsWithoutUsage, 1);
    assert.equal(metrics.stages[STAGE].costUsd, null);
  });

  Deno.test(`gemini answer without usageMetadata (${mode}): usageReported false`, async () => {
    await using server = startGeminiServer([{
      model: "gemini-2.5-flash",
      text: "None.",
      usage: null,
    }]);
    const model = new ChatGoogleGenerativeAI({
      model: "gemini-2.5-flash",
      apiKey: "test-key",
      maxRetries: 1,
      baseUrl: server.origin,
    });
    const { call, error } = await runGraph(model, mode);
    assert.equal(error, null);
    assert.equal(call.usageReported, false);
    assert.equal(call.costUsd, null);
  });
}

Deno.test("stream cut mid-way: the call fails with its error and an unknown cost", async () => {
  await using server = startOpenAIServer([{
    model: MODEL,
    text: "This answer will never finish because the connection drops.",
    usage: chatUsage(1_000, 200),
    cutAfterChunks: 3,
  }]);
  const { metrics, call, error } = await runGraph(openAI(server.origin, 0), "stream");
  assert.ok(error instanceof Error, "the graph run fails");
  assert.equal(metrics.calls.length, 1);
  assert.notEqual(call.error, null);
  assert.notEqual(call.timeToFirstTokenMs, null, "tokens had arrived before the cut");
  assert.equal(call.usageReported, false);
  // Tokens were generated (and are billed by the provider) but never reported: the cost is
  // unknown, not zero.
  assert.equal(call.costUsd, null);
  assert.equal(metrics.stages[STAGE].errors, 2);
});

Deno.test("a model no price table knows: costUsd null, costSource unpriced", async () => {
  await using server = startOpenAIServer([{
    model: "acme-private-llm-7b",
    text: "Priceless.",
    usage: chatUsage(500, 50),
  }]);
  const { metrics, call } = await runGraph(
    openAI(server.origin, 1, "acme-private-llm-7b"),
    "invoke",
  );
  assert.equal(call.model, "acme-private-llm-7b");
  assert.equal(call.inputTokens, 500);
  assert.equal(call.costUsd, null);
  assert.equal(call.costSource, "unpriced");
  assert.equal(metrics.stages[STAGE].unpricedCalls, 1);
  assert.equal(metrics.stages[STAGE].costUsd, null);
});
