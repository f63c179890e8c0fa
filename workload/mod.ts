/**
 * The reference workload graphmeter benchmarks by default: a voice-to-tree LangGraph pipeline
 * over bundled transcripts, answered by a simulated chat model when no API key is given.
 *
 * @example Run one transcript through the graph with the simulated model
 * ```ts
 * import { ok, strictEqual } from "node:assert/strict";
 * import {
 *   buildTranscriptTreeGraph,
 *   buildTranscriptTreeInput,
 *   loadTranscripts,
 *   modelsForAllStages,
 *   SimulatedChatModel,
 *   treeQuality,
 * } from "./mod.ts";
 *
 * const model = new SimulatedChatModel({ model: "gpt-4.1-mini", seed: 1, timeScale: 0 });
 * const graph = buildTranscriptTreeGraph(modelsForAllStages(model));
 * const [transcript] = await loadTranscripts(["standup"]);
 * const output = await graph.invoke(buildTranscriptTreeInput(transcript.text, { id: transcript.id }));
 * const quality = treeQuality(output);
 * strictEqual(quality.windows, output.windows.length);
 * ok(quality.nodesCreated > 0);
 * ```
 *
 * @module
 */
export {
  buildTranscriptTreeGraph,
  modelsForAllStages,
  type TranscriptTreeGraph,
  type TranscriptTreeGraphOptions,
  type TranscriptTreeModels,
} from "./transcript_tree_graph.ts";
export { type TreeQuality, treeQuality } from "./quality.ts";
export {
  relationshipAccuracy,
  topicRecall,
  transcriptCoverage,
  TREE_EVALUATORS,
  type TreeEvaluator,
  validJson,
} from "./evaluators.ts";
export {
  holderOf,
  loadReferenceTrees,
  type ReferenceTopic,
  type ReferenceTree,
} from "./reference_tree.ts";
export type {
  EvaluationResult,
  Evaluator,
  EvaluatorArgs,
  EvaluatorReturn,
  NamedEvaluator,
} from "../evaluate/evaluator.ts";
export {
  NO_MISTAKES,
  type QualityProfile,
  qualityProfileFor,
  SIMULATED_QUALITY_TIERS,
} from "./simulated/quality_profile.ts";
export {
  buildTranscriptTreeInput,
  type InvalidOutput,
  type TranscriptTreeInput,
  type TranscriptTreeInputOptions,
  type TranscriptTreeState,
  type WorkloadStage,
} from "./state.ts";
export { DEFAULT_WINDOW_CHARS, splitTranscript } from "./splitter.ts";
export { loadTranscripts, type Transcript, TRANSCRIPT_IDS } from "./transcripts.ts";
export type { TreeNode } from "./tree.ts";
export { LLM_STAGES, type LlmStage } from "./prompts/sections.ts";
export {
  DEFAULT_BENCH_TIME_SCALE,
  DEFAULT_SIMULATED_MODEL,
  SimulatedChatModel,
  type SimulatedChatModelFields,
  simulatedModelFor,
} from "./simulated_chat_model.ts";
export type { LatencyProfile } from "./simulated/latency.ts";
export type { AnswerBehaviour } from "./simulated/stage_answers.ts";
export type { Chunk, ChunkAnalysis, IntegrationDecision } from "./schemas.ts";
