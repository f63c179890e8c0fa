/**
 * Peak hours that apply on working days only. The catalog's time-of-day constraints hold every
 * day; DeepSeek's peak windows (01:00-04:00 and 06:00-10:00 UTC, 09:00-12:00 and 14:00-18:00 in
 * Beijing) apply Monday to Friday, Chinese public holidays excepted, and only since peak billing
 * began (2026-08-16 16:00 UTC). A call outside a working day is priced as of noon UTC that day,
 * when no window is open.
 *
 * @module
 */

/** A weekday-only peak-hours rule. */
interface WorkingDayPeaks {
  /** The catalog (or correction) model ids it applies to. */
  readonly modelIds: ReadonlySet<string>;
  /** When peak billing began (epoch ms): every day before is off-peak. */
  readonly sinceMs: number;
  /** Public holidays (UTC dates, YYYY-MM-DD) by year: off-peak all day. */
  readonly holidays: ReadonlyMap<number, ReadonlySet<string>>;
}

/** Every date from `first` to `last` (YYYY-MM-DD, inclusive). */
function days(first: string, last: string): string[] {
  const out: string[] = [];
  for (let ms = Date.parse(first); ms <= Date.parse(last); ms += DAY_MS) {
    out.push(new Date(ms).toISOString().slice(0, 10));
  }
  return out;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * DeepSeek: "Off-peak rates are half of the peak rates. Peak hours are Monday to Friday (Chinese
 * public holidays excluded) 9:00-12:00 and 14:00-18:00 Beijing time; all other hours, weekends
 * and Chinese public holidays included, are off-peak"
 * (https://api-docs.deepseek.com/zh-cn/quick_start/pricing, read 2026-12-06); in force from
 * 2026-08-16 16:00 UTC (https://api-docs.deepseek.com/quick_start/pricing). Beijing's peak
 * windows fall within one UTC day, so a Beijing date is the UTC date of every peak-window call.
 * The 2026 holidays: the State Council's notice of 2025-11-04 (国办发明电〔2025〕7号,
 * https://politics.gmw.cn/2025-11/04/content_38391083.htm, read 2026-12-06). A later year's
 * notice is not listed yet: its peak-window calls are named partial (`peak_hours:holidays`).
 */
const DEEPSEEK: WorkingDayPeaks = {
  modelIds: new Set(["deepseek-v4-pro", "deepseek-v4-flash", "deepseek-flash"]),
  sinceMs: Date.parse("2026-08-16T16:00:00Z"),
  holidays: new Map([[
    2026,
    new Set([
      ...days("2026-01-01", "2026-01-03"),
      ...days("2026-02-15", "2026-02-23"),
      ...days("2026-04-04", "2026-04-06"),
      ...days("2026-05-01", "2026-05-05"),
      ...days("2026-06-19", "2026-06-21"),
      ...days("2026-09-25", "2026-09-27"),
      ...days("2026-10-01", "2026-10-07"),
    ]),
  ]]),
};

/** The windows DeepSeek bills at peak rates (UTC hours, [start, end)). */
const PEAK_WINDOWS: readonly (readonly [number, number])[] = [[1, 4], [6, 10]];

/** Where a call is priced for weekday-only peak hours, and what is unknown about it. */
export interface PeakHoursMoment {
  /** The moment to price the call at (noon UTC of its day when the day has no peak hours). */
  readonly atMs: number;
  /** A part named partial: `peak_hours:holidays` when the year's holidays are not listed. */
  readonly missing?: string;
}

/**
 * The moment to price a call of a model with weekday-only peak hours at.
 *
 * @param modelId The catalog (or correction) model id the call resolved to.
 * @param atMs When the call started (epoch ms).
 * @returns The moment, and a missing part when the day's status is unknown.
 *
 * @example Usage
 * ```ts
 * import { peakHoursMoment } from "./peak_hours.ts";
 * import assert from "node:assert/strict";
 *
 * // A Saturday at 02:00 UTC is off-peak: priced as of noon that day.
 * const saturday = Date.parse("2026-12-05T02:00:00Z");
 * assert.equal(peakHoursMoment("deepseek-v4-pro", saturday).atMs, Date.parse("2026-12-05T12:00:00Z"));
 * // A Tuesday at 02:00 UTC is peak: priced as it is.
 * const tuesday = Date.parse("2026-12-01T02:00:00Z");
 * assert.equal(peakHoursMoment("deepseek-v4-pro", tuesday).atMs, tuesday);
 * ```
 */
export function peakHoursMoment(modelId: string, atMs: number): PeakHoursMoment {
  const rule = DEEPSEEK;
  if (!rule.modelIds.has(modelId)) return { atMs };
  const dayStart = Math.floor(atMs / DAY_MS) * DAY_MS;
  const offPeak = { atMs: dayStart + 12 * HOUR_MS };
  if (atMs < rule.sinceMs) return offPeak;
  const date = new Date(atMs);
  const weekday = date.getUTCDay();
  if (weekday === 0 || weekday === 6) return offPeak;
  const holidays = rule.holidays.get(date.getUTCFullYear());
  if (holidays?.has(date.toISOString().slice(0, 10))) return offPeak;
  if (holidays === undefined) {
    const hour = date.getUTCHours();
    if (PEAK_WINDOWS.some(([start, end]) => hour >= start && hour < end)) {
      return { atMs, missing: "peak_hours:holidays" };
    }
  }
  return { atMs };
}
