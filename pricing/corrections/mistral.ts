/**
 * Mistral: the `-latest` aliases the catalog still prices at the previous generation's rates, and
 * Mistral Small 3.2 (`mistral-small-2506`), which the catalog lacks.
 *
 * @module
 */
import type { PriceCorrection } from "../corrections.ts";

/**
 * Mistral's corrections, each citing its page and the day it was read.
 *
 * @example Usage
 * ```ts
 * import { MISTRAL_CORRECTIONS } from "./mistral.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(MISTRAL_CORRECTIONS.every((correction) => /^\d{4}-\d{2}-\d{2}$/.test(correction.checkedOn)));
 * ```
 */
export const MISTRAL_CORRECTIONS: readonly PriceCorrection[] = [
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
  {
    providerId: "mistral",
    // Mistral Small 3.2 (`mistral-small-2506`, released 2025-06-20): $0.10 in, $0.30 out; no
    // cached-input rate is published for it (a cache read is then priced as input). Mistral's
    // own pricing page now lists Small 4 only; the 3.2 rates are Mistral's published API price
    // as recorded on https://anttisahla.com/ai/models/mistral-small-3-2 (verified there
    // 2026-03-01) and https://modelcompare.dev/zh-hans/models/mistral/small-2506, read
    // 2026-12-06. The catalog has only the open-weights hosts' `mistral-small-3.2-24b-instruct`.
    model: {
      id: "mistral-small-3-2",
      match: { or: [{ equals: "mistral-small-2506" }, { equals: "mistral-small-3.2" }] },
      prices: { input_mtok: 0.1, output_mtok: 0.3 },
    },
    sourceUrl: "https://anttisahla.com/ai/models/mistral-small-3-2",
    checkedOn: "2026-12-06",
    corrects: ["mistral-small-2506"],
  },
];
