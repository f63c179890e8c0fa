/**
 * Every form a model id arrives in, resolved to the model that is billed: Vertex AI resource
 * paths (`projects/p/locations/l/publishers/google/models/gemini-2.5-flash`), the Gemini API's
 * `models/` prefix, Bedrock ARNs, `@version` suffixes (`gemini-2.5-flash@001`,
 * `claude-sonnet-4@20250514`), Google's `-NNN` stable-version suffixes, and the aliases that move
 * with time: Google's `-latest` aliases and ids a provider retired but still serves as another
 * model (xAI's 2026-05-15 retirement, DeepSeek's legacy V4 Flash id). Each dated alias cites its
 * source; where an alias's target on a date is not published, the call is left unpriced with
 * the reason, never priced as a guess.
 *
 * @module
 */

/** From an instant on, an alias served this model (null: which one is not published). */
export interface AliasPeriod {
  /** ISO 8601: a day (`2026-03-06`, midnight UTC) or an instant (`2026-05-15T19:00:00Z`). */
  readonly from: string;
  /** The model billed from then on, or null when no source says which. */
  readonly model: string | null;
}

/** Ids whose billed model changes with time, with the source of each change. */
export interface DatedAlias {
  /** The ids (after the id forms are stripped). */
  readonly names: readonly string[];
  /** The catalog providers (`google`, `x-ai`, `deepseek`) whose calls it applies to. */
  readonly providerIds: readonly string[];
  /** LangChain provider names it also applies under (ChatOpenAI pointed at DeepSeek: `openai`). */
  readonly alsoUnder?: readonly string[];
  /** When each target took effect, in order. Before the first, the id is priced as itself. */
  readonly periods: readonly AliasPeriod[];
  /** Where the periods come from. */
  readonly sourceUrl: string;
  /** The day it was read (YYYY-MM-DD). */
  readonly checkedOn: string;
}

/**
 * The dated aliases, each with its source.
 *
 * @example Usage
 * ```ts
 * import { DATED_ALIASES } from "./model_ids.ts";
 * import assert from "node:assert/strict";
 *
 * const xai = DATED_ALIASES.find((alias) => alias.names.includes("grok-4-0709"))!;
 * assert.deepEqual(xai.periods, [{ from: "2026-05-15T19:00:00Z", model: "grok-4.3" }]);
 * ```
 */
export const DATED_ALIASES: readonly DatedAlias[] = [
  {
    // "gemini-flash-latest" pointed at Gemini 2.5 Flash from its introduction (2025-09-25,
    // https://ai.google.dev/gemini-api/docs/models#model-versions, read 2026-11-27); it still did
    // a day after Gemini 3 Flash launched (CherryHQ/cherry-studio#11984, 2025-12-18). When Google
    // repointed it since is not published: later calls are unpriced with that reason.
    names: ["gemini-flash-latest"],
    providerIds: ["google"],
    periods: [
      { from: "2025-09-25", model: "gemini-2.5-flash" },
      { from: "2025-12-19", model: null },
    ],
    sourceUrl: "https://ai.google.dev/gemini-api/docs/models#model-versions",
    checkedOn: "2026-12-06",
  },
  {
    // "gemini-pro-latest": Google's notice of 2026-02-27 ("on March 6, 2026, we will switch the
    // gemini-pro-latest alias to point to the new 3.1 Pro model"), quoted in
    // https://github.com/google-gemini/gemini-cli/issues/20588 (read 2026-12-06); no later
    // Pro model is published (the models page lists Gemini 3.1 Pro Preview as the current Pro).
    // Before the switch the alias served Gemini 2.5 Pro and then Gemini 3 Pro, on dates not
    // published: unpriced with that reason.
    names: ["gemini-pro-latest"],
    providerIds: ["google"],
    periods: [
      { from: "2025-09-25", model: null },
      { from: "2026-03-06", model: "gemini-3.1-pro-preview" },
    ],
    sourceUrl: "https://github.com/google-gemini/gemini-cli/issues/20588",
    checkedOn: "2026-12-06",
  },
  {
    // xAI retired these ids on 2026-05-15 at 12:00 PT (19:00 UTC); they still resolve, served
    // by grok-4.3 and "billed at grok-4.3 pricing ... rather than the rates of the original
    // model". https://docs.x.ai/developers/migration/may-15-retirement (read 2026-12-06).
    names: [
      "grok-4-1-fast-reasoning",
      "grok-4-1-fast-non-reasoning",
      "grok-4-fast-reasoning",
      "grok-4-fast-non-reasoning",
      "grok-4-0709",
      "grok-code-fast-1",
      "grok-3",
    ],
    providerIds: ["x-ai"],
    periods: [{ from: "2026-05-15T19:00:00Z", model: "grok-4.3" }],
    sourceUrl: "https://docs.x.ai/developers/migration/may-15-retirement",
    checkedOn: "2026-12-06",
  },
  {
    // "The legacy names deepseek-v4-flash and deepseek-v4-flash-vision-exp are still accepted,
    // but the corresponding models have been retired, their requests are served by
    // DeepSeek-V4.1-Flash ... and billed at Flash prices" (deepseek-flash), since V4.1 Flash
    // became generally available on 2026-09-10.
    // https://api-docs.deepseek.com/quick_start/pricing (read 2026-12-06) and
    // https://apidog.com/blog/how-to-use-deepseek-v4-1-flash-api/ (the date).
    names: ["deepseek-v4-flash", "deepseek-v4-flash-vision-exp"],
    providerIds: ["deepseek"],
    alsoUnder: ["openai"],
    periods: [{ from: "2026-09-10", model: "deepseek-flash" }],
    sourceUrl: "https://api-docs.deepseek.com/quick_start/pricing",
    checkedOn: "2026-12-06",
  },
];

/**
 * Catalogs a host's calls are priced from, in order. Azure OpenAI prices its Global Standard
 * deployments at OpenAI's list rates (GPT-4o $2.50 / $10, GPT-4o mini $0.15 / $0.60, ...:
 * https://redresscompliance.com/azure-openai-enterprise-pricing-guide, read 2026-12-06), and
 * the catalog's `azure` provider lists a few models only: an Azure answer is priced from the
 * model it names, in the Azure catalog first, then in OpenAI's. Data Zone and Regional
 * deployments cost more, which the answer does not say.
 */
const HOST_CATALOGS: Readonly<Record<string, readonly string[]>> = {
  azure: ["azure", "openai"],
};

/**
 * Hosts whose calls are priced from the model their answer names, never from the name the call
 * asked for: an Azure OpenAI deployment's name is the user's own (LangChain even requests its
 * default `gpt-3.5-turbo` there), so without an answered model the call is unpriced.
 *
 * @param provider LangChain's provider name.
 * @returns True for such a host (`azure`).
 *
 * @example Usage
 * ```ts
 * import { pricedFromAnswerOnly } from "./model_ids.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(pricedFromAnswerOnly("azure"), true);
 * assert.equal(pricedFromAnswerOnly("openai"), false);
 * ```
 */
export function pricedFromAnswerOnly(provider: string | undefined): boolean {
  return provider === "azure";
}

/**
 * The catalog providers to look a host's models up in.
 *
 * @param catalogId The catalog provider the call's provider resolved to (e.g. `azure`).
 * @returns The catalogs, in order (the provider itself when it has no fallback).
 *
 * @example Usage
 * ```ts
 * import { hostCatalogs } from "./model_ids.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(hostCatalogs("azure"), ["azure", "openai"]);
 * assert.deepEqual(hostCatalogs("anthropic"), ["anthropic"]);
 * ```
 */
export function hostCatalogs(catalogId: string): readonly string[] {
  return HOST_CATALOGS[catalogId] ?? [catalogId];
}

const ID_FORMS: readonly [RegExp, string][] = [
  // Bedrock ARNs: arn:aws:bedrock:<region>:<account>:inference-profile/us.anthropic.<id>
  [/^arn:aws[\w-]*:bedrock:[^:]*:[^:]*:(?:inference-profile|foundation-model)\/(.+)$/, "$1"],
  // Vertex AI resource names: [projects/<p>/locations/<l>/]publishers/<publisher>/models/<id>
  [/^(?:projects\/[^/]+\/locations\/[^/]+\/)?publishers\/[^/]+\/models\/([^/:]+).*$/, "$1"],
  // The Gemini API's resource names (models/<id>) and Vertex's OpenAI-compatible google/<id>.
  [/^models\/(.+)$/, "$1"],
  [/^google\/(gemini-.+)$/, "$1"],
  // Vertex's @version: a dated Claude snapshot becomes Anthropic's -YYYYMMDD id; a Gemini
  // stable version (@001) or @default is the model itself.
  [/^(.+)@(\d{8})$/, "$1-$2"],
  [/^(.+)@(?:\d{3}|default)$/, "$1"],
  // Google's stable-version suffix: gemini-2.5-flash-001 is gemini-2.5-flash.
  [/^(gemini-.+?)-\d{3}$/, "$1"],
];

/**
 * A model id without its host's wrapping: resource paths, prefixes and version suffixes.
 *
 * @param name The id as an integration passed it.
 * @returns The model's own id.
 *
 * @example Usage
 * ```ts
 * import { canonicalModelId } from "./model_ids.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   canonicalModelId("projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash"),
 *   "gemini-2.5-flash",
 * );
 * assert.equal(canonicalModelId("gemini-2.5-flash@001"), "gemini-2.5-flash");
 * assert.equal(canonicalModelId("claude-sonnet-4@20250514"), "claude-sonnet-4-20250514");
 * assert.equal(canonicalModelId("gpt-4.1-mini"), "gpt-4.1-mini");
 * ```
 */
export function canonicalModelId(name: string): string {
  let id = name.trim();
  for (const [pattern, replacement] of ID_FORMS) id = id.replace(pattern, replacement);
  return id;
}

/** What an id resolves to on a date: the billed model, or why none is known. */
export interface ResolvedModel {
  /** The model to price, or null when it is not published which model served the call. */
  readonly model: string | null;
  /** Why `model` is null (one line, for the metrics' pricing notes). */
  readonly reason?: string;
  /** True when a dated alias (not just an id form) named the model. */
  readonly aliased?: boolean;
}

const aliasByName = new Map<string, { alias: DatedAlias; fromMs: number[] }>();
for (const alias of DATED_ALIASES) {
  const fromMs = alias.periods.map((period) => Date.parse(period.from));
  for (const name of alias.names) aliasByName.set(name, { alias, fromMs });
}

/**
 * The model a call of `name` was billed as at `atMs`.
 *
 * @param name The id as an integration passed it.
 * @param catalogId The catalog provider of the call's provider, if known.
 * @param provider LangChain's provider name, if known.
 * @param atMs When the call started (epoch ms).
 * @returns The billed model, or null with the reason.
 *
 * @example Usage
 * ```ts
 * import { resolveModelId } from "./model_ids.ts";
 * import assert from "node:assert/strict";
 *
 * const at = Date.parse("2026-12-01T12:00:00Z");
 * assert.equal(resolveModelId("models/gemini-pro-latest", "google", "google_genai", at).model,
 *   "gemini-3.1-pro-preview");
 * assert.equal(resolveModelId("grok-4-0709", "x-ai", "xai", at).model, "grok-4.3");
 * ```
 */
export function resolveModelId(
  name: string,
  catalogId: string | undefined,
  provider: string | undefined,
  atMs: number,
): ResolvedModel {
  const id = canonicalModelId(name);
  const entry = aliasByName.get(id);
  if (!entry) return { model: id };
  const { alias, fromMs } = entry;
  const applies = catalogId === undefined || alias.providerIds.includes(catalogId) ||
    (provider !== undefined && (alias.alsoUnder ?? []).includes(provider));
  if (!applies) return { model: id };
  let index = -1;
  for (let i = 0; i < fromMs.length; i++) if (atMs >= fromMs[i]) index = i;
  if (index < 0) return { model: id };
  const period = alias.periods[index];
  if (period.model !== null) return { model: period.model, aliased: true };
  const next = alias.periods[index + 1]?.from;
  return {
    model: null,
    reason: `which model \`${id}\` served from ${period.from.slice(0, 10)}` +
      `${next ? ` until ${next.slice(0, 10)}` : ""} is not published (${alias.sourceUrl})`,
  };
}

/**
 * Instants (epoch ms) at which an alias changes during a UTC day, and the ids it covers: the
 * rate cache is kept per day, so calls before such an instant are priced as of the day before.
 */
export const ALIAS_CHANGE_INSTANTS: readonly {
  readonly names: ReadonlySet<string>;
  readonly atMs: number;
}[] = DATED_ALIASES.flatMap((alias) =>
  alias.periods
    .filter((period) => period.from.includes("T"))
    .map((period) => ({ names: new Set(alias.names), atMs: Date.parse(period.from) }))
);
