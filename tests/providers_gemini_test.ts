/**
 * Google Gemini through the real `ChatGoogleGenerativeAI`, offline against a scripted Gemini API
 * server: thinking tokens billed as output, implicit-cache reads, long-context tiers.
 */
import { ChatGoogleGenerativeAI } from "@langchain/google-genai";
import assert from "node:assert/strict";
import { geminiUsage, startGeminiServer } from "./fixtures/gemini_server.ts";
import {
  assertCost,
  assertStreamTiming,
  CALL_MODES,
  runGraph,
  usageOf,
  usd,
} from "./fixtures/graph.ts";

// https://ai.google.dev/gemini-api/docs/pricing (per 1M tokens, paid tier, text).
// Gemini 2.5 Flash: input $0.30, context-cache read $0.03, output $2.50 (thinking included).
const FLASH_25 = { input: 0.30, cacheRead: 0.03, output: 2.50 };
// Gemini 2.5 Pro, prompts above 200k tokens: input $2.50, cache read $0.25, output $15.00.
const PRO_25_LONG = { input: 2.50, cacheRead: 0.25, output: 15.00 };

function gemini(origin: string, model: string): ChatGoogleGenerativeAI {
  return new ChatGoogleGenerativeAI({ model, apiKey: "test-key", maxRetries: 1, baseUrl: origin });
}

for (const mode of CALL_MODES) {
  Deno.test(`gemini (${mode}): thinking tokens are output, cached prompt tokens read once`, async () => {
    // promptTokenCount 10,000 includes 6,000 cached; 400 answer + 1,200 thinking tokens.
    await using server = startGeminiServer([{
      model: "gemini-2.5-flash",
      text: "Thinking costs output tokens.",
      usage: geminiUsage(10_000, 400, { cached: 6_000, thoughts: 1_200 }),
    }]);
    const { call, error } = await runGraph(gemini(server.origin, "gemini-2.5-flash"), mode);
    assert.equal(error, null);
    assert.equal(
      server.requests[0].path,
      `/v1beta/models/gemini-2.5-flash:${
        mode === "stream" ? "streamGenerateContent" : "generateContent"
      }`,
    );
    assert.deepEqual(usageOf(call), {
      model: "gemini-2.5-flash",
      provider: "google_genai",
      inputTokens: 10_000,
      outputTokens: 1_600,
      cacheReadTokens: 6_000,
      cacheWriteTokens: 0,
      reasoningTokens: 1_200,
      usageReported: true,
    });
    assert.equal(call.costSource, "catalog");
    assertCost(
      call.costUsd,
      usd(10_000 - 6_000, FLASH_25.input) + usd(6_000, FLASH_25.cacheRead) +
        usd(400 + 1_200, FLASH_25.output),
    );
    if (mode === "stream") assertStreamTiming(call);
  });
}

Deno.test("gemini 2.5 pro: a prompt above 200k tokens is billed at the long-context rates", async () => {
  await using server = startGeminiServer([{
    model: "gemini-2.5-pro",
    text: "A long prompt.",
    usage: geminiUsage(300_000, 1_000, { cached: 100_000, thoughts: 2_000 }),
  }]);
  const { call } = await runGraph(gemini(server.origin, "gemini-2.5-pro"), "invoke");
  assert.equal(call.inputTokens, 300_000);
  assert.equal(call.outputTokens, 3_000);
  assertCost(
    call.costUsd,
    usd(200_000, PRO_25_LONG.input) + usd(100_000, PRO_25_LONG.cacheRead) +
      usd(3_000, PRO_25_LONG.output),
  );
});
