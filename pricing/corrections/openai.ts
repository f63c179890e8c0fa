/**
 * OpenAI: fine-tuned models' inference rates, the audio rates of `gpt-4o-mini-audio-preview`,
 * and GPT-6.1 Sol and GPT-6.2 Sol, which the catalog lacks.
 *
 * @module
 */
import type { PriceCorrection } from "../corrections.ts";

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

/**
 * A GPT-6.x Sol entry: $2 input, $2.50 cache writes (30-minute retention), $10 output; for
 * prompts above 272K tokens input and cache rates double and output costs 1.5x, for the whole
 * request (as the catalog's own gpt-6-sol entry encodes it).
 */
function gpt6Sol(version: string, cachedInput: number): PriceCorrection {
  const escaped = version.replaceAll(".", "\\.");
  return {
    providerId: "openai",
    model: {
      id: `gpt-${version}-sol`,
      match: {
        or: [
          { equals: `gpt-${version}-sol` },
          { regex: `^gpt-${escaped}-sol-\\d{4}-\\d{2}-\\d{2}$` },
        ],
      },
      prices: {
        input_mtok: { base: 2, tiers: [{ start: 272_000, price: 4 }] },
        cache_write_mtok: { base: 2.5, tiers: [{ start: 272_000, price: 5 }] },
        cache_read_mtok: { base: cachedInput, tiers: [{ start: 272_000, price: cachedInput * 2 }] },
        output_mtok: { base: 10, tiers: [{ start: 272_000, price: 15 }] },
        web_searches_kcount: 10,
        storage_searches_kcount: 2.5,
      },
    },
    sourceUrl: `https://developers.openai.com/api/docs/models/gpt-${version}-sol`,
    checkedOn: "2026-12-06",
    corrects: [`gpt-${version}-sol`],
  };
}

/**
 * OpenAI's corrections, each citing its page and the day it was read.
 *
 * @example Usage
 * ```ts
 * import { OPENAI_CORRECTIONS } from "./openai.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(OPENAI_CORRECTIONS.every((correction) => /^\d{4}-\d{2}-\d{2}$/.test(correction.checkedOn)));
 * ```
 */
export const OPENAI_CORRECTIONS: readonly PriceCorrection[] = [
  fineTune("gpt-4.1", 3, 0.75, 12),
  fineTune("gpt-4.1-mini", 0.8, 0.2, 3.2),
  fineTune("gpt-4.1-nano", 0.2, 0.05, 0.8),
  fineTune("o4-mini", 4, 1, 16),
  {
    providerId: "openai",
    // gpt-4o-mini-audio-preview: text $0.15 in, $0.60 out; audio $10 in, $20 out. The catalog
    // has the text rates only, so the audio part of a call was left out (partial, -96%).
    // https://developers.openai.com/api/docs/models/gpt-4o-mini-audio-preview (read 2026-12-06;
    // the model is shut down now, its calls stay priceable).
    model: {
      id: "gpt-4o-mini-audio-preview",
      match: { starts_with: "gpt-4o-mini-audio" },
      prices: { input_mtok: 0.15, output_mtok: 0.6, input_audio_mtok: 10, output_audio_mtok: 20 },
    },
    sourceUrl: "https://developers.openai.com/api/docs/models/gpt-4o-mini-audio-preview",
    checkedOn: "2026-12-06",
    corrects: ["gpt-4o-mini-audio-preview"],
    probeWith: "audio",
  },
  // GPT-6.1 Sol (2026-09-29) and GPT-6.2 Sol: as GPT-6 Sol, with cached input at $0.10 (not
  // $0.20). https://developers.openai.com/api/docs/models/gpt-6.1-sol and
  // https://developers.openai.com/api/docs/models/gpt-6.2-sol (read 2026-12-06).
  gpt6Sol("6.1", 0.1),
  gpt6Sol("6.2", 0.1),
];
