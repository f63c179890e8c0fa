/**
 * The reference workload's evaluators, in the ecosystem's shape: two compare the tree a run built
 * with the transcript's reference tree (topic recall, relationship accuracy), two are structural
 * (how much of the transcript entered the tree, whether every answer was valid JSON). Plain
 * functions of `{ inputs, outputs, referenceOutputs }`; no LLM call.
 *
 * @module
 */
import type { NamedEvaluator } from "../evaluate/evaluator.ts";
import { holderOf, isAtOrAbove, type ReferenceTree, termsFound } from "./reference_tree.ts";
import type { TranscriptTreeInput, TranscriptTreeState } from "./state.ts";
import { treeQuality } from "./quality.ts";

/** An evaluator of the reference workload's runs. */
export type TreeEvaluator = NamedEvaluator<TranscriptTreeInput, TranscriptTreeState, ReferenceTree>;

/** The topics of a reference tree the processed windows speak of (a window cut is not missed). */
function topicsPresent(tree: ReferenceTree, input: TranscriptTreeInput) {
  const spoken = input.windows.join(" ");
  return tree.topics.filter((topic) => termsFound(topic, spoken).enough);
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, 4).map((name) => `"${name}"`).join(", ");
  return names.length > 4 ? `${shown} and ${names.length - 4} more` : shown;
}

/**
 * Topic recall: the share of the reference topics (those the processed windows speak of) that
 * some node of the tree holds (half its key terms, at least two, in one node's name, summary
 * and content).
 *
 * @example Usage
 * ```ts
 * import { topicRecall } from "./evaluators.ts";
 * import { initialState } from "./transcript_tree_graph.ts";
 * import assert from "node:assert/strict";
 *
 * const inputs = { transcriptId: "t", windows: ["The launch moves to April. The marketing budget is set."] };
 * const outputs = {
 *   ...initialState(inputs),
 *   tree: [{ name: "Launch", summary: "The launch moves to April.", content: [], parent: null, relationship: null }],
 * };
 * const referenceOutputs = {
 *   transcript: "t",
 *   topics: [
 *     { topic: "Launch", terms: ["launch", "april"], parent: null },
 *     { topic: "Budget", terms: ["marketing", "budget"], parent: null },
 *   ],
 * };
 * const result = topicRecall.evaluate({ inputs, outputs, referenceOutputs });
 * assert.deepEqual(result, { key: "topic_recall", score: 0.5, comment: 'missing: "Budget"' });
 * ```
 */
export const topicRecall: TreeEvaluator = {
  name: "topic_recall",
  evaluate: ({ inputs, outputs, referenceOutputs }) => {
    if (referenceOutputs === undefined) {
      return { key: "topic_recall", score: null, comment: "no reference tree" };
    }
    const present = topicsPresent(referenceOutputs, inputs);
    if (present.length === 0) {
      return { key: "topic_recall", score: null, comment: "no reference topic in these windows" };
    }
    const missing = present.filter((topic) => holderOf(topic, outputs.tree) === null);
    return {
      key: "topic_recall",
      score: (present.length - missing.length) / present.length,
      comment: missing.length === 0
        ? "every topic found"
        : `missing: ${listed(missing.map((t) => t.topic))}`,
    };
  },
};

/**
 * Relationship accuracy: of the reference topics that belong under another (both spoken of in
 * the processed windows), the share whose node sits at or under the node holding its parent
 * topic (the same node counts: the parent absorbed it).
 *
 * @example Usage
 * ```ts
 * import { relationshipAccuracy } from "./evaluators.ts";
 * import { initialState } from "./transcript_tree_graph.ts";
 * import assert from "node:assert/strict";
 *
 * const inputs = { transcriptId: "t", windows: ["The launch moves to April because refund tests run late."] };
 * const node = (name: string, summary: string, parent: string | null) =>
 *   ({ name, summary, content: [], parent, relationship: null });
 * const outputs = {
 *   ...initialState(inputs),
 *   tree: [node("Launch", "launch in April", null), node("Refunds", "refund tests late", "Launch")],
 * };
 * const referenceOutputs = {
 *   transcript: "t",
 *   topics: [
 *     { topic: "Launch", terms: ["launch", "april"], parent: null },
 *     { topic: "Refund tests", terms: ["refund", "tests"], parent: "Launch" },
 *   ],
 * };
 * const result = relationshipAccuracy.evaluate({ inputs, outputs, referenceOutputs });
 * assert.deepEqual(result, { key: "relationship_accuracy", score: 1, comment: "every relationship right" });
 * ```
 */
export const relationshipAccuracy: TreeEvaluator = {
  name: "relationship_accuracy",
  evaluate: ({ inputs, outputs, referenceOutputs }) => {
    const key = "relationship_accuracy";
    if (referenceOutputs === undefined) return { key, score: null, comment: "no reference tree" };
    const present = topicsPresent(referenceOutputs, inputs);
    const byName = new Map(present.map((topic) => [topic.topic, topic]));
    const edges = present.filter((topic) => topic.parent !== null && byName.has(topic.parent));
    if (edges.length === 0) {
      return { key, score: null, comment: "no reference relationship in these windows" };
    }
    const wrong = edges.filter((topic) => {
      const child = holderOf(topic, outputs.tree);
      const parent = holderOf(byName.get(topic.parent!)!, outputs.tree);
      return child === null || parent === null || !isAtOrAbove(outputs.tree, parent, child);
    });
    return {
      key,
      score: (edges.length - wrong.length) / edges.length,
      comment: wrong.length === 0
        ? "every relationship right"
        : `not under their parent: ${listed(wrong.map((t) => `${t.topic} → ${t.parent}`))}`,
    };
  },
};

/**
 * Transcript coverage (structural): the share of the transcript's words found in the chunks that
 * entered the tree (see `treeQuality`).
 *
 * @example Usage
 * ```ts
 * import { transcriptCoverage } from "./evaluators.ts";
 * import { initialState } from "./transcript_tree_graph.ts";
 * import assert from "node:assert/strict";
 *
 * const inputs = { transcriptId: "t", windows: ["We ship Friday.", "Um okay."] };
 * const outputs = { ...initialState(inputs), integratedTexts: ["We ship Friday."] };
 * assert.deepEqual(transcriptCoverage.evaluate({ inputs, outputs }), {
 *   key: "transcript_coverage",
 *   score: 0.6,
 * });
 * ```
 */
export const transcriptCoverage: TreeEvaluator = {
  name: "transcript_coverage",
  evaluate: ({ outputs }) => ({
    key: "transcript_coverage",
    score: treeQuality(outputs).transcriptWordsCoveredShare,
  }),
};

/**
 * Valid JSON (structural, true or false): every stage answer of the run was JSON of its stage's
 * shape; a run with a malformed answer fails, naming it.
 *
 * @example Usage
 * ```ts
 * import { validJson } from "./evaluators.ts";
 * import { initialState } from "./transcript_tree_graph.ts";
 * import assert from "node:assert/strict";
 *
 * const inputs = { transcriptId: "t", windows: ["Hi."] };
 * const outputs = {
 *   ...initialState(inputs),
 *   invalidOutputs: [{ stage: "segmentation" as const, windowIndex: 0, error: "not JSON" }],
 * };
 * assert.deepEqual(validJson.evaluate({ inputs, outputs }), {
 *   key: "valid_json",
 *   score: false,
 *   comment: "1 invalid answer(s); first: segmentation in window 1: not JSON",
 * });
 * ```
 */
export const validJson: TreeEvaluator = {
  name: "valid_json",
  evaluate: ({ outputs }) => {
    const [first] = outputs.invalidOutputs;
    return {
      key: "valid_json",
      score: first === undefined,
      comment: first === undefined
        ? null
        : `${outputs.invalidOutputs.length} invalid answer(s); first: ${first.stage} in window ` +
          `${first.windowIndex + 1}: ${first.error}`,
    };
  },
};

/**
 * The workload's evaluators, in report order: topic recall and relationship accuracy (against
 * the reference tree), transcript coverage and valid JSON (structural).
 */
export const TREE_EVALUATORS: readonly TreeEvaluator[] = [
  topicRecall,
  relationshipAccuracy,
  transcriptCoverage,
  validJson,
];
