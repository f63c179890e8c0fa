/**
 * The one-line pricing notes metrics and reports carry once, not per call: the catalog may be
 * stale (older than 60 days while a call's model is unknown to it, with how to update it), an
 * Azure deployment whose answer names no model, an alias whose target is not published.
 *
 * @module
 */
import { catalogAsOf, currentCatalog, isCatalogStale, STALE_CATALOG_DAYS } from "./catalog.ts";

/** Commands that fetch the current catalog data (the task in a checkout, the CLI elsewhere). */
const UPDATE_COMMANDS = "`deno task prices --update` (from the published package: " +
  "`deno run -A jsr:@graphmeter/graphmeter/cli prices --update`)";

/**
 * The stale-catalog note, when the catalog in force is older than 60 days at `atMs` and a call
 * was made with a model it does not know; null otherwise.
 *
 * @param unknownModels Models no price table knew, in the run.
 * @param atMs When the run started (epoch ms).
 * @returns The note, identical for every run on the same catalog (notes are kept once).
 *
 * @example Usage
 * ```ts
 * import { staleCatalogNote } from "./notes.ts";
 * import assert from "node:assert/strict";
 *
 * const later = Date.parse("2030-01-01T00:00:00Z");
 * assert.match(staleCatalogNote(["gpt-9"], later) ?? "", /may be stale.*prices --update/);
 * assert.equal(staleCatalogNote([], later), null);
 * ```
 */
export function staleCatalogNote(unknownModels: readonly string[], atMs: number): string | null {
  if (unknownModels.length === 0 || !isCatalogStale(atMs)) return null;
  const catalog = currentCatalog();
  const name = catalog.origin === "bundled"
    ? `the bundled @pydantic/genai-prices ${catalog.version}`
    : catalog.version;
  const asOf = catalogAsOf(atMs);
  return `The price catalog may be stale: ${name} is current to ${asOf ?? "an unknown date"}, ` +
    `more than ${STALE_CATALOG_DAYS} days before the run, and some models are unknown to it ` +
    `(the calls priced \`unpriced\`). Fetch the current catalog with ${UPDATE_COMMANDS}, or ` +
    "price those models in your price overrides.";
}

/**
 * The note for an unpriced call whose reason is known: an Azure deployment whose answer names
 * no model (priced from the model an answer names), or an alias whose target is not published.
 *
 * @param model The model name the call was priced under (the requested one without an answer).
 * @param provider LangChain's provider name.
 * @param answered Whether the provider's answer named a model.
 * @param reason Why pricing left it unpriced (`CostEstimate.unpricedReason`), if known.
 * @returns The note, or null when there is nothing to say beyond `unpriced`.
 *
 * @example Usage
 * ```ts
 * import { unpricedModelNote } from "./notes.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(
 *   unpricedModelNote("prod-gpt4o", "azure", false) ?? "",
 *   /"azure:prod-gpt4o"/,
 * );
 * assert.equal(unpricedModelNote("my-model", "openai", true), null);
 * ```
 */
export function unpricedModelNote(
  model: string,
  provider: string,
  answered: boolean,
  reason?: string,
): string | null {
  if (provider === "azure" && !answered) {
    return `Azure deployment \`${model}\` is unpriced: its answers name no model, so the ` +
      `deployment cannot be matched to a price; map it in your price overrides ` +
      `(\`"azure:${model}": {"inputPerMTok": ..., "outputPerMTok": ...}\`).`;
  }
  if (reason !== undefined) {
    return `\`${model}\` (${provider}) is unpriced: ${reason}; price it in your price overrides.`;
  }
  return null;
}
