/**
 * The structure a search leans on, stage by stage: a knob's value changes quality and cost by
 * about the same amount whatever the other knobs are (each stage does its part; LLMSelector's
 * assumption). The anchors — the baseline, and the baseline with one knob changed — measure each
 * value's effect input by input; a configuration not run yet is predicted input by input as the
 * baseline plus the effects of its values. Configurations that were run check the assumption: how
 * far their measurements are, significantly, from their predictions is the misfit, which widens
 * every later prediction's margin. Pure.
 *
 * @module
 */
import { pairedDifference, type PairedOptions } from "./paired.ts";
import type { InputObservation } from "./observations.ts";

/** One configuration's values input by input (NaN: not measured, or unknown). */
export interface Vectors {
  /** The quality (the mean of the goal's keys) per input. */
  readonly quality: Float64Array;
  /** Each of the goal's keys per input, in the goal's key order. */
  readonly keys: readonly Float64Array[];
  /** The cost per run per input, US dollars. */
  readonly costUsd: Float64Array;
}

/**
 * A configuration's vectors from its observations: quality is the mean of the keys it scored on
 * each input, cost its cost per run; NaN past its inputs.
 *
 * @param observations Its observations, input by input.
 * @param keys The keys quality is the mean of.
 * @param inputCount How long the vectors are (every input of the search).
 * @returns The vectors.
 *
 * @example Usage
 * ```ts
 * import { vectorsOf } from "./predict.ts";
 * import assert from "node:assert/strict";
 *
 * const observation = {
 *   inputId: "a", scores: { x: 1, y: 0.5 }, costUsd: 0.01, wallTimesMs: [5], runs: 1, failedRuns: 0, spentUsd: 0.01,
 * };
 * const vectors = vectorsOf([observation], ["x", "y"], 2);
 * assert.deepEqual([...vectors.quality], [0.75, NaN]);
 * ```
 */
export function vectorsOf(
  observations: readonly InputObservation[],
  keys: readonly string[],
  inputCount: number,
): Vectors {
  const quality = new Float64Array(inputCount).fill(NaN);
  const keyVectors = keys.map(() => new Float64Array(inputCount).fill(NaN));
  const costUsd = new Float64Array(inputCount).fill(NaN);
  observations.forEach((observation, i) => {
    let sum = 0;
    let known = 0;
    keys.forEach((key, j) => {
      const score = observation.scores[key];
      if (score === undefined) return;
      keyVectors[j][i] = score;
      sum += score;
      known++;
    });
    if (known > 0) quality[i] = sum / known;
    costUsd[i] = observation.costUsd;
  });
  return { quality, keys: keyVectors, costUsd };
}

/** The anchors' vectors: the baseline's, and each single change's by knob and value index. */
export interface Anchors {
  /** The baseline configuration's value indices. */
  readonly baseline: readonly number[];
  /** The baseline's vectors. */
  readonly base: Vectors;
  /** The vectors of the baseline with knob `k` set to value `v` (`v` not the baseline's). */
  readonly single: (k: number, v: number) => Vectors;
}

/**
 * How many knobs a configuration changes from the baseline.
 *
 * @param baseline The baseline's value indices.
 * @param choices The configuration's.
 * @returns The count.
 *
 * @example Usage
 * ```ts
 * import { changedKnobs } from "./predict.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(changedKnobs([0, 0, 0], [0, 2, 1]), 2);
 * ```
 */
export function changedKnobs(baseline: readonly number[], choices: readonly number[]): number {
  let changed = 0;
  for (let k = 0; k < choices.length; k++) if (choices[k] !== baseline[k]) changed++;
  return changed;
}

function additive(
  anchors: Anchors,
  choices: readonly number[],
  count: number,
  pick: (vectors: Vectors) => Float64Array,
): Float64Array {
  const base = pick(anchors.base);
  const out = new Float64Array(base.length).fill(NaN);
  for (let i = 0; i < count; i++) out[i] = base[i];
  for (let k = 0; k < choices.length; k++) {
    if (choices[k] === anchors.baseline[k]) continue;
    const single = pick(anchors.single(k, choices[k]));
    for (let i = 0; i < count; i++) out[i] += single[i] - base[i];
  }
  return out;
}

/**
 * A configuration's predicted vectors over the first `count` inputs: the baseline's value on each
 * input plus, for each knob it changes, the change that knob's anchor measured on that input.
 *
 * @param anchors The anchors.
 * @param choices The configuration's value indices.
 * @param count How many inputs (every anchor measured at least these).
 * @returns The predicted vectors (NaN past `count`).
 *
 * @example Usage
 * ```ts
 * import { predictVectors, type Vectors } from "./predict.ts";
 * import assert from "node:assert/strict";
 *
 * const vectors = (quality: number[], cost: number[]): Vectors => ({
 *   quality: Float64Array.from(quality), keys: [Float64Array.from(quality)], costUsd: Float64Array.from(cost),
 * });
 * const anchors = {
 *   baseline: [0, 0],
 *   base: vectors([0.9, 0.8], [1, 1]),
 *   single: (k: number) => k === 0 ? vectors([0.8, 0.8], [0.5, 0.5]) : vectors([0.9, 0.7], [0.9, 0.9]),
 * };
 * const both = predictVectors(anchors, [1, 1], 2);
 * assert.deepEqual([...both.costUsd], [0.4, 0.4]);
 * assert.ok(Math.abs(both.quality[1] - 0.7) < 1e-12);
 * ```
 */
export function predictVectors(
  anchors: Anchors,
  choices: readonly number[],
  count: number,
): Vectors {
  return {
    quality: additive(anchors, choices, count, (v) => v.quality),
    keys: anchors.base.keys.map((_, key) => additive(anchors, choices, count, (v) => v.keys[key])),
    costUsd: additive(anchors, choices, count, (v) => v.costUsd),
  };
}

/** How far measurements were from their predictions, per knob changed beyond the first. */
export interface Misfit {
  /** Quality: the largest significant gap, per extra knob changed. */
  readonly quality: number;
  /** Cost per run, US dollars, likewise. */
  readonly costUsd: number;
  /** How many measured configurations checked the prediction. */
  readonly checked: number;
}

/** A configuration that was run: its value indices, vectors, and how many inputs it holds. */
export interface MeasuredVectors {
  /** Its value indices. */
  readonly choices: readonly number[];
  /** Its measured vectors. */
  readonly vectors: Vectors;
  /** How many inputs it was measured on (from the first). */
  readonly depth: number;
}

/**
 * The misfit of the additive prediction: for each measured configuration that changes two knobs
 * or more, the paired interval of `measured − predicted` over the inputs both have; where it
 * excludes zero, its bound nearest zero (the least gap the data show), divided by the knobs
 * changed beyond the first. The largest of those, for quality and for cost; 0 where every
 * prediction held.
 *
 * @param anchors The anchors.
 * @param measured Configurations that were run (anchors among them are skipped).
 * @param depthOf How many inputs a configuration's prediction stands on (its anchors' fewest).
 * @param options The bootstrap's settings.
 * @returns The misfit.
 *
 * @example Usage
 * ```ts
 * import { measureMisfit, type Vectors } from "./predict.ts";
 * import assert from "node:assert/strict";
 *
 * const flat = (q: number, n = 6): Vectors => ({
 *   quality: new Float64Array(n).fill(q), keys: [new Float64Array(n).fill(q)], costUsd: new Float64Array(n).fill(1),
 * });
 * const anchors = { baseline: [0, 0], base: flat(0.9), single: () => flat(0.8) };
 * // Predicted 0.7 with both knobs changed; measured 0.5: a gap of 0.2, one knob beyond the first.
 * const misfit = measureMisfit(anchors, [{ choices: [1, 1], vectors: flat(0.5), depth: 6 }], () => 6, { seed: 1 });
 * assert.ok(Math.abs(misfit.quality - 0.2) < 1e-9);
 * assert.equal(misfit.costUsd, 0); // every cost is 1, as predicted
 * ```
 */
export function measureMisfit(
  anchors: Anchors,
  measured: readonly MeasuredVectors[],
  depthOf: (choices: readonly number[]) => number,
  options: PairedOptions,
): Misfit {
  let quality = 0;
  let costUsd = 0;
  let checked = 0;
  for (const config of measured) {
    const changed = changedKnobs(anchors.baseline, config.choices);
    if (changed < 2) continue;
    const count = Math.min(depthOf(config.choices), config.depth);
    const predicted = predictVectors(anchors, config.choices, count);
    checked++;
    const gap = (p: Float64Array, m: Float64Array): number => {
      const d = pairedDifference(p, m, count, options);
      if (d === null) return 0;
      return (d.low > 0 ? d.low : d.high < 0 ? -d.high : 0) / (changed - 1);
    };
    quality = Math.max(quality, gap(predicted.quality, config.vectors.quality));
    costUsd = Math.max(costUsd, gap(predicted.costUsd, config.vectors.costUsd));
  }
  return { quality, costUsd, checked };
}
