/**
 * Finds the entry that prices a model for a provider at a moment: the id resolved to the billed
 * model (`./model_ids.ts`), then the cited corrections, then the catalog, under the provider's
 * catalog (and its host fallbacks: Azure's answers in OpenAI's). The expensive part of a rate
 * lookup (9–19 µs per name match): `./rates.ts` memoizes its result.
 *
 * @module
 */
import {
  calcPrice,
  findProvider,
  type ModelInfo,
  type Provider,
  type Usage,
} from "@pydantic/genai-prices";
import { PRICE_CORRECTIONS, type PriceCorrection } from "./corrections.ts";
import { hostCatalogs, resolveModelId } from "./model_ids.ts";

/** A found model: a single-model provider card that prices `name`, and its entry. */
export interface Found {
  /** A catalog provider holding only this model, matched by the name looked up. */
  readonly card: Provider;
  /** The entry (a correction's or the catalog's). */
  readonly model: ModelInfo;
  /** Where the entry comes from. */
  readonly source: "catalog" | "correction";
  /** The correction behind the entry, if any. */
  readonly correction?: PriceCorrection;
}

/** A catalog provider holding one model: pricing against it skips name matching. */
function singleModel(provider: Provider, model: ModelInfo, name: string): Provider {
  return {
    id: provider.id,
    name: provider.name,
    api_pattern: provider.api_pattern,
    models: [{ ...model, match: { equals: name } }],
  };
}

const corrections = new Map<string, Provider>();

/** The corrections that apply to calls a LangChain provider reports, as one catalog provider. */
function correctionsFor(provider: string | undefined, catalogIds: readonly string[]): Provider {
  const key = `${provider ?? ""}\u0000${catalogIds.join(",")}`;
  let card = corrections.get(key);
  if (!card) {
    const applies = (correction: PriceCorrection): boolean =>
      provider === undefined || catalogIds.length === 0 ||
      catalogIds.includes(correction.providerId) ||
      (correction.alsoUnder ?? []).includes(provider);
    card = {
      id: "graphmeter-corrections",
      name: "graphmeter corrections",
      api_pattern: "",
      models: PRICE_CORRECTIONS.filter(applies).map((correction) => correction.model),
    };
    corrections.set(key, card);
  }
  return card;
}

/**
 * The correction whose entry has this id.
 *
 * @param id A correction's model id.
 * @returns The correction, or undefined.
 */
export function correctionById(id: string): PriceCorrection | undefined {
  return PRICE_CORRECTIONS.find((correction) => correction.model.id === id);
}

/** Finds a model in the catalog (the expensive name match), under a provider when given. */
function findInCatalog(
  lookup: string,
  providerId: string | undefined,
  at: Date,
  name: string,
): Found | null {
  const probe: Usage = { input_tokens: 1 };
  const result = providerId
    ? calcPrice(probe, lookup, { providerId, timestamp: at })
    : calcPrice(probe, lookup, { timestamp: at });
  if (!result) return null;
  return {
    card: singleModel(result.provider, result.model, name),
    model: result.model,
    source: "catalog",
  };
}

/** The catalog provider a LangChain provider name resolves to, if any. */
export function catalogIdOf(provider: string | undefined): string | undefined {
  return provider && provider !== "unknown"
    ? findProvider({ providerId: provider })?.id
    : undefined;
}

/** Finds `lookup` in the corrections, then in the catalogs, pricing it as `name`. */
function findEntry(
  lookup: string,
  name: string,
  provider: string | undefined,
  catalogIds: readonly string[],
  at: Date,
): Found | null {
  const corrected = calcPrice({ input_tokens: 1 }, lookup, {
    provider: correctionsFor(provider, catalogIds),
    timestamp: at,
  });
  const correction = corrected ? correctionById(corrected.model.id) : undefined;
  if (corrected && correction) {
    if (Object.keys(corrected.model_price).length > 0) {
      return {
        card: singleModel(corrected.provider, corrected.model, name),
        model: corrected.model,
        source: "correction",
        correction,
      };
    }
    // An alias, or a period the correction leaves to the catalog.
    const found = findInCatalog(correction.catalogModel ?? lookup, correction.providerId, at, name);
    if (found) return { ...found, source: correction.catalogModel ? "correction" : "catalog" };
  }
  // A provider the catalog knows prices its own models only (an OpenAI-compatible gateway
  // serving an unknown model stays unpriced rather than borrowing another host's price).
  if (catalogIds.length === 0) return findInCatalog(lookup, undefined, at, name);
  for (const catalogId of catalogIds) {
    const found = findInCatalog(lookup, catalogId, at, name);
    if (found) return found;
  }
  return null;
}

/**
 * Finds the entry pricing `name` for `provider` at `at`: the id resolved to the model billed on
 * that date, then a correction, or the catalog. The card prices `name` itself.
 *
 * @param name The model name (the memo's key).
 * @param provider LangChain's provider name, if known.
 * @param at When the call started.
 * @returns The entry, or null when no table knows the model (or which model served the call).
 */
export function findModel(name: string, provider: string | undefined, at: Date): Found | null {
  const catalogId = catalogIdOf(provider);
  const resolved = resolveModelId(name, catalogId, provider, at.getTime());
  if (resolved.model === null) return null;
  const catalogIds = catalogId === undefined ? [] : hostCatalogs(catalogId);
  const found = findEntry(resolved.model, name, provider, catalogIds, at);
  // A dated alias is graphmeter's cited knowledge: its price is a correction of the catalog's.
  if (found && resolved.aliased) return { ...found, source: "correction" };
  if (found || resolved.model === name) return found;
  // The raw form, for ids the catalog matches as they are (e.g. `claude-sonnet-4@20250514`).
  return findEntry(name, name, provider, catalogIds, at);
}

/**
 * Why a model is unpriced, when the reason is known (an alias whose target on that date is not
 * published); undefined for a model no table knows.
 *
 * @param name The model name.
 * @param provider LangChain's provider name, if known.
 * @param atMs When the call started (epoch ms).
 * @returns One line, or undefined.
 */
export function unpricedReason(
  name: string,
  provider: string | undefined,
  atMs: number,
): string | undefined {
  return resolveModelId(name, catalogIdOf(provider), provider, atMs).reason;
}
