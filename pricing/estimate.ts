/**
 * Prices one LLM call: a pure function of (usage, model, price tables). Rates come from the
 * maintained `@pydantic/genai-prices` catalog (cache read/write rates, long-context tiers),
 * unless the user's override table names the model; local models cost nothing; an unknown model
 * is unpriced (`null`), never $0.
 *
 * @module
 */
import { calcPrice, findProvider } from "@pydantic/genai-prices";
import type { TokenUsage } from "./token_usage.ts";
import type { CostSource } from "./cost_source.ts";
import type { ModelPrice, PriceOverrides } from "./overrides.ts";

/** The catalog behind catalog prices. */
export const PRICE_CATALOG = "@pydantic/genai-prices";
/** The catalog's version, as pinned in deno.json (a test keeps the two equal). */
export const PRICE_CATALOG_VERSION = "0.1.8";

/** Providers whose models run locally and cost nothing per token. */
export const LOCAL_PROVIDERS: ReadonlySet<string> = new Set(["ollama", "local", "llamacpp"]);

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
}

/** A priced (or unpriced) call. */
export interface CostEstimate {
  /** US dollars, or null when the model is unknown to every price table. */
  costUsd: number | null;
  /** Where the price came from. */
  source: CostSource;
}

const TOKENS_PER_MILLION = 1_000_000;

function priceFromOverride(usage: TokenUsage, price: ModelPrice): number {
  const uncachedInput = Math.max(
    0,
    usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens,
  );
  return (uncachedInput * price.inputPerMTok +
    usage.cacheReadTokens * (price.cacheReadPerMTok ?? price.inputPerMTok) +
    usage.cacheWriteTokens * (price.cacheWritePerMTok ?? price.inputPerMTok) +
    usage.outputTokens * price.outputPerMTok) / TOKENS_PER_MILLION;
}

/**
 * The catalog's id for a LangChain provider name (`google_genai` -> `google`), or undefined when
 * the catalog does not know the provider: the model name alone then decides.
 */
function catalogProviderId(provider: string | undefined): string | undefined {
  if (!provider || provider === "unknown") return undefined;
  return findProvider({ providerId: provider })?.id;
}

/**
 * Estimates the US dollar cost of one call.
 *
 * Usage follows graphmeter's conventions: `inputTokens` counts every prompt token (cache reads
 * and writes included) and `outputTokens` includes reasoning, which providers bill as output.
 *
 * @param usage The call's normalized token usage.
 * @param model The model name (the one the provider answered with, preferably).
 * @param options The provider and the user's override table.
 * @returns The cost and where it came from; `costUsd` is null for an unknown model.
 *
 * @example Usage
 * ```ts
 * import { estimateCost } from "./estimate.ts";
 * import assert from "node:assert/strict";
 *
 * const usage = {
 *   inputTokens: 1_000_000,
 *   outputTokens: 1_000_000,
 *   cacheReadTokens: 0,
 *   cacheWriteTokens: 0,
 *   reasoningTokens: 0,
 * };
 * // gpt-4.1-mini: $0.40 per million input tokens, $1.60 per million output tokens.
 * const priced = estimateCost(usage, "gpt-4.1-mini", { provider: "openai" });
 * assert.equal(priced.source, "catalog");
 * assert.ok(Math.abs(priced.costUsd! - 2.0) < 1e-9);
 * assert.deepEqual(estimateCost(usage, "my-private-model"), { costUsd: null, source: "unpriced" });
 * ```
 */
export function estimateCost(
  usage: TokenUsage,
  model: string,
  options: EstimateCostOptions = {},
): CostEstimate {
  const { provider, overrides } = options;
  const names = options.requestedModel && options.requestedModel !== model
    ? [model, options.requestedModel]
    : [model];
  const override = overrides ? findOverride(overrides, names, provider) : undefined;
  if (override) return { costUsd: priceFromOverride(usage, override), source: "override" };
  if (provider && LOCAL_PROVIDERS.has(provider)) return { costUsd: 0, source: "local" };

  const catalogUsage = {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_read_tokens: usage.cacheReadTokens,
    cache_write_tokens: usage.cacheWriteTokens,
  };
  const providerId = catalogProviderId(provider);
  for (const name of names) {
    // A provider the catalog knows prices its own models only (an OpenAI-compatible gateway
    // serving an unknown model stays unpriced rather than borrowing another host's price).
    const result = providerId
      ? calcPrice(catalogUsage, name, { providerId })
      : calcPrice(catalogUsage, name);
    if (result) return { costUsd: result.total_price, source: "catalog" };
  }
  return { costUsd: null, source: "unpriced" };
}

/**
 * The override for the first of `names` the table has, keyed `provider:model` (LangChain's
 * `google_genai` or the CLI's `google-genai` spelling) or `model`.
 */
function findOverride(
  overrides: PriceOverrides,
  names: readonly string[],
  provider: string | undefined,
): ModelPrice | undefined {
  const prefixes = provider ? [...new Set([provider, provider.replaceAll("_", "-")])] : [];
  for (const name of names) {
    for (const prefix of prefixes) {
      const price = overrides[`${prefix}:${name}`];
      if (price) return price;
    }
    if (overrides[name]) return overrides[name];
  }
  return undefined;
}
