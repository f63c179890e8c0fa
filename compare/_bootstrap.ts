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

/** The quantile of each percentile statistic made by {@linkcode percentileOf}. */
const PERCENTILES = new WeakMap<Statistic, number>();

/** The 0-based nearest rank of the q-th quantile among `count` values (at least one). */
function nearestRank(q: number, count: number): number {
  return Math.max(0, Math.ceil(q * count) - 1);
}

/** The nearest-rank percentile statistic (as `percentile` of aggregate.ts), q in (0, 1]. */
export function percentileOf(q: number): Statistic {
  const statistic: Statistic = (values) => {
    if (values.length === 0) return 0;
    return select(values, nearestRank(q, values.length));
  };
  PERCENTILES.set(statistic, q);
  return statistic;
}

function quantileOfSorted(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

function interval(delta: number, deltas: Float64Array, confidence: number): BootstrapInterval {
  deltas.sort();
  // 0.95 reads the 2.5th and 97.5th percentiles as written (1 - 0.95 is not 0.05 in binary).
  const [low, high] = confidence === 0.95
    ? [0.025, 0.975]
    : [(1 - confidence) / 2, (1 + confidence) / 2];
  return { delta, low: quantileOfSorted(deltas, low), high: quantileOfSorted(deltas, high) };
}

/** One side's values laid end to end, unit after unit: unit i holds `starts[i]` to `starts[i+1]`. */
interface Flat {
  starts: Int32Array;
  values: Float64Array;
}

/** A side's values in ascending order, each with the unit (cluster, or run when unpaired) it is of. */
interface Ranked {
  values: Float64Array;
  units: Int32Array;
}

/**
 * The values in ascending order with their units, or null when a NaN or a -0 is among them: then
 * equal values are not all alike, and only a selection over the values themselves gives the
 * very result of a percentile statistic.
 */
function rank(values: Float64Array, unitOf: (index: number) => number): Ranked | null {
  for (const value of values) if (value !== value || Object.is(value, -0)) return null;
  const order = Int32Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0);
  return {
    values: Float64Array.from(order, (i) => values[i]),
    units: Int32Array.from(order, unitOf),
  };
}

/**
 * The k-th smallest (0-based) of a resample's `total` values, each of a side's values counted as
 * often as its unit was drawn: a walk from the nearer end of the ranked values, with no copy and
 * no selection. The k-th smallest of a multiset is one value, so this is what a selection over
 * the gathered values returns.
 */
function kthDrawn(side: Ranked, drawnPerUnit: Int32Array, k: number, total: number): number {
  const { values, units } = side;
  let seen = 0;
  if (k < total / 2) {
    for (let i = 0; i < values.length; i++) {
      seen += drawnPerUnit[units[i]];
      if (seen > k) return values[i];
    }
  } else {
    const fromTop = total - 1 - k;
    for (let i = values.length - 1; i >= 0; i--) {
      seen += drawnPerUnit[units[i]];
      if (seen > fromTop) return values[i];
    }
  }
  throw new RangeError(`rank ${k} of ${total} drawn values is out of range`);
}

/** Each unit's size. */
function sizesOf(side: Flat): Int32Array {
  return Int32Array.from(
    { length: side.starts.length - 1 },
    (_, i) => side.starts[i + 1] - side.starts[i],
  );
}

/** Each unit's sum, added in order. */
function sumsOf(side: Flat): Float64Array {
  return Float64Array.from({ length: side.starts.length - 1 }, (_, i) => {
    let sum = 0;
    for (let j = side.starts[i]; j < side.starts[i + 1]; j++) sum += side.values[j];
    return sum;
  });
}

/** The unit of each value of a side, by position. */
function unitOfPosition(side: Flat): (index: number) => number {
  const units = new Int32Array(side.values.length);
  for (let i = 0; i + 1 < side.starts.length; i++) {
    units.fill(i, side.starts[i], side.starts[i + 1]);
  }
  return (index) => units[index];
}

/** The size every unit has, or null when they differ. */
function commonSize(sizes: Int32Array): number | null {
  return sizes.every((size) => size === sizes[0]) ? sizes[0] : null;
}

/**
 * How many values the drawn units hold: the common size times the draws, or else each drawn
 * unit's size added up (integers, so exact in any order).
 */
function drawnCount(sizes: Int32Array, size: number | null, drawn: Int32Array): number {
  if (size !== null) return size * drawn.length;
  let count = 0;
  for (let i = 0; i < drawn.length; i++) count += sizes[drawn[i]];
  return count;
}

/** The paired resamples of a mean: each drawn cluster's sum and size, no values copied. */
function pairedMeanDeltas(b: Flat, c: Flat, indices: SeededIndices, deltas: Float64Array): void {
  const n = b.starts.length - 1;
  const drawn = new Int32Array(n);
  const [bSums, cSums] = [sumsOf(b), sumsOf(c)];
  const [bSizes, cSizes] = [sizesOf(b), sizesOf(c)];
  const [bSize, cSize] = [commonSize(bSizes), commonSize(cSizes)];
  for (let r = 0; r < deltas.length; r++) {
    indices.draw(drawn, n);
    let bSum = 0, cSum = 0;
    for (let i = 0; i < n; i++) {
      const k = drawn[i];
      bSum += bSums[k];
      cSum += cSums[k];
    }
    deltas[r] = cSum / drawnCount(cSizes, cSize, drawn) - bSum / drawnCount(bSizes, bSize, drawn);
  }
}

/**
 * The paired resamples of a percentile: how often each cluster was drawn, then the nearest rank
 * of each side read off its ranked values. False (nothing done) when a side cannot be ranked.
 */
function pairedPercentileDeltas(
  b: Flat,
  c: Flat,
  q: number,
  indices: SeededIndices,
  deltas: Float64Array,
): boolean {
  const bRanked = rank(b.values, unitOfPosition(b));
  const cRanked = rank(c.values, unitOfPosition(c));
  if (bRanked === null || cRanked === null) return false;
  const n = b.starts.length - 1;
  const drawn = new Int32Array(n);
  const drawnPerUnit = new Int32Array(n);
  const [bSizes, cSizes] = [sizesOf(b), sizesOf(c)];
  const [bSize, cSize] = [commonSize(bSizes), commonSize(cSizes)];
  for (let r = 0; r < deltas.length; r++) {
    indices.draw(drawn, n);
    drawnPerUnit.fill(0);
    for (let i = 0; i < n; i++) drawnPerUnit[drawn[i]]++;
    const bTotal = drawnCount(bSizes, bSize, drawn);
    const cTotal = drawnCount(cSizes, cSize, drawn);
    deltas[r] = kthDrawn(cRanked, drawnPerUnit, nearestRank(q, cTotal), cTotal) -
      kthDrawn(bRanked, drawnPerUnit, nearestRank(q, bTotal), bTotal);
  }
  return true;
}

/** The paired resamples of any statistic: the drawn clusters' values gathered, then measured. */
function pairedGatheredDeltas(
  b: Flat,
  c: Flat,
  statistic: Statistic,
  indices: SeededIndices,
  deltas: Float64Array,
): void {
  const n = b.starts.length - 1;
  const drawn = new Int32Array(n);
  // Clusters may differ in size: the buffers hold the largest possible draw.
  const largest = (side: Flat) => sizesOf(side).reduce((most, size) => Math.max(most, size), 0) * n;
  const bBuffer = new Float64Array(largest(b));
  const cBuffer = new Float64Array(largest(c));
  const gather = (side: Flat, into: Float64Array): Float64Array => {
    let at = 0;
    for (let i = 0; i < n; i++) {
      const k = drawn[i];
      for (let j = side.starts[k]; j < side.starts[k + 1]; j++) into[at++] = side.values[j];
    }
    return into.subarray(0, at);
  };
  for (let r = 0; r < deltas.length; r++) {
    indices.draw(drawn, n);
    deltas[r] = statistic(gather(c, cBuffer)) - statistic(gather(b, bBuffer));
  }
}

/** One side of the clusters laid end to end. */
function flatten(clusters: readonly Cluster[], side: "baseline" | "candidate"): Flat {
  const starts = new Int32Array(clusters.length + 1);
  clusters.forEach((cluster, i) => (starts[i + 1] = starts[i] + cluster[side].length));
  const values = new Float64Array(starts[clusters.length]);
  clusters.forEach((cluster, i) => values.set(cluster[side], starts[i]));
  return { starts, values };
}

/**
 * The paired bootstrap: clusters are drawn with replacement, each drawn cluster bringing its
 * values on both sides, so what the two benchmarks share (the same input) cancels out.
 *
 * @param clusters The paired units; none may be empty on either side.
 * @param statistic The statistic compared.
 * @param resamples How many resamples.
 * @param seed The seed.
 * @param confidence The interval's confidence level; default 0.95.
 * @returns The delta and its percentile interval (95% by default).
 */
export function pairedBootstrap(
  clusters: readonly Cluster[],
  statistic: Statistic,
  resamples: number,
  seed: number,
  confidence = 0.95,
): BootstrapInterval {
  const b = flatten(clusters, "baseline");
  const c = flatten(clusters, "candidate");
  const delta = statistic(c.values.slice()) - statistic(b.values.slice());
  const indices = new SeededIndices(seed);
  const deltas = new Float64Array(resamples);
  const q = PERCENTILES.get(statistic);
  if (statistic === mean) pairedMeanDeltas(b, c, indices, deltas);
  else if (q === undefined || !pairedPercentileDeltas(b, c, q, indices, deltas)) {
    pairedGatheredDeltas(b, c, statistic, indices, deltas);
  }
  return interval(delta, deltas, confidence);
}

/** The unpaired resamples of a mean: sums of the drawn values, added in the order drawn. */
function unpairedMeanDeltas(
  baseline: Float64Array,
  candidate: Float64Array,
  indices: SeededIndices,
  deltas: Float64Array,
): void {
  const drawn = new Int32Array(Math.max(baseline.length, candidate.length));
  const drawnMean = (values: Float64Array): number => {
    indices.draw(drawn, values.length, values.length);
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[drawn[i]];
    return sum / values.length;
  };
  for (let r = 0; r < deltas.length; r++) deltas[r] = drawnMean(candidate) - drawnMean(baseline);
}

/**
 * The unpaired resamples of a percentile: how often each run was drawn, then the nearest rank
 * read off the side's ranked values. False (nothing done) when a side cannot be ranked.
 */
function unpairedPercentileDeltas(
  baseline: Float64Array,
  candidate: Float64Array,
  q: number,
  indices: SeededIndices,
  deltas: Float64Array,
): boolean {
  const bRanked = rank(baseline, (i) => i);
  const cRanked = rank(candidate, (i) => i);
  if (bRanked === null || cRanked === null) return false;
  const drawn = new Int32Array(Math.max(baseline.length, candidate.length));
  const bDrawnPerRun = new Int32Array(baseline.length);
  const cDrawnPerRun = new Int32Array(candidate.length);
  const drawnPercentile = (side: Ranked, drawnPerRun: Int32Array): number => {
    const count = drawnPerRun.length;
    indices.draw(drawn, count, count);
    drawnPerRun.fill(0);
    for (let i = 0; i < count; i++) drawnPerRun[drawn[i]]++;
    return kthDrawn(side, drawnPerRun, nearestRank(q, count), count);
  };
  for (let r = 0; r < deltas.length; r++) {
    deltas[r] = drawnPercentile(cRanked, cDrawnPerRun) - drawnPercentile(bRanked, bDrawnPerRun);
  }
  return true;
}

/** The unpaired resamples of any statistic: the drawn values copied out, then measured. */
function unpairedGatheredDeltas(
  baseline: Float64Array,
  candidate: Float64Array,
  statistic: Statistic,
  indices: SeededIndices,
  deltas: Float64Array,
): void {
  const drawn = new Int32Array(Math.max(baseline.length, candidate.length));
  const draw = (values: Float64Array, into: Float64Array): Float64Array => {
    indices.draw(drawn, values.length, into.length);
    for (let i = 0; i < into.length; i++) into[i] = values[drawn[i]];
    return into;
  };
  const b = new Float64Array(baseline.length);
  const c = new Float64Array(candidate.length);
  for (let r = 0; r < deltas.length; r++) {
    deltas[r] = statistic(draw(candidate, c)) - statistic(draw(baseline, b));
  }
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
  const b = Float64Array.from(baseline);
  const c = Float64Array.from(candidate);
  const delta = statistic(c.slice()) - statistic(b.slice());
  const indices = new SeededIndices(seed);
  const deltas = new Float64Array(resamples);
  const q = PERCENTILES.get(statistic);
  if (statistic === mean) unpairedMeanDeltas(b, c, indices, deltas);
  else if (q === undefined || !unpairedPercentileDeltas(b, c, q, indices, deltas)) {
    unpairedGatheredDeltas(b, c, statistic, indices, deltas);
  }
  return interval(delta, deltas, 0.95);
}
