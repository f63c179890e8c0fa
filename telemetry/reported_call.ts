/**
 * Reporting calls LangChain never sees: a node that calls a provider's SDK directly (not through
 * a LangChain chat model) reports the call's usage into the current run, and the
 * `PerformanceCallbackHandler` counts it in that node's stage like any other call.
 *
 * @module
 */
import { z } from "zod";
import type { RawCall, ReportedRawCall } from "./recorder.ts";
import type { SameKeys } from "../pricing/_same_keys.ts";

/** The custom event name the handler listens to. */
export const REPORTED_CALL_EVENT = "graphmeter:llm_call";

const tokenCount = z.number().int().nonnegative();

/** The zod schema of {@linkcode ReportedLLMCallInput}, defaults filled in when parsed. */
export const reportedLLMCallSchema = z.object({
  model: z.string().min(1),
  provider: z.string().min(1),
  inputTokens: tokenCount,
  outputTokens: tokenCount,
  cacheReadTokens: tokenCount.default(0),
  cacheWriteTokens: tokenCount.default(0),
  reasoningTokens: tokenCount.default(0),
  cacheWrite1hTokens: tokenCount.default(0),
  inputAudioTokens: tokenCount.default(0),
  outputAudioTokens: tokenCount.default(0),
  webSearchRequests: tokenCount.default(0),
  fileSearchRequests: tokenCount.default(0),
  serviceTier: z.string().nullable().default(null),
  inferenceGeo: z.string().nullable().default(null),
  providerCostUsd: z.number().nonnegative().nullable().default(null),
  latencyMs: z.number().nonnegative(),
  timeToFirstTokenMs: z.number().nonnegative().nullable().default(null),
  error: z.string().nullable().default(null),
});

/** A call made outside LangChain, as a node reports it (optional fields may be left out). */
export interface ReportedLLMCallInput {
  /** The model that answered. */
  readonly model: string;
  /** The provider, in LangChain's words (`openai`, `anthropic`, `google_genai`, ...). */
  readonly provider: string;
  /** All prompt tokens, cached included. */
  readonly inputTokens: number;
  /** All completion tokens, reasoning included. */
  readonly outputTokens: number;
  /** Prompt tokens read from the provider's cache (default 0). */
  readonly cacheReadTokens?: number;
  /** Prompt tokens written to the provider's cache (default 0). */
  readonly cacheWriteTokens?: number;
  /** Reasoning tokens (default 0). */
  readonly reasoningTokens?: number;
  /** Of `cacheWriteTokens`: written to a 1-hour cache (Anthropic; default 0). */
  readonly cacheWrite1hTokens?: number;
  /** Audio prompt tokens, part of `inputTokens` (default 0). */
  readonly inputAudioTokens?: number;
  /** Audio completion tokens, part of `outputTokens` (default 0). */
  readonly outputAudioTokens?: number;
  /** Server-side web searches (or grounding queries) billed per request (default 0). */
  readonly webSearchRequests?: number;
  /** Server-side file searches (OpenAI's `file_search`) billed per request (default 0). */
  readonly fileSearchRequests?: number;
  /** OpenAI's `service_tier` of the response (`default`, `flex`, `priority`), or null. */
  readonly serviceTier?: string | null;
  /** Anthropic's `usage.inference_geo` (`global`, `us`), or null. */
  readonly inferenceGeo?: string | null;
  /** The cost the provider reported itself (OpenRouter's `usage.cost`), US dollars, or null. */
  readonly providerCostUsd?: number | null;
  /** The call's wall time, ms. */
  readonly latencyMs: number;
  /** Time to the first streamed token, ms, or null (default). */
  readonly timeToFirstTokenMs?: number | null;
  /** The error message of a failed call, or null (default). */
  readonly error?: string | null;
}

// The interface and the schema's input name the same fields.
const _sameFields: SameKeys<ReportedLLMCallInput, z.input<typeof reportedLLMCallSchema>> = true;

/**
 * Validates a reported call and shapes it for the recorder.
 *
 * @param data The custom event's payload.
 * @returns The call, ready for `RunRecorder.reportedCall`.
 * @throws {Error} When the payload is not a valid report (a zod error).
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
  const call = reportedLLMCallSchema.parse(data);
  const usage: RawCall["usage"] = {
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    cacheReadTokens: call.cacheReadTokens,
    cacheWriteTokens: call.cacheWriteTokens,
    reasoningTokens: call.reasoningTokens,
    cacheWrite1hTokens: call.cacheWrite1hTokens,
    inputAudioTokens: call.inputAudioTokens,
    outputAudioTokens: call.outputAudioTokens,
    webSearchRequests: call.webSearchRequests,
    fileSearchRequests: call.fileSearchRequests,
  };
  return {
    runId: crypto.randomUUID(),
    requestedModel: call.model,
    provider: call.provider,
    usage,
    usageIssue: null,
    responseModel: call.model,
    error: call.error,
    llmCacheHit: false,
    billing: call.serviceTier !== null || call.inferenceGeo !== null ||
        call.providerCostUsd !== null
      ? {
        serviceTier: call.serviceTier,
        inferenceGeo: call.inferenceGeo,
        providerCostUsd: call.providerCostUsd,
      }
      : null,
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
  config?: object,
): Promise<void> {
  const manager = runCallbacksOf(config ?? ambientConfig());
  if (manager === null) {
    // Outside a run (no config, no run context) there is nobody to report to: telemetry never
    // breaks the node that reports.
    if (!warnedOutsideRun) {
      warnedOutsideRun = true;
      console.warn("graphmeter: reportLLMCall outside a run was dropped (pass the node's config)");
    }
    return;
  }
  try {
    // The handler validates the report (an invalid one is counted as a handler error there).
    await manager.handleCustomEvent(REPORTED_CALL_EVENT, call, manager.getParentRunId());
  } catch (error) {
    console.warn(`graphmeter: reportLLMCall was dropped (${String(error)})`);
  }
}

let warnedOutsideRun = false;

/**
 * The part of LangChain's run-scoped `CallbackManager` a report needs. A node's `config.callbacks`
 * is one (LangGraph passes each node a child manager of its run); reaching the handlers through it,
 * as core's `dispatchCustomEvent` does, needs no import of `@langchain/core`: the user's own
 * LangChain (0.3.x or 1.x) delivers the event, and graphmeter brings no second copy.
 */
interface RunCallbackManager {
  getParentRunId(): string | undefined;
  handleCustomEvent(name: string, data: unknown, runId: string | undefined): Promise<unknown>;
}

function runCallbacksOf(config: unknown): RunCallbackManager | null {
  const callbacks = (config as { callbacks?: unknown } | null | undefined)?.callbacks as
    | Partial<RunCallbackManager>
    | undefined;
  if (
    typeof callbacks?.getParentRunId !== "function" ||
    typeof callbacks.handleCustomEvent !== "function"
  ) return null;
  const manager = callbacks as RunCallbackManager;
  return manager.getParentRunId() === undefined ? null : manager;
}

/**
 * The config of the run this code is inside, as LangChain keeps it in its async-local storage
 * (the global instance core registers under `Symbol.for("ls:tracing_async_local_storage")` and the
 * child config under `Symbol.for("lc:child_config")`, in 0.3.x and 1.x alike), or undefined.
 */
function ambientConfig(): unknown {
  try {
    const storage = (globalThis as Record<symbol, unknown>)[
      Symbol.for("ls:tracing_async_local_storage")
    ] as { getStore?: () => { extra?: Record<symbol, unknown> } | undefined } | undefined;
    return storage?.getStore?.()?.extra?.[Symbol.for("lc:child_config")];
  } catch {
    return undefined;
  }
}
