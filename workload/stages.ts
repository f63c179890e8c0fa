/**
 * The four stages of the reference workload as plain node functions over the run's state. The
 * three LLM stages call the chat model they are given; node extraction is computed. Nodes know
 * nothing about telemetry: they invoke their model with the node's config, that is all.
 *
 * @module
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { z } from "zod";
import { type JsonAnswer, parseJsonAnswer } from "./json_answer.ts";
import { integrationDecisionPrompt } from "./prompts/integration_decision.ts";
import { relationshipAnalysisPrompt } from "./prompts/relationship_analysis.ts";
import { segmentationPrompt } from "./prompts/segmentation.ts";
import type { StagePrompt } from "./prompts/sections.ts";
import {
  IntegrationDecisionOutput,
  NodeExtractionOutput,
  RelationshipAnalysisOutput,
  SegmentationOutput,
} from "./schemas.ts";
import type { TranscriptTreeState, WorkloadStage } from "./state.ts";
import { applyDecisions, summarizeTree } from "./tree.ts";

/** A stage's node: reads the state, returns the fields it changes. */
export type StageNode = (
  state: TranscriptTreeState,
  config?: RunnableConfig,
) => Promise<Partial<TranscriptTreeState>>;

async function askJson<T>(
  model: BaseChatModel,
  prompt: StagePrompt,
  schema: z.ZodType<T>,
  config?: RunnableConfig,
): Promise<JsonAnswer<T>> {
  const answer = await model.invoke(
    [new SystemMessage(prompt.system), new HumanMessage(prompt.user)],
    config,
  );
  return parseJsonAnswer(answer.text, schema);
}

/** The fields that end the current window early, with an invalid answer recorded if any. */
function endWindow(
  state: TranscriptTreeState,
  stage: WorkloadStage,
  error?: string,
): Partial<TranscriptTreeState> {
  const windowIndex = stage === "segmentation" ? state.windowIndex : state.windowIndex - 1;
  return {
    windowsEndedEarly: state.windowsEndedEarly + 1,
    invalidOutputs: error === undefined
      ? state.invalidOutputs
      : [...state.invalidOutputs, { stage, windowIndex, error }],
  };
}

/**
 * The segmentation node: cuts the next window (after any carried text) into chunks, keeps the
 * complete ones and carries the incomplete ones into the next window. It consumes the window.
 *
 * @param model The chat model to ask.
 * @returns The node function.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { FakeListChatModel } from "@langchain/core/utils/testing";
 * import { segmentationNode } from "./stages.ts";
 * import { initialState } from "./transcript_tree_graph.ts";
 *
 * const model = new FakeListChatModel({
 *   responses: ['{"chunks": [{"name": "Ship", "text": "We ship.", "is_complete": true}]}'],
 * });
 * const update = await segmentationNode(model)(initialState({ transcriptId: "t", windows: ["We ship."] }));
 * deepStrictEqual(update.chunks, [{ name: "Ship", text: "We ship.", is_complete: true }]);
 * ```
 */
export function segmentationNode(model: BaseChatModel): StageNode {
  return async (state, config) => {
    const index = state.windowIndex;
    const isFinalWindow = index >= state.windows.length - 1;
    const prompt = segmentationPrompt({
      window: state.windows[index] ?? "",
      carriedText: state.carriedText,
      isFinalWindow,
    });
    const answer = await askJson(model, prompt, SegmentationOutput, config);
    const next = { windowIndex: index + 1, analyses: [], decisions: [], newNodes: [] };
    if (!answer.ok) {
      return {
        ...next,
        ...endWindow(state, "segmentation", answer.error),
        chunks: [],
        carriedText: "",
        chunksPerWindow: [...state.chunksPerWindow, 0],
      };
    }
    const chunks = answer.value.chunks.map((chunk) =>
      isFinalWindow ? { ...chunk, is_complete: true } : chunk
    );
    const complete = chunks.filter((chunk) => chunk.is_complete);
    const carriedText = chunks.filter((chunk) => !chunk.is_complete).map((chunk) => chunk.text)
      .join(" ");
    return {
      ...next,
      ...(complete.length === 0 ? endWindow(state, "segmentation") : {}),
      chunks: complete,
      carriedText,
      chunksPerWindow: [...state.chunksPerWindow, complete.length],
    };
  };
}

/**
 * The relationship analysis node: relates the window's chunks to the tree so far.
 *
 * @param model The chat model to ask.
 * @returns The node function.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { FakeListChatModel } from "@langchain/core/utils/testing";
 * import { relationshipAnalysisNode } from "./stages.ts";
 * import { initialState } from "./transcript_tree_graph.ts";
 *
 * const model = new FakeListChatModel({ responses: ["not json"] });
 * const update = await relationshipAnalysisNode(model)(initialState({ transcriptId: "t", windows: [] }));
 * strictEqual(update.invalidOutputs?.[0].stage, "relationship_analysis");
 * ```
 */
export function relationshipAnalysisNode(model: BaseChatModel): StageNode {
  return async (state, config) => {
    const prompt = relationshipAnalysisPrompt({
      treeSummary: summarizeTree(state.tree),
      chunks: state.chunks,
    });
    const answer = await askJson(model, prompt, RelationshipAnalysisOutput, config);
    if (!answer.ok) {
      return { ...endWindow(state, "relationship_analysis", answer.error), analyses: [] };
    }
    const analyses = answer.value.analyses;
    return {
      ...(analyses.length === 0 ? endWindow(state, "relationship_analysis") : {}),
      analyses,
    };
  };
}

/**
 * The integration decision node: decides CREATE or APPEND per analysed chunk and applies the
 * decisions to the tree.
 *
 * @param model The chat model to ask.
 * @returns The node function.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { FakeListChatModel } from "@langchain/core/utils/testing";
 * import { integrationDecisionNode } from "./stages.ts";
 * import { initialState } from "./transcript_tree_graph.ts";
 *
 * const model = new FakeListChatModel({
 *   responses: [JSON.stringify({ decisions: [{
 *     action: "CREATE", target_node: null, new_node_name: "Ship", new_node_summary: "Shipping.",
 *     relationship_for_edge: null, content: "- we ship",
 *   }] })],
 * });
 * const update = await integrationDecisionNode(model)(initialState({ transcriptId: "t", windows: [] }));
 * strictEqual(update.tree?.[0].name, "Ship");
 * strictEqual(update.nodesCreated, 1);
 * ```
 */
export function integrationDecisionNode(model: BaseChatModel): StageNode {
  return async (state, config) => {
    const prompt = integrationDecisionPrompt({
      treeSummary: summarizeTree(state.tree),
      analyses: state.analyses,
    });
    const answer = await askJson(model, prompt, IntegrationDecisionOutput, config);
    if (!answer.ok) {
      return { ...endWindow(state, "integration_decision", answer.error), decisions: [] };
    }
    const decisions = answer.value.decisions;
    if (decisions.length === 0) return { ...endWindow(state, "integration_decision"), decisions };
    const applied = applyDecisions(state.tree, decisions);
    const integrated = state.analyses.slice(0, decisions.length).map((analysis) => analysis.text);
    return {
      decisions,
      tree: applied.tree,
      nodesCreated: state.nodesCreated + applied.created.length,
      nodesAppended: state.nodesAppended + applied.appended.length,
      integratedTexts: [...state.integratedTexts, ...integrated],
    };
  };
}

/**
 * The node extraction node: lists the nodes the window's CREATE decisions added to the tree.
 * Computed from the decisions, without an LLM call.
 *
 * @returns The node function.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { nodeExtractionNode } from "./stages.ts";
 * import { initialState } from "./transcript_tree_graph.ts";
 *
 * const state = {
 *   ...initialState({ transcriptId: "t", windows: [] }),
 *   tree: [{ name: "Ship", summary: "s", content: [], parent: null, relationship: null }],
 *   decisions: [{
 *     action: "CREATE" as const, target_node: null, new_node_name: "Ship", new_node_summary: "s",
 *     relationship_for_edge: null, content: "- x",
 *   }],
 * };
 * deepStrictEqual((await nodeExtractionNode()(state)).newNodes, ["Ship"]);
 * ```
 */
export function nodeExtractionNode(): StageNode {
  return (state) => {
    const names = new Set(state.tree.map((node) => node.name));
    const created = state.decisions
      .filter((decision) => decision.action === "CREATE")
      .map((decision) => decision.new_node_name?.trim() ?? "")
      .filter((name) => names.has(name));
    const output = NodeExtractionOutput.parse({ new_nodes: [...new Set(created)] });
    return Promise.resolve({ newNodes: output.new_nodes });
  };
}
