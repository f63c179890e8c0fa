/**
 * The integration decision stage's prompt: for each analysed chunk, decide whether it becomes a
 * new node of the tree or is appended to an existing one, and write its content.
 *
 * @module
 */
import type { ChunkAnalysis } from "../schemas.ts";
import { NO_RELEVANT_NODE } from "../schemas.ts";
import { section, stageMarker, type StagePrompt, TAGS } from "./sections.ts";

const INSTRUCTIONS = `${stageMarker("integration_decision")}

You are the third step of a pipeline that turns live speech into a tree of ideas. The previous
step matched each new chunk of speech against the tree built so far. The tree is listed as one
line per node: "- <name> | <summary> | parent: <parent name or none> (<relationship>)".

Your job: decide, for every analysed chunk, how it enters the tree.

Rules:
1. "APPEND" when the chunk adds detail to the very topic of an existing node: "target_node" is
   that node's exact name, and "new_node_name", "new_node_summary" and "relationship_for_edge"
   are null.
2. "CREATE" when the chunk brings a topic of its own: "new_node_name" is a short, specific
   heading (two to five words, not used by any existing node), "new_node_summary" one sentence,
   "target_node" the parent it hangs under (the relevant node from the analysis) or null when the
   analysis found "${NO_RELEVANT_NODE}", and "relationship_for_edge" the relationship to that
   parent (null for a root).
3. "content" holds the chunk's substance as one to four bullet points, one per line, each
   starting with "- ", written as short notes in the speaker's terms. Keep names, numbers,
   dates and owners; leave out filler.
4. One decision per analysed chunk, in the same order. Never invent facts.

Example. Existing nodes:
- Spring release | The mobile app's spring release plan. | parent: none
- Marketing budget | Forty thousand for the quarter. | parent: Spring release (is part of)
Analyses: "Paid social split" (relevant node "Marketing budget", "elaborates on") and "Referral
fraud check" (relevant node "Marketing budget", "adds a condition to").
A good answer:
{"decisions": [
  {"action": "APPEND", "target_node": "Marketing budget", "new_node_name": null,
"new_node_summary": null, "relationship_for_edge": null, "content": "- Twenty thousand on paid
social in the first two weeks\\n- Then review cost per install"},
  {"action": "CREATE", "target_node": "Marketing budget", "new_node_name": "Referral fraud
check", "new_node_summary": "Referral payouts wait for a fraud check.", "relationship_for_edge":
"adds a condition to", "content": "- Past referral sign-ups were mostly fake accounts\\n- Growth
team to describe the check; Sam asks them"}
]}
The split of the budget is more detail on the budget itself, so it is appended; the fraud check
is a topic of its own with an owner, so it gets its own node under the budget.

Answer with JSON only, no prose and no code fences, in exactly this shape:
{"decisions": [{"action": "CREATE", "target_node": "<name or null>", "new_node_name": "<name>",
"new_node_summary": "<one sentence>", "relationship_for_edge": "<phrase or null>",
"content": "- <bullet>\\n- <bullet>"}]}`;

/** What the integration decision prompt is built from. */
export interface IntegrationDecisionPromptInput {
  /** The text summary of the tree so far. */
  treeSummary: string;
  /** The relationship analysis' answer for the window's chunks. */
  analyses: readonly ChunkAnalysis[];
}

/**
 * Builds the integration decision stage's prompt: the tree summary, then the analysis JSON.
 *
 * @param input The tree summary and the analyses.
 * @returns The system instructions and the user message with the data.
 *
 * @example Usage
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { integrationDecisionPrompt } from "./integration_decision.ts";
 *
 * const prompt = integrationDecisionPrompt({
 *   treeSummary: "(no nodes yet)",
 *   analyses: [{
 *     name: "Launch date", text: "We ship Friday.", reasoning: "Empty tree.",
 *     relevant_node_name: "NO_RELEVANT_NODE", relationship: null,
 *   }],
 * });
 * ok(prompt.system.startsWith("Pipeline stage: integration_decision"));
 * ok(prompt.user.includes('"relevant_node_name": "NO_RELEVANT_NODE"'));
 * ```
 */
export function integrationDecisionPrompt(input: IntegrationDecisionPromptInput): StagePrompt {
  const user = [
    section(TAGS.existingNodes, input.treeSummary),
    section(TAGS.analysisJson, JSON.stringify({ analyses: input.analyses }, null, 2)),
    "Decide how each analysed chunk enters the tree.",
  ].join("\n\n");
  return { system: INSTRUCTIONS, user };
}
