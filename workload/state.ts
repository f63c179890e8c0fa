/**
 * The state of one run of the reference workload (one whole transcript), the input that starts
 * it, and a helper that builds that input from a transcript's text.
 *
 * @module
 */
import type { Chunk, ChunkAnalysis, IntegrationDecision } from "./schemas.ts";
import { DEFAULT_WINDOW_CHARS, splitTranscript } from "./splitter.ts";
import type { TreeNode } from "./tree.ts";

/** The stages of the reference workload, in pipeline order. */
export type WorkloadStage =
  | "segmentation"
  | "relationship_analysis"
  | "integration_decision"
  | "node_extraction";

/** A stage's answer that could not be used: not JSON, or not the expected shape. */
export interface InvalidOutput {
  /** The stage that answered. */
  stage: WorkloadStage;
  /** The index of the window being processed. */
  windowIndex: number;
  /** What was wrong, in one line. */
  error: string;
}

/** What a run starts from: the transcript's windows. */
export interface TranscriptTreeInput {
  /** A name for the transcript (shown nowhere in prompts). */
  transcriptId: string;
  /** The transcript's windows, in order (see `splitTranscript`). */
  windows: string[];
}

/** The state of a run; the output of a finished run is the final state. */
export interface TranscriptTreeState extends TranscriptTreeInput {
  /** The index of the next window segmentation takes; equals `windows.length` at the end. */
  windowIndex: number;
  /** Text of an incomplete chunk carried into the next window, or "". */
  carriedText: string;
  /** The tree so far, nodes in creation order. */
  tree: TreeNode[];
  /** The current window's complete chunks. */
  chunks: Chunk[];
  /** The current window's relationship analyses. */
  analyses: ChunkAnalysis[];
  /** The current window's integration decisions. */
  decisions: IntegrationDecision[];
  /** The nodes the last completed window created (node extraction's result). */
  newNodes: string[];
  /** Complete chunks found per window processed, in window order. */
  chunksPerWindow: number[];
  /** Windows that ended before node extraction (nothing to do, or an invalid answer). */
  windowsEndedEarly: number;
  /** Nodes created so far. */
  nodesCreated: number;
  /** Appends to existing nodes so far. */
  nodesAppended: number;
  /** Texts of the chunks that entered the tree. */
  integratedTexts: string[];
  /** Every invalid stage answer, in order. */
  invalidOutputs: InvalidOutput[];
}

/** Options of {@linkcode buildTranscriptTreeInput}. */
export interface TranscriptTreeInputOptions {
  /** The transcript's name; default `"transcript"`. */
  id?: string;
  /** The window size in characters; default {@linkcode DEFAULT_WINDOW_CHARS}. */
  windowChars?: number;
}

/**
 * Builds a run's input from a transcript's text: splits it into windows.
 *
 * @param text The transcript.
 * @param options The transcript's name and the window size.
 * @returns The input to pass to the compiled graph's `invoke`.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { buildTranscriptTreeInput } from "./state.ts";
 *
 * deepStrictEqual(buildTranscriptTreeInput("One. Two.", { id: "t1", windowChars: 5 }), {
 *   transcriptId: "t1",
 *   windows: ["One.", "Two."],
 * });
 * ```
 */
export function buildTranscriptTreeInput(
  text: string,
  options: TranscriptTreeInputOptions = {},
): TranscriptTreeInput {
  return {
    transcriptId: options.id ?? "transcript",
    windows: splitTranscript(text, options.windowChars ?? DEFAULT_WINDOW_CHARS),
  };
}
