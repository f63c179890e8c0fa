/**
 * Plain-number quality measures of a finished run of the reference workload, for the report's
 * quality section: how much of the transcript made it into the tree, how the tree grew, how often
 * a stage answered with something unusable.
 *
 * @module
 */
import type { TranscriptTreeState } from "./state.ts";
import { words } from "./text.ts";

/** The quality of one finished run. All plain numbers. */
export interface TreeQuality {
  /** Windows processed. */
  windows: number;
  /** Windows that ended before node extraction (nothing found, or an invalid answer). */
  windowsEndedEarly: number;
  /** Nodes created. */
  nodesCreated: number;
  /** Appends to existing nodes. */
  nodesAppended: number;
  /** Mean number of complete chunks per processed window (0 when none was processed). */
  chunksPerWindow: number;
  /** Words of the transcript. */
  transcriptWords: number;
  /** Words of the transcript found in the chunks that entered the tree (each word once). */
  transcriptWordsCovered: number;
  /** `transcriptWordsCovered / transcriptWords`, from 0 to 1 (0 for an empty transcript). */
  transcriptWordsCoveredShare: number;
  /** Stage answers that were not valid JSON of the expected shape. */
  invalidOutputs: number;
}

/**
 * Measures the quality of a finished run from its output state. Covered words are counted as a
 * multiset: a transcript word is covered once per occurrence in the integrated chunks, at most as
 * often as it occurs in the transcript (case ignored), so the share never exceeds 1.
 *
 * @param output The graph's output (the final state).
 * @returns The measures.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { initialState } from "./transcript_tree_graph.ts";
 * import { treeQuality } from "./quality.ts";
 *
 * const quality = treeQuality({
 *   ...initialState({ transcriptId: "t", windows: ["We ship Friday.", "Um okay."] }),
 *   windowIndex: 2,
 *   chunksPerWindow: [1, 0],
 *   integratedTexts: ["We ship Friday."],
 *   nodesCreated: 1,
 * });
 * strictEqual(quality.transcriptWordsCovered, 3);
 * strictEqual(quality.transcriptWordsCoveredShare, 0.6);
 * strictEqual(quality.chunksPerWindow, 0.5);
 * ```
 */
export function treeQuality(output: TranscriptTreeState): TreeQuality {
  const available = new Map<string, number>();
  let transcriptWords = 0;
  for (const word of words(output.windows.join(" ").toLowerCase())) {
    available.set(word, (available.get(word) ?? 0) + 1);
    transcriptWords++;
  }
  let covered = 0;
  for (const word of words(output.integratedTexts.join(" ").toLowerCase())) {
    const left = available.get(word) ?? 0;
    if (left === 0) continue;
    available.set(word, left - 1);
    covered++;
  }
  const counts = output.chunksPerWindow;
  return {
    windows: output.windowIndex,
    windowsEndedEarly: output.windowsEndedEarly,
    nodesCreated: output.nodesCreated,
    nodesAppended: output.nodesAppended,
    chunksPerWindow: counts.length === 0 ? 0 : counts.reduce((a, b) => a + b, 0) / counts.length,
    transcriptWords,
    transcriptWordsCovered: covered,
    transcriptWordsCoveredShare: transcriptWords === 0 ? 0 : covered / transcriptWords,
    invalidOutputs: output.invalidOutputs.length,
  };
}
