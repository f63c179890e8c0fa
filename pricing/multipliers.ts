/**
 * Price multipliers a call's own response reveals: OpenAI's service tier (`service_tier`) and
 * Anthropic's data residency (`usage.inference_geo`). Each constant cites its source.
 *
 * @module
 */

/** A multiplier on a call's token charges, or why it is unknown. */
export type TokenMultiplier =
  | { readonly factor: number; readonly missing?: undefined }
  | { readonly factor: 1; readonly missing: string };

/**
 * OpenAI Flex processing is billed at Batch API rates: half of the standard rates.
 * https://platform.openai.com/docs/guides/flex-processing ("priced at Batch API rates") and
 * https://platform.openai.com/docs/pricing (Batch column), read 2026-11-27.
 */
const FLEX_FACTOR = 0.5;

/**
 * OpenAI Priority processing, where its rates are a uniform multiple of the standard ones.
 * https://platform.openai.com/docs/pricing (Priority tab), read 2026-11-27: gpt-5 $2.50 in /
 * $0.25 cached / $20 out vs $1.25 / $0.125 / $10 standard (2x); gpt-5.1 the same.
 * Other models' priority rates are not a single multiple: such calls are marked partial.
 */
const PRIORITY_FACTORS: Readonly<Record<string, number>> = {
  "gpt-5": 2,
  "gpt-5-2025-08-07": 2,
  "gpt-5.1": 2,
  "gpt-5.1-2025-11-13": 2,
};

/**
 * Anthropic's US-only inference (`inference_geo: "us"`) costs 1.1x on every token category.
 * https://platform.claude.com/docs/en/about-claude/pricing#data-residency-pricing and
 * https://platform.claude.com/docs/en/build-with-claude/data-residency, read 2026-11-27.
 */
const US_ONLY_INFERENCE_FACTOR = 1.1;

/**
 * The multiplier of an OpenAI `service_tier` for a model.
 *
 * @param tier The response's `service_tier` (`default`, `auto`, `flex`, `priority`, `scale`).
 * @param model The model that answered.
 * @returns The factor, or factor 1 with the part that is missing.
 *
 * @example Usage
 * ```ts
 * import { serviceTierMultiplier } from "./multipliers.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(serviceTierMultiplier("flex", "o4-mini").factor, 0.5);
 * assert.equal(serviceTierMultiplier("priority", "gpt-5").factor, 2);
 * assert.equal(serviceTierMultiplier("priority", "o3").missing, "service_tier:priority");
 * ```
 */
export function serviceTierMultiplier(tier: string, model: string): TokenMultiplier {
  switch (tier) {
    case "default":
    case "auto":
      return { factor: 1 };
    case "flex":
    case "batch":
      return { factor: FLEX_FACTOR };
    case "priority": {
      const factor = PRIORITY_FACTORS[model.toLowerCase()];
      return factor ? { factor } : { factor: 1, missing: "service_tier:priority" };
    }
    default:
      return { factor: 1, missing: `service_tier:${tier}` };
  }
}

/**
 * The multiplier of Anthropic's `usage.inference_geo`.
 *
 * @param geo Where inference ran (`global`, `us`, or a geography without a known price).
 * @returns The factor, or factor 1 with the part that is missing.
 *
 * @example Usage
 * ```ts
 * import { inferenceGeoMultiplier } from "./multipliers.ts";
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
