/**
 * The paired comparisons of a search, on compare's own paired bootstrap (`compare/_bootstrap.ts`):
 * two configurations' values input by input (each input one unit, as compare pairs by input), the
 * difference of their means with its interval. Pure.
 *
 * @module
 */
import { type Cluster, mean, pairedBootstrap } from "../compare/_bootstrap.ts";

/** A paired difference (candidate minus baseline) with its interval, over `pairs` inputs. */
export interface PairedDifference {
  /** The candidate's mean minus the baseline's, over the paired inputs. */
  readonly delta: number;
  /** The interval's lower bound. */
  readonly low: number;
  /** The interval's upper bound. */
  readonly high: number;
  /** How many inputs were paired (both values known). */
  readonly pairs: number;
}

/** How a paired difference is resampled. */
export interface PairedOptions {
  /** Bootstrap resamples; default 2,000 (compare's). */
  readonly resamples?: number;
  /** The bootstrap's seed. */
  readonly seed: number;
  /** The interval's confidence level; default 0.95. */
  readonly confidence?: number;
}

/**
 * The paired bootstrap interval of `candidate − baseline` over the first `count` inputs, each
 * input one unit; an input where either value is unknown (NaN) is left out.
 *
 * @param baseline The baseline's value per input.
 * @param candidate The candidate's value per input.
 * @param count How many inputs (from the first) to pair.
 * @param options Resamples, seed and confidence.
 * @returns The difference, or null with fewer than two pairs.
 *
 * @example Usage
 * ```ts
 * import { pairedDifference } from "./paired.ts";
 * import assert from "node:assert/strict";
 *
 * const a = Float64Array.of(0.5, 0.6, 0.7, 0.8);
 * const b = Float64Array.of(0.6, 0.7, 0.8, 0.9);
 * const d = pairedDifference(a, b, 4, { seed: 1 })!;
 * assert.ok(Math.abs(d.delta - 0.1) < 1e-12);
 * assert.ok(d.low > 0.09 && d.high < 0.11); // the same +0.1 on every input
 * ```
 */
export function pairedDifference(
  baseline: ArrayLike<number>,
  candidate: ArrayLike<number>,
  count: number,
  options: PairedOptions,
): PairedDifference | null {
  const clusters: Cluster[] = [];
  for (let i = 0; i < count; i++) {
    const [b, c] = [baseline[i], candidate[i]];
    if (Number.isFinite(b) && Number.isFinite(c)) clusters.push({ baseline: [b], candidate: [c] });
  }
  if (clusters.length < 2) return null;
  const result = pairedBootstrap(
    clusters,
    mean,
    options.resamples ?? 2000,
    options.seed,
    options.confidence ?? 0.95,
  );
  return { ...result, pairs: clusters.length };
}

/**
 * The mean of the known values among the first `count`.
 *
 * @param values The values (NaN: unknown).
 * @param count How many, from the first.
 * @returns Their mean, or NaN when none is known.
 *
 * @example Usage
 * ```ts
 * import { knownMean } from "./paired.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(knownMean(Float64Array.of(1, NaN, 3, 100), 3), 2);
 * ```
 */
export function knownMean(values: ArrayLike<number>, count: number): number {
  let sum = 0;
  let known = 0;
  for (let i = 0; i < Math.min(count, values.length); i++) {
    if (Number.isFinite(values[i])) {
      sum += values[i];
      known++;
    }
  }
  return known === 0 ? NaN : sum / known;
}

/** The mean of paired differences and its standard error (a cheap normal approximation). */
export interface PairedMoments {
  /** The mean of `candidate − baseline` over the paired inputs (NaN with none). */
  readonly mean: number;
  /** Its standard error (NaN with fewer than two pairs). */
  readonly standardError: number;
  /** How many inputs were paired. */
  readonly pairs: number;
}

/**
 * The mean and standard error of the paired differences `candidate − baseline` over the first
 * `count` inputs where both are known: what a bootstrap's interval is close to, at a fraction of
 * its cost.
 *
 * @param baseline The baseline's value per input.
 * @param candidate The candidate's value per input.
 * @param count How many inputs (from the first).
 * @returns The moments.
 *
 * @example Usage
 * ```ts
 * import { pairedMoments } from "./paired.ts";
 * import assert from "node:assert/strict";
 *
 * const m = pairedMoments(Float64Array.of(1, 2, 3), Float64Array.of(2, 3, 5), 3);
 * assert.ok(Math.abs(m.mean - 4 / 3) < 1e-12);
 * assert.equal(m.pairs, 3);
 * ```
 */
export function pairedMoments(
  baseline: ArrayLike<number>,
  candidate: ArrayLike<number>,
  count: number,
): PairedMoments {
  let pairs = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < count; i++) {
    const d = candidate[i] - baseline[i];
    if (!Number.isFinite(d)) continue;
    pairs++;
    sum += d;
    sumSquares += d * d;
  }
  const mean = pairs === 0 ? NaN : sum / pairs;
  const variance = pairs < 2 ? NaN : Math.max(0, (sumSquares - pairs * mean * mean) / (pairs - 1));
  return { mean, standardError: Math.sqrt(variance / pairs), pairs };
}
