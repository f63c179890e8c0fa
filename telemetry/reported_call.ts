/**
 * Reporting calls LangChain never sees: a node that calls a provider's SDK directly (not through
 * a LangChain chat model) reports the call's usage into the current run, and the
 * `PerformanceCallbackHandler` counts it in that node's stage like any other call.
 *
 * @module
 */
import { z } from "zod";
import { dispatchCustomEvent } from "@langchain/core/callbacks/dispatch";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { RawCall, ReportedRawCall } from "./recorder.ts";

/** The custom event name the handler listens to. */
export const REPORTED_CALL_EVENT = "graphmeter:llm_call";

const tokenCount: z.ZodNumber = z.number().int().nonnegative();

type ReportedShape = {
  model: z.ZodString;
  provider: z.ZodString;
  inputTokens: z.ZodNumber;
  outputTokens: z.ZodNumber;
  cacheReadTokens: z.ZodDefault<z.ZodNumber>;
  cacheWriteTokens: z.ZodDefault<z.ZodNumber>;
  reasoningTokens: z.ZodDefault<z.ZodNumber>;
  cacheWrite1hTokens: z.ZodDefault<z.ZodNumber>;
  inputAudioTokens: z.ZodDefault<z.ZodNumber>;
  outputAudioTokens: z.ZodDefault<z.ZodNumber>;
  webSearchRequests: z.ZodDefault<z.ZodNumber>;
  serviceTier: z.ZodDefault<z.ZodNullable<z.ZodString>>;
  inferenceGeo: z.ZodDefault<z.ZodNullable<z.ZodString>>;
  providerCostUsd: z.ZodDefault<z.ZodNullable<z.ZodNumber>>;
  latencyMs: z.ZodNumber;
  timeToFirstTokenMs: z.ZodDefault<z.ZodNullable<z.ZodNumber>>;
  error: z.ZodDefault<z.ZodNullable<z.ZodString>>;
};

/** A call made outside LangChain, as a node reports it. */
export const ReportedLLMCall: z.ZodObject<ReportedShape> = z.object({
  /** The model that answered. */
  model: z.string().min(1),
  /** The provider, in LangChain's words (`openai`, `anthropic`, `google_genai`, ...). */
  provider: z.string().min(1),
  /** All prompt tokens, cached included. */
  inputTokens: tokenCount,
  /** All completion tokens, reasoning included. */
  outputTokens: tokenCount,
  /** Prompt tokens read from the provider's cache. */
  cacheReadTokens: tokenCount.default(0),
  /** Prompt tokens written to the provider's cache. */
  cacheWriteTokens: tokenCount.default(0),
  /** Reasoning tokens. */
  reasoningTokens: tokenCount.default(0),
  /** Of `cacheWriteTokens`: written to a 1-hour cache (Anthropic). */
  cacheWrite1hTokens: tokenCount.default(0),
  /** Audio prompt tokens (part of `inputTokens`). */
  inputAudioTokens: tokenCount.default(0),
  /** Audio completion tokens (part of `outputTokens`). */
  outputAudioTokens: tokenCount.default(0),
  /** Server-side web searches (or grounding queries) billed per request. */
  webSearchRequests: tokenCount.default(0),
  /** OpenAI's `service_tier` of the response (`default`, `flex`, `priority`), or null. */
  serviceTier: z.string().nullable().default(null),
  /** Anthropic's `usage.inference_geo` (`global`, `us`), or null. */
  inferenceGeo: z.string().nullable().default(null),
  /** The cost the provider reported itself (OpenRouter's `usage.cost`), US dollars, or null. */
  providerCostUsd: z.number().nonnegative().nullable().default(null),
  /** The call's wall time, ms. */
  latencyMs: z.number().nonnegative(),
  /** Time to the first streamed token, ms, or null. */
  timeToFirstTokenMs: z.number().nonnegative().nullable().default(null),
  /** The error message of a failed call, or null. */
  error: z.string().nullable().default(null),
});
/** A call made outside LangChain, as a node reports it (defaults filled in). */
export type ReportedLLMCall = z.infer<typeof ReportedLLMCall>;
/** A call made outside LangChain, as a node reports it (optional fields may be left out). */
export type ReportedLLMCallInput = z.input<typeof ReportedLLMCall>;

/**
 * Validates a reported call and shapes it for the recorder.
 *
 * @param data The custom event's payload.
 * @returns The call, ready for `RunRecorder.reportedCall`.
 * @throws {z.ZodError} When the payload is not a valid report.
 *
 * @example Usage
 * ```ts
 * import { parseReportedCall } from "./reported_call.ts";
 * import assert from "node:assert/strict";
 *
 * const call = parseReportedCall({
 *   model: "gemini-2.5-flash-lite",
 *   provider: "google_genai",
 *   inputTokens: 1200,
 *   outputTokens: 80,
 *   latencyMs: 640,
 * });
 * assert.equal(call.usage?.inputTokens, 1200);
 * ```
 */
export function parseReportedCall(data: unknown): ReportedRawCall {
  const call = ReportedLLMCall.parse(data);
  const usage: RawCall["usage"] = {
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    cacheReadTokens: call.cacheReadTokens,
    cacheWriteTokens: call.cacheWriteTokens,
    reasoningTokens: call.reasoningTokens,
  };
  return {
    runId: crypto.randomUUID(),
    requestedModel: call.model,
    provider: call.provider,
    usage,
    responseModel: call.model,
    error: call.error,
    llmCacheHit: false,
    latencyMs: call.latencyMs,
    timeToFirstTokenMs: call.timeToFirstTokenMs,
  };
}

/**
 * Reports an LLM call that LangChain did not see (a node calling a provider's SDK directly) into
 * the current run, so the handler prices it and counts it in the node's stage. Call it from
 * inside the node, passing the node's `config`.
 *
 * @param call The call's model, provider, usage and latency.
 * @param config The node's `RunnableConfig` (the second argument LangGraph passes to a node).
 * @returns A promise that resolves once the handlers have seen the report.
 *
 * @example Usage
 * ```ts
 * import { reportLLMCall } from "./reported_call.ts";
 * import { PerformanceCallbackHandler } from "./handler.ts";
 * import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
 * import assert from "node:assert/strict";
 *
 * const State = Annotation.Root({ text: Annotation<string> });
 * const graph = new StateGraph(State)
 *   .addNode("segmentation", async (_state, config) => {
 *     // ... a direct SDK call happens here ...
 *     await reportLLMCall({
 *       model: "gemini-2.5-flash-lite",
 *       provider: "google_genai",
 *       inputTokens: 1000,
 *       outputTokens: 100,
 *       latencyMs: 420,
 *     }, config);
 *     return { text: "done" };
 *   })
 *   .addEdge(START, "segmentation")
 *   .addEdge("segmentation", END)
 *   .compile();
 *
 * const handler = new PerformanceCallbackHandler();
 * await graph.invoke({ text: "" }, { callbacks: [handler] });
 * assert.equal(handler.metrics.stages.segmentation.inputTokens, 1000);
 * ```
 */
export async function reportLLMCall(
  call: ReportedLLMCallInput,
  config?: RunnableConfig,
): Promise<void> {
  await dispatchCustomEvent(REPORTED_CALL_EVENT, ReportedLLMCall.parse(call), config);
}
