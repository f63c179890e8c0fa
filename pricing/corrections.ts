/**
 * Catalog entries proven wrong or missing, corrected in one small cited layer, one file per
 * provider (`./corrections/`). Each entry names the provider's page it comes from and the day it
 * was read; `tests/pricing_corrections_test.ts` fails as soon as the upstream catalog prices a
 * corrected entry as the correction does, so the correction can be retired instead of shadowing
 * a fixed catalog.
 *
 * Entries use the catalog's own model shape (`ModelInfo` of `@pydantic/genai-prices`), so the
 * catalog's arithmetic (cache rates, long-context tiers, date and time-of-day constraints)
 * prices them.
 *
 * @module
 */
import type { ModelInfo } from "@pydantic/genai-prices";
import { ANTHROPIC_CORRECTIONS } from "./corrections/anthropic.ts";
import { DEEPSEEK_CORRECTIONS } from "./corrections/deepseek.ts";
import { MISTRAL_CORRECTIONS } from "./corrections/mistral.ts";
import { OPENAI_CORRECTIONS } from "./corrections/openai.ts";
import { XAI_CORRECTIONS } from "./corrections/xai.ts";

/**
 * A rate the provider bills but does not publish, above a prompt size: `cache_read` leaves such
 * cache reads out of the price, `long_context` prices the call at the entry's rates; either way
 * the call is named partial (`cache_read:above_128k`, `long_context:above_128k`).
 */
export interface UnpublishedRate {
  /** Prompt tokens (cache reads and writes included) above which the rate is unpublished. */
  readonly promptTokens: number;
  /** Which rate is unpublished. */
  readonly rate: "cache_read" | "long_context";
}

/** One corrected model: the catalog provider it belongs to and the corrected entry. */
export interface PriceCorrection {
  /** The catalog's provider id (`mistral`, `deepseek`, `openai`, `google`, `aws`, `x-ai`). */
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
  /** A rate the provider does not publish (the call is then named partial). */
  readonly unpublishedAbove?: UnpublishedRate;
  /**
   * When the retirement test probes the entry (ISO 8601; default 2026-11-01T12:00:00Z): a moment
   * at which the catalog's price is known to be wrong (a weekend for weekday-only peak hours).
   */
  readonly probeAt?: string;
  /** `audio`: the retirement test's probe call carries audio tokens (audio rates corrected). */
  readonly probeWith?: "audio";
}

/**
 * The corrections, applied before the catalog.
 *
 * @example Usage
 * ```ts
 * import { PRICE_CORRECTIONS } from "./corrections.ts";
 * import assert from "node:assert/strict";
 *
 * for (const correction of PRICE_CORRECTIONS) assert.match(correction.sourceUrl, /^https:\/\//);
 * ```
 */
export const PRICE_CORRECTIONS: readonly PriceCorrection[] = [
  ...MISTRAL_CORRECTIONS,
  ...DEEPSEEK_CORRECTIONS,
  ...OPENAI_CORRECTIONS,
  ...ANTHROPIC_CORRECTIONS,
  ...XAI_CORRECTIONS,
];
