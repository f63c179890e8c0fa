/**
 * xAI: the long-context rates of Grok 4 and Grok 4 Fast before their retirement (after it, their
 * ids are served and billed as grok-4.3: `../model_ids.ts`), and Grok 4.7, which the catalog
 * lacks.
 *
 * @module
 */
import type { PriceCorrection } from "../corrections.ts";

/** Before xAI's 2026-05-15 retirement: a moment the retirement test probes the entries at. */
const BEFORE_RETIREMENT = "2026-03-03T12:00:00Z";

/**
 * xAI's corrections, each citing its page and the day it was read.
 *
 * @example Usage
 * ```ts
 * import { XAI_CORRECTIONS } from "./xai.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(XAI_CORRECTIONS.every((correction) => /^\d{4}-\d{2}-\d{2}$/.test(correction.checkedOn)));
 * ```
 */
export const XAI_CORRECTIONS: readonly PriceCorrection[] = [
  {
    providerId: "x-ai",
    // grok-4-0709 (alias grok-4, grok-4-latest): $3 input, $0.75 cached, $15 output; a request
    // above 128K tokens is billed at $6 input and $30 output. xAI's model page
    // (https://docs.x.ai/docs/models/grok-4-0709) is no longer served; the rates as it listed
    // them: https://wavespeed.ai/zh-CN/llm/x-ai/grok-4 and
    // https://agentsapis.com/grok-4-api/token-limit, with OpenRouter's note that "pricing
    // increases once the total tokens in a given request is greater than 128k"
    // (https://openrouter.ai/x-ai/grok-4/api), all read 2026-12-06. No cached rate above 128K
    // is published: such cache reads are left out and named (`cache_read:above_128k`).
    // The tier is chosen by the prompt's size (xAI counts the request's total tokens).
    model: {
      id: "grok-4-0709",
      match: { or: [{ equals: "grok-4-0709" }, { equals: "grok-4" }, { equals: "grok-4-latest" }] },
      prices: {
        input_mtok: { base: 3, tiers: [{ start: 128_000, price: 6 }] },
        cache_read_mtok: 0.75,
        output_mtok: { base: 15, tiers: [{ start: 128_000, price: 30 }] },
      },
    },
    unpublishedAbove: { promptTokens: 128_000, rate: "cache_read" },
    sourceUrl: "https://wavespeed.ai/zh-CN/llm/x-ai/grok-4",
    checkedOn: "2026-12-06",
    corrects: ["grok-4-0709"],
    probeAt: BEFORE_RETIREMENT,
  },
  {
    providerId: "x-ai",
    // grok-4-fast-reasoning / -non-reasoning: $0.20 input, $0.05 cached, $0.50 output up to
    // 128K tokens (the catalog's rates, https://docs.x.ai/developers/models); xAI bills more
    // above 128K, and no page found here (read 2026-12-06) states those rates: such calls are
    // priced at the base rates and named partial (`long_context:above_128k`), never as exact.
    model: {
      id: "grok-4-fast",
      match: {
        or: [
          { equals: "grok-4-fast" },
          { starts_with: "grok-4-fast-reasoning" },
          { starts_with: "grok-4-fast-non-reasoning" },
        ],
      },
      prices: { input_mtok: 0.2, cache_read_mtok: 0.05, output_mtok: 0.5 },
    },
    unpublishedAbove: { promptTokens: 128_000, rate: "long_context" },
    sourceUrl: "https://docs.x.ai/developers/models",
    checkedOn: "2026-12-06",
    corrects: ["grok-4-fast-reasoning", "grok-4-fast-non-reasoning"],
    probeAt: BEFORE_RETIREMENT,
  },
  {
    providerId: "x-ai",
    // Grok 4.7 (2026-09-21): $2 input, $0.50 cached, $6 output below 200K prompt tokens; from
    // 200K every rate doubles ($4 / $1 / $12) for the whole request, as for grok-4.6.
    // https://docs.x.ai/developers/models (the Grok 4.7 page), as quoted on
    // https://apidog.com/blog/how-to-use-grok-4-7-api/ and
    // https://github.com/BerriAI/litellm/discussions/42287, read 2026-12-06.
    model: {
      id: "grok-4.7",
      match: {
        or: [
          { equals: "grok-4.7" },
          { regex: "^grok-4\\.7-\\d{8}$" },
          { equals: "grok-4.7-latest" },
        ],
      },
      prices: {
        input_mtok: { base: 2, tiers: [{ start: 199_999, price: 4 }] },
        cache_read_mtok: { base: 0.5, tiers: [{ start: 199_999, price: 1 }] },
        output_mtok: { base: 6, tiers: [{ start: 199_999, price: 12 }] },
      },
    },
    sourceUrl: "https://docs.x.ai/developers/models",
    checkedOn: "2026-12-06",
    corrects: ["grok-4.7"],
  },
];
