/**
 * Seeded, order-independent randomness for the simulated chat model: every random draw is derived
 * from the seed and the call's own content, never from a shared sequence, so concurrent runs in
 * any interleaving draw the same numbers.
 *
 * @module
 */

/**
 * Hashes a seed and some strings to an unsigned 32-bit integer (FNV-1a, parts separated).
 *
 * @param seed The seed.
 * @param parts The strings to hash.
 * @returns The hash.
 *
 * @example Usage
 * ```ts
 * import { notStrictEqual, strictEqual } from "node:assert/strict";
 * import { hashOf } from "./random.ts";
 *
 * strictEqual(hashOf(1, "a", "b"), hashOf(1, "a", "b"));
 * notStrictEqual(hashOf(1, "a", "b"), hashOf(2, "a", "b"));
 * notStrictEqual(hashOf(1, "ab"), hashOf(1, "a", "b"));
 * ```
 */
export function hashOf(seed: number, ...parts: string[]): number {
  let hash = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  hash = Math.imul(hash, 0x01000193) >>> 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      hash = Math.imul(hash ^ part.charCodeAt(i), 0x01000193) >>> 0;
    }
    hash = Math.imul(hash ^ 0xff, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * A pseudo-random number generator (mulberry32) started from a 32-bit state.
 *
 * @param state The starting state, e.g. from {@linkcode hashOf}.
 * @returns A function returning numbers in [0, 1), the same sequence for the same state.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual, ok } from "node:assert/strict";
 * import { randomFrom } from "./random.ts";
 *
 * const a = randomFrom(42);
 * const b = randomFrom(42);
 * deepStrictEqual([a(), a()], [b(), b()]);
 * const x = randomFrom(7)();
 * ok(x >= 0 && x < 1);
 * ```
 */
export function randomFrom(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
