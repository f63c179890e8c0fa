/**
 * When one configuration dominates another, significantly: its quality at least as high (within
 * the tie tolerance) and its cost at least as low, each established by compare's paired bootstrap
 * over the inputs both ran, and one of the two strictly. Pure.
 *
 * A paired bootstrap of differences that are all zero is an interval of width zero, whatever the
 * number of inputs: two configurations that agreed on 20 inputs may still differ on one input in
 * 30. So when the candidate dominator was never worse on any input, how much worse it could be is
 * bounded as the rule of three bounds a rate never observed: at most `−ln(1 − confidence) / n` of
 * the inputs, each by at most the range of the scores seen.
 *
 * @module
 */
import { knownMean, pairedDifference, pairedMoments } from "./paired.ts";
import type { Vectors } from "./predict.ts";

/** How a domination is judged. */
export interface DominanceRule {
  /** The confidence each interval is taken at (e.g. 0.99). */
  readonly confidence: number;
  /** Bootstrap resamples. */
  readonly resamples: number;
  /** Quality differences up to this count as ties (a score, e.g. 0.01). */
  readonly qualityTie: number;
  /** The range of the per-input quality values seen (the most one input can differ by). */
  readonly qualityRange: number;
}

/** What a domination must clear besides: the misfit of predictions (none between measurements). */
export interface Margins {
  /** Quality. */
  readonly quality: number;
  /** Cost per run, US dollars. */
  readonly costUsd: number;
}

/** No margin: between configurations that both ran. */
export const NO_MARGINS: Margins = Object.freeze({ quality: 0, costUsd: 0 });

/** How many inputs of the first `count` the candidate `y` scored below `x` on. */
function inputsWorse(x: Float64Array, y: Float64Array, count: number): number {
  let worse = 0;
  for (let i = 0; i < count; i++) if (y[i] < x[i]) worse++;
  return worse;
}

/**
 * The most `y`'s mean quality could fall short of `x`'s, by the rule of three, when `y` was never
 * worse on any of `pairs` inputs: the rate of inputs where it is worse is below
 * `−ln(1 − confidence) / pairs`, each by at most the range.
 *
 * @param pairs The inputs compared.
 * @param confidence The confidence.
 * @param range The most one input's quality can differ by.
 * @returns The bound.
 *
 * @example Usage
 * ```ts
 * import { unseenShortfall } from "./dominance.ts";
 * import assert from "node:assert/strict";
 *
 * // 0 of 100 inputs worse: at 95%, up to about 3% of inputs may be, by up to 1 each.
 * assert.ok(Math.abs(unseenShortfall(100, 0.95, 1) - 0.02996) < 1e-5);
 * ```
 */
export function unseenShortfall(pairs: number, confidence: number, range: number): number {
  return (-Math.log(1 - confidence) / pairs) * range;
}

/**
 * Whether `y` dominates `x` significantly on the first `count` inputs (see the module doc). A
 * cheap normal approximation first skips pairs the bootstrap could not find significant.
 *
 * @param y The candidate dominator's vectors.
 * @param x The other's.
 * @param count How many inputs (from the first) both hold.
 * @param margins Margins besides the rule's (predictions' misfit).
 * @param rule The confidence, resamples, tie tolerance and score range.
 * @param seed The bootstrap's seed.
 * @returns True when `y` dominates `x`.
 *
 * @example Same quality on every input, and cheaper
 * ```ts
 * import { dominates, NO_MARGINS } from "./dominance.ts";
 * import assert from "node:assert/strict";
 *
 * const n = 400;
 * const quality = Float64Array.from({ length: n }, (_, i) => (i % 4) / 4);
 * const x = { quality, keys: [quality], costUsd: new Float64Array(n).fill(0.02) };
 * const y = { quality, keys: [quality], costUsd: new Float64Array(n).fill(0.01) };
 * const rule = { confidence: 0.99, resamples: 500, qualityTie: 0.01, qualityRange: 0.75 };
 * assert.equal(dominates(y, x, n, NO_MARGINS, rule, 1), true);
 * // On 40 inputs, agreeing everywhere cannot rule out a shortfall above the tie tolerance.
 * assert.equal(dominates(y, x, 40, NO_MARGINS, rule, 1), false);
 * ```
 */
export function dominates(
  y: Vectors,
  x: Vectors,
  count: number,
  margins: Margins,
  rule: DominanceRule,
  seed: number,
): boolean {
  const qualityTolerance = 1e-9;
  const costTolerance = 1e-9 * Math.max(1e-12, Math.abs(knownMean(x.costUsd, count)));
  const q = pairedMoments(x.quality, y.quality, count);
  const c = pairedMoments(x.costUsd, y.costUsd, count);
  if (q.pairs < 2 || c.pairs < 2) return false;
  // The normal bound at 2 standard errors is looser than the bootstrap's at 99%.
  if (q.mean - 2 * q.standardError < margins.quality - rule.qualityTie - qualityTolerance) {
    return false;
  }
  if (c.mean + 2 * c.standardError > -margins.costUsd + costTolerance) return false;
  const options = { resamples: rule.resamples, confidence: rule.confidence, seed };
  const quality = pairedDifference(x.quality, y.quality, count, options)!;
  const cost = pairedDifference(x.costUsd, y.costUsd, count, { ...options, seed: seed + 1 })!;
  let shortfall = -quality.low;
  if (inputsWorse(x.quality, y.quality, count) === 0) {
    shortfall = Math.max(shortfall, unseenShortfall(q.pairs, rule.confidence, rule.qualityRange));
  }
  const notWorse = shortfall <= rule.qualityTie - margins.quality + qualityTolerance;
  const better = quality.low > margins.quality + qualityTolerance;
  const notDearer = cost.high <= -margins.costUsd + costTolerance;
  const cheaper = cost.high < -margins.costUsd - costTolerance;
  return notWorse && notDearer && (better || cheaper);
}
