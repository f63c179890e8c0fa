/**
 * Where a configuration stands towards the goal, from what it measured: whether it meets the
 * goal's constraints (established, or significantly not), and whether it can still be the goal's
 * answer. One that cannot — significantly outside a constraint, or significantly dearer (for the
 * cheapest) or worse (for the best quality) than one established to meet them — stops running:
 * it stays on the frontier unless dominated, with the intervals its runs so far give. Pure.
 *
 * @module
 */
import type { GoalKind } from "./goal.ts";
import { pairedDifference, pairedMoments } from "./paired.ts";
import type { Vectors } from "./predict.ts";

/** The goal, as the search applies it. */
export interface SearchGoal {
  /** `cheapest` or `quality`. */
  readonly kind: GoalKind;
  /** How far below the baseline each key may be (cheapest). */
  readonly maxDrop: number;
  /** The most a run may cost on average, US dollars, or undefined. */
  readonly maxCostPerRunUsd?: number;
}

/** A configuration as the goal sees it: its measured vectors on its first `depth` inputs. */
export interface GoalCandidate {
  /** Its number. */
  readonly index: number;
  /** Its vectors. */
  readonly vectors: Vectors;
  /** How many inputs it holds. */
  readonly depth: number;
}

/** A configuration's mean cost per run with its bootstrap interval. */
function costBounds(
  x: GoalCandidate,
  options: { resamples: number; seed: number; confidence: number },
): { low: number; high: number } {
  const d = pairedDifference(new Float64Array(x.depth), x.vectors.costUsd, x.depth, options);
  return d === null ? { low: -Infinity, high: Infinity } : d;
}

/** How the goal's constraints stand for one configuration. */
export interface Feasibility {
  /** Established: every key within the drop and the cost within its limit, at the confidence. */
  readonly established: boolean;
  /** Why it significantly misses a constraint, or null. */
  readonly missed: string | null;
}

/**
 * Whether a configuration meets the goal's constraints against the baseline, at `confidence`:
 * for `cheapest`, each key's paired interval of `x − baseline` above `−maxDrop` (established) or
 * wholly below it (missed); the cost per run's normal interval within the limit, or wholly above.
 *
 * @param x The configuration.
 * @param baseline The baseline.
 * @param goal The goal.
 * @param keys The keys' names, in vector order (for the reason).
 * @param options The bootstrap's resamples, seed and the confidence.
 * @returns Established, and why it misses a constraint (or null).
 *
 * @example Usage
 * ```ts
 * import { feasibility } from "./goal_status.ts";
 * import assert from "node:assert/strict";
 *
 * const n = 40;
 * const at = (q: number) => {
 *   const quality = Float64Array.from({ length: n }, (_, i) => q + (i % 4) / 10);
 *   return { quality, keys: [quality], costUsd: new Float64Array(n).fill(0.01) };
 * };
 * const goal = { kind: "cheapest" as const, maxDrop: 0.02 };
 * const options = { resamples: 500, seed: 1, confidence: 0.99 };
 * const base = { index: 0, vectors: at(0.5), depth: n };
 * assert.deepEqual(feasibility({ index: 1, vectors: at(0.49), depth: n }, base, goal, ["correct"], options), {
 *   established: true,
 *   missed: null,
 * });
 * assert.equal(
 *   feasibility({ index: 2, vectors: at(0.4), depth: n }, base, goal, ["correct"], options).missed,
 *   "correct significantly more than 0.02 below the baseline's",
 * );
 * ```
 */
export function feasibility(
  x: GoalCandidate,
  baseline: GoalCandidate,
  goal: SearchGoal,
  keys: readonly string[],
  options: { resamples: number; seed: number; confidence: number },
): Feasibility {
  let established = true;
  if (goal.kind === "cheapest") {
    const count = Math.min(x.depth, baseline.depth);
    for (let k = 0; k < keys.length; k++) {
      if (x.index === baseline.index) break;
      const d = pairedDifference(baseline.vectors.keys[k], x.vectors.keys[k], count, {
        ...options,
        seed: options.seed + k,
      });
      if (d === null) {
        established = false;
        continue;
      }
      if (d.high < -goal.maxDrop - 1e-9) {
        return {
          established: false,
          missed: `${keys[k]} significantly more than ${goal.maxDrop} below the baseline's`,
        };
      }
      if (d.low < -goal.maxDrop - 1e-9) established = false;
    }
  }
  if (goal.maxCostPerRunUsd !== undefined) {
    const cost = costBounds(x, { ...options, seed: options.seed + keys.length });
    if (cost.low > goal.maxCostPerRunUsd) {
      return {
        established: false,
        missed: `cost per run significantly above $${goal.maxCostPerRunUsd}`,
      };
    }
    if (!(cost.high <= goal.maxCostPerRunUsd)) established = false;
  }
  return { established, missed: null };
}

/**
 * Why a configuration can no longer be the goal's answer, or null: it significantly misses a
 * constraint, or a configuration established to meet them is significantly cheaper (`cheapest`)
 * or better (`quality`), by the paired bootstrap on the inputs both hold.
 *
 * @param x The configuration.
 * @param own Its feasibility.
 * @param established The configurations established to meet the constraints.
 * @param goal The goal.
 * @param options The bootstrap's resamples, the confidence, and each comparison's seed.
 * @returns The reason, or null.
 *
 * @example Usage
 * ```ts
 * import { offGoal } from "./goal_status.ts";
 * import assert from "node:assert/strict";
 *
 * const n = 30;
 * const at = (cost: number) => {
 *   const quality = Float64Array.from({ length: n }, (_, i) => (i % 3) / 3);
 *   return { quality, keys: [quality], costUsd: Float64Array.from({ length: n }, (_, i) => cost + i / 1e4) };
 * };
 * const cheap = { index: 1, vectors: at(0.01), depth: n };
 * const dear = { index: 2, vectors: at(0.02), depth: n };
 * const reason = offGoal(dear, { established: true, missed: null }, [cheap], { kind: "cheapest", maxDrop: 0.02 }, {
 *   resamples: 500, confidence: 0.99, seedOf: () => 1,
 * });
 * assert.equal(reason, "significantly dearer than a configuration that meets the goal");
 * ```
 */
export function offGoal(
  x: GoalCandidate,
  own: Feasibility,
  established: readonly GoalCandidate[],
  goal: SearchGoal,
  options: { resamples: number; confidence: number; seedOf: (a: number, b: number) => number },
): string | null {
  if (own.missed !== null) return own.missed;
  for (const f of established) {
    if (f.index === x.index) continue;
    const count = Math.min(f.depth, x.depth);
    const paired = { resamples: options.resamples, confidence: options.confidence };
    if (goal.kind === "cheapest") {
      const moments = pairedMoments(x.vectors.costUsd, f.vectors.costUsd, count);
      if (!(moments.mean + 2 * moments.standardError < 0)) continue;
      const d = pairedDifference(x.vectors.costUsd, f.vectors.costUsd, count, {
        ...paired,
        seed: options.seedOf(f.index, x.index),
      });
      if (d !== null && d.high < 0) {
        return "significantly dearer than a configuration that meets the goal";
      }
    } else {
      const moments = pairedMoments(x.vectors.quality, f.vectors.quality, count);
      if (!(moments.mean - 2 * moments.standardError > 0)) continue;
      const d = pairedDifference(x.vectors.quality, f.vectors.quality, count, {
        ...paired,
        seed: options.seedOf(f.index, x.index),
      });
      if (d !== null && d.low > 0) {
        return "significantly worse than a configuration that meets the goal";
      }
    }
  }
  return null;
}
