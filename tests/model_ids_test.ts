/**
 * Every id form a LangChain integration passes resolves to the model that is billed: each row is
 * an id as it arrives, the provider that reports it and the canonical model it is priced as.
 */
import assert from "node:assert/strict";
import { canonicalModelId, DATED_ALIASES, resolveModelId } from "../pricing/model_ids.ts";
import { catalogIdOf } from "../pricing/_find_model.ts";
import { priceCall } from "../pricing/price_call.ts";
import { calcPrice } from "@pydantic/genai-prices";

const M = 1_000_000;
const DEC = new Date("2026-12-01T12:00:00Z");
const usage = (inputTokens: number, outputTokens: number) => ({
  inputTokens,
  outputTokens,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
});

/** [id as passed, LangChain provider, canonical model, when (default DEC)] */
const ID_FORMS: readonly [string, string, string, string?][] = [
  // Vertex AI resource names and @version suffixes (ChatVertexAI: google_vertexai).
  ["publishers/google/models/gemini-2.5-flash", "google_vertexai", "gemini-2.5-flash"],
  [
    "projects/acme/locations/us-central1/publishers/google/models/gemini-2.5-flash",
    "google_vertexai",
    "gemini-2.5-flash",
  ],
  ["gemini-2.5-flash@001", "google_vertexai", "gemini-2.5-flash"],
  ["gemini-2.5-flash@default", "google_vertexai", "gemini-2.5-flash"],
  ["google/gemini-2.5-flash", "google_vertexai", "gemini-2.5-flash"],
  ["claude-sonnet-4@20250514", "google_vertexai", "claude-sonnet-4-20250514"],
  [
    "projects/acme/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514",
    "google_vertexai",
    "claude-sonnet-4-20250514",
  ],
  // Google's stable-version suffix and the Gemini API's resource names (google_genai).
  ["gemini-2.5-flash-001", "google_genai", "gemini-2.5-flash"],
  ["models/gemini-2.5-flash", "google_genai", "gemini-2.5-flash"],
  // -latest aliases, resolved to what they pointed at on the call's date.
  ["gemini-pro-latest", "google_genai", "gemini-3.1-pro-preview"],
  ["models/gemini-pro-latest", "google_genai", "gemini-3.1-pro-preview"],
  ["gemini-flash-latest", "google_genai", "gemini-2.5-flash", "2025-11-01T12:00:00Z"],
  // Bedrock inference-profile ARNs (ChatBedrockConverse: amazon_bedrock).
  [
    "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "amazon_bedrock",
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
  ],
  // Ids a provider retired but still serves as another model.
  ["grok-4-0709", "xai", "grok-4.3"],
  ["grok-4-fast-reasoning", "xai", "grok-4.3"],
  ["grok-4-0709", "xai", "grok-4-0709", "2026-05-15T18:59:00Z"],
  ["deepseek-v4-flash", "deepseek", "deepseek-flash"],
  ["deepseek-v4-flash", "openai", "deepseek-flash"],
  ["deepseek-v4-flash", "deepseek", "deepseek-v4-flash", "2026-09-09T12:00:00Z"],
  // Plain ids stay as they are.
  ["gpt-4.1-mini", "openai", "gpt-4.1-mini"],
  ["claude-haiku-5-5", "anthropic", "claude-haiku-5-5"],
];

Deno.test("every id form resolves to its canonical model", async (t) => {
  for (const [id, provider, canonical, when] of ID_FORMS) {
    await t.step(`${id} (${provider}${when ? `, ${when}` : ""}) -> ${canonical}`, () => {
      const atMs = Date.parse(when ?? DEC.toISOString());
      const resolved = resolveModelId(id, catalogIdOf(provider), provider, atMs);
      assert.equal(resolved.model, canonical);
      // Priced exactly as the canonical model is (the same call, the same moment).
      const call = usage(10_000, 1_000);
      const options = { provider, at: atMs };
      const priced = priceCall(call, id, options);
      const reference = priceCall(call, canonical, options);
      assert.notEqual(reference.costUsd, null, `${canonical} is priced`);
      assert.equal(priced.costUsd, reference.costUsd);
    });
  }
});

Deno.test("the id forms are not the catalog's own: without them each is unpriced", () => {
  // The retirement check of the id forms: when the catalog learns a form itself, this fails and
  // the form can leave pricing/model_ids.ts.
  for (const [id, provider, canonical, when] of ID_FORMS) {
    if (id === canonical) continue;
    const at = new Date(when ?? DEC.toISOString());
    const catalogId = catalogIdOf(provider);
    const direct = calcPrice({ input_tokens: M, output_tokens: M }, id, {
      ...(catalogId ? { providerId: catalogId } : {}),
      timestamp: at,
    });
    const reference = priceCall(usage(M, M), canonical, { provider, at });
    assert.ok(
      direct === null || Math.abs(direct.total_price - reference.costUsd!) > 1e-9,
      `${id}: the catalog now prices it as ${canonical}; drop the form`,
    );
  }
});

Deno.test("an alias whose target on the date is not published is unpriced, with the reason", () => {
  const at = new Date("2026-11-01T12:00:00Z");
  const resolved = resolveModelId("gemini-flash-latest", "google", "google_genai", at.getTime());
  assert.equal(resolved.model, null);
  assert.match(resolved.reason ?? "", /which model `gemini-flash-latest` served from 2025-12-19/);
  const priced = priceCall(usage(10_000, 1_000), "gemini-flash-latest", {
    provider: "google_genai",
    at,
  });
  assert.equal(priced.costUsd, null);
  assert.equal(priced.source, "unpriced");
});

Deno.test("a dated alias applies only to its own provider's calls", () => {
  // An OpenAI-compatible gateway serving a model called grok-3 is not xAI's retired id.
  assert.equal(resolveModelId("grok-3", "openai", "openai", DEC.getTime()).model, "grok-3");
  assert.equal(resolveModelId("grok-3", "x-ai", "xai", DEC.getTime()).model, "grok-4.3");
});

Deno.test("every dated alias cites a page and a day, its periods in order", () => {
  for (const alias of DATED_ALIASES) {
    assert.match(alias.sourceUrl, /^https:\/\//);
    assert.match(alias.checkedOn, /^\d{4}-\d{2}-\d{2}$/);
    const starts = alias.periods.map((period) => Date.parse(period.from));
    assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
    assert.ok(starts.every(Number.isFinite));
  }
  assert.equal(canonicalModelId("  gpt-4o  "), "gpt-4o");
});
