import assert from "node:assert/strict";
import { calcPrice } from "@pydantic/genai-prices";
import { PRICE_CORRECTIONS } from "../pricing/corrections.ts";
import { priceCall } from "../pricing/price_call.ts";
import { ratesAt } from "../pricing/rates.ts";
import { catalogPackageVersion, currentCatalog } from "../pricing/catalog.ts";

const M = 1_000_000;
const AT = new Date("2026-11-01T12:00:00Z");
const close = (actual: number | null, expected: number, what = "") =>
  assert.ok(
    actual !== null && Math.abs(actual - expected) < 1e-9,
    `${what} expected ${expected}, got ${actual}`,
  );
const usage = (inputTokens: number, outputTokens: number, cacheReadTokens = 0) => ({
  inputTokens,
  outputTokens,
  cacheReadTokens,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
});

Deno.test("every correction is still needed: the catalog still prices it differently", () => {
  // When this fails, the upstream catalog changed a corrected entry: check the provider's page
  // and retire the correction in pricing/corrections/ if the catalog is now right. A correction
  // naming an unpublished rate (partial) stays until the provider publishes the rate.
  for (const correction of PRICE_CORRECTIONS) {
    const at = new Date(correction.probeAt ?? AT.toISOString());
    const audio = correction.probeWith === "audio";
    const probe = {
      input_tokens: M,
      output_tokens: M,
      ...(audio ? { input_audio_tokens: M / 2, output_audio_tokens: M / 2 } : {}),
    };
    for (const name of correction.corrects) {
      const catalog = calcPrice(probe, name, { providerId: correction.providerId, timestamp: at });
      const corrected = priceCall(
        {
          ...usage(M, M),
          ...(audio ? { inputAudioTokens: M / 2, outputAudioTokens: M / 2 } : {}),
        },
        name,
        { provider: correction.providerId, at },
      );
      assert.notEqual(corrected.costUsd, null, `${name}: the correction prices it`);
      assert.ok(
        catalog === null || Math.abs(catalog.total_price - corrected.costUsd!) > 1e-9 ||
          corrected.missing.length > 0,
        `${name}: the catalog now prices it at $${catalog?.total_price} per 1M in + 1M out, ` +
          `as the correction does: retire the correction (${correction.sourceUrl})`,
      );
    }
  }
});

Deno.test("Mistral: -latest aliases at the current models' rates", () => {
  // https://mistral.ai/pricing#api-pricing (read 2026-11-27): Large 3 $0.5/$1.5, Small 4
  // $0.15/$0.6 per million tokens.
  for (const name of ["mistral-large-latest", "mistral-large-2411"]) {
    const priced = priceCall(usage(10_000, 2_000), name, { provider: "mistralai", at: AT });
    assert.equal(priced.source, "correction");
    close(priced.costUsd, (10_000 * 0.5 + 2_000 * 1.5) / M, name);
  }
  const small = priceCall(usage(10_000, 2_000), "mistral-small-latest", { provider: "mistralai" });
  close(small.costUsd, (10_000 * 0.15 + 2_000 * 0.6) / M);
});

Deno.test("DeepSeek: priced by the call's own date, also when ChatDeepSeek says openai", () => {
  // https://api-docs.deepseek.com/quick_start/pricing: before 2025-09-05 the catalog's V3
  // day/night prices (day 00:30-16:30 UTC: $0.27 miss, $0.07 hit, $1.10 out; night half);
  // from 2025-09-05 16:00 UTC $0.56/$0.07/$1.68; from 2025-09-29 $0.28/$0.028/$0.42, no night discount;
  // from 2026-04-24 (V4 preview, https://api-docs.deepseek.com/news/news260424) the aliases
  // route to deepseek-v4-flash: $0.14 miss, $0.0028 hit, $0.28 out.
  const call = usage(10_000, 1_000, 4_000);
  const priceAt = (iso: string, provider = "openai") =>
    priceCall(call, "deepseek-chat", { provider, at: new Date(iso) }).costUsd;
  close(priceAt("2025-03-01T10:00:00Z"), (6_000 * 0.27 + 4_000 * 0.07 + 1_000 * 1.1) / M);
  close(priceAt("2025-03-01T20:00:00Z"), (6_000 * 0.135 + 4_000 * 0.035 + 1_000 * 0.55) / M);
  // The 2025-09-05 change took effect at 16:00 UTC, not at midnight.
  close(priceAt("2025-09-05T10:00:00Z"), (6_000 * 0.27 + 4_000 * 0.07 + 1_000 * 1.1) / M);
  close(priceAt("2025-09-05T17:00:00Z"), (6_000 * 0.56 + 4_000 * 0.07 + 1_000 * 1.68) / M);
  close(priceAt("2025-09-10T10:00:00Z"), (6_000 * 0.56 + 4_000 * 0.07 + 1_000 * 1.68) / M);
  const day = priceAt("2026-01-10T10:00:00Z");
  close(day, (6_000 * 0.28 + 4_000 * 0.028 + 1_000 * 0.42) / M);
  assert.equal(priceAt("2026-01-10T20:00:00Z"), day, "no night discount after 2025-09-29");
  assert.equal(priceAt("2026-01-10T10:00:00Z", "deepseek"), day);
  close(priceAt("2026-05-01T10:00:00Z"), (6_000 * 0.14 + 4_000 * 0.0028 + 1_000 * 0.28) / M);
  const reasoner = priceCall(call, "deepseek-reasoner", {
    provider: "deepseek",
    at: new Date("2026-01-10T10:00:00Z"),
  });
  close(reasoner.costUsd, (6_000 * 0.28 + 4_000 * 0.028 + 1_000 * 0.42) / M);
});

Deno.test("the same call costs the same whenever the metrics are read", () => {
  const call = usage(10_000, 1_000);
  const at = new Date("2025-03-01T20:00:00Z");
  const first = priceCall(call, "deepseek-chat", { provider: "deepseek", at }).costUsd;
  const again = priceCall(call, "deepseek-chat", { provider: "deepseek", at }).costUsd;
  assert.equal(first, again);
  assert.notEqual(
    first,
    priceCall(call, "deepseek-chat", { provider: "deepseek", at: new Date("2025-03-01T10:00:00Z") })
      .costUsd,
  );
});

Deno.test("OpenAI fine-tunes at the fine-tune inference rates", () => {
  // https://platform.openai.com/docs/pricing#fine-tuning (read 2026-11-27), per million tokens:
  // gpt-4.1 $3/$0.75 cached/$12, gpt-4.1-mini $0.80/$0.20/$3.20, gpt-4.1-nano $0.20/$0.05/$0.80,
  // o4-mini $4/$1/$16.
  const cases: [string, number, number, number][] = [
    ["ft:gpt-4.1-2025-04-14:acme::B1x", 3, 0.75, 12],
    ["ft:gpt-4.1-mini-2025-04-14:org::id", 0.8, 0.2, 3.2],
    ["ft:gpt-4.1-nano-2025-04-14:org:suffix:id", 0.2, 0.05, 0.8],
    ["ft:o4-mini-2025-04-16:org::id", 4, 1, 16],
  ];
  for (const [name, input, cached, output] of cases) {
    const priced = priceCall(usage(10_000, 1_000, 2_000), name, { provider: "openai", at: AT });
    close(priced.costUsd, (8_000 * input + 2_000 * cached + 1_000 * output) / M, name);
  }
  assert.equal(
    priceCall(usage(1, 1), "ft:gpt-4.1-mini-2025-04-14:org::id", { provider: "openai" }).source,
    "correction",
  );
});

Deno.test("rates are looked up once per (provider, model, period) and reused", () => {
  const at = new Date("2026-03-03T08:00:00Z");
  const first = ratesAt("gpt-4.1-mini", "openai", at, 100);
  assert.equal(ratesAt("gpt-4.1-mini", "openai", new Date("2026-03-03T23:59:00Z"), 5_000), first);
  assert.notEqual(ratesAt("gpt-4.1-mini", "openai", new Date("2026-03-04T00:00:00Z"), 100), first);
  // Long-context tiers: one rate card per tier.
  const short = ratesAt("gemini-2.5-pro", "google_genai", at, 100_000)!;
  const long = ratesAt("gemini-2.5-pro", "google_genai", at, 300_000)!;
  close(short.inputUsd * M, 1.25);
  close(long.inputUsd * M, 2.5);
  assert.equal(ratesAt("gemini-2.5-pro", "google_genai", at, 150_000), short);
});

Deno.test("the catalog version is read from the installed package, and its data date", async () => {
  const lock = JSON.parse(await Deno.readTextFile(new URL("../deno.lock", import.meta.url)));
  const resolved = Object.keys(lock.npm).find((key) => key.startsWith("@pydantic/genai-prices@"))
    ?.split("@")[2];
  assert.equal(catalogPackageVersion(), resolved);
  assert.equal(currentCatalog().version, resolved);
  await Promise.resolve();
  assert.match(currentCatalog().dataDate ?? "", /^\d{4}-\d{2}-\d{2}$/);
});
