import assert from "node:assert/strict";
import { priceCall } from "../pricing/price_call.ts";
import { breakdownTotalUsd } from "../pricing/breakdown.ts";

const M = 1_000_000;
const AT = new Date("2026-11-01T12:00:00Z");
const close = (actual: number | null, expected: number, what = "") =>
  assert.ok(
    actual !== null && Math.abs(actual - expected) < 1e-9,
    `${what} expected ${expected}, got ${actual}`,
  );
const base = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
};

Deno.test("Anthropic: 1-hour cache writes at 2x input, 5-minute at 1.25x", () => {
  // claude-sonnet-4-5 (https://platform.claude.com/docs/en/about-claude/pricing, read
  // 2026-11-27): input $3, 5m cache write $3.75, 1h cache write $6, cache read $0.30, out $15.
  const usage = {
    ...base,
    inputTokens: 70_000,
    cacheReadTokens: 5_000,
    cacheWriteTokens: 50_000,
    cacheWrite1hTokens: 30_000,
    outputTokens: 1_000,
  };
  const priced = priceCall(usage, "claude-sonnet-4-5", { provider: "anthropic", at: AT });
  const expected = (15_000 * 3 + 5_000 * 0.3 + 20_000 * 3.75 + 30_000 * 6 + 1_000 * 15) / M;
  close(priced.costUsd, expected);
  close(priced.breakdown!.cacheWrite1hUsd, 30_000 * 6 / M);
  close(priced.breakdown!.cacheWrite5mUsd, 20_000 * 3.75 / M);
  close(breakdownTotalUsd(priced.breakdown!), expected);
  // The same call with every write treated as 5-minute (what was billed before): -35% on the
  // writes of a call writing 50k tokens for an hour.
  const as5m = priceCall({ ...usage, cacheWrite1hTokens: 0 }, "claude-sonnet-4-5", {
    provider: "anthropic",
    at: AT,
  });
  assert.ok(as5m.costUsd! < priced.costUsd!);
});

Deno.test("web searches: request count x fee; data residency 1.1x on tokens", () => {
  // https://platform.claude.com/docs/en/about-claude/pricing (read 2026-11-27): web search $10
  // per 1,000 searches; inference_geo "us" 1.1x on all token categories.
  const usage = { ...base, inputTokens: 10_000, outputTokens: 500, webSearchRequests: 3 };
  const priced = priceCall(usage, "claude-sonnet-4-5", {
    provider: "anthropic",
    at: AT,
    inferenceGeo: "us",
  });
  const tokens = (10_000 * 3 + 500 * 15) / M;
  close(priced.breakdown!.toolFeesUsd, 0.03);
  close(priced.breakdown!.multiplierUsd, tokens * 0.1);
  close(priced.costUsd, tokens * 1.1 + 0.03);
});

Deno.test("OpenAI service tier: flex at Batch rates (1/2), priority 2x for gpt-5", () => {
  // https://platform.openai.com/docs/pricing (read 2026-11-27): gpt-5 $1.25 in, $10 out;
  // Flex = Batch = half; Priority $2.50 in, $20 out.
  const usage = { ...base, inputTokens: 10_000, outputTokens: 2_000, reasoningTokens: 1_500 };
  const standard = (10_000 * 1.25 + 2_000 * 10) / M;
  const at = { provider: "openai", at: AT };
  close(priceCall(usage, "gpt-5", { ...at, serviceTier: "default" }).costUsd, standard);
  close(priceCall(usage, "gpt-5", { ...at, serviceTier: "flex" }).costUsd, standard / 2);
  const priority = priceCall(usage, "gpt-5", { ...at, serviceTier: "priority" });
  close(priority.costUsd, standard * 2);
  close(priority.breakdown!.reasoningUsd, 1_500 * 10 / M);
  // A priority rate OpenAI does not publish (gpt-6-astra's Fast mode): partial, never the
  // standard price in silence.
  const unknown = priceCall(usage, "gpt-6-astra", { ...at, serviceTier: "priority" });
  assert.deepEqual(unknown.missing, ["service_tier:priority"]);
});

Deno.test("audio tokens: at the audio rate, or left out and named when it is unknown", () => {
  // gemini-2.5-flash (https://ai.google.dev/gemini-api/docs/pricing, read 2026-11-27): text,
  // image, video input $0.30, audio input $1.00, output $2.50 per million tokens.
  const usage = { ...base, inputTokens: 10_000, inputAudioTokens: 8_000, outputTokens: 100 };
  const gemini = priceCall(usage, "gemini-2.5-flash", { provider: "google_genai", at: AT });
  close(gemini.costUsd, (2_000 * 0.3 + 8_000 * 1 + 100 * 2.5) / M);
  close(gemini.breakdown!.audioUsd, 8_000 / M);
  // A model whose audio rate the catalog lacks: the audio part is missing, the rest priced.
  const partial = priceCall(usage, "gpt-4.1-mini", { provider: "openai", at: AT });
  assert.deepEqual(partial.missing, ["input_audio"]);
  close(partial.costUsd, (2_000 * 0.4 + 100 * 1.6) / M);
});

Deno.test("provider-reported cost wins (OpenRouter usage.cost)", () => {
  const usage = { ...base, inputTokens: 1_000, outputTokens: 100 };
  const priced = priceCall(usage, "anthropic/claude-sonnet-4.5", {
    provider: "openai",
    at: AT,
    providerCostUsd: 0.00123,
  });
  assert.equal(priced.source, "provider");
  assert.equal(priced.costUsd, 0.00123);
});

Deno.test("overrides price new dimensions only when they name a rate", () => {
  const overrides = {
    "my-model": { inputPerMTok: 1, outputPerMTok: 2, inputAudioPerMTok: 10, webSearchUsd: 0.01 },
  };
  const usage = {
    ...base,
    inputTokens: 1_000,
    inputAudioTokens: 500,
    outputTokens: 100,
    outputAudioTokens: 50,
    webSearchRequests: 2,
    fileSearchRequests: 4,
  };
  const priced = priceCall(usage, "my-model", { overrides, at: AT });
  assert.equal(priced.source, "override");
  close(priced.costUsd, (500 * 1 + 500 * 10 + 50 * 2) / M + 0.02);
  assert.deepEqual(priced.missing, ["output_audio", "file_search"]);
  const withFileSearch = priceCall(usage, "my-model", {
    overrides: { "my-model": { ...overrides["my-model"], fileSearchUsd: 0.0025 } },
    at: AT,
  });
  close(withFileSearch.costUsd, (500 * 1 + 500 * 10 + 50 * 2) / M + 0.02 + 4 * 0.0025);
  assert.deepEqual(withFileSearch.missing, ["output_audio"]);
});
