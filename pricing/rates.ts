/**
 * A model's rates as of a moment, looked up once per (provider, model, price period) and reused:
 * matching a name against the catalog costs 9–19 µs, the arithmetic with known rates well under
 * one. Rates come from the corrections layer first, then the catalog; the catalog's own
 * arithmetic (cache partitions, long-context tiers, date and time-of-day constraints) is used to
 * derive them, by pricing one million units of each kind once.
 *
 * @module
 */
import {
  calcPrice,
  type ModelInfo,
  type ModelPrice as CatalogModelPrice,
  type Provider,
  type Usage,
} from "@pydantic/genai-prices";
import { onCatalogChange } from "./catalog.ts";
import { PRICE_CORRECTIONS } from "./corrections.ts";
import { findModel, type Found } from "./_find_model.ts";
import { ALIAS_CHANGE_INSTANTS, canonicalModelId } from "./model_ids.ts";
import { peakHoursMoment } from "./peak_hours.ts";
import { SERVER_TOOL_FEES } from "./tool_fees.ts";

/** US dollars per unit of each billed kind; null where the model has no rate for the kind. */
export interface Rates {
  /** Where the rates come from. */
  readonly source: "catalog" | "correction";
  /** The catalog's (or correction's) provider and model id. */
  readonly providerId: string;
  /** The catalog's (or correction's) model id. */
  readonly modelId: string;
  /** Uncached text input, $ per token. */
  readonly inputUsd: number;
  /** Cache-read input, $ per token; null where the provider publishes no rate (see below). */
  readonly cacheReadUsd: number | null;
  /** The part a null `cacheReadUsd` is named as (`cache_read:above_128k`). */
  readonly cacheReadMissing: string;
  /** 5-minute (default) cache writes, $ per token. */
  readonly cacheWrite5mUsd: number;
  /** 1-hour cache writes, $ per token. */
  readonly cacheWrite1hUsd: number | null;
  /** Audio input, $ per token. */
  readonly inputAudioUsd: number | null;
  /** Text output (reasoning included), $ per token. */
  readonly outputUsd: number;
  /** Audio output, $ per token. */
  readonly outputAudioUsd: number | null;
  /** One server-side web search, $. */
  readonly webSearchUsd: number | null;
  /** One server-side file search, $ (catalog `storage_searches_kcount`), or null. */
  readonly fileSearchUsd: number | null;
  /**
   * Parts named partial whenever a call is priced at these rates: a rate the provider does not
   * publish (`long_context:above_128k`) or a day whose peak-hours status is unknown.
   */
  readonly missing: readonly string[];
}

const PROBE_TOKENS = 1_000_000;
const MAX_CACHED_RATES = 10_000;

/** True when a price has long-context tiers (its rates depend on the prompt's size). */
function isTiered(prices: CatalogModelPrice): boolean {
  return Object.values(prices).some((price) => typeof price === "object" && price !== null);
}

/** The tier thresholds (prompt tokens) of a tiered price. */
function tierStarts(prices: CatalogModelPrice): number[] {
  const starts = new Set<number>();
  for (const price of Object.values(prices)) {
    if (typeof price === "object" && price !== null) {
      for (const tier of price.tiers) starts.add(tier.start);
    }
  }
  return [...starts].sort((a, b) => a - b);
}

/** True when a model's prices depend on the time of day (a rate card per minute, not per day). */
function hasTimeOfDay(model: ModelInfo): boolean {
  return Array.isArray(model.prices) &&
    model.prices.some((price) => price.constraint?.type === "time_of_date");
}

/** Dollars for a usage against one card at one time. */
function priceOf(card: Provider, name: string, usage: Usage, at: Date): number {
  return calcPrice(usage, name, { provider: card, timestamp: at })?.total_price ?? 0;
}

/**
 * Derives per-unit rates by pricing `p` units of each kind once, on top of a `p`-token prompt
 * (`p` is the call's prompt size for long-context-tiered prices, so the tier is the call's).
 * Above an unpublished rate's threshold the rate is left unknown (`missing`).
 */
function deriveRates(
  found: Found,
  name: string,
  at: Date,
  p: number,
  flags: readonly string[],
): Rates {
  const { card } = found;
  const providerId = found.correction?.providerId ?? card.id;
  const unpublished = found.correction?.unpublishedAbove;
  const above = unpublished !== undefined && p > unpublished.promptTokens
    ? `above_${unpublished.promptTokens / 1000}k`
    : null;
  const prices = calcPrice({}, name, { provider: card, timestamp: at })?.model_price ?? {};
  const base = priceOf(card, name, { input_tokens: p }, at);
  const inputUsd = base / p;
  /** The rate of a kind that is part of the prompt (replacing uncached input tokens). */
  const promptKind = (extra: Usage): number =>
    inputUsd + (priceOf(card, name, { input_tokens: p, ...extra }, at) - base) / p;
  /** The rate of an output kind. */
  const outputKind = (extra: Usage): number =>
    (priceOf(card, name, { input_tokens: p, output_tokens: p, ...extra }, at) - base) / p;
  const has = (key: string): boolean => prices[key] !== undefined;
  return {
    source: found.source,
    providerId,
    modelId: found.model.id,
    inputUsd,
    cacheReadUsd: above !== null && unpublished?.rate === "cache_read"
      ? null
      : promptKind({ cache_read_tokens: p }),
    cacheReadMissing: above === null ? "cache_read" : `cache_read:${above}`,
    cacheWrite5mUsd: promptKind({ cache_write_tokens: p }),
    cacheWrite1hUsd: has("cache_write_1h_mtok")
      ? promptKind({ cache_write_tokens: p, cache_write_1h_tokens: p })
      : null,
    inputAudioUsd: has("input_audio_mtok") ? promptKind({ input_audio_tokens: p }) : null,
    outputUsd: outputKind({}),
    outputAudioUsd: has("output_audio_mtok") ? outputKind({ output_audio_tokens: p }) : null,
    webSearchUsd: has("web_searches_kcount")
      ? priceOf(card, name, { web_searches: 1000 }, at) / 1000
      : SERVER_TOOL_FEES[providerId]?.webSearchUsd ?? null,
    fileSearchUsd: has("storage_searches_kcount")
      ? priceOf(card, name, { storage_searches: 1000 } as Usage, at) / 1000
      : null,
    missing: above !== null && unpublished?.rate === "long_context"
      ? [...flags, `long_context:${above}`]
      : flags,
  };
}

/** The rates of one price period: tier thresholds (null: untiered) and rates by tier. */
interface PeriodEntry {
  readonly starts: readonly number[] | null;
  readonly byTier: (Rates | undefined)[];
  /** Parts named partial for every call of the period (a day's unknown peak-hours status). */
  readonly flags: readonly string[];
}

/** One model under one provider on one UTC day: the entry found, and its price periods. */
interface DayEntry {
  readonly model: Found | null;
  readonly periods: Map<number, PeriodEntry>;
}

/** provider -> model name -> UTC day -> entry; numeric keys, no key strings built per call. */
const memo = new Map<string, Map<string, Map<number, DayEntry>>>();
let memoSize = 0;
onCatalogChange(() => {
  memo.clear();
  memoSize = 0;
});

const DAY_MS = 86_400_000;
const timeOfDayModels = new WeakMap<ModelInfo, boolean>();
const MINUTE_MS = 60_000;

/** The price period of a moment for a model: its UTC day, or its minute for time-of-day prices. */
function periodOf(model: ModelInfo, atMs: number): number {
  let timeOfDay = timeOfDayModels.get(model);
  if (timeOfDay === undefined) timeOfDayModels.set(model, timeOfDay = hasTimeOfDay(model));
  return timeOfDay ? Math.floor(atMs / MINUTE_MS) : Math.floor(atMs / DAY_MS);
}

/** A correction that takes effect during a UTC day: the model names it covers, and when. */
interface SubDayChange {
  readonly names: ReadonlySet<string>;
  readonly atMs: number;
}

/**
 * UTC day -> the corrections and id changes (a retired id served as another model) taking effect
 * during it (rare: looked up once per call).
 */
const SUB_DAY_CHANGES: ReadonlyMap<number, readonly SubDayChange[]> = (() => {
  const byDay = new Map<number, SubDayChange[]>();
  const add = (change: SubDayChange) => {
    const day = Math.floor(change.atMs / DAY_MS);
    byDay.set(day, [...byDay.get(day) ?? [], change]);
  };
  for (const correction of PRICE_CORRECTIONS) {
    for (const instant of correction.takesEffectAt ?? []) {
      add({ names: new Set(correction.corrects), atMs: Date.parse(instant) });
    }
  }
  for (const change of ALIAS_CHANGE_INSTANTS) add(change);
  return byDay;
})();

/**
 * The moment to price `name` at: a call made on a change's day but before it is priced as the
 * day before at the same time of day (the catalog's dates have day resolution).
 */
function pricingMoment(name: string, atMs: number): number {
  const changes = SUB_DAY_CHANGES.get(Math.floor(atMs / DAY_MS));
  if (!changes) return atMs;
  const id = canonicalModelId(name);
  const before = changes.some((change) =>
    atMs < change.atMs && (change.names.has(name) || change.names.has(id))
  );
  return before ? atMs - DAY_MS : atMs;
}

const NO_FLAGS: readonly string[] = Object.freeze([]);

/**
 * A model's rates at a moment, memoized per (provider, model, price period, long-context tier).
 *
 * @param name The model name.
 * @param provider LangChain's provider name (`openai`, `google_genai`, ...), if known.
 * @param at When the call started: date-dependent prices resolve as of then.
 * @param promptTokens The call's prompt size (selects a long-context tier, where there is one).
 * @returns The rates, or null when neither the corrections nor the catalog know the model.
 *
 * @example Usage
 * ```ts
 * import { ratesAt } from "./rates.ts";
 * import assert from "node:assert/strict";
 *
 * // gpt-4.1-mini: $0.40 per million input tokens, $1.60 per million output tokens.
 * const rates = ratesAt("gpt-4.1-mini", "openai", new Date("2026-01-01T00:00:00Z"), 1000)!;
 * assert.ok(Math.abs(rates.inputUsd * 1e6 - 0.4) < 1e-9);
 * assert.ok(Math.abs(rates.outputUsd * 1e6 - 1.6) < 1e-9);
 * ```
 */
export function ratesAt(
  name: string,
  provider: string | undefined,
  at: Date | number,
  promptTokens: number,
): Rates | null {
  const atMs = pricingMoment(name, typeof at === "number" ? at : at.getTime());
  const day = Math.floor(atMs / DAY_MS);
  let byName = memo.get(provider ?? "");
  if (!byName) memo.set(provider ?? "", byName = new Map());
  let byDay = byName.get(name);
  if (!byDay) byName.set(name, byDay = new Map());
  let dayEntry = byDay.get(day);
  if (!dayEntry) {
    if (++memoSize > MAX_CACHED_RATES) {
      memo.clear();
      memoSize = 0;
      return ratesAt(name, provider, atMs, promptTokens);
    }
    const model = findModel(name, provider, new Date(atMs));
    byDay.set(day, dayEntry = { model, periods: new Map() });
  }
  const model = dayEntry.model;
  if (model === null) return null;
  // Peak hours that hold on working days only: a weekend's call is priced as of its noon.
  const moment = peakHoursMoment(model.model.id, atMs);
  const period = periodOf(model.model, moment.atMs);
  let periodEntry = dayEntry.periods.get(period);
  if (!periodEntry) {
    const resolved = calcPrice({}, name, {
      provider: model.card,
      timestamp: new Date(moment.atMs),
    })?.model_price;
    const starts = new Set(resolved && isTiered(resolved) ? tierStarts(resolved) : []);
    const unpublished = model.correction?.unpublishedAbove;
    if (unpublished) starts.add(unpublished.promptTokens);
    dayEntry.periods.set(
      period,
      periodEntry = {
        starts: starts.size === 0 ? null : [...starts].sort((a, b) => a - b),
        byTier: [],
        flags: moment.missing === undefined ? NO_FLAGS : Object.freeze([moment.missing]),
      },
    );
  }
  let tier = 0;
  if (periodEntry.starts !== null) {
    for (const start of periodEntry.starts) if (promptTokens > start) tier++;
  }
  let rates = periodEntry.byTier[tier];
  if (rates === undefined) {
    const probe = periodEntry.starts === null ? PROBE_TOKENS : Math.max(1, promptTokens);
    rates = periodEntry.byTier[tier] = deriveRates(
      model,
      name,
      new Date(moment.atMs),
      probe,
      periodEntry.flags,
    );
  }
  return rates;
}
