/**
 * The issue's table of prices that were wrong or missing, each row priced through
 * `estimateCost` where no LangChain integration of the host is in the import map (Bedrock,
 * Vertex AI, Mistral, DeepSeek by date and hour) and exact to 1e-9. The integrations' rows are
 * in `providers_pricing_truth_test.ts`. Each rate's source is cited in `pricing/corrections/`,
 * `pricing/model_ids.ts`, `pricing/peak_hours.ts` and `pricing/service_tiers.ts`.
 */
import assert from "node:assert/strict";
import { estimateCost } from "../pricing/estimate.ts";
import { zeroTokenUsage } from "../pricing/token_usage.ts";

const M = 1_000_000;
const TUESDAY = new Date("2026-12-01T12:00:00Z");
const usd = (tokens: number, perMTok: number) => tokens * perMTok / M;
const close = (actual: number | null, expected: number, what = "") =>
  assert.ok(
    actual !== null && Math.abs(actual - expected) < 1e-9,
    `${what} expected ${expected}, got ${actual}`,
  );
const usage = (input: number, output: number, cacheRead = 0, extra = {}) => ({
  ...zeroTokenUsage(),
  inputTokens: input,
  outputTokens: output,
  cacheReadTokens: cacheRead,
  ...extra,
});

/** 300K prompt tokens (100K of them cache reads) and 2K output: above the 200K threshold. */
const LONG = usage(300_000, 2_000, 100_000);

Deno.test("Claude Sonnet 4 above 200K prompt tokens: $6 / $22.50 on every host", () => {
  // 200K uncached x $6 + 100K cache reads x $0.60 + 2K output x $22.50 = $1.305 (was $0.660).
  const expected = usd(200_000, 6) + usd(100_000, 0.6) + usd(2_000, 22.5);
  close(expected, 1.305);
  for (
    const [model, provider] of [
      ["claude-sonnet-4-20250514", "anthropic"],
      ["us.anthropic.claude-sonnet-4-20250514-v1:0", "amazon_bedrock"],
      ["global.anthropic.claude-sonnet-4-20250514-v1:0", "amazon_bedrock"],
      ["claude-sonnet-4@20250514", "google_vertexai"],
    ]
  ) {
    const priced = estimateCost(LONG, model, { provider, at: TUESDAY });
    close(priced.costUsd, expected, model);
    assert.equal(priced.source, "correction", model);
    assert.deepEqual(priced.missing, []);
  }
  // At 200K exactly the standard rates hold ("above 200K").
  const atThreshold = estimateCost(usage(200_000, 2_000, 100_000), "claude-sonnet-4-20250514", {
    provider: "anthropic",
    at: TUESDAY,
  });
  close(atThreshold.costUsd, usd(100_000, 3) + usd(100_000, 0.3) + usd(2_000, 15));
});

Deno.test("Bedrock's regional Sonnet 4.5 above 200K: 1.1x the long-context rates", () => {
  // us.anthropic.*: $6.60 input, $0.66 cache reads, $24.75 output above 200K (was $0.726).
  const priced = estimateCost(LONG, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", {
    provider: "amazon_bedrock",
    at: TUESDAY,
  });
  close(priced.costUsd, usd(200_000, 6.6) + usd(100_000, 0.66) + usd(2_000, 24.75));
  close(priced.costUsd, 1.4355);
  // The global endpoint: Anthropic's own rates.
  const global = estimateCost(LONG, "global.anthropic.claude-sonnet-4-5-20250929-v1:0", {
    provider: "amazon_bedrock",
    at: TUESDAY,
  });
  close(global.costUsd, 1.305);
  // Below 200K the regional rates stay the catalog's $3.30 / $16.50.
  const short = estimateCost(usage(10_000, 1_000), "us.anthropic.claude-sonnet-4-5-20250929-v1:0", {
    provider: "amazon_bedrock",
    at: TUESDAY,
  });
  close(short.costUsd, usd(10_000, 3.3) + usd(1_000, 16.5));
});

Deno.test("Grok 4 and Grok 4 Fast: their own tiers before 2026-05-15, grok-4.3 after", () => {
  const call = usage(180_000, 2_000);
  const march = new Date("2026-03-03T12:00:00Z");
  // Before the retirement: grok-4-0709 above 128K at $6 / $30.
  const grok4 = estimateCost(call, "grok-4-0709", { provider: "xai", at: march });
  close(grok4.costUsd, usd(180_000, 6) + usd(2_000, 30));
  assert.deepEqual(grok4.missing, []);
  // Its cache reads above 128K have no published rate: left out, named.
  const cached = estimateCost(usage(180_000, 2_000, 50_000), "grok-4-0709", {
    provider: "xai",
    at: march,
  });
  close(cached.costUsd, usd(130_000, 6) + usd(2_000, 30));
  assert.deepEqual(cached.missing, ["cache_read:above_128k"]);
  // grok-4-fast above 128K: the rates are not published: the base rates, named partial.
  const fast = estimateCost(call, "grok-4-fast-reasoning", { provider: "xai", at: march });
  close(fast.costUsd, usd(180_000, 0.2) + usd(2_000, 0.5));
  assert.deepEqual(fast.missing, ["long_context:above_128k"]);
  // Since 2026-05-15 19:00 UTC both ids are served and billed as grok-4.3 ($1.25 / $2.50
  // below 200K).
  for (const model of ["grok-4-0709", "grok-4-fast-reasoning"]) {
    const december = estimateCost(call, model, { provider: "xai", at: TUESDAY });
    close(december.costUsd, usd(180_000, 1.25) + usd(2_000, 2.5), model);
    assert.equal(december.source, "correction");
  }
  // The retirement's own instant: a minute before, Grok 4's rates; a minute after, grok-4.3's.
  const before = estimateCost(call, "grok-4-0709", {
    provider: "xai",
    at: new Date("2026-05-15T18:59:00Z"),
  });
  close(before.costUsd, usd(180_000, 6) + usd(2_000, 30));
  const after = estimateCost(call, "grok-4-0709", {
    provider: "xai",
    at: new Date("2026-05-15T19:01:00Z"),
  });
  close(after.costUsd, usd(180_000, 1.25) + usd(2_000, 2.5));
});

Deno.test("DeepSeek's peak hours hold Monday to Friday, Chinese holidays excepted", () => {
  const call = usage(10_000, 1_000, 4_000);
  const price = (model: string, iso: string) =>
    estimateCost(call, model, { provider: "deepseek", at: new Date(iso) });
  const offPeak = usd(6_000, 0.66) + usd(4_000, 0.022) + usd(1_000, 1.98);
  // Saturday 2026-12-05 02:00 UTC: off-peak (the catalog charged peak, +100%).
  close(price("deepseek-v4-pro", "2026-12-05T02:00:00Z").costUsd, offPeak);
  // Tuesday 02:00 UTC: peak, twice the off-peak rates; Tuesday noon: off-peak.
  close(price("deepseek-v4-pro", "2026-12-01T02:00:00Z").costUsd, offPeak * 2);
  close(price("deepseek-v4-pro", "2026-12-01T12:00:00Z").costUsd, offPeak);
  // Thursday 2026-10-01 (National Day) 02:00 UTC: a holiday, off-peak all day.
  close(price("deepseek-v4-pro", "2026-10-01T02:00:00Z").costUsd, offPeak);
  // Before peak billing (2026-08-16 16:00 UTC) there were no peak hours: the launch rates.
  close(
    price("deepseek-v4-pro", "2026-07-01T02:00:00Z").costUsd,
    usd(6_000, 0.435) + usd(4_000, 0.003625) + usd(1_000, 0.87),
  );
  // A weekday peak window in a year whose holidays are not listed yet: peak, named partial.
  const unlisted = price("deepseek-flash", "2027-01-05T02:00:00Z");
  close(unlisted.costUsd, usd(6_000, 0.3) + usd(4_000, 0.006) + usd(1_000, 1.2));
  assert.deepEqual(unlisted.missing, ["peak_hours:holidays"]);
});

Deno.test("deepseek-v4-flash is billed as deepseek-flash since 2026-09-10", () => {
  const call = usage(10_000, 1_000, 4_000);
  const flash = usd(6_000, 0.15) + usd(4_000, 0.003) + usd(1_000, 0.6);
  // The legacy id on Tuesday noon (off-peak): deepseek-flash's rates (was +33%).
  for (const provider of ["deepseek", "openai"]) {
    const legacy = estimateCost(call, "deepseek-v4-flash", { provider, at: TUESDAY });
    close(legacy.costUsd, flash, provider);
    close(estimateCost(call, "deepseek-flash", { provider, at: TUESDAY }).costUsd, flash);
  }
  // Before the remap: V4 Flash's own off-peak rates.
  close(
    estimateCost(call, "deepseek-v4-flash", {
      provider: "deepseek",
      at: new Date("2026-09-08T12:00:00Z"),
    }).costUsd,
    usd(6_000, 0.22) + usd(4_000, 0.007) + usd(1_000, 0.66),
  );
});

Deno.test("mistral-small-2506 and Vertex's Gemini id forms are priced", () => {
  close(
    estimateCost(usage(10_000, 1_000), "mistral-small-2506", { provider: "mistralai", at: TUESDAY })
      .costUsd,
    usd(10_000, 0.1) + usd(1_000, 0.3),
  );
  const flash = usd(10_000, 0.3) + usd(1_000, 2.5);
  for (
    const model of [
      "publishers/google/models/gemini-2.5-flash",
      "gemini-2.5-flash@001",
      "models/gemini-2.5-flash",
    ]
  ) {
    close(
      estimateCost(usage(10_000, 1_000), model, { provider: "google_vertexai", at: TUESDAY })
        .costUsd,
      flash,
      model,
    );
  }
  // gemini-pro-latest points at Gemini 3.1 Pro Preview since 2026-03-06: $2 / $12.
  close(
    estimateCost(usage(10_000, 1_000), "gemini-pro-latest", {
      provider: "google_genai",
      at: TUESDAY,
    }).costUsd,
    usd(10_000, 2) + usd(1_000, 12),
  );
});

Deno.test("batch: half price at OpenAI, Anthropic, Google and Bedrock; unknown elsewhere", () => {
  const call = usage(10_000, 1_000);
  for (
    const [model, provider, input, output] of [
      ["gpt-4.1", "openai", 2, 8],
      ["claude-sonnet-4-5", "anthropic", 3, 15],
      ["gemini-2.5-flash", "google_genai", 0.3, 2.5],
      ["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "amazon_bedrock", 3.3, 16.5],
    ] as const
  ) {
    const standard = usd(10_000, input) + usd(1_000, output);
    const batch = estimateCost(call, model, { provider, at: TUESDAY, serviceTier: "batch" });
    close(batch.costUsd, standard / 2, model);
    close(batch.breakdown!.multiplierUsd, -standard / 2, model);
    assert.deepEqual(batch.missing, []);
  }
  const mistral = estimateCost(call, "mistral-small-2506", {
    provider: "mistralai",
    at: TUESDAY,
    serviceTier: "batch",
  });
  close(mistral.costUsd, usd(10_000, 0.1) + usd(1_000, 0.3));
  assert.deepEqual(mistral.missing, ["service_tier:batch"]);
});

Deno.test("OpenAI priority (fast) at each model's published rates", () => {
  // 10K prompt (2K cached), 1K output; https://openai.com/api-priority-processing/ and
  // https://openai.com/api-fast-mode/ (read 2026-12-06).
  const call = usage(10_000, 1_000, 2_000);
  const cases: [string, number, number, number][] = [
    ["gpt-5-mini", 0.45, 0.045, 3.6],
    ["gpt-4.1", 3.5, 0.875, 14],
    ["o3", 3.5, 0.875, 14],
    ["o4-mini", 2, 0.5, 8],
    ["gpt-4o-mini", 0.25, 0.125, 1],
    ["gpt-5.2", 3.5, 0.35, 28],
    ["gpt-5.5", 12.5, 1.25, 75],
    // GPT-6 Sol models: twice the standard rate ($2 / $0.20 or $0.10 / $10).
    ["gpt-6-sol", 4, 0.4, 20],
    ["gpt-6.1-sol", 4, 0.2, 20],
    ["gpt-6.2-sol", 4, 0.2, 20],
  ];
  for (const [model, input, cached, output] of cases) {
    const expected = usd(8_000, input) + usd(2_000, cached) + usd(1_000, output);
    for (const serviceTier of ["priority", "fast"]) {
      const priced = estimateCost(call, model, { provider: "openai", at: TUESDAY, serviceTier });
      close(priced.costUsd, expected, `${model} ${serviceTier}`);
      assert.deepEqual(priced.missing, [], model);
    }
  }
  // gpt-6-sol above 272K: Fast mode is 2x the long-context rates ($8 / $0.80 / $30).
  const long = estimateCost(usage(300_000, 1_000, 100_000), "gpt-6-sol", {
    provider: "openai",
    at: TUESDAY,
    serviceTier: "fast",
  });
  close(long.costUsd, usd(200_000, 8) + usd(100_000, 0.8) + usd(1_000, 30));
  // The legacy models are not served at Priority above 128K: such a call is named partial.
  const excluded = estimateCost(usage(150_000, 1_000), "gpt-4.1", {
    provider: "openai",
    at: TUESDAY,
    serviceTier: "priority",
  });
  assert.deepEqual(excluded.missing, ["service_tier:priority"]);
});
