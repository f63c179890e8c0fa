/**
 * Which configurations not run yet join the race, from their predictions (`predict.ts`): those on
 * the predicted frontier, and those no configuration on it (or already run) dominates
 * significantly by the predictions — beyond the misfit measured configurations showed, per knob
 * in which the two differ beyond the first (a single knob's values are ordered the same way in any
 * context: LLMSelector's monotone assumption). Pure.
 *
 * @module
 */
import { choicesOf, type Knob } from "./knobs.ts";
import { knownMean } from "./paired.ts";
import {
  type Anchors,
  changedKnobs,
  type Misfit,
  predictVectors,
  type Vectors,
} from "./predict.ts";
import { type DominanceRule, dominates } from "./dominance.ts";

/** What the newcomers are chosen from. */
export interface NewcomerInputs {
  /** The knobs. */
  readonly knobs: readonly Knob[];
  /** The anchors. */
  readonly basis: Anchors;
  /** How many inputs a configuration's prediction stands on (its anchors' fewest). */
  readonly depthOf: (choices: readonly number[]) => number;
  /** Whether a configuration was run already (it is no newcomer). */
  readonly isRun: (index: number) => boolean;
  /** The misfit of the predictions so far. */
  readonly misfit: Misfit;
  /** The domination rule. */
  readonly rule: DominanceRule;
  /** The bootstrap seed of one comparison. */
  readonly seedOf: (dominator: number, dominated: number, depth: number) => number;
}

interface Predicted {
  index: number;
  choices: number[];
  depth: number;
  vectors: Vectors;
  quality: number;
  costUsd: number;
}

/**
 * The configurations to start running, by their value indices (see the module doc).
 *
 * @param inputs The knobs, anchors, misfit and rule.
 * @returns The newcomers' value indices, by configuration number.
 *
 * @example Two values, the second dearer and no better: it is not run
 * ```ts
 * import { predictedNewcomers } from "./newcomers.ts";
 * import assert from "node:assert/strict";
 *
 * const n = 500;
 * const quality = Float64Array.from({ length: n }, (_, i) => (i % 5) / 5);
 * const vectors = (cost: number) => ({ quality, keys: [quality], costUsd: new Float64Array(n).fill(cost) });
 * const knobs = [{ key: "a", values: ["x", "y"] }, { key: "b", values: ["x", "y"] }];
 * const newcomers = predictedNewcomers({
 *   knobs,
 *   basis: { baseline: [0, 0], base: vectors(2), single: (k) => vectors(k === 0 ? 1 : 3) },
 *   depthOf: () => n,
 *   isRun: (index) => index === 0 || index === 1 || index === 2,
 *   misfit: { quality: 0, costUsd: 0, checked: 0 },
 *   rule: { confidence: 0.99, resamples: 500, qualityTie: 0.01, qualityRange: 0.8 },
 *   seedOf: () => 1,
 * });
 * assert.deepEqual(newcomers, []); // [1, 1] (a=y, b=y) costs 2 with the quality of [1, 0], which costs 1
 * ```
 */
export function predictedNewcomers(inputs: NewcomerInputs): number[][] {
  const { knobs, basis, misfit, rule } = inputs;
  const total = knobs.reduce((product, knob) => product * knob.values.length, 1);
  const predicted: Predicted[] = Array.from({ length: total }, (_, index) => {
    const choices = choicesOf(knobs, index);
    const depth = inputs.depthOf(choices);
    const vectors = predictVectors(basis, choices, depth);
    return {
      index,
      choices,
      depth,
      vectors,
      quality: knownMean(vectors.quality, depth),
      costUsd: knownMean(vectors.costUsd, depth),
    };
  });
  // The predicted frontier, cheapest first: a point is on it when every cheaper one is worse.
  const byCost = [...predicted].sort((a, b) => a.costUsd - b.costUsd || b.quality - a.quality);
  const front: Predicted[] = [];
  let best = -Infinity;
  for (const point of byCost) {
    if (point.quality > best) {
      front.push(point);
      best = point.quality;
    }
  }
  const onFront = new Set(front.map((point) => point.index));
  const rivals = [...new Set([...front, ...predicted.filter((p) => inputs.isRun(p.index))])]
    .sort((a, b) => a.costUsd - b.costUsd);
  const newcomers: number[][] = [];
  for (const point of predicted) {
    if (inputs.isRun(point.index)) continue;
    if (!onFront.has(point.index)) {
      const pruned = rivals.some((rival) => {
        if (rival === point || rival.costUsd > point.costUsd) return false;
        if (rival.quality < point.quality - rule.qualityTie) return false;
        const beyondFirst = Math.max(0, changedKnobs(point.choices, rival.choices) - 1);
        const margins = {
          quality: misfit.quality * beyondFirst,
          costUsd: misfit.costUsd * beyondFirst,
        };
        const depth = Math.min(rival.depth, point.depth);
        const seed = inputs.seedOf(rival.index, point.index, depth);
        return dominates(rival.vectors, point.vectors, depth, margins, rule, seed);
      });
      if (pruned) continue;
    }
    newcomers.push(point.choices);
  }
  return newcomers;
}
