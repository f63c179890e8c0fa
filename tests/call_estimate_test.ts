/**
 * What a guard is told a call may cost: the prompt counted cheaply, the output bound read from each
 * integration's parameters, and the price of tokens, equal to what `estimateCost` gives them.
 */
import assert from "node:assert/strict";
import { HumanMessage } from "@langchain/core/messages";
import { guardedCallOf } from "../telemetry/_call_estimate.ts";
import { pricingContextOf } from "../telemetry/handler_options.ts";
import { estimateCost } from "../pricing/estimate.ts";
import { zeroTokenUsage } from "../pricing/token_usage.ts";

function call(
  provider: string,
  model: string,
  options: { params?: Record<string, unknown>; metadata?: Record<string, unknown>; at?: number } =
    {},
) {
  return guardedCallOf({
    runId: "c",
    rootRunId: "r",
    attribution: { threadId: null, attributes: null },
    info: { provider, requestedModel: model },
    metadata: options.metadata,
    extraParams: { invocation_params: options.params ?? {} },
    messages: [[new HumanMessage("a".repeat(4000))]],
    prompts: undefined,
    pricing: pricingContextOf(undefined),
    startedAt: options.at ?? Date.UTC(2026, 10, 3, 12),
  }, true);
}

Deno.test("price(input, output) is estimateCost's figure for those tokens, tiers and peak hours included", () => {
  const cases: [string, string, number][] = [
    ["openai", "gpt-4o", 1_004],
    ["openai", "gpt-4.1-mini", 50_000],
    ["anthropic", "claude-sonnet-4-20250514", 250_000], // above its 200k long-context tier
    ["google_genai", "gemini-2.5-pro", 300_000], // above its 200k tier
    ["deepseek", "deepseek-chat", 2_000], // a weekday peak hour (DeepSeek's time-of-day rates)
    ["ollama", "llama3.2", 2_000], // local: $0
  ];
  for (const [provider, model, input] of cases) {
    const at = Date.UTC(2026, 10, 3, 2); // a Tuesday, 02:00 UTC: DeepSeek's peak
    const expected = estimateCost(
      { ...zeroTokenUsage(), inputTokens: input, outputTokens: 300 },
      model,
      { provider, at },
    ).costUsd;
    assert.equal(typeof expected, "number", `${provider}:${model} is priced`);
    assert.equal(call(provider, model, { at }).price(input, 300), expected, `${provider}:${model}`);
  }
  assert.equal(call("openai", "no-such-model-xyz").price(10, 10), null);
});

Deno.test("the prompt is counted cheaply; the output bound comes from each integration's parameter", () => {
  const openai = call("openai", "gpt-4o", { params: { max_tokens: 200 } });
  assert.equal(openai.promptTokens, 1004); // 4,000 ASCII characters + a message's overhead
  assert.equal(openai.maxOutputTokens, 200);
  assert.equal(
    call("openai", "gpt-5-mini", { params: { max_completion_tokens: 900 } }).maxOutputTokens,
    900,
  );
  assert.equal(call("anthropic", "x", { metadata: { ls_max_tokens: 1024 } }).maxOutputTokens, 1024);
  assert.equal(
    call("google_genai", "x", { params: { generationConfig: { maxOutputTokens: 77 } } })
      .maxOutputTokens,
    77,
  );
  assert.equal(
    call("ollama", "x", { params: { options: { num_predict: 64 } } }).maxOutputTokens,
    64,
  );
  // No bound asked for: the model's published limit, else unknown.
  assert.equal(call("openai", "gpt-4.1-mini").maxOutputTokens, 32_768);
  assert.equal(call("openai", "my-fine-tune").maxOutputTokens, null);
  assert.equal(
    call("ollama", "x", { params: { options: { num_predict: -1 } } }).maxOutputTokens,
    null,
  );
});
