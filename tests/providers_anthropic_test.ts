/**
 * Anthropic through the real `ChatAnthropic`, offline against a scripted Messages API server:
 * prompt-cache reads and writes, streamed usage, long-context pricing.
 */
import { ChatAnthropic } from "@langchain/anthropic";
import assert from "node:assert/strict";
import { anthropicUsage, startAnthropicServer } from "./fixtures/anthropic_server.ts";
import {
  assertCost,
  assertStreamTiming,
  CALL_MODES,
  runGraph,
  usageOf,
  usd,
} from "./fixtures/graph.ts";

// https://www.anthropic.com/pricing#api and https://docs.anthropic.com/en/docs/about-claude/pricing
// (per 1M tokens). Claude Sonnet 4.5: input $3, 5-minute cache write $3.75 (1.25x input), cache
// read $0.30 (0.1x input), output $15. Prompts above 200k input tokens (1M-context window): input
// $6, cache write $7.50, cache read $0.60, output $22.50, for the whole request.
const SONNET_45 = { input: 3, cacheWrite: 3.75, cacheRead: 0.30, output: 15 };
const SONNET_45_LONG = { input: 6, cacheWrite: 7.50, cacheRead: 0.60, output: 22.50 };

function anthropic(origin: string): ChatAnthropic {
  return new ChatAnthropic({
    model: "claude-sonnet-4-5",
    apiKey: "sk-ant-test",
    maxRetries: 1,
    anthropicApiUrl: origin,
  });
}

for (const mode of CALL_MODES) {
  Deno.test(`anthropic (${mode}): input counts cache reads and writes, each at its rate`, async () => {
    // On the wire input_tokens excludes the cache: 1,500 fresh + 10,000 written + 30,000 read.
    await using server = startAnthropicServer([{
      model: "claude-sonnet-4-5-20250929",
      text: "Mostly cache reads, so not much.",
      usage: anthropicUsage(1_500, 800, { write: 10_000, read: 30_000 }),
    }]);
    const { call, error } = await runGraph(anthropic(server.origin), mode);
    assert.equal(error, null);
    assert.equal(server.requests[0].path, "/v1/messages");
    assert.deepEqual(usageOf(call), {
      model: "claude-sonnet-4-5-20250929",
      provider: "anthropic",
      inputTokens: 41_500,
      outputTokens: 800,
      cacheReadTokens: 30_000,
      cacheWriteTokens: 10_000,
      reasoningTokens: 0,
      usageReported: true,
    });
    assert.equal(call.costSource, "catalog");
    assertCost(
      call.costUsd,
      usd(1_500, SONNET_45.input) + usd(10_000, SONNET_45.cacheWrite) +
        usd(30_000, SONNET_45.cacheRead) + usd(800, SONNET_45.output),
    );
    if (mode === "stream") assertStreamTiming(call);
  });
}

Deno.test("anthropic stream: message_start's placeholder output tokens are not counted twice", async () => {
  // message_start carries output_tokens 3 (a placeholder); message_delta the cumulative 120.
  await using server = startAnthropicServer([{
    model: "claude-sonnet-4-5-20250929",
    text: "One hundred and twenty tokens, trust me.",
    usage: anthropicUsage(2_000, 120),
    startOutputTokens: 3,
  }]);
  const { call } = await runGraph(anthropic(server.origin), "stream");
  assert.equal(call.outputTokens, 120);
  assertCost(call.costUsd, usd(2_000, SONNET_45.input) + usd(120, SONNET_45.output));
});

Deno.test("anthropic: a prompt above 200k tokens is billed at the long-context rates", async () => {
  await using server = startAnthropicServer([{
    model: "claude-sonnet-4-5-20250929",
    text: "A long read.",
    usage: anthropicUsage(50_000, 1_000, { read: 180_000 }),
  }]);
  const { call } = await runGraph(anthropic(server.origin), "invoke");
  assert.equal(call.inputTokens, 230_000);
  assertCost(
    call.costUsd,
    usd(50_000, SONNET_45_LONG.input) + usd(180_000, SONNET_45_LONG.cacheRead) +
      usd(1_000, SONNET_45_LONG.output),
  );
});
