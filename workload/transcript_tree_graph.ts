/**
 * The reference workload as a compiled LangGraph: one invocation turns one whole transcript into a
 * tree, looping `segmentation -> relationship_analysis -> integration_decision -> node_extraction`
 * over its windows, and ending a window early when a stage yields nothing or an invalid answer.
 *
 * @module
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { Runnable } from "@langchain/core/runnables";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import type { LlmStage } from "./prompts/sections.ts";
import {
  integrationDecisionNode,
  nodeExtractionNode,
  relationshipAnalysisNode,
  segmentationNode,
  type StageNode,
} from "./stages.ts";
import type { TranscriptTreeInput, TranscriptTreeState } from "./state.ts";

/** The chat model each LLM stage uses; the same instance may serve every stage. */
export type TranscriptTreeModels = Record<LlmStage, BaseChatModel>;

/** Options of {@linkcode buildTranscriptTreeGraph}. */
export interface TranscriptTreeGraphOptions {
  /**
   * Builds the chat model a run's `configurable` names for a stage, e.g.
   * `{ configurable: { relationship_analysis: "simulated:gpt-4.1-nano" } }` (a knob a search can
   * vary); a stage the run's config does not name uses its model from `models`. Called once per
   * spec (the model is kept for the next runs).
   */
  modelFor?: (spec: string) => BaseChatModel | Promise<BaseChatModel>;
}

/**
 * The compiled reference workload graph (a LangGraph `CompiledStateGraph`), typed as the runnable
 * it is: input a transcript's windows, output the run's final state.
 */
export type TranscriptTreeGraph = Runnable<TranscriptTreeInput, TranscriptTreeState>;

/**
 * The same chat model for every LLM stage.
 *
 * @param model The chat model.
 * @returns The per-stage record {@linkcode buildTranscriptTreeGraph} takes.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { FakeListChatModel } from "@langchain/core/utils/testing";
 * import { modelsForAllStages } from "./transcript_tree_graph.ts";
 *
 * const model = new FakeListChatModel({ responses: ["{}"] });
 * strictEqual(modelsForAllStages(model).integration_decision, model);
 * ```
 */
export function modelsForAllStages(model: BaseChatModel): TranscriptTreeModels {
  return { segmentation: model, relationship_analysis: model, integration_decision: model };
}

/**
 * The recursion limit the compiled graph carries: each window takes at most four supersteps, so
 * this covers transcripts of up to ~2,400 windows (~700,000 characters).
 */
export const TRANSCRIPT_TREE_RECURSION_LIMIT = 10_000;

/**
 * The smallest recursion limit that lets a run over `windowCount` windows finish.
 *
 * @param windowCount The number of windows of the transcript.
 * @returns Four supersteps per window, plus slack.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { recursionLimitFor } from "./transcript_tree_graph.ts";
 *
 * strictEqual(recursionLimitFor(10), 45);
 * ```
 */
export function recursionLimitFor(windowCount: number): number {
  return 4 * windowCount + 5;
}

function replace<T>(fallback: () => T) {
  return Annotation<T>({ reducer: (_before: T, after: T) => after, default: fallback });
}

const TranscriptTreeAnnotation = Annotation.Root({
  transcriptId: replace<string>(() => "transcript"),
  windows: replace<string[]>(() => []),
  windowIndex: replace<number>(() => 0),
  carriedText: replace<string>(() => ""),
  tree: replace<TranscriptTreeState["tree"]>(() => []),
  chunks: replace<TranscriptTreeState["chunks"]>(() => []),
  analyses: replace<TranscriptTreeState["analyses"]>(() => []),
  decisions: replace<TranscriptTreeState["decisions"]>(() => []),
  newNodes: replace<string[]>(() => []),
  chunksPerWindow: replace<number[]>(() => []),
  windowsEndedEarly: replace<number>(() => 0),
  nodesCreated: replace<number>(() => 0),
  nodesAppended: replace<number>(() => 0),
  integratedTexts: replace<string[]>(() => []),
  invalidOutputs: replace<TranscriptTreeState["invalidOutputs"]>(() => []),
});

/**
 * The state a run starts in, for an input (every other field at its default).
 *
 * @param input The transcript's id and windows.
 * @returns The full initial state.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { initialState } from "./transcript_tree_graph.ts";
 *
 * const state = initialState({ transcriptId: "t", windows: ["Hi."] });
 * strictEqual(state.windowIndex, 0);
 * strictEqual(state.tree.length, 0);
 * ```
 */
export function initialState(input: TranscriptTreeInput): TranscriptTreeState {
  return {
    ...input,
    windowIndex: 0,
    carriedText: "",
    tree: [],
    chunks: [],
    analyses: [],
    decisions: [],
    newNodes: [],
    chunksPerWindow: [],
    windowsEndedEarly: 0,
    nodesCreated: 0,
    nodesAppended: 0,
    integratedTexts: [],
    invalidOutputs: [],
  };
}

function nextWindow(state: TranscriptTreeState): "segmentation" | typeof END {
  return state.windowIndex < state.windows.length ? "segmentation" : END;
}

/**
 * Builds and compiles the reference workload graph with the given chat models. The compiled
 * graph carries {@linkcode TRANSCRIPT_TREE_RECURSION_LIMIT} as its recursion limit, so callers
 * pass nothing but their callbacks: `graph.invoke(input, { callbacks })`. With `modelFor`, a
 * run's `configurable` may name a stage's model: `{ configurable: { segmentation:
 * "simulated:gpt-4.1-nano" } }`.
 *
 * @param models The chat model of each LLM stage.
 * @param options How to build the models a run's `configurable` names.
 * @returns The compiled graph.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { FakeListChatModel } from "@langchain/core/utils/testing";
 * import { buildTranscriptTreeGraph } from "./transcript_tree_graph.ts";
 *
 * // A model that finds nothing to note: every window ends right after segmentation.
 * const model = new FakeListChatModel({ responses: ['{"chunks": []}'] });
 * const graph = buildTranscriptTreeGraph({
 *   segmentation: model, relationship_analysis: model, integration_decision: model,
 * });
 * const output = await graph.invoke({ transcriptId: "t", windows: ["Um.", "Okay."] });
 * strictEqual(output.windowIndex, 2);
 * strictEqual(output.windowsEndedEarly, 2);
 * ```
 */
export function buildTranscriptTreeGraph(
  models: TranscriptTreeModels,
  options: TranscriptTreeGraphOptions = {},
): TranscriptTreeGraph {
  const built = new Map<string, Promise<BaseChatModel>>();
  /** The stage's node on the model the run's config names for it, else on its own model. */
  const configurable = (stage: LlmStage, node: (model: BaseChatModel) => StageNode): StageNode => {
    const fixed = node(models[stage]);
    const modelFor = options.modelFor;
    if (modelFor === undefined) return fixed;
    return async (state, config) => {
      const spec = config?.configurable?.[stage];
      if (typeof spec !== "string") return await fixed(state, config);
      let model = built.get(spec);
      if (model === undefined) {
        model = Promise.resolve(modelFor(spec));
        built.set(spec, model);
      }
      return await node(await model)(state, config);
    };
  };
  const graph = new StateGraph(TranscriptTreeAnnotation)
    .addNode("segmentation", configurable("segmentation", segmentationNode))
    .addNode(
      "relationship_analysis",
      configurable("relationship_analysis", relationshipAnalysisNode),
    )
    .addNode("integration_decision", configurable("integration_decision", integrationDecisionNode))
    .addNode("node_extraction", nodeExtractionNode())
    .addConditionalEdges(
      START,
      (state) => state.windows.length > 0 ? "segmentation" : END,
      ["segmentation", END],
    )
    .addConditionalEdges(
      "segmentation",
      (state) => state.chunks.length > 0 ? "relationship_analysis" : nextWindow(state),
      ["relationship_analysis", "segmentation", END],
    )
    .addConditionalEdges(
      "relationship_analysis",
      (state) => state.analyses.length > 0 ? "integration_decision" : nextWindow(state),
      ["integration_decision", "segmentation", END],
    )
    .addConditionalEdges(
      "integration_decision",
      (state) => state.decisions.length > 0 ? "node_extraction" : nextWindow(state),
      ["node_extraction", "segmentation", END],
    )
    .addConditionalEdges("node_extraction", nextWindow, ["segmentation", END])
    .compile();
  return graph.withConfig({
    recursionLimit: TRANSCRIPT_TREE_RECURSION_LIMIT,
  }) as unknown as TranscriptTreeGraph;
}
