import assert from "node:assert/strict";
import { estimateCost, PRICE_CATALOG_VERSION } from "../pricing/estimate.ts";
import {
  parsePriceOverrides,
  parsePriceOverridesJson,
  PriceOverridesError,
} from "../pricing/overrides.ts";
import type { CallUsage } from "../telemetry/usage.ts";
import { zeroTokenUsage } from "../pricing/token_usage.ts";
import { pipelineMetricsJsonSchema } from "../telemetry/metrics.ts";

const M = 1_000_000;
const tokens = (
  inputTokens: number,
  outputTokens: number,
  extra: Partial<CallUsage> = {},
): CallUsage => ({
  ...zeroTokenUsage(),
  inputTokens,
  outputTokens,
  ...extra,
});
const close = (actual: number | null, expected: number) =>
  assert.ok(
    actual !== null && Math.abs(actual - expected) < 1e-10,
    `expected ${expected}, got ${actual}`,
  );

Deno.test("OpenAI: cached input at its discount, reasoning billed as output", () => {
  // o4-mini (https://openai.com/api/pricing): input $1.10, cached input $0.275, output $4.40.
  const usage = tokens(10_000, 3_000, { cacheReadTokens: 4_096, reasoningTokens: 2_000 });
  const { costUsd, source } = estimateCost(usage, "o4-mini", { provider: "openai" });
  assert.equal(source, "catalog");
  close(costUsd, ((10_000 - 4_096) * 1.1 + 4_096 * 0.275 + 3_000 * 4.4) / M);
});

Deno.test("Anthropic: cache writes at their premium, cache reads at a tenth", () => {
  // claude-sonnet-4-5 (https://www.anthropic.com/pricing#api): input $3, 5-minute cache write
  // $3.75, cache read $0.30, output $15.
  const usage = tokens(12_000, 800, { cacheReadTokens: 6_000, cacheWriteTokens: 2_000 });
  const { costUsd } = estimateCost(usage, "claude-sonnet-4-5", { provider: "anthropic" });
  close(costUsd, (4_000 * 3 + 2_000 * 3.75 + 6_000 * 0.3 + 800 * 15) / M);
});

Deno.test("Gemini 2.5 Pro: the long-context tier applies above 200k prompt tokens", () => {
  // gemini-2.5-pro (https://ai.google.dev/gemini-api/docs/pricing): up to 200k prompt tokens
  // $1.25 in / $10 out; above, $2.50 in / $15 out.
  const short = estimateCost(tokens(100_000, 1_000), "gemini-2.5-pro", {
    provider: "google_genai",
  });
  close(short.costUsd, (100_000 * 1.25 + 1_000 * 10) / M);
  const long = estimateCost(tokens(300_000, 1_000), "gemini-2.5-pro", { provider: "google_genai" });
  close(long.costUsd, (300_000 * 2.5 + 1_000 * 15) / M);
});

Deno.test("local providers cost $0 (local), unknown models are unpriced (null)", () => {
  const priceOf = (model: string, provider?: string) => {
    const { costUsd, source } = estimateCost(tokens(5_000, 500), model, { provider });
    return { costUsd, source };
  };
  assert.deepEqual(priceOf("llama3.2", "ollama"), {
    costUsd: 0,
    source: "local",
  });
  assert.deepEqual(priceOf("acme-7b", "openai"), {
    costUsd: null,
    source: "unpriced",
  });
  assert.deepEqual(priceOf("acme-7b"), {
    costUsd: null,
    source: "unpriced",
  });
});

Deno.test("overrides: by provider:model before model, cache rates default to input", () => {
  const overrides = parsePriceOverrides({
    "gpt-4.1-mini": { inputPerMTok: 0.2, outputPerMTok: 0.8 },
    "azure_openai:gpt-4.1-mini": { inputPerMTok: 0.3, outputPerMTok: 1.2, cacheReadPerMTok: 0.05 },
  });
  const usage = tokens(2_000, 100, { cacheReadTokens: 1_000 });
  close(
    estimateCost(usage, "gpt-4.1-mini", { provider: "openai", overrides }).costUsd,
    (2_000 * 0.2 + 100 * 0.8) / M,
  );
  const azure = estimateCost(usage, "gpt-4.1-mini", { provider: "azure_openai", overrides });
  assert.equal(azure.source, "override");
  close(azure.costUsd, (1_000 * 0.3 + 1_000 * 0.05 + 100 * 1.2) / M);
  // An override also prices a local model the user pays for (e.g. its GPU time).
  const gpu = parsePriceOverrides({ "llama3.2": { inputPerMTok: 0.01, outputPerMTok: 0.02 } });
  assert.equal(
    estimateCost(usage, "llama3.2", { provider: "ollama", overrides: gpu }).source,
    "override",
  );
});

Deno.test("bad price tables fail with one clear line", () => {
  assert.throws(
    () => parsePriceOverrides({ "m": { inputPerMTok: "cheap", outputPerMTok: 1 } }, "prices.json"),
    (error: unknown) =>
      error instanceof PriceOverridesError &&
      error.message.startsWith("prices.json: invalid price at m.inputPerMTok:") &&
      !error.message.includes("\n"),
  );
  assert.throws(
    () => parsePriceOverrides({ "m": { inputPerMTok: 1, outputPerMTok: 1, typo: 2 } }),
    PriceOverridesError,
  );
  assert.throws(() => parsePriceOverridesJson("[", "prices.json"), /prices.json: not valid JSON/);
});

Deno.test("the catalog version we report is the one the lock file resolved", async () => {
  const lock = await Deno.readTextFile(new URL("../deno.lock", import.meta.url));
  const resolved = lock.match(/"@pydantic\/genai-prices@(\d+\.\d+\.\d+)"/)?.[1];
  assert.equal(PRICE_CATALOG_VERSION, resolved);
});

Deno.test("the JSON Schema of PipelineMetrics is generated from zod", () => {
  const schema = pipelineMetricsJsonSchema() as {
    required: string[];
    properties: Record<string, { additionalProperties?: { required?: string[] } }>;
  };
  for (
    const field of ["runId", "startedAt", "wallTimeMs", "stages", "calls", "totals", "pricing"]
  ) {
    assert.ok(schema.required.includes(field), field);
  }
  const stageRequired = schema.properties.stages.additionalProperties?.required ?? [];
  for (const field of ["name", "executions", "latencyMs", "llmCalls", "costUsd", "unpricedCalls"]) {
    assert.ok(stageRequired.includes(field), field);
  }
});

Deno.test("overrides accept the CLI's provider spelling and the requested model name", () => {
  const overrides = parsePriceOverrides({
    "google-genai:gemini-2.5-flash": { inputPerMTok: 1, outputPerMTok: 2 },
  });
  const usage = tokens(1_000, 100);
  const priced = estimateCost(usage, "gemini-2.5-flash-001", {
    provider: "google_genai",
    requestedModel: "gemini-2.5-flash",
    overrides,
  });
  assert.equal(priced.source, "override");
  close(priced.costUsd, (1_000 * 1 + 100 * 2) / M);
  // The catalog, too, falls back to the requested name when the answered one is unknown.
  // gpt-4.1-mini (https://openai.com/api/pricing): $0.40 in, $1.60 out.
  const dated = estimateCost(usage, "gpt-4.1-mini-2099-01-01", {
    provider: "openai",
    requestedModel: "gpt-4.1-mini",
  });
  assert.equal(dated.source, "catalog");
  close(dated.costUsd, (1_000 * 0.4 + 100 * 1.6) / M);
});
