/**
 * The simulated model's mistakes (see `quality_profile.ts`): applied to an answer as written,
 * each drawn from the seed, the prompt and the item alone, never from the model's name, so a
 * model with higher rates makes every mistake one with lower rates makes, and more.
 *
 * @module
 */
import { type ChunkAnalysis, type IntegrationDecision, NO_RELEVANT_NODE } from "../schemas.ts";
import { hashOf, randomFrom } from "./random.ts";
import { type ListedNode, listedNodes } from "./listed_nodes.ts";
import { relationshipLabel } from "./topics.ts";
import type { AnswerBehaviour } from "./stage_answers.ts";

/** A draw in [0, 1) for one mistake of one item of one answer: the same for every model. */
function draw(behaviour: AnswerBehaviour, mistake: string, prompt: string, item: number): number {
  return randomFrom(hashOf(behaviour.seed, mistake, prompt, String(item)))();
}

/** Another listed node than `name`, picked by a draw; null when there is none. */
function otherNode(
  nodes: readonly ListedNode[],
  name: string | null,
  behaviour: AnswerBehaviour,
  prompt: string,
  item: number,
): string | null {
  const others = nodes.filter((node) => node.name !== name);
  if (others.length === 0) return null;
  return others[Math.floor(draw(behaviour, "which-node", prompt, item) * others.length)].name;
}

/**
 * A relationship analysis with the model's mistakes: a related chunk said to relate to nothing
 * (`dropRelationshipRate`), or to another listed node (`misplaceNodeRate`).
 *
 * @param answer The analysis as written.
 * @param prompt The prompt (the draws and the listed nodes come from it).
 * @param behaviour The rates and the seed.
 * @returns The analysis as given.
 *
 * @example Usage
 * ```ts
 * import { misanalyse } from "./mistakes.ts";
 * import assert from "node:assert/strict";
 *
 * const analysis = {
 *   name: "Ship", text: "We ship.", reasoning: "r", relevant_node_name: "Launch", relationship: "explains",
 * };
 * const behaviour = {
 *   seed: 0, incompleteChunkRate: 0, relatedThreshold: 0.1, appendThreshold: 0.2, malformedRate: 0,
 *   dropRelationshipRate: 1,
 * };
 * const [dropped] = misanalyse({ analyses: [analysis] }, "prompt", behaviour).analyses;
 * assert.equal(dropped.relevant_node_name, "NO_RELEVANT_NODE");
 * ```
 */
export function misanalyse(
  answer: { analyses: ChunkAnalysis[] },
  prompt: string,
  behaviour: AnswerBehaviour,
): { analyses: ChunkAnalysis[] } {
  const nodes = listedNodes(prompt);
  const analyses = answer.analyses.map((analysis, item): ChunkAnalysis => {
    const related = analysis.relevant_node_name !== NO_RELEVANT_NODE;
    if (related && draw(behaviour, "drop", prompt, item) < (behaviour.dropRelationshipRate ?? 0)) {
      return {
        ...analysis,
        reasoning: "No existing node shares enough of this chunk's key terms to be its home.",
        relevant_node_name: NO_RELEVANT_NODE,
        relationship: null,
      };
    }
    if (draw(behaviour, "misplace", prompt, item) < (behaviour.misplaceNodeRate ?? 0)) {
      const other = otherNode(
        nodes,
        related ? analysis.relevant_node_name : null,
        behaviour,
        prompt,
        item,
      );
      if (other !== null) {
        return {
          ...analysis,
          reasoning: `It continues what "${other}" is about.`,
          relevant_node_name: other,
          relationship: analysis.relationship ?? relationshipLabel(analysis.text),
        };
      }
    }
    return analysis;
  });
  return { analyses };
}

/**
 * Integration decisions with the model's mistakes: a child created as a root
 * (`dropRelationshipRate`), or a node appended to or created under another listed node
 * (`misplaceNodeRate`).
 *
 * @param answer The decisions as written.
 * @param prompt The prompt (the draws and the listed nodes come from it).
 * @param behaviour The rates and the seed.
 * @returns The decisions as given.
 *
 * @example Usage
 * ```ts
 * import { misdecide } from "./mistakes.ts";
 * import assert from "node:assert/strict";
 *
 * const decision = {
 *   action: "CREATE" as const, target_node: "Launch", new_node_name: "Ship", new_node_summary: "s",
 *   relationship_for_edge: "explains", content: "- we ship",
 * };
 * const behaviour = {
 *   seed: 0, incompleteChunkRate: 0, relatedThreshold: 0.1, appendThreshold: 0.2, malformedRate: 0,
 *   dropRelationshipRate: 1,
 * };
 * const [root] = misdecide({ decisions: [decision] }, "prompt", behaviour).decisions;
 * assert.equal(root.target_node, null);
 * ```
 */
export function misdecide(
  answer: { decisions: IntegrationDecision[] },
  prompt: string,
  behaviour: AnswerBehaviour,
): { decisions: IntegrationDecision[] } {
  const nodes = listedNodes(prompt);
  const decisions = answer.decisions.map((decision, item): IntegrationDecision => {
    const child = decision.action === "CREATE" && decision.target_node !== null;
    if (child && draw(behaviour, "drop", prompt, item) < (behaviour.dropRelationshipRate ?? 0)) {
      return { ...decision, target_node: null, relationship_for_edge: null };
    }
    if (
      decision.target_node !== null &&
      draw(behaviour, "misplace", prompt, item) < (behaviour.misplaceNodeRate ?? 0)
    ) {
      const other = otherNode(nodes, decision.target_node, behaviour, prompt, item);
      if (other !== null) return { ...decision, target_node: other };
    }
    return decision;
  });
  return { decisions };
}
