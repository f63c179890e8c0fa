/**
 * A seeded bootstrap of the difference of one statistic between two samples: resample (paired
 * clusters, or each side on its own), recompute, and read the 2.5th and 97.5th percentiles of the
 * differences. Deterministic for a seed, so a report is reproducible.
 *
 * @module
 */

/** One paired unit: the values of the same input (or run) on each side. */
export interface Cluster {
  /** The baseline's values of the unit. */
  baseline: readonly number[];
  /** The candidate's values of the unit. */
  candidate: readonly number[];
}

/** A statistic of a sample (mean, a percentile); it may reorder the values it is given. */
export type Statistic = (values: Float64Array) => number;

/** A difference (candidate minus baseline) with its confidence interval. */
export interface BootstrapInterval {
  /** The statistic of the whole candidate minus that of the whole baseline. */
  delta: number;
  /** The lower bound of the 95% interval of the delta. */
  low: number;
  /** The upper bound of the 95% interval of the delta. */
  high: number;
}

/** A small, fast seeded generator (mulberry32): uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Indices drawn off the same mulberry32 stream as {@linkcode seededRandom}: each is
 * `Math.floor(random() * n)`, the same draws in the same order. The state lives in a typed array
 * and a batch is drawn in one loop, so no number is boxed per draw (a closure's uint32 state is
 * mostly too large for a small integer: a heap number, allocated anew at each call).
 */
export class SeededIndices {
  readonly #state: Uint32Array;

  /** @param seed The seed, as for {@linkcode seededRandom}. */
  constructor(seed: number) {
    this.#state = Uint32Array.of(seed >>> 0);
  }

  /**
   * Fills the first `count` slots of `into` with indices in [0, n).
   *
   * @param into Where the indices go.
   * @param n How many there are to draw from.
   * @param count How many to draw; default `into.length`.
   * @returns `into`.
   */
  draw(into: Int32Array, n: number, count: number = into.length): Int32Array {
    let state = this.#state[0];
    for (let i = 0; i < count; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      into[i] = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    }
    this.#state[0] = state;
    return into;
  }
}

/** The mean of the values (0 for none). */
export function mean(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length === 0 ? 0 : sum / values.length;
}

/** The k-th smallest value (0-based), found in place by quickselect: O(n), no full sort. */
function select(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (right > left) {
    const pivot = values[(left + right) >> 1];
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const swap = values[i];
        values[i++] = values[j];
        values[j--] = swap;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return values[k];
  }
  return values[k];
}

/** The nearest-rank percentile statistic (as `percentile` of aggregate.ts), q in (0, 1]. */
export function percentileOf(q: number): Statistic {
  return (values) => {
    if (values.length === 0) return 0;
    return select(values, Math.max(0, Math.ceil(q * values.length) - 1));
  };
}

function quantileOfSorted(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

function interval(delta: number, deltas: Float64Array): BootstrapInterval {
  deltas.sort();
  return { delta, low: quantileOfSorted(deltas, 0.025), high: quantileOfSorted(deltas, 0.975) };
}

/**
 * The paired bootstrap: clusters are drawn with replacement, each drawn cluster bringing its
 * values on both sides, so what the two benchmarks share (the same input) cancels out.
 *
 * @param clusters The paired units; none may be empty on either side.
 * @param statistic The statistic compared.
 * @param resamples How many resamples.
 * @param seed The seed.
 * @returns The delta and its 95% percentile interval.
 */
export function pairedBootstrap(
  clusters: readonly Cluster[],
  statistic: Statistic,
  resamples: number,
  seed: number,
): BootstrapInterval {
  const flatten = (side: "baseline" | "candidate") => {
    const starts = new Int32Array(clusters.length + 1);
    clusters.forEach((cluster, i) => (starts[i + 1] = starts[i] + cluster[side].length));
    const values = new Float64Array(starts[clusters.length]);
    clusters.forEach((cluster, i) => values.set(cluster[side], starts[i]));
    return { starts, values };
  };
  const b = flatten("baseline");
  const c = flatten("candidate");
  const delta = statistic(c.values.slice()) - statistic(b.values.slice());
  const indices = new SeededIndices(seed);
  const deltas = new Float64Array(resamples);
  const n = clusters.length;
  const drawn = new Int32Array(n);
  if (statistic === mean) {
    // A mean needs only each cluster's sum and size: no copying.
    const sums = (side: typeof b) =>
      Float64Array.from({ length: n }, (_, i) => {
        let sum = 0;
        for (let j = side.starts[i]; j < side.starts[i + 1]; j++) sum += side.values[j];
        return sum;
      });
    const bSums = sums(b);
    const cSums = sums(c);
    for (let r = 0; r < resamples; r++) {
      indices.draw(drawn, n);
      let bSum = 0, bCount = 0, cSum = 0, cCount = 0;
      for (let i = 0; i < n; i++) {
        const k = drawn[i];
        bSum += bSums[k];
        bCount += b.starts[k + 1] - b.starts[k];
        cSum += cSums[k];
        cCount += c.starts[k + 1] - c.starts[k];
      }
      deltas[r] = cSum / cCount - bSum / bCount;
    }
    return interval(delta, deltas);
  }
  // Clusters may differ in size: the buffers hold the largest possible draw.
  const largest = (side: typeof b) => {
    let most = 0;
    for (let i = 0; i < n; i++) most = Math.max(most, side.starts[i + 1] - side.starts[i]);
    return most * n;
  };
  const bBuffer = new Float64Array(largest(b));
  const cBuffer = new Float64Array(largest(c));
  const gather = (side: typeof b, into: Float64Array): Float64Array => {
    let at = 0;
    for (let i = 0; i < n; i++) {
      const k = drawn[i];
      for (let j = side.starts[k]; j < side.starts[k + 1]; j++) into[at++] = side.values[j];
    }
    return into.subarray(0, at);
  };
  for (let r = 0; r < resamples; r++) {
    indices.draw(drawn, n);
    deltas[r] = statistic(gather(c, cBuffer)) - statistic(gather(b, bBuffer));
  }
  return interval(delta, deltas);
}

/**
 * The unpaired bootstrap: each side is resampled on its own, for benchmarks over different
 * inputs.
 *
 * @param baseline The baseline's values (at least one).
 * @param candidate The candidate's values (at least one).
 * @param statistic The statistic compared.
 * @param resamples How many resamples.
 * @param seed The seed.
 * @returns The delta and its 95% percentile interval.
 */
export function unpairedBootstrap(
  baseline: readonly number[],
  candidate: readonly number[],
  statistic: Statistic,
  resamples: number,
  seed: number,
): BootstrapInterval {
  const delta = statistic(Float64Array.from(candidate)) - statistic(Float64Array.from(baseline));
  const indices = new SeededIndices(seed);
  const drawn = new Int32Array(Math.max(baseline.length, candidate.length));
  const draw = (values: readonly number[], into: Float64Array): Float64Array => {
    indices.draw(drawn, values.length, into.length);
    for (let i = 0; i < into.length; i++) into[i] = values[drawn[i]];
    return into;
  };
  const b = new Float64Array(baseline.length);
  const c = new Float64Array(candidate.length);
  const deltas = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    deltas[r] = statistic(draw(candidate, c)) - statistic(draw(baseline, b));
  }
  return interval(delta, deltas);
}
