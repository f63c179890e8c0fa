/**
 * The word-level heuristics the simulated chat model "thinks" with: naming a chunk by its most
 * frequent content words, scoring the overlap of two texts, labelling a relationship from cue
 * words, and turning sentences into short notes.
 *
 * @module
 */
import { contentWords, words } from "../text.ts";

/**
 * Names a text by its (up to) three most frequent content words, first occurrence breaking ties,
 * in title case; `Note` when it has none.
 *
 * @param text The text.
 * @returns The name.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { topicName } from "./topics.ts";
 *
 * strictEqual(topicName("The budget review moved; the budget is due with the review."), "Budget Review Moved");
 * strictEqual(topicName("Um, okay."), "Note");
 * ```
 */
export function topicName(text: string): string {
  const counts = new Map<string, { surface: string; count: number }>();
  for (const surface of words(text)) {
    const [stem] = contentWords(surface);
    if (stem === undefined) continue;
    const entry = counts.get(stem) ?? { surface: surface.toLowerCase(), count: 0 };
    entry.count++;
    counts.set(stem, entry);
  }
  const top = [...counts.values()]
    .map(({ surface: word, count }, order) => ({ word, count, order }))
    .sort((a, b) => b.count - a.count || a.order - b.order)
    .slice(0, 3)
    .map(({ word }) => word[0].toUpperCase() + word.slice(1));
  return top.length > 0 ? top.join(" ") : "Note";
}

/**
 * Scores how much two texts share: the number of distinct content words in common divided by the
 * geometric mean of their distinct content word counts (cosine of the word sets), 0 to 1.
 *
 * @param a A text.
 * @param b Another text.
 * @returns The score; 0 when either has no content words.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { overlapScore } from "./topics.ts";
 *
 * strictEqual(overlapScore("budget review", "budget review"), 1);
 * strictEqual(overlapScore("budget review", "budget deadline"), 0.5);
 * strictEqual(overlapScore("budget", "um"), 0);
 * ```
 */
export function overlapScore(a: string, b: string): number {
  const left = new Set(contentWords(a));
  const right = new Set(contentWords(b));
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared++;
  return shared / Math.sqrt(left.size * right.size);
}

/**
 * The content words two texts share, in the first text's order.
 *
 * @param a A text.
 * @param b Another text.
 * @returns The shared content words, each once.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { sharedWords } from "./topics.ts";
 *
 * deepStrictEqual(sharedWords("budget review for May", "May budget"), ["budget", "may"]);
 * ```
 */
export function sharedWords(a: string, b: string): string[] {
  const right = new Set(contentWords(b));
  return [...new Set(contentWords(a))].filter((word) => right.has(word));
}

const RELATIONSHIP_CUES: [RegExp, string][] = [
  [/\b(because|since|the reason|that's why)\b/i, "explains"],
  [/\b(but|however|although|instead|on the other hand)\b/i, "contrasts with"],
  [/\b(for example|for instance|like when|such as)\b/i, "gives an example of"],
  [/\b(first|then|next|after that|step)\b/i, "is a step of"],
  [/\?/, "raises a question about"],
];

/**
 * Labels how a chunk relates to a node from cue words in the chunk ("because" explains, "but"
 * contrasts with, ...); `elaborates on` by default.
 *
 * @param text The chunk's text.
 * @returns A short verb phrase.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { relationshipLabel } from "./topics.ts";
 *
 * strictEqual(relationshipLabel("We slipped because QA was late."), "explains");
 * strictEqual(relationshipLabel("The API has three endpoints."), "elaborates on");
 * ```
 */
export function relationshipLabel(text: string): string {
  for (const [pattern, label] of RELATIONSHIP_CUES) if (pattern.test(text)) return label;
  return "elaborates on";
}

const LEADING_FILLER =
  /^(?:(?:so|um+|uh+|okay|ok|right|well|yeah|like|and|anyway|basically)[,.]?\s+)+/i;

/**
 * Turns a sentence into a short note: leading filler dropped, at most `maxWords` words (an
 * ellipsis marks a cut), first letter capitalized.
 *
 * @param sentence The sentence.
 * @param maxWords The most words to keep.
 * @returns The note.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { shortNote } from "./topics.ts";
 *
 * strictEqual(shortNote("So, um, we ship the beta on Friday.", 4), "We ship the beta...");
 * ```
 */
export function shortNote(sentence: string, maxWords: number): string {
  const trimmed = sentence.trim().replace(LEADING_FILLER, "");
  const parts = trimmed.split(/\s+/).filter((part) => part.length > 0);
  const kept = parts.length > maxWords
    ? `${parts.slice(0, maxWords).join(" ").replace(/[,;:.]+$/, "")}...`
    : parts.join(" ");
  return kept.length > 0 ? kept[0].toUpperCase() + kept.slice(1) : kept;
}

/**
 * Whether a sentence carries meaning: at least two content words (filler like "Um, okay." does
 * not).
 *
 * @param sentence The sentence.
 * @returns True when it has two or more content words.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { isMeaningful } from "./topics.ts";
 *
 * strictEqual(isMeaningful("Um, okay, yeah."), false);
 * strictEqual(isMeaningful("The deploy failed twice."), true);
 * ```
 */
export function isMeaningful(sentence: string): boolean {
  return contentWords(sentence).length >= 2 && words(sentence).length >= 3;
}
