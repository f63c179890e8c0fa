/**
 * Prices one call on every billed dimension — uncached, cached and cache-written input (5-minute
 * and 1-hour), output (of which reasoning), audio, server-side tool fees, service-tier and
 * data-residency multipliers — at the rates in force when the call started. A provider-reported
 * cost wins. A dimension whose rate is unknown is left out and named in `missing`: the call is
 * partial, never priced as if it were text.
 *
 * @module
 */
import { type CostBreakdown, emptyBreakdown } from "./breakdown.ts";
import type { CostSource } from "./cost_source.ts";
import type { EstimateCostOptions } from "./estimate.ts";
import { inferenceGeoMultiplier, serviceTierPricing } from "./service_tiers.ts";
import { catalogIdOf, unpricedReason } from "./_find_model.ts";
import { pricedFromAnswerOnly } from "./model_ids.ts";
import type { ModelPrice, PriceOverrides } from "./overrides.ts";
import { type Rates, ratesAt } from "./rates.ts";

/** What a call's answer says about how it is billed, beyond its token counts. */
export interface CallBilling {
  /** OpenAI's `service_tier` (`default`, `flex`, `priority`, ...), or null. */
  readonly serviceTier: string | null;
  /** Anthropic's `usage.inference_geo` (`global`, `us`), or null. */
  readonly inferenceGeo: string | null;
  /** The cost the provider reported itself (OpenRouter's `usage.cost`), US dollars, or null. */
  readonly providerCostUsd: number | null;
}

/** A call's billed usage. Counts of parts are included in their wholes. */
export interface BilledUsage {
  /** All prompt tokens (cached, cache-written and audio included). */
  readonly inputTokens: number;
  /** All completion tokens (reasoning and audio included). */
  readonly outputTokens: number;
  /** Prompt tokens read from the provider's cache. */
  readonly cacheReadTokens: number;
  /** Prompt tokens written to the provider's cache (both lifetimes). */
  readonly cacheWriteTokens: number;
  /** Of `cacheWriteTokens`: written to a 1-hour cache. */
  readonly cacheWrite1hTokens?: number;
  /** Reasoning tokens (part of `outputTokens`). */
  readonly reasoningTokens: number;
  /** Audio prompt tokens (part of `inputTokens`). */
  readonly inputAudioTokens?: number;
  /** Audio completion tokens (part of `outputTokens`). */
  readonly outputAudioTokens?: number;
  /** Server-side web searches (and fetches or grounding requests billed per request). */
  readonly webSearchRequests?: number;
  /** Server-side file searches, billed per request. */
  readonly fileSearchRequests?: number;
}

/** Where a price came from (the pricing part of {@linkcode CostSource}). */
export type PriceSource = Extract<
  CostSource,
  "catalog" | "correction" | "override" | "local" | "provider" | "unpriced"
>;

/** Options of {@linkcode priceCall}: those of `estimateCost`, which it serves. */
export type PriceCallOptions = EstimateCostOptions;

/** A priced call. */
export interface CallPrice {
  /** US dollars (the priced parts, when `missing` is not empty), or null when unpriced. */
  readonly costUsd: number | null;
  /** Where the price came from. */
  readonly source: PriceSource;
  /** The cost by dimension (null when unpriced or when only the provider's total is known). */
  readonly breakdown: CostBreakdown | null;
  /** Dimensions used but not priced (`input_audio`, `cache_write_1h`, `service_tier:priority`). */
  readonly missing: readonly string[];
  /** Why an unpriced call is unpriced, when known (an alias whose target is not published). */
  readonly unpricedReason?: string;
}

/** Providers whose models run locally and cost nothing per token. */
export const LOCAL_PROVIDERS: ReadonlySet<string> = new Set(["ollama", "local", "llamacpp"]);

const M = 1_000_000;

function overrideRates(price: ModelPrice, provider: string | undefined): Rates {
  return {
    source: "catalog",
    providerId: catalogIdOf(provider) ?? "override",
    modelId: "override",
    inputUsd: price.inputPerMTok / M,
    cacheReadUsd: (price.cacheReadPerMTok ?? price.inputPerMTok) / M,
    cacheReadMissing: "cache_read",
    cacheWrite5mUsd: (price.cacheWritePerMTok ?? price.inputPerMTok) / M,
    cacheWrite1hUsd: price.cacheWrite1hPerMTok === undefined ? null : price.cacheWrite1hPerMTok / M,
    inputAudioUsd: price.inputAudioPerMTok === undefined ? null : price.inputAudioPerMTok / M,
    outputUsd: price.outputPerMTok / M,
    outputAudioUsd: price.outputAudioPerMTok === undefined ? null : price.outputAudioPerMTok / M,
    webSearchUsd: price.webSearchUsd ?? null,
    fileSearchUsd: price.fileSearchUsd ?? null,
    missing: [],
  };
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

/** Splits a usage into dimensions and prices each at `rates`. */
function priceWithRates(
  usage: BilledUsage,
  rates: Rates,
  options: PriceCallOptions,
): { costUsd: number; breakdown: CostBreakdown; missing: string[] } {
  const missing: string[] = [...rates.missing];
  const breakdown = emptyBreakdown();
  const part = (count: number, rate: number | null, name: string): number => {
    if (count <= 0) return 0;
    if (rate === null) {
      missing.push(name);
      return 0;
    }
    return count * rate;
  };
  const cacheRead = Math.min(usage.cacheReadTokens, usage.inputTokens);
  const cacheWrite = Math.min(usage.cacheWriteTokens, usage.inputTokens - cacheRead);
  const cacheWrite1h = Math.min(usage.cacheWrite1hTokens ?? 0, cacheWrite);
  const inputAudio = Math.min(
    usage.inputAudioTokens ?? 0,
    usage.inputTokens - cacheRead - cacheWrite,
  );
  const outputAudio = Math.min(usage.outputAudioTokens ?? 0, usage.outputTokens);
  const uncachedText = usage.inputTokens - cacheRead - cacheWrite - inputAudio;

  breakdown.uncachedInputUsd = uncachedText * rates.inputUsd;
  breakdown.cachedInputUsd = part(cacheRead, rates.cacheReadUsd, rates.cacheReadMissing);
  breakdown.cacheWrite5mUsd = (cacheWrite - cacheWrite1h) * rates.cacheWrite5mUsd;
  breakdown.cacheWrite1hUsd = part(cacheWrite1h, rates.cacheWrite1hUsd, "cache_write_1h");
  breakdown.outputUsd = (usage.outputTokens - outputAudio) * rates.outputUsd;
  breakdown.reasoningUsd = Math.min(usage.reasoningTokens, usage.outputTokens - outputAudio) *
    rates.outputUsd;
  breakdown.audioUsd = part(inputAudio, rates.inputAudioUsd, "input_audio") +
    part(outputAudio, rates.outputAudioUsd, "output_audio");
  breakdown.toolFeesUsd = part(usage.webSearchRequests ?? 0, rates.webSearchUsd, "web_search") +
    part(usage.fileSearchRequests ?? 0, rates.fileSearchUsd, "file_search");

  const tokensUsd = breakdown.uncachedInputUsd + breakdown.cachedInputUsd +
    breakdown.cacheWrite5mUsd + breakdown.cacheWrite1hUsd + breakdown.outputUsd +
    breakdown.audioUsd;
  // The service tier: a factor on every token charge, or the tier's own text rates (OpenAI's
  // Priority rates per model) in place of the standard ones.
  let tieredUsd = tokensUsd;
  if (options.serviceTier) {
    const tier = serviceTierPricing(
      options.serviceTier,
      rates.providerId,
      rates.modelId,
      usage.inputTokens,
    );
    if (tier.kind === "unknown") missing.push(tier.missing);
    else if (tier.kind === "factor") tieredUsd = tokensUsd * tier.factor;
    else {
      const own = tier.rates;
      const textUsd = breakdown.uncachedInputUsd + breakdown.cachedInputUsd + breakdown.outputUsd;
      const ownTextUsd = (uncachedText * own.inputPerMTok +
        cacheRead * (own.cachedPerMTok ?? own.inputPerMTok) +
        (usage.outputTokens - outputAudio) * own.outputPerMTok) / M;
      tieredUsd = tokensUsd - textUsd + ownTextUsd;
      // Cache writes and audio have no published rate at this tier: standard rates, named.
      if (cacheWrite > 0 || inputAudio > 0 || outputAudio > 0) {
        missing.push(`service_tier:${options.serviceTier}`);
      }
    }
  }
  const geo = options.inferenceGeo ? inferenceGeoMultiplier(options.inferenceGeo) : undefined;
  if (geo?.missing) missing.push(geo.missing);
  breakdown.multiplierUsd = tieredUsd * (geo?.factor ?? 1) - tokensUsd;
  return {
    costUsd: tokensUsd + breakdown.multiplierUsd + breakdown.toolFeesUsd,
    breakdown,
    missing,
  };
}

/**
 * Prices one call on every billed dimension at the rates in force when it started.
 *
 * Order: the user's override table, local providers ($0), the provider's own reported cost,
 * then corrections and the catalog (rates memoized per provider, model and price period).
 *
 * @param usage The call's billed usage.
 * @param model The model that answered (preferably) or was requested.
 * @param options Provider, requested model, overrides, start time, multipliers, reported cost.
 * @returns The cost, its source, its breakdown and the dimensions left unpriced.
 *
 * @example Usage
 * ```ts
 * import { priceCall } from "./price_call.ts";
 * import assert from "node:assert/strict";
 *
 * // claude-sonnet-4-5 (https://www.anthropic.com/pricing#api): input $3, 5-minute cache write
 * // $3.75, 1-hour cache write $6, output $15 per million tokens.
 * const priced = priceCall({
 *   inputTokens: 60_000,
 *   cacheReadTokens: 0,
 *   cacheWriteTokens: 50_000,
 *   cacheWrite1hTokens: 50_000,
 *   outputTokens: 1_000,
 *   reasoningTokens: 0,
 * }, "claude-sonnet-4-5", { provider: "anthropic", at: new Date("2026-11-01T00:00:00Z") });
 * assert.ok(Math.abs(priced.costUsd! - (10_000 * 3 + 50_000 * 6 + 1_000 * 15) / 1e6) < 1e-9);
 * assert.deepEqual(priced.missing, []);
 * ```
 */
export function priceCall(
  usage: BilledUsage,
  model: string,
  options: PriceCallOptions = {},
): CallPrice {
  const { provider, overrides } = options;
  const names = options.requestedModel && options.requestedModel !== model
    ? [model, options.requestedModel]
    : [model];
  const override = overrides ? findOverride(overrides, names, provider) : undefined;
  if (override) {
    return {
      ...priceWithRates(usage, overrideRates(override, provider), options),
      source: "override",
    };
  }
  if (provider && LOCAL_PROVIDERS.has(provider)) {
    return { costUsd: 0, source: "local", breakdown: emptyBreakdown(), missing: [] };
  }
  const at = options.at ?? Date.now();
  if (options.modelFromAnswer === false && pricedFromAnswerOnly(provider)) {
    return {
      costUsd: null,
      source: "unpriced",
      breakdown: null,
      missing: [],
      unpricedReason: "its answers name no model",
    };
  }
  let rates: Rates | null = null;
  for (const candidate of names) {
    rates = ratesAt(candidate, provider, at, usage.inputTokens);
    if (rates) break;
  }
  const reported = options.providerCostUsd;
  if (typeof reported === "number" && Number.isFinite(reported) && reported >= 0) {
    const breakdown = rates ? priceWithRates(usage, rates, options).breakdown : null;
    return { costUsd: reported, source: "provider", breakdown, missing: [] };
  }
  if (!rates) {
    const atMs = typeof at === "number" ? at : at.getTime();
    const reason = names.map((name) => unpricedReason(name, provider, atMs)).find(Boolean);
    const unpriced = { costUsd: null, source: "unpriced" as const, breakdown: null, missing: [] };
    return reason === undefined ? unpriced : { ...unpriced, unpricedReason: reason };
  }
  return { ...priceWithRates(usage, rates, options), source: rates.source };
}
