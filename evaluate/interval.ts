/**
 * 95% confidence intervals of one benchmark's scores (pure): Student's t interval of a mean, and
 * Wilson's score interval of a pass rate (which stays inside [0, 1] and is sound at 0 or n
 * passes, where the normal interval collapses). Comparing two benchmarks is compare's paired
 * bootstrap; these describe one.
 *
 * @module
 */

/** A statistic with its 95% confidence interval. */
export interface Interval {
  /** The estimate (the mean, or the pass rate). */
  readonly value: number;
  /** The interval's lower bound. */
  readonly low: number;
  /** The interval's upper bound. */
  readonly high: number;
}

/** Student's t 0.975 quantile for 1 to 30 degrees of freedom (scipy.stats.t.ppf). */
const T_975 = [
  12.7062,
  4.3027,
  3.1824,
  2.7764,
  2.5706,
  2.4469,
  2.3646,
  2.306,
  2.2622,
  2.2281,
  2.201,
  2.1788,
  2.1604,
  2.1448,
  2.1314,
  2.1199,
  2.1098,
  2.1009,
  2.093,
  2.086,
  2.0796,
  2.0739,
  2.0687,
  2.0639,
  2.0595,
  2.0555,
  2.0518,
  2.0484,
  2.0452,
  2.0423,
];

/** The normal 0.975 quantile. */
const Z_975 = 1.959963984540054;

/**
 * Student's t 0.975 quantile: a table to 30 degrees of freedom, then the Cornish–Fisher
 * expansion (off by under 1e-4 from there).
 *
 * @param degrees Degrees of freedom, at least 1.
 * @returns The quantile.
 *
 * @example Usage
 * ```ts
 * import { tQuantile975 } from "./interval.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(tQuantile975(4), 2.7764);
 * assert.ok(Math.abs(tQuantile975(100) - 1.98397) < 1e-4);
 * ```
 */
export function tQuantile975(degrees: number): number {
  if (degrees <= T_975.length) return T_975[Math.max(1, Math.floor(degrees)) - 1];
  const z = Z_975;
  const n = degrees;
  return z + (z ** 3 + z) / (4 * n) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * n ** 2) +
    (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * n ** 3);
}

/**
 * The mean of some values with its 95% t interval (the interval is the mean itself for a single
 * value: nothing to say how far it could be).
 *
 * @param values The values (at least one).
 * @returns The mean and its interval.
 *
 * @example Usage
 * ```ts
 * import { meanInterval } from "./interval.ts";
 * import assert from "node:assert/strict";
 *
 * const { value, low, high } = meanInterval([0.5, 0.7, 0.9]);
 * assert.ok(Math.abs(value - 0.7) < 1e-12);
 * // sd 0.2, standard error 0.2/√3, t(2) = 4.3027
 * assert.ok(Math.abs(high - (0.7 + 4.3027 * 0.2 / Math.sqrt(3))) < 1e-12);
 * assert.ok(Math.abs(low - (0.7 - 4.3027 * 0.2 / Math.sqrt(3))) < 1e-12);
 * ```
 */
export function meanInterval(values: readonly number[]): Interval {
  const n = values.length;
  if (n === 0) throw new RangeError("the mean of no values");
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  if (n === 1) return { value: mean, low: mean, high: mean };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  const half = tQuantile975(n - 1) * Math.sqrt(variance / n);
  return { value: mean, low: mean - half, high: mean + half };
}

/**
 * A pass rate with its 95% Wilson score interval.
 *
 * @param passes How many passed.
 * @param total How many were judged (at least one).
 * @returns The rate and its interval.
 *
 * @example Usage
 * ```ts
 * import { passRateInterval } from "./interval.ts";
 * import assert from "node:assert/strict";
 *
 * const all = passRateInterval(10, 10);
 * assert.equal(all.value, 1);
 * assert.equal(all.high, 1);
 * assert.ok(Math.abs(all.low - 0.7225) < 1e-4); // 10 of 10 still leaves room below
 * ```
 */
export function passRateInterval(passes: number, total: number): Interval {
  if (total <= 0) throw new RangeError("a pass rate of no runs");
  const p = passes / total;
  const z2 = Z_975 ** 2;
  const centre = (p + z2 / (2 * total)) / (1 + z2 / total);
  const half = (Z_975 / (1 + z2 / total)) *
    Math.sqrt((p * (1 - p)) / total + z2 / (4 * total ** 2));
  // At 0 or n passes one bound is exactly 0 or 1 (the arithmetic may miss it by an ulp).
  return {
    value: p,
    low: passes === 0 ? 0 : Math.max(0, centre - half),
    high: passes === total ? 1 : Math.min(1, centre + half),
  };
}
