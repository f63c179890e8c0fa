import assert from "node:assert/strict";
import {
  type Cluster,
  mean,
  pairedBootstrap,
  percentileOf,
  SeededIndices,
  seededRandom,
  type Statistic,
  unpairedBootstrap,
} from "../compare/_bootstrap.ts";

Deno.test("seeded indices: the same draws, in the same order, as floor(seededRandom() * n)", () => {
  for (const seed of [0, 1, 7919 * 4 + 7, 2 ** 31 + 5, 2 ** 32 - 1]) {
    const random = seededRandom(seed);
    const indices = new SeededIndices(seed);
    for (const n of [1, 2, 7, 1_000, 10_007]) {
      const drawn = indices.draw(new Int32Array(500), n, 300);
      for (let i = 0; i < 300; i++) {
        assert.equal(drawn[i], Math.floor(random() * n), `${seed} ${n}`);
      }
      assert.ok(drawn.subarray(300).every((slot) => slot === 0));
    }
  }
});

/** Clusters of 1 to `most` values each side, from a small grid (so values tie), seeded. */
function clustersOf(count: number, most: number, seed: number): Cluster[] {
  const random = seededRandom(seed);
  const values = () =>
    Array.from({ length: 1 + Math.floor(random() * most) }, () => Math.floor(random() * 40) / 4);
  return Array.from({ length: count }, () => ({ baseline: values(), candidate: values() }));
}

// A wrapped statistic is not recognised as a mean or a percentile: it takes the general path,
// gathering the drawn values and measuring them, as every statistic did before the shortcuts.
const STATISTICS: [string, Statistic][] = [
  ["mean", mean],
  ["p50", percentileOf(0.5)],
  ["p95", percentileOf(0.95)],
  ["p5", percentileOf(0.05)],
];

Deno.test("paired shortcuts (cluster sums, ranks walked) match gathering the drawn values", () => {
  for (const [count, most] of [[1, 1], [2, 3], [45, 1], [60, 4], [200, 2]]) {
    for (const [name, statistic] of STATISTICS) {
      const clusters = clustersOf(count, most, count * 31 + most);
      assert.deepStrictEqual(
        pairedBootstrap(clusters, statistic, 300, 5),
        pairedBootstrap(clusters, (values) => statistic(values), 300, 5),
        `${name} ${count} ${most}`,
      );
    }
  }
});

Deno.test("unpaired shortcuts (running sums, ranks walked) match gathering the drawn values", () => {
  for (const [bCount, cCount] of [[1, 1], [1, 7], [40, 25], [300, 301]]) {
    for (const [name, statistic] of STATISTICS) {
      const [baseline, candidate] = [bCount, cCount].map((count, side) =>
        clustersOf(count, 1, count + side).map((cluster) => cluster.baseline[0])
      );
      assert.deepStrictEqual(
        unpairedBootstrap(baseline, candidate, statistic, 300, 5),
        unpairedBootstrap(baseline, candidate, (values) => statistic(values), 300, 5),
        `${name} ${bCount} ${cCount}`,
      );
    }
  }
});

Deno.test("a NaN or a -0 among the values: a percentile falls back to gathering the values", () => {
  const p50 = percentileOf(0.5);
  for (const odd of [NaN, -0]) {
    const clusters = clustersOf(30, 2, 3).map((cluster, i) => ({
      baseline: i === 9 ? [odd, ...cluster.baseline] : cluster.baseline,
      candidate: i === 4 ? [odd, ...cluster.candidate] : cluster.candidate,
    }));
    assert.deepStrictEqual(
      pairedBootstrap(clusters, p50, 200, 2),
      pairedBootstrap(clusters, (values) => p50(values), 200, 2),
    );
    const baseline = clusters.map((cluster) => cluster.baseline[0]);
    const candidate = clusters.map((cluster) => cluster.candidate[0]);
    assert.deepStrictEqual(
      unpairedBootstrap(baseline, candidate, p50, 200, 2),
      unpairedBootstrap(baseline, candidate, (values) => p50(values), 200, 2),
    );
  }
});
