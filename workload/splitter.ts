/**
 * Splits a transcript into the windows the reference workload processes one after another, the
 * way a live voice pipeline receives text: about `targetChars` characters each, cut at sentence
 * ends.
 *
 * @module
 */
import { splitSentences } from "./text.ts";

/** The window size the reference workload uses, in characters. */
export const DEFAULT_WINDOW_CHARS = 300;

/**
 * Splits a transcript into windows of whole sentences, each at most `targetChars` characters long
 * (a single longer sentence makes a window of its own). Runs of whitespace become one space, so
 * the windows joined with spaces equal the transcript with its whitespace collapsed.
 *
 * @param text The transcript.
 * @param targetChars The largest window size to aim for, in characters.
 * @returns The windows, in order; none for a blank transcript.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { splitTranscript } from "./splitter.ts";
 *
 * const text = "First point here. Second point,\n still going. Third! And a fourth one?";
 * deepStrictEqual(splitTranscript(text, 40), [
 *   "First point here.",
 *   "Second point, still going. Third!",
 *   "And a fourth one?",
 * ]);
 * ```
 */
export function splitTranscript(
  text: string,
  targetChars: number = DEFAULT_WINDOW_CHARS,
): string[] {
  const windows: string[] = [];
  let current = "";
  for (const raw of splitSentences(text)) {
    const sentence = raw.replace(/\s+/g, " ");
    if (current.length > 0 && current.length + 1 + sentence.length > targetChars) {
      windows.push(current);
      current = "";
    }
    current = current.length > 0 ? `${current} ${sentence}` : sentence;
  }
  if (current.length > 0) windows.push(current);
  return windows;
}
