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

/** A statistic of a sample (mean, a percentile). */
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

/** The mean of the values (0 for none). */
export function mean(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value;
  return values.length === 0 ? 0 : sum / values.length;
}

/** The nearest-rank percentile statistic (as `percentile` of aggregate.ts), q in (0, 1]. */
export function percentileOf(q: number): Statistic {
  return (values) => {
    if (values.length === 0) return 0;
    const sorted = values.slice().sort();
    return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
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
  const flat = (side: "baseline" | "candidate") =>
    Float64Array.from(clusters.flatMap((cluster) => [...cluster[side]]));
  const delta = statistic(flat("candidate")) - statistic(flat("baseline"));
  const random = seededRandom(seed);
  const deltas = new Float64Array(resamples);
  // Clusters may differ in size: the buffers hold the largest possible draw.
  const largest = (side: "baseline" | "candidate") =>
    clusters.reduce((most, cluster) => Math.max(most, cluster[side].length), 0) * clusters.length;
  const baseline = new Float64Array(largest("baseline"));
  const candidate = new Float64Array(largest("candidate"));
  for (let r = 0; r < resamples; r++) {
    let b = 0;
    let c = 0;
    for (let i = 0; i < clusters.length; i++) {
      const cluster = clusters[Math.floor(random() * clusters.length)];
      for (const value of cluster.baseline) baseline[b++] = value;
      for (const value of cluster.candidate) candidate[c++] = value;
    }
    deltas[r] = statistic(candidate.subarray(0, c)) - statistic(baseline.subarray(0, b));
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
  const random = seededRandom(seed);
  const draw = (values: readonly number[], into: Float64Array): Float64Array => {
    for (let i = 0; i < into.length; i++) into[i] = values[Math.floor(random() * values.length)];
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
