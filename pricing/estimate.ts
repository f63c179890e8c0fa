/**
 * Prices one LLM call: a pure function of (usage, model, provider, time, price tables). Rates come
 * from graphmeter's cited corrections and the maintained `@pydantic/genai-prices` catalog (cache
 * read/write rates, long-context tiers, prices by date), unless the user's override table names
 * the model; local models cost nothing; an unknown model is unpriced (`null`), never $0.
 *
 * @module
 */
import type { TokenUsage } from "./token_usage.ts";
import type { CostSource } from "./cost_source.ts";
import type { PriceOverrides } from "./overrides.ts";
import type { CostBreakdown } from "./breakdown.ts";
import { catalogPackageVersion, PRICE_CATALOG } from "./catalog.ts";
import { LOCAL_PROVIDERS, priceCall } from "./price_call.ts";

export { LOCAL_PROVIDERS, PRICE_CATALOG };

/** The installed catalog package's version, read from the package (never typed by hand). */
export const PRICE_CATALOG_VERSION: string = catalogPackageVersion();

/** Options of {@linkcode estimateCost}. */
export interface EstimateCostOptions {
  /** The provider as LangChain names it (`openai`, `anthropic`, `google_genai`, `ollama`, ...). */
  provider?: string;
  /**
   * The model name that was requested, when it differs from the one the provider answered with
   * (`gpt-4.1-mini` vs `gpt-4.1-mini-2025-04-14`): overrides and the catalog are tried with the
   * answered name first, then with this one.
   */
  requestedModel?: string;
  /** The user's price table; it wins over the catalog. */
  overrides?: PriceOverrides;
  /**
   * Whether `model` is the model the provider's answer named (default true). An Azure call whose
   * answer names no model is priced from the overrides only (its deployment name is the user's).
   */
  modelFromAnswer?: boolean;
  /** When the call started (a `Date` or epoch ms; default: now). */
  at?: Date | number;
  /**
   * The answer's service tier: OpenAI's `flex` (Batch rates), `priority` / `fast` (per-model
   * rates), `batch` (half price at OpenAI, Anthropic, Google and Bedrock), `default`.
   */
  serviceTier?: string | null;
  /** Anthropic's `usage.inference_geo` (`us`: 1.1x). */
  inferenceGeo?: string | null;
  /** The cost the provider reported itself (OpenRouter's `usage.cost`): it wins. */
  providerCostUsd?: number | null;
}

/** A priced (or unpriced) call. */
export interface CostEstimate {
  /** US dollars (the priced parts when `missing` is not empty), or null when unpriced. */
  costUsd: number | null;
  /** Where the price came from. */
  source: CostSource;
  /** The cost by billed dimension, or null when unpriced (or only a provider total is known). */
  breakdown: CostBreakdown | null;
  /** Dimensions used but not priced (`input_audio`, `cache_write_1h`, `service_tier:priority`). */
  missing: readonly string[];
  /** Why an unpriced call is unpriced, when known (an alias whose target is not published). */
  unpricedReason?: string;
}

/**
 * Estimates the US dollar cost of one call.
 *
 * Usage follows graphmeter's conventions: `inputTokens` counts every prompt token (cache reads
 * and writes and audio included) and `outputTokens` includes reasoning and audio, which providers
 * bill as output.
 *
 * @param usage The call's normalized token usage.
 * @param model The model name (the one the provider answered with, preferably).
 * @param options The provider, the call's start time, billing details and the override table.
 * @returns The cost, where it came from, its breakdown and the dimensions left unpriced.
 *
 * @example Usage
 * ```ts
 * import { estimateCost } from "./estimate.ts";
 * import { zeroTokenUsage } from "./token_usage.ts";
 * import assert from "node:assert/strict";
 *
 * const usage = { ...zeroTokenUsage(), inputTokens: 1_000_000, outputTokens: 1_000_000 };
 * // gpt-4.1-mini: $0.40 per million input tokens, $1.60 per million output tokens.
 * const priced = estimateCost(usage, "gpt-4.1-mini", { provider: "openai" });
 * assert.equal(priced.source, "catalog");
 * assert.ok(Math.abs(priced.costUsd! - 2.0) < 1e-9);
 * assert.equal(estimateCost(usage, "my-private-model").costUsd, null);
 * ```
 */
export function estimateCost(
  usage: TokenUsage,
  model: string,
  options: EstimateCostOptions = {},
): CostEstimate {
  const priced = priceCall(usage, model, options);
  return {
    costUsd: priced.costUsd,
    source: priced.source,
    breakdown: priced.breakdown,
    missing: priced.missing,
    ...(priced.unpricedReason === undefined ? {} : { unpricedReason: priced.unpricedReason }),
  };
}
