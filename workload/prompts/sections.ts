/**
 * The conventions every prompt of the reference workload follows, shared by the prompt templates
 * and the simulated chat model that answers them: a marker line naming the stage, and data in
 * `<tag>...</tag>` sections.
 *
 * @module
 */

/** The stages of the reference workload that call a chat model. */
export type LlmStage = "segmentation" | "relationship_analysis" | "integration_decision";

/** The stages that call a chat model, in pipeline order. */
export const LLM_STAGES: readonly LlmStage[] = [
  "segmentation",
  "relationship_analysis",
  "integration_decision",
];

/** A prompt as two messages: fixed instructions (system) and the data of this call (user). */
export interface StagePrompt {
  /** The instructions, the same for every call of the stage. */
  system: string;
  /** The data of this call, in tagged sections. */
  user: string;
}

const MARKER_PREFIX = "Pipeline stage: ";

/**
 * The marker line that opens a stage's instructions.
 *
 * @param stage The stage.
 * @returns The line, e.g. `Pipeline stage: segmentation`.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { stageMarker } from "./sections.ts";
 *
 * strictEqual(stageMarker("segmentation"), "Pipeline stage: segmentation");
 * ```
 */
export function stageMarker(stage: LlmStage): string {
  return `${MARKER_PREFIX}${stage}`;
}

/**
 * Finds which stage a prompt belongs to, from its marker line.
 *
 * @param prompt The prompt's text (all messages).
 * @returns The stage, or null when the prompt has no known marker.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { detectStage, stageMarker } from "./sections.ts";
 *
 * strictEqual(detectStage(`${stageMarker("integration_decision")}\nDecide.`), "integration_decision");
 * strictEqual(detectStage("Hello"), null);
 * ```
 */
export function detectStage(prompt: string): LlmStage | null {
  for (const stage of LLM_STAGES) {
    if (prompt.includes(`${stageMarker(stage)}\n`) || prompt.endsWith(stageMarker(stage))) {
      return stage;
    }
  }
  return null;
}

/**
 * Wraps a body in a tagged section.
 *
 * @param tag The section's tag.
 * @param body The section's text.
 * @returns `<tag>\nbody\n</tag>`.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { section } from "./sections.ts";
 *
 * strictEqual(section("window", "Hi."), "<window>\nHi.\n</window>");
 * ```
 */
export function section(tag: string, body: string): string {
  return `<${tag}>\n${body}\n</${tag}>`;
}

/**
 * Reads the body of a tagged section (the first one with that tag).
 *
 * @param prompt The prompt's text.
 * @param tag The section's tag.
 * @returns The body, or null when the prompt has no such section.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { readSection, section } from "./sections.ts";
 *
 * strictEqual(readSection(`x\n${section("window", "Hi.")}\ny`, "window"), "Hi.");
 * strictEqual(readSection("x", "window"), null);
 * ```
 */
export function readSection(prompt: string, tag: string): string | null {
  const open = `<${tag}>\n`;
  const start = prompt.indexOf(open);
  if (start < 0) return null;
  const end = prompt.indexOf(`\n</${tag}>`, start + open.length - 1);
  if (end < 0) return null;
  return prompt.slice(start + open.length, end);
}

/** The section tags the prompts use. */
export const TAGS = {
  /** Text carried over from the previous window (an incomplete thought). */
  carriedText: "carried_text",
  /** The window's transcript text. */
  window: "window",
  /** `yes` when the window is the transcript's last. */
  finalWindow: "is_final_window",
  /** The text summary of the tree so far. */
  existingNodes: "existing_nodes",
  /** Segmentation's JSON (complete chunks). */
  chunksJson: "chunks_json",
  /** Relationship analysis' JSON. */
  analysisJson: "analysis_json",
} as const;

/** The body of an empty section (no carried text, say). */
export const NONE = "(none)";
