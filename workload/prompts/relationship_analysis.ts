/**
 * The relationship analysis stage's prompt: for each new chunk, find the existing node of the
 * tree it belongs with, if any.
 *
 * @module
 */
import type { Chunk } from "../schemas.ts";
import { NO_RELEVANT_NODE } from "../schemas.ts";
import { section, stageMarker, type StagePrompt, TAGS } from "./sections.ts";

const INSTRUCTIONS = `${stageMarker("relationship_analysis")}

You are the second step of a pipeline that turns live speech into a tree of ideas. The previous
step cut the latest speech into chunks. The tree built so far is listed as one line per node:
"- <name> | <summary> | parent: <parent name or none> (<relationship to the parent>)".

Your job: for every chunk, decide which existing node it is most closely related to, and how.

Rules:
1. Judge by meaning, not by shared words alone: a chunk relates to a node when it continues,
   explains, questions, contradicts, gives an example of, or is a part of that node's topic.
2. Pick at most one node per chunk, by its exact name as listed. When no node is a good fit, or
   the tree is empty, use "${NO_RELEVANT_NODE}" and set "relationship" to null.
3. Describe the relationship with a short verb phrase seen from the chunk, such as
   "elaborates on", "explains", "contrasts with", "gives an example of", "is a step of".
4. In "reasoning", say in one or two sentences why you chose that node (or none).
5. Copy each chunk's "name" and "text" unchanged, and keep the chunks in their order.

Example. Existing nodes:
- Spring release | The mobile app's spring release plan. | parent: none
- Launch date | Launch moves to April 28 after refund tests. | parent: Spring release (is part of)
- Marketing budget | Forty thousand for the quarter. | parent: Spring release (is part of)
Chunks: "Referral fraud" ("Last time most referral sign-ups were fake accounts, so we need a fraud
check before paying out.") and "Team lunch" ("Also, lunch on Friday is at the Thai place.").
A good answer:
{"analyses": [
  {"name": "Referral fraud", "text": "Last time most referral sign-ups were fake accounts, so we
need a fraud check before paying out.", "reasoning": "The referral bonus is part of how the
marketing budget is spent; the chunk adds a condition on that spending.",
"relevant_node_name": "Marketing budget", "relationship": "adds a condition to"},
  {"name": "Team lunch", "text": "Also, lunch on Friday is at the Thai place.", "reasoning":
"A social arrangement unrelated to the release, its launch or its budget.",
"relevant_node_name": "${NO_RELEVANT_NODE}", "relationship": null}
]}

Answer with JSON only, no prose and no code fences, in exactly this shape:
{"analyses": [{"name": "<chunk name>", "text": "<chunk text>", "reasoning": "<why>",
"relevant_node_name": "<node name or ${NO_RELEVANT_NODE}>", "relationship": "<verb phrase or null>"}]}`;

/** What the relationship analysis prompt is built from. */
export interface RelationshipAnalysisPromptInput {
  /** The text summary of the tree so far. */
  treeSummary: string;
  /** The window's complete chunks, as segmentation gave them. */
  chunks: readonly Chunk[];
}

/**
 * Builds the relationship analysis stage's prompt: the tree summary, then segmentation's JSON.
 *
 * @param input The tree summary and the chunks.
 * @returns The system instructions and the user message with the data.
 *
 * @example Usage
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { relationshipAnalysisPrompt } from "./relationship_analysis.ts";
 *
 * const prompt = relationshipAnalysisPrompt({
 *   treeSummary: "(no nodes yet)",
 *   chunks: [{ name: "Launch date", text: "We ship Friday.", is_complete: true }],
 * });
 * ok(prompt.user.includes('"name": "Launch date"'));
 * ```
 */
export function relationshipAnalysisPrompt(input: RelationshipAnalysisPromptInput): StagePrompt {
  const user = [
    section(TAGS.existingNodes, input.treeSummary),
    section(TAGS.chunksJson, JSON.stringify({ chunks: input.chunks }, null, 2)),
    "Analyse how each chunk relates to the existing nodes.",
  ].join("\n\n");
  return { system: INSTRUCTIONS, user };
}
