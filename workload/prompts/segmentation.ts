/**
 * The segmentation stage's prompt: cut a window of transcript into self-contained chunks of
 * thought.
 *
 * @module
 */
import { NONE, section, stageMarker, type StagePrompt, TAGS } from "./sections.ts";

const INSTRUCTIONS = `${stageMarker("segmentation")}

You are the first step of a pipeline that turns live speech into a tree of ideas. Speech arrives
in windows of a few sentences, transcribed automatically: expect filler words, false starts,
repetitions and missing punctuation.

Your job: split the text you are given into chunks, where each chunk carries one idea, decision,
question, task or example that would make sense on its own as a note.

Rules:
1. The text to split is the carried text (if any) followed by the window. Keep the speaker's own
   words in each chunk's "text"; you may drop pure filler ("um", "you know", "okay so"), but do not
   paraphrase, summarize or add anything.
2. Keep the order of the speech. Every meaningful sentence belongs to exactly one chunk.
3. Prefer fewer, fuller chunks: sentences that continue the same thought stay together. Start a
   new chunk when the speaker moves to another topic, decision or task.
4. Give each chunk a "name" of two to five words that a reader could use as a heading.
5. Set "is_complete" to false only for the last chunk, and only when its thought is clearly cut
   off and will continue in the next window (a sentence that trails off, a list that has just
   started). When the window is the final one, every chunk is complete.
6. Text that is only filler, greetings or noise yields no chunk. If nothing meaningful is left,
   answer with an empty list.

Example. Carried text: "We also need to decide who". Window: "um, who runs the batches. Dana
will run them every night. Okay, next topic, the budget. We got forty thousand for the quarter,
and half goes to paid social in the first two weeks and the rest".
A good answer:
{"chunks": [
  {"name": "Batch migration owner", "text": "We also need to decide who runs the batches. Dana will
run them every night.", "is_complete": true},
  {"name": "Quarterly marketing budget", "text": "The budget. We got forty thousand for the
quarter, and half goes to paid social in the first two weeks and the rest", "is_complete": false}
]}
The first chunk joins the carried text to its end; the second is cut off mid-sentence, so it is
incomplete and will be carried into the next window. "Okay, next topic" is filler and is dropped.

Answer with JSON only, no prose and no code fences, in exactly this shape:
{"chunks": [{"name": "<short heading>", "text": "<the speaker's words>", "is_complete": true}]}`;

/** What the segmentation prompt is built from. */
export interface SegmentationPromptInput {
  /** The window's text. */
  window: string;
  /** Text carried from the previous window (an incomplete chunk), or "". */
  carriedText: string;
  /** True for the transcript's last window. */
  isFinalWindow: boolean;
}

/**
 * Builds the segmentation stage's prompt for one window.
 *
 * @param input The window, the carried text and whether the window is the last.
 * @returns The system instructions and the user message with the data.
 *
 * @example Usage
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { segmentationPrompt } from "./segmentation.ts";
 *
 * const prompt = segmentationPrompt({ window: "We ship Friday.", carriedText: "", isFinalWindow: true });
 * ok(prompt.system.startsWith("Pipeline stage: segmentation"));
 * ok(prompt.user.includes("<window>\nWe ship Friday.\n</window>"));
 * ```
 */
export function segmentationPrompt(input: SegmentationPromptInput): StagePrompt {
  const user = [
    section(TAGS.carriedText, input.carriedText.trim() || NONE),
    section(TAGS.window, input.window),
    section(TAGS.finalWindow, input.isFinalWindow ? "yes" : "no"),
    "Split the carried text and the window into chunks.",
  ].join("\n\n");
  return { system: INSTRUCTIONS, user };
}
