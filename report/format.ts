/**
 * Number formatting for benchmark reports, in one place so every table agrees (and tests can
 * format a recomputed number the same way to compare it with a table cell).
 *
 * @module
 */

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/**
 * Formats a cost in US dollars: 3 significant digits below $1 (so $0.000012 and $0.000019 stay
 * apart), cents from $1 up; null (could not be priced) is `unpriced`, never `$0`.
 *
 * @param usd The cost, or null when unpriced.
 * @returns The text, e.g. `$0.0000123`, `$12.35`, `unpriced`.
 *
 * @example Usage
 * ```ts
 * import { formatUsd } from "./format.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatUsd(0.000012), "$0.000012");
 * assert.equal(formatUsd(0.00001949), "$0.0000195");
 * assert.equal(formatUsd(0.5), "$0.50");
 * assert.equal(formatUsd(1234.5), "$1,234.50");
 * assert.equal(formatUsd(null), "unpriced");
 * ```
 */
export function formatUsd(usd: number | null): string {
  if (usd === null) return "unpriced";
  if (usd === 0) return "$0";
  if (Math.abs(usd) >= 1) {
    return "$" + usd.toLocaleString("en-US", {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
  }
  const decimals = Math.min(20, Math.max(2, 2 - Math.floor(Math.log10(Math.abs(usd)))));
  const text = usd.toFixed(decimals).replace(/(\.\d{2}\d*?)0+$/, "$1");
  return "$" + text;
}

/**
 * Formats a duration in milliseconds: whole milliseconds from 10 ms up, one decimal below.
 *
 * @param ms The duration.
 * @returns The text, e.g. `1,234 ms` or `2.5 ms`.
 *
 * @example Usage
 * ```ts
 * import { formatMs } from "./format.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatMs(1234.4), "1,234 ms");
 * assert.equal(formatMs(2.46), "2.5 ms");
 * ```
 */
export function formatMs(ms: number): string {
  return (ms >= 10 ? grouped.format(ms) : ms.toFixed(1)) + " ms";
}

/**
 * Formats a duration in seconds with one decimal (thousands grouped): for waits summed over a
 * benchmark.
 *
 * @param ms The duration, milliseconds.
 * @returns The text, e.g. `59.9 s`.
 *
 * @example Usage
 * ```ts
 * import { formatSeconds } from "./format.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatSeconds(59_902), "59.9 s");
 * assert.equal(formatSeconds(1_234_567), "1,234.6 s");
 * ```
 */
export function formatSeconds(ms: number): string {
  return `${oneDecimal.format(ms / 1000)} s`;
}

/**
 * Formats a count (tokens, calls, words) as a whole number with thousands separators.
 *
 * @param count The count.
 * @returns The text, e.g. `12,345`.
 *
 * @example Usage
 * ```ts
 * import { formatCount } from "./format.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatCount(12345), "12,345");
 * ```
 */
export function formatCount(count: number): string {
  return grouped.format(count);
}

/**
 * Formats a mean (of calls or tokens per run) with one decimal.
 *
 * @param mean The mean.
 * @returns The text, e.g. `1,234.5`.
 *
 * @example Usage
 * ```ts
 * import { formatMean } from "./format.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatMean(2 / 3), "0.7");
 * ```
 */
export function formatMean(mean: number): string {
  return oneDecimal.format(mean);
}

/**
 * Formats a share (0..1) as a percentage with one decimal; null (no cost to share) is `–`.
 *
 * @param share The share, or null.
 * @returns The text, e.g. `42.1%`.
 *
 * @example Usage
 * ```ts
 * import { formatShare } from "./format.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatShare(0.4213), "42.1%");
 * assert.equal(formatShare(null), "–");
 * ```
 */
export function formatShare(share: number | null): string {
  return share === null ? "–" : `${(share * 100).toFixed(1)}%`;
}

/**
 * Formats any other number (e.g. a quality measure): whole numbers grouped, others with up to
 * 3 decimals.
 *
 * @param value The number.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import { formatNumber } from "./format.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatNumber(1500), "1,500");
 * assert.equal(formatNumber(0.12345), "0.123");
 * ```
 */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return grouped.format(value);
  return value.toLocaleString("en-US", { maximumFractionDigits: 3 });
}

/**
 * Formats a cost that may leave calls out for lack of a price: the priced sum, followed by how
 * many calls are not in it; `unpriced` when no call was priced. Every table words it this way.
 *
 * @param usd The priced sum, or null when no call was priced.
 * @param unpricedCalls Calls without a price, not in the sum.
 * @returns The text, e.g. `$0.50`, `$0.50 (+2 unpriced)` or `unpriced`.
 *
 * @example Usage
 * ```ts
 * import { formatPartialCost } from "./format.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatPartialCost(0.5, 0), "$0.50");
 * assert.equal(formatPartialCost(0.5, 2), "$0.50 (+2 unpriced)");
 * assert.equal(formatPartialCost(null, 3), "unpriced");
 * ```
 */
export function formatPartialCost(usd: number | null, unpricedCalls: number): string {
  if (usd === null || unpricedCalls === 0) return formatUsd(usd);
  return `${formatUsd(usd)} (+${unpricedCalls} unpriced)`;
}
