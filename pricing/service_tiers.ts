/**
 * What a call's service tier does to its price, per provider and model: OpenAI's Flex and Batch
 * at half the standard rates, its Priority processing (named Fast mode since 2026-07-30) at
 * per-model rates, and the Batch discounts of Anthropic, Google (Gemini API and Vertex AI) and
 * Amazon Bedrock. A tier whose price is not published for the provider or the model leaves the
 * call at standard rates and named partial (`service_tier:<tier>`). Each constant cites its
 * source and the day it was read.
 *
 * @module
 */

/** Per-million-token text rates of a tier, $. */
export interface TierRates {
  /** Uncached input. */
  readonly inputPerMTok: number;
  /** Cached input, or null where the tier has no cached rate (the model has none). */
  readonly cachedPerMTok: number | null;
  /** Output (reasoning included). */
  readonly outputPerMTok: number;
}

/** How a tier prices a call: a factor on the token charges, the tier's own rates, or unknown. */
export type TierPricing =
  | { readonly kind: "factor"; readonly factor: number }
  | { readonly kind: "rates"; readonly rates: TierRates }
  | { readonly kind: "unknown"; readonly missing: string };

const rates = (input: number, cached: number | null, output: number): TierRates => ({
  inputPerMTok: input,
  cachedPerMTok: cached,
  outputPerMTok: output,
});

/**
 * OpenAI Priority processing, per catalog model id: the per-model rates of
 * https://openai.com/api-priority-processing/ and https://openai.com/api-fast-mode/ ("Priority
 * processing was renamed Fast mode on July 30, 2026. You can use either service_tier: priority
 * or service_tier: fast"), both read 2026-12-06. Those models "exclude long context": requests
 * estimated above 128K prompt tokens are not served at Priority (`PRIORITY_PROMPT_LIMIT`).
 * gpt-5.1-codex and gpt-5-codex are priced as gpt-5.1 and gpt-5 (the catalog's entries).
 */
const PRIORITY_RATES: Readonly<Record<string, TierRates>> = {
  "gpt-5.6-sol": rates(10, 1, 60),
  "gpt-5.6-terra": rates(4, 0.4, 24),
  "gpt-5.6-luna": rates(0.4, 0.04, 2.4),
  "gpt-5.5": rates(12.5, 1.25, 75),
  "gpt-5.4": rates(5, 0.5, 30),
  "gpt-5.4-mini": rates(1.5, 0.15, 9),
  "gpt-5.2": rates(3.5, 0.35, 28),
  "gpt-5.1": rates(2.5, 0.25, 20),
  "gpt-5": rates(2.5, 0.25, 20),
  "gpt-5-mini": rates(0.45, 0.045, 3.6),
  "gpt-4.1": rates(3.5, 0.875, 14),
  "gpt-4.1-mini": rates(0.7, 0.175, 2.8),
  "gpt-4.1-nano": rates(0.2, 0.05, 0.8),
  "gpt-4o": rates(4.25, 2.125, 17),
  "gpt-4o-2024-05-13": rates(8.75, null, 26.25),
  "gpt-4o-mini": rates(0.25, 0.125, 1),
  "o3": rates(3.5, 0.875, 14),
  "o4-mini": rates(2, 0.5, 8),
};

/** The prompt size above which the models of `PRIORITY_RATES` are not served at Priority. */
const PRIORITY_PROMPT_LIMIT = 128_000;

/**
 * GPT-6 models whose Fast mode is a multiple of the standard rate "for the same context length"
 * (long context included): "Fast mode costs twice the Standard rate"
 * (https://developers.openai.com/api/docs/models/gpt-6-sol, .../gpt-6.1-sol and
 * .../gpt-6.2-sol, read 2026-12-06).
 */
const FAST_FACTORS: Readonly<Record<string, number>> = {
  "gpt-6-sol": 2,
  "gpt-6.1-sol": 2,
  "gpt-6.2-sol": 2,
};

/**
 * Batch discounts by catalog provider: half of the standard rates.
 * - `openai`: "Batch costs 50% of Standard rates" (https://developers.openai.com/api/docs/models/gpt-6.2-sol)
 *   and Flex "priced at Batch API rates" (https://platform.openai.com/docs/guides/flex-processing).
 * - `anthropic`: "Batch API: 50% discount on input and output"
 *   (https://platform.claude.com/docs/en/about-claude/pricing).
 * - `google`: "Batch jobs are priced at 50% less than the standard rate"
 *   (https://developers.googleblog.com/scale-your-ai-workloads-batch-mode-gemini-api).
 * - `aws`: "batch inference at 50% lower price" (https://aws.amazon.com/bedrock/pricing/, as
 *   transcribed by https://github.com/api-evangelist/amazon-bedrock on 2026-10-07).
 * All read 2026-12-06.
 */
const BATCH_FACTORS: Readonly<Record<string, number>> = {
  openai: 0.5,
  anthropic: 0.5,
  google: 0.5,
  aws: 0.5,
};

/** Tiers that mean standard processing, by any provider's name for it. */
const STANDARD_TIERS: ReadonlySet<string> = new Set(["default", "auto", "standard", "on_demand"]);

/**
 * How a service tier prices a call.
 *
 * @param tier The answer's service tier (`default`, `flex`, `priority`, `fast`, `batch`, ...).
 * @param providerId The catalog provider of the rates (`openai`, `anthropic`, `google`, `aws`).
 * @param modelId The catalog (or correction) model id of the rates (`gpt-5-mini`).
 * @param promptTokens The call's prompt size.
 * @returns A factor, the tier's own rates, or what is unknown.
 *
 * @example Usage
 * ```ts
 * import { serviceTierPricing } from "./service_tiers.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(serviceTierPricing("flex", "openai", "o4-mini", 1_000), {
 *   kind: "factor",
 *   factor: 0.5,
 * });
 * assert.deepEqual(serviceTierPricing("batch", "anthropic", "claude-sonnet-4-5", 1_000), {
 *   kind: "factor",
 *   factor: 0.5,
 * });
 * const priority = serviceTierPricing("priority", "openai", "gpt-5-mini", 1_000);
 * assert.equal(priority.kind === "rates" && priority.rates.outputPerMTok, 3.6);
 * assert.deepEqual(serviceTierPricing("priority", "openai", "gpt-6-astra", 1_000), {
 *   kind: "unknown",
 *   missing: "service_tier:priority",
 * });
 * ```
 */
export function serviceTierPricing(
  tier: string,
  providerId: string,
  modelId: string,
  promptTokens: number,
): TierPricing {
  const name = tier.toLowerCase();
  if (STANDARD_TIERS.has(name)) return { kind: "factor", factor: 1 };
  const unknown: TierPricing = { kind: "unknown", missing: `service_tier:${name}` };
  if (name === "batch") {
    const factor = BATCH_FACTORS[providerId];
    return factor === undefined ? unknown : { kind: "factor", factor };
  }
  if (providerId !== "openai") return unknown;
  if (name === "flex") return { kind: "factor", factor: BATCH_FACTORS.openai };
  if (name === "priority" || name === "fast") {
    const factor = FAST_FACTORS[modelId];
    if (factor !== undefined) return { kind: "factor", factor };
    const own = PRIORITY_RATES[modelId];
    if (own === undefined || promptTokens > PRIORITY_PROMPT_LIMIT) return unknown;
    return { kind: "rates", rates: own };
  }
  return unknown;
}

/** A multiplier on a call's token charges, or why it is unknown. */
export type TokenMultiplier =
  | { readonly factor: number; readonly missing?: undefined }
  | { readonly factor: 1; readonly missing: string };

/**
 * Anthropic's US-only inference (`inference_geo: "us"`) costs 1.1x on every token category.
 * https://platform.claude.com/docs/en/about-claude/pricing#data-residency-pricing and
 * https://platform.claude.com/docs/en/build-with-claude/data-residency, read 2026-11-27.
 */
const US_ONLY_INFERENCE_FACTOR = 1.1;

/**
 * The multiplier of Anthropic's `usage.inference_geo`.
 *
 * @param geo Where inference ran (`global`, `us`, or a geography without a known price).
 * @returns The factor, or factor 1 with the part that is missing.
 *
 * @example Usage
 * ```ts
 * import { inferenceGeoMultiplier } from "./service_tiers.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(inferenceGeoMultiplier("us").factor, 1.1);
 * assert.equal(inferenceGeoMultiplier("global").factor, 1);
 * ```
 */
export function inferenceGeoMultiplier(geo: string): TokenMultiplier {
  if (geo === "global" || geo === "not_available" || geo === "") return { factor: 1 };
  if (geo === "us") return { factor: US_ONLY_INFERENCE_FACTOR };
  return { factor: 1, missing: `inference_geo:${geo}` };
}
