/**
 * Small text helpers shared by the transcript splitter, the simulated chat model and the quality
 * measures: sentence splitting, word counting and "content words" (lower-case words that carry
 * meaning, stop words left out).
 *
 * @module
 */

/** A sentence end: `.`, `!` or `?` (repeated), closing quotes or brackets, then space or the end. */
const SENTENCE_END = /[.!?]+["')\]]*(?=\s|$)/g;

/**
 * Splits text into sentences, each ending at `.`, `!` or `?` followed by whitespace or the end of
 * the text (so `3.5` stays whole); a trailing piece without an end mark is a sentence too.
 *
 * @param text Any text.
 * @returns The non-empty sentences, trimmed, in order.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { splitSentences } from "./text.ts";
 *
 * deepStrictEqual(splitSentences("We ship 3.5 today. Really? Yes and"), [
 *   "We ship 3.5 today.",
 *   "Really?",
 *   "Yes and",
 * ]);
 * ```
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length;
    const sentence = text.slice(start, end).trim();
    if (sentence.length > 0) sentences.push(sentence);
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest.length > 0) sentences.push(rest);
  return sentences;
}

/**
 * Splits text into words: runs of letters, digits and inner apostrophes or hyphens.
 *
 * @param text Any text.
 * @returns The words as written.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { words } from "./text.ts";
 *
 * deepStrictEqual(words("So, we don't re-run it -- ok?"), ["So", "we", "don't", "re-run", "it", "ok"]);
 * ```
 */
export function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
}

/**
 * Counts the words of a text (see {@linkcode words}).
 *
 * @param text Any text.
 * @returns The number of words.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { countWords } from "./text.ts";
 *
 * strictEqual(countWords("Okay, so, um -- let's start."), 5);
 * ```
 */
export function countWords(text: string): number {
  return words(text).length;
}

const STOP_WORDS = new Set(
  (
    "a about above after again all also am an and any are aren't as at be because been before " +
    "being below between both but by can can't could did didn't do does doesn't doing don't down " +
    "during each few for from further get gets getting go going gonna got had has hasn't have " +
    "haven't having he her here hers him his how i i'd i'll i'm i've if in into is isn't it it's " +
    "its just kind know let let's like maybe me mean might more most much must my no nor not now " +
    "of off ok okay on once one only or other our ours out over own really right said say says " +
    "see she should so some something sort still such sure than that that's the their them then " +
    "there there's these they they're thing things think this those though through to too um uh " +
    "under until up us very wanna want was wasn't way we we'll we're we've well were weren't what " +
    "what's when where which while who why will with won't would yeah yes you you'd you'll you're " +
    "your yours actually basically guess lot stuff anyway hmm oh"
  ).split(" "),
);

/**
 * The content words of a text: lower-cased words of three letters or more that are not stop
 * words (fillers like "um", "okay" and "basically" included), with a plural `s` dropped.
 *
 * @param text Any text.
 * @returns The content words, in order, repeats kept.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { contentWords } from "./text.ts";
 *
 * deepStrictEqual(contentWords("Um, okay, so the budgets are basically due Friday."), [
 *   "budget",
 *   "due",
 *   "friday",
 * ]);
 * ```
 */
export function contentWords(text: string): string[] {
  const result: string[] = [];
  for (const word of words(text.toLowerCase().replaceAll("’", "'"))) {
    if (word.length < 3 || STOP_WORDS.has(word)) continue;
    result.push(
      word.length > 4 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word,
    );
  }
  return result;
}
