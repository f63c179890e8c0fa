/**
 * Catalog entries proven wrong, corrected in one small cited layer. Each entry names the
 * provider's page it comes from and the day it was read; `tests/pricing_corrections_test.ts`
 * fails as soon as the upstream catalog changes a corrected entry, so the correction can be
 * retired instead of shadowing a fixed catalog.
 *
 * Entries use the catalog's own model shape (`ModelInfo` of `@pydantic/genai-prices`), so the
 * catalog's arithmetic (cache rates, date constraints) prices them.
 *
 * @module
 */
import type { ModelInfo } from "@pydantic/genai-prices";

/** One corrected model: the catalog provider it belongs to and the corrected entry. */
export interface PriceCorrection {
  /** The catalog's provider id (`mistral`, `deepseek`, `openai`, `google`). */
  readonly providerId: string;
  /** Other provider names under which calls of this model arrive (e.g. ChatDeepSeek: `openai`). */
  readonly alsoUnder?: readonly string[];
  /** The corrected entry, in the catalog's shape. */
  readonly model: ModelInfo;
  /** The provider's page the rates come from. */
  readonly sourceUrl: string;
  /** The day the page was read (YYYY-MM-DD). */
  readonly checkedOn: string;
  /** Model names whose catalog price this entry corrects (checked by the retirement test). */
  readonly corrects: readonly string[];
  /**
   * Instants (ISO 8601, UTC) at which a `start_date` constraint of the entry really takes effect
   * when that is not midnight UTC: the catalog's dates are days, so a call earlier that day is
   * priced as the day before at the same time of day.
   */
  readonly takesEffectAt?: readonly string[];
  /**
   * An alias: priced as this catalog model. Also used where the entry's resolved prices are
   * empty (`{}`), which means "the catalog's own price applies at that time".
   */
  readonly catalogModel?: string;
}

/** OpenAI's inference rates of fine-tuned models ($ per million tokens). */
function fineTune(base: string, input: number, cached: number, output: number): PriceCorrection {
  const escaped = base.replaceAll(".", "\\.");
  return {
    providerId: "openai",
    model: {
      id: `ft:${base}`,
      // `ft:<base>[-<snapshot>]:<org>:<suffix>:<id>`
      match: { regex: `^ft:${escaped}(-\\d{4}-\\d{2}-\\d{2})?:` },
      prices: { input_mtok: input, cache_read_mtok: cached, output_mtok: output },
    },
    // OpenAI pricing page, "Fine-tuning" table (inference of fine-tuned models), read 2026-11-27.
    sourceUrl: "https://platform.openai.com/docs/pricing#fine-tuning",
    checkedOn: "2026-11-27",
    corrects: [`ft:${base}:org::id`],
  };
}

/** The corrections, applied before the catalog. */
export const PRICE_CORRECTIONS: readonly PriceCorrection[] = [
  {
    providerId: "mistral",
    // Mistral Large 3 (`mistral-large-2512`, alias `mistral-large-latest`): $0.5 in, $1.5 out;
    // the catalog still prices the alias and 2411 at Large 2's $2/$6.
    // https://mistral.ai/pricing#api-pricing and https://docs.mistral.ai/getting-started/models
    // (read 2026-11-27; Large 3 released 2025-12-02).
    model: {
      id: "mistral-large-3",
      match: { or: [{ equals: "mistral-large-latest" }, { equals: "mistral-large-2411" }] },
      prices: { input_mtok: 0.5, cache_read_mtok: 0.05, output_mtok: 1.5 },
    },
    sourceUrl: "https://mistral.ai/pricing#api-pricing",
    checkedOn: "2026-11-27",
    corrects: ["mistral-large-latest", "mistral-large-2411"],
  },
  {
    providerId: "mistral",
    // Mistral Small 4 (`mistral-small-2603`, alias `mistral-small-latest`): $0.15 in, $0.6 out.
    // https://mistral.ai/pricing#api-pricing (read 2026-11-27).
    model: {
      id: "mistral-small-4",
      match: { equals: "mistral-small-latest" },
      prices: { input_mtok: 0.15, cache_read_mtok: 0.015, output_mtok: 0.6 },
    },
    sourceUrl: "https://mistral.ai/pricing#api-pricing",
    checkedOn: "2026-11-27",
    corrects: ["mistral-small-latest"],
  },
  ...(["deepseek-chat", "deepseek-reasoner"] as const).map((name): PriceCorrection => ({
    providerId: "deepseek",
    // ChatDeepSeek extends ChatOpenAI and reports ls_provider "openai".
    alsoUnder: ["openai"],
    // The catalog keeps only the V3/R1 time-of-day prices. DeepSeek's pricing page: from
    // 2025-09-05 16:00 UTC the night discount ended ($0.07 hit, $0.56 miss, $1.68 out for both
    // models); from 2025-09-29 (V3.2-Exp, news250929) $0.028 hit, $0.28 miss, $0.42 out.
    // The catalog's date constraints are days: `takesEffectAt` moves the 2025-09-05 change to
    // 16:00 UTC. Before it the catalog's own entry is kept.
    // https://api-docs.deepseek.com/quick_start/pricing,
    // https://api-docs.deepseek.com/news/news250929 (read 2026-11-27).
    model: {
      id: name,
      match: { equals: name },
      prices: [
        { prices: {} },
        {
          constraint: { type: "start_date", start_date: "2025-09-05" },
          prices: { input_mtok: 0.56, cache_read_mtok: 0.07, output_mtok: 1.68 },
        },
        {
          constraint: { type: "start_date", start_date: "2025-09-29" },
          prices: { input_mtok: 0.28, cache_read_mtok: 0.028, output_mtok: 0.42 },
        },
        {
          // V4 preview (2026-04-24): both aliases route to deepseek-v4-flash ($0.14 miss,
          // $0.0028 hit, $0.28 out) until they are retired on 2026-07-24 15:59 UTC.
          // https://api-docs.deepseek.com/news/news260424 (read 2026-11-27).
          constraint: { type: "start_date", start_date: "2026-04-24" },
          prices: { input_mtok: 0.14, cache_read_mtok: 0.0028, output_mtok: 0.28 },
        },
      ],
    },
    takesEffectAt: ["2025-09-05T16:00:00Z"],
    sourceUrl: "https://api-docs.deepseek.com/quick_start/pricing",
    checkedOn: "2026-11-27",
    corrects: [name],
  })),
  fineTune("gpt-4.1", 3, 0.75, 12),
  fineTune("gpt-4.1-mini", 0.8, 0.2, 3.2),
  fineTune("gpt-4.1-nano", 0.2, 0.05, 0.8),
  fineTune("o4-mini", 4, 1, 16),
  {
    providerId: "google",
    // Google's model versions page: `gemini-2.5-flash` is the stable model whose snapshot is
    // `-001`-style; `gemini-flash-latest` is the moving alias that pointed at Gemini 2.5 Flash
    // when it was introduced (2025-09-25). Both priced as gemini-2.5-flash; the alias moves
    // (a known gap when Google repoints it).
    // https://ai.google.dev/gemini-api/docs/models#model-versions (read 2026-11-27).
    model: {
      id: "gemini-2.5-flash-aliases",
      match: { or: [{ equals: "gemini-2.5-flash-001" }, { equals: "gemini-flash-latest" }] },
      prices: {},
    },
    sourceUrl: "https://ai.google.dev/gemini-api/docs/models#model-versions",
    checkedOn: "2026-11-27",
    corrects: ["gemini-2.5-flash-001", "gemini-flash-latest"],
    catalogModel: "gemini-2.5-flash",
  },
];
