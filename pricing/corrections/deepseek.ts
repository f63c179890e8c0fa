/**
 * DeepSeek: the `deepseek-chat` / `deepseek-reasoner` aliases by date, the V4 models with peak
 * hours that apply on weekdays only (`../peak_hours.ts`), and `deepseek-flash`, the V4.1 Flash
 * id the catalog lacks. ChatDeepSeek extends ChatOpenAI and reports ls_provider "openai": every
 * entry also applies under that name.
 *
 * @module
 */
import type { PriceCorrection } from "../corrections.ts";

const PRICING_PAGE = "https://api-docs.deepseek.com/quick_start/pricing";

/** Peak windows (UTC), as the pricing page states them: 01:00-04:00 and 06:00-10:00. */
function peakWindows(
  peak: { input_mtok: number; cache_read_mtok: number; output_mtok: number },
) {
  return [
    {
      constraint: { type: "time_of_date" as const, start_time: "01:00:00Z", end_time: "04:00:00Z" },
      prices: peak,
    },
    {
      constraint: { type: "time_of_date" as const, start_time: "06:00:00Z", end_time: "10:00:00Z" },
      prices: peak,
    },
  ];
}

/**
 * DeepSeek's corrections, each citing its page and the day it was read.
 *
 * @example Usage
 * ```ts
 * import { DEEPSEEK_CORRECTIONS } from "./deepseek.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(DEEPSEEK_CORRECTIONS.every((correction) => /^\d{4}-\d{2}-\d{2}$/.test(correction.checkedOn)));
 * ```
 */
export const DEEPSEEK_CORRECTIONS: readonly PriceCorrection[] = [
  ...(["deepseek-chat", "deepseek-reasoner"] as const).map((name): PriceCorrection => ({
    providerId: "deepseek",
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
    sourceUrl: PRICING_PAGE,
    checkedOn: "2026-11-27",
    corrects: [name],
  })),
  {
    providerId: "deepseek",
    alsoUnder: ["openai"],
    // deepseek-v4-pro: $0.435 miss, $0.003625 hit, $0.87 out from its launch (2026-04-24); from
    // 2026-08-16 16:00 UTC peak / off-peak billing: off-peak $0.66 / $0.022 / $1.98, peak
    // (01:00-04:00 and 06:00-10:00 UTC, Monday to Friday, Chinese public holidays excepted)
    // twice that. The catalog dates the change 2026-08-17 and applies its peak windows on every
    // day, weekends and the months before peak billing existed included: +100% on a Saturday
    // at 02:00 UTC. Weekdays and holidays: `../peak_hours.ts`.
    // https://api-docs.deepseek.com/quick_start/pricing (read 2026-12-06, and its 2026-08
    // announcement of the change; the page's Chinese edition states the weekday rule:
    // https://api-docs.deepseek.com/zh-cn/quick_start/pricing).
    model: {
      id: "deepseek-v4-pro",
      match: { starts_with: "deepseek-v4-pro" },
      prices: [
        { prices: { input_mtok: 0.435, cache_read_mtok: 0.003625, output_mtok: 0.87 } },
        {
          constraint: { type: "start_date", start_date: "2026-08-16" },
          prices: { input_mtok: 0.66, cache_read_mtok: 0.022, output_mtok: 1.98 },
        },
        ...peakWindows({ input_mtok: 1.32, cache_read_mtok: 0.044, output_mtok: 3.96 }),
      ],
    },
    takesEffectAt: ["2026-08-16T16:00:00Z"],
    sourceUrl: PRICING_PAGE,
    checkedOn: "2026-12-06",
    corrects: ["deepseek-v4-pro"],
    // A Saturday in a peak window: the catalog charges peak rates, DeepSeek off-peak ones.
    probeAt: "2026-12-05T02:00:00Z",
  },
  {
    providerId: "deepseek",
    alsoUnder: ["openai"],
    // deepseek-v4-flash (and deepseek-v4-flash-vision-exp): $0.14 miss, $0.0028 hit, $0.28 out
    // from its launch; from 2026-08-16 16:00 UTC off-peak $0.22 / $0.007 / $0.66 and peak twice
    // that, on weekdays. From 2026-09-10 the id is served by V4.1 Flash at deepseek-flash's
    // prices (`../model_ids.ts`). Same page and rule as deepseek-v4-pro, read 2026-12-06.
    model: {
      id: "deepseek-v4-flash",
      match: { starts_with: "deepseek-v4-flash" },
      prices: [
        { prices: { input_mtok: 0.14, cache_read_mtok: 0.0028, output_mtok: 0.28 } },
        {
          constraint: { type: "start_date", start_date: "2026-08-16" },
          prices: { input_mtok: 0.22, cache_read_mtok: 0.007, output_mtok: 0.66 },
        },
        ...peakWindows({ input_mtok: 0.44, cache_read_mtok: 0.014, output_mtok: 1.32 }),
      ],
    },
    takesEffectAt: ["2026-08-16T16:00:00Z"],
    sourceUrl: PRICING_PAGE,
    checkedOn: "2026-12-06",
    corrects: ["deepseek-v4-flash"],
    probeAt: "2026-08-22T02:00:00Z",
  },
  {
    providerId: "deepseek",
    alsoUnder: ["openai"],
    // deepseek-flash (DeepSeek-V4.1-Flash, generally available 2026-09-10): off-peak $0.15 miss,
    // $0.003 hit, $0.60 out; peak $0.30 / $0.006 / $1.20 (weekdays, as above).
    // https://api-docs.deepseek.com/quick_start/pricing (read 2026-12-06).
    model: {
      id: "deepseek-flash",
      match: { or: [{ equals: "deepseek-flash" }, { regex: "^deepseek-flash-\\d{4}$" }] },
      prices: [
        { prices: { input_mtok: 0.15, cache_read_mtok: 0.003, output_mtok: 0.6 } },
        ...peakWindows({ input_mtok: 0.3, cache_read_mtok: 0.006, output_mtok: 1.2 }),
      ],
    },
    sourceUrl: PRICING_PAGE,
    checkedOn: "2026-12-06",
    corrects: ["deepseek-flash"],
  },
];
