/**
 * The handler's world: {@linkcode PerformanceCallbackHandler}, the LangChain callback handler that
 * measures every stage and LLM call of a LangGraph run; the metric types it fills, each with its
 * validator and the JSON Schema; and {@linkcode reportLLMCall}, for calls LangChain never sees.
 *
 * @example Usage
 * ```ts
 * import { PerformanceCallbackHandler, PipelineMetrics } from "./mod.ts";
 * import { FakeListChatModel } from "@langchain/core/utils/testing";
 * import assert from "node:assert/strict";
 *
 * const handler = new PerformanceCallbackHandler();
 * await new FakeListChatModel({ responses: ["hi"] }).invoke("hello", { callbacks: [handler] });
 * assert.equal(handler.metrics.totals.llmCalls, 1);
 * assert.ok(PipelineMetrics.safeParse(handler.metrics).success);
 * ```
 *
 * @module
 */
export { PerformanceCallbackHandler, type PerformanceCallbackHandlerOptions } from "./handler.ts";
export {
  type ExecutionSpan,
  LLMCallMetrics,
  type MetricsSchema,
  PipelineMetrics,
  pipelineMetricsJsonSchema,
  type PricingInfo,
  StageMetrics,
  type StageTotals,
  ThreadMetrics,
} from "./metrics.ts";
export { type PathFigures, PathMetrics, type ToolSpan } from "./path_metrics.ts";
export { type ReportedLLMCallInput, reportLLMCall } from "./reported_call.ts";
export type { CallGuard, GuardedCall } from "./call_guard.ts";
