import assert from "node:assert/strict";
import { SeededIndices, seededRandom } from "../benchmarker/compare/_bootstrap.ts";

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
