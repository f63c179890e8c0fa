/**
 * A simulation of OpenAI-style automatic prompt caching: a prompt whose first 1,024 tokens or
 * more were seen in an earlier prompt reads that prefix from cache, in steps of 128 tokens.
 *
 * @module
 */

/** The shortest prefix that can be read from cache, in tokens. */
export const MIN_CACHED_PREFIX_TOKENS = 1024;
/** Cached prefixes grow in steps of this many tokens. */
export const CACHE_INCREMENT_TOKENS = 128;

function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i < limit && a[i] === b[i]) i++;
  return i;
}

/**
 * The prompts one cache scope has seen, and how much of a new prompt they cover.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { PromptPrefixCache } from "./prompt_cache.ts";
 *
 * const cache = new PromptPrefixCache();
 * const prompt = Array.from({ length: 1500 }, (_, i) => i);
 * strictEqual(cache.readAndRemember(prompt), 0); // first sight: nothing cached
 * strictEqual(cache.readAndRemember([...prompt.slice(0, 1300), 7]), 1280); // 10 x 128
 * strictEqual(cache.readAndRemember([...prompt.slice(0, 1000), 7]), 0); // under 1,024
 * ```
 */
export class PromptPrefixCache {
  #prompts: (readonly number[])[] = [];

  /**
   * How many leading tokens of a prompt are read from cache, then remembers the prompt.
   *
   * @param tokens The prompt's token sequence.
   * @returns The cached tokens: 0, or a multiple of 128 of at least 1,024.
   */
  readAndRemember(tokens: readonly number[]): number {
    let longest = 0;
    for (const seen of this.#prompts) {
      longest = Math.max(longest, commonPrefixLength(seen, tokens));
    }
    this.#prompts.push(tokens);
    if (longest < MIN_CACHED_PREFIX_TOKENS) return 0;
    return Math.floor(longest / CACHE_INCREMENT_TOKENS) * CACHE_INCREMENT_TOKENS;
  }
}
