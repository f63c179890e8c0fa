/**
 * The tree's nodes as a stage prompt lists them (`- <name> | <summary> | parent: ...`), read
 * back by the simulated model.
 *
 * @module
 */
import { readSection, TAGS } from "../prompts/sections.ts";

/** A node as the prompt lists it. */
export interface ListedNode {
  /** Its name. */
  name: string;
  /** Its one-line summary. */
  summary: string;
}

/**
 * The nodes a prompt's "existing nodes" section lists, in order.
 *
 * @param prompt The prompt's text.
 * @returns The nodes.
 *
 * @example Usage
 * ```ts
 * import { listedNodes } from "./listed_nodes.ts";
 * import { relationshipAnalysisPrompt } from "../prompts/relationship_analysis.ts";
 * import assert from "node:assert/strict";
 *
 * const { user } = relationshipAnalysisPrompt({
 *   treeSummary: "- Launch | The April launch. | parent: none",
 *   chunks: [],
 * });
 * assert.deepEqual(listedNodes(user), [{ name: "Launch", summary: "The April launch." }]);
 * ```
 */
export function listedNodes(prompt: string): ListedNode[] {
  const body = readSection(prompt, TAGS.existingNodes) ?? "";
  return body.split("\n")
    .filter((line) => line.startsWith("- "))
    .map((line) => {
      const [name, summary = ""] = line.slice(2).split(" | ");
      return { name: name.trim(), summary: summary.trim() };
    });
}
