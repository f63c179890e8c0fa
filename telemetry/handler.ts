/**
 * `PerformanceCallbackHandler`: a LangChain callback handler that measures every stage (top-level
 * LangGraph node) and every LLM call of a run, without the graph's nodes knowing it is there.
 *
 * @module
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { Serialized } from "@langchain/core/load/serializable";
import type { BaseMessage } from "@langchain/core/messages";
import type { LLMResult } from "@langchain/core/outputs";
import type { ChainValues } from "@langchain/core/utils/types";
import type { LLMCallMetrics, PipelineMetrics, PricingInfo } from "./metrics.ts";
import { type RawCall, type RawRoot, RunRecorder } from "./recorder.ts";
import { extractResult } from "./usage.ts";
import { callMetrics, mergeRuns, rootMetrics } from "./aggregate.ts";
import { parseReportedCall, REPORTED_CALL_EVENT } from "./reported_call.ts";
import { PRICE_CATALOG, PRICE_CATALOG_VERSION } from "../pricing/estimate.ts";
import { parsePriceOverrides, type PriceOverrides } from "../pricing/overrides.ts";

/** Options of {@linkcode PerformanceCallbackHandler}. */
export interface PerformanceCallbackHandlerOptions {
  /** Your own per-million-token prices; they win over the catalog. Validated at construction. */
  priceOverrides?: PriceOverrides;
  /** A monotonic clock in ms, for tests (defaults to `performance.now`). */
  clock?: () => number;
  /**
   * Called once per finished LLM call (success or error), synchronously at its end, with the
   * call's priced metrics: e.g. to hold a benchmark to a budget while it runs.
   */
  onCallEnd?: (call: LLMCallMetrics) => void;
}

type Dict = Record<string, unknown>;

function stringOf(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function providerOf(llm: Serialized | undefined, metadata: Dict | undefined): string {
  const fromMetadata = stringOf(metadata?.ls_provider);
  if (fromMetadata) return fromMetadata;
  const id = llm?.id;
  return Array.isArray(id) && id.length >= 2 ? String(id[id.length - 2]) : "unknown";
}

function requestedModelOf(
  extraParams: Dict | undefined,
  metadata: Dict | undefined,
): string | null {
  const params = extraParams?.invocation_params as Dict | undefined;
  return stringOf(params?.model) ?? stringOf(params?.model_name) ??
    stringOf(params?.modelName) ?? stringOf(metadata?.ls_model_name);
}

/**
 * Measures a LangGraph run stage by stage: each top-level node's latency and executions, and
 * each LLM call's latency, time to first token, tokens and cost. Pass it in the run's callbacks
 * and read {@linkcode PerformanceCallbackHandler.metrics} once `invoke` (or a fully consumed
 * `stream`) resolves: every callback runs inline (`awaitHandlers`), so nothing is still pending.
 *
 * Every callback does constant bookkeeping only; pricing and sums happen when the metrics are
 * read, once per call. An exception inside the handler is caught and counted in
 * `handlerErrors`, never thrown into the graph.
 *
 * @example Usage
 * ```ts
 * import { PerformanceCallbackHandler } from "./handler.ts";
 * import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
 * import { FakeListChatModel } from "@langchain/core/utils/testing";
 * import assert from "node:assert/strict";
 *
 * const model = new FakeListChatModel({ responses: ["a summary"] });
 * const State = Annotation.Root({ text: Annotation<string> });
 * const graph = new StateGraph(State)
 *   .addNode("summarize", async (state) => ({ text: String((await model.invoke(state.text)).content) }))
 *   .addEdge(START, "summarize")
 *   .addEdge("summarize", END)
 *   .compile();
 *
 * const handler = new PerformanceCallbackHandler();
 * await graph.invoke({ text: "a long transcript" }, { callbacks: [handler] });
 * assert.equal(handler.metrics.stages.summarize.executions, 1);
 * assert.equal(handler.metrics.stages.summarize.llmCalls, 1);
 * ```
 */
export class PerformanceCallbackHandler extends BaseCallbackHandler {
  /** The handler's name, as LangChain lists it. */
  name = "graphmeter_performance";
  readonly #recorder: RunRecorder;
  readonly #overrides: PriceOverrides | undefined;
  readonly #pricingInfo: PricingInfo;
  readonly #onCallEnd: ((call: LLMCallMetrics) => void) | undefined;
  #handlerErrors = 0;
  #lastError: unknown = null;
  #memo = new WeakMap<object, { version: number; metrics: PipelineMetrics }>();

  /**
   * Creates a handler.
   *
   * @param options Price overrides and, for tests, a clock.
   * @throws {import("../pricing/overrides.ts").PriceOverridesError} When the overrides are invalid.
   */
  constructor(options: PerformanceCallbackHandlerOptions = {}) {
    // Inline callbacks: timestamps are exact and metrics complete when `invoke` resolves.
    super({ _awaitHandler: true, ignoreRetriever: true });
    this.#overrides = options.priceOverrides === undefined
      ? undefined
      : parsePriceOverrides(options.priceOverrides, "priceOverrides");
    this.#recorder = new RunRecorder(options.clock);
    this.#onCallEnd = options.onCallEnd;
    this.#pricingInfo = {
      catalog: PRICE_CATALOG,
      version: PRICE_CATALOG_VERSION,
      overrideModels: Object.keys(this.#overrides ?? {}).length,
    };
  }

  /** Exceptions raised inside the handler, caught and counted. */
  get handlerErrors(): number {
    return this.#handlerErrors;
  }

  /** The last exception caught inside the handler, for debugging (null when none). */
  get lastHandlerError(): unknown {
    return this.#lastError;
  }

  /** Metrics of every root run seen, one entry per run, in start order. */
  get runs(): PipelineMetrics[] {
    const now = this.#recorder.now();
    return this.#recorder.roots.map((root) => this.#metricsOf(root, now));
  }

  /** A root's metrics, memoized while nothing changes in a finished root. */
  #metricsOf(root: RawRoot, now: number): PipelineMetrics {
    const memo = this.#memo.get(root);
    if (memo && memo.version === root.version && root.endMs !== null) {
      return { ...memo.metrics, handlerErrors: this.#handlerErrors };
    }
    const pricing = { overrides: this.#overrides, info: this.#pricingInfo };
    const metrics = rootMetrics(root, pricing, this.#handlerErrors, now);
    this.#memo.set(root, { version: root.version, metrics });
    return metrics;
  }

  /** Metrics of all root runs seen, merged (for a single run: that run's metrics). */
  get metrics(): PipelineMetrics {
    return mergeRuns(this.runs, this.#pricingInfo, this.#handlerErrors);
  }

  /**
   * Hands over the metrics of every finished run and forgets those runs, so a handler shared by
   * a long-lived process stays small: call it periodically and ship what it returns (to a log,
   * or with `exportToOpenTelemetry`). Runs still going are kept.
   *
   * @returns The finished runs' metrics, in start order.
   *
   * @example Usage
   * ```ts
   * import { PerformanceCallbackHandler } from "./handler.ts";
   * import { FakeListChatModel } from "@langchain/core/utils/testing";
   * import assert from "node:assert/strict";
   *
   * const handler = new PerformanceCallbackHandler();
   * await new FakeListChatModel({ responses: ["hi"] }).invoke("hello", { callbacks: [handler] });
   * assert.equal(handler.takeFinishedRuns().length, 1);
   * assert.equal(handler.runs.length, 0);
   * ```
   */
  takeFinishedRuns(): PipelineMetrics[] {
    const finished = this.#recorder.removeRoots((root) => root.endMs !== null);
    return finished.map((root) => this.#metricsOf(root, this.#recorder.now()));
  }

  /** Forgets every run measured so far, finished or not, and the handler's error count. */
  reset(): void {
    this.#recorder.removeRoots(() => true);
    this.#handlerErrors = 0;
    this.#lastError = null;
  }

  #fail(error: unknown): void {
    this.#handlerErrors += 1;
    this.#lastError = error;
  }

  // LangChain's CallbackManager calls handleChainStart as (chain, inputs, runId, parentRunId,
  // tags, metadata, runType, runName), not in the declared order (runId, runType, tags, metadata,
  // runName, parentRunId): the parameters below are named for what arrives at run time.
  /** @ignore */
  override handleChainStart(
    _chain: Serialized,
    _inputs: ChainValues,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    metadata?: Record<string, unknown>,
    _runType?: string,
    runName?: string,
  ): void {
    try {
      this.#recorder.chainStart(runId, parentRunId, { tags, metadata, runName });
    } catch (error) {
      this.#fail(error);
    }
  }

  /** @ignore */
  override handleChainEnd(_outputs: ChainValues, runId: string): void {
    this.#end(runId, null);
  }

  /** @ignore */
  override handleChainError(error: Error, runId: string): void {
    this.#end(runId, error);
  }

  /** @ignore */
  override handleChatModelStart(
    llm: Serialized,
    _messages: BaseMessage[][],
    runId: string,
    parentRunId?: string,
    extraParams?: Record<string, unknown>,
    _tags?: string[],
    metadata?: Record<string, unknown>,
  ): void {
    this.#llmStart(llm, runId, parentRunId, extraParams, metadata);
  }

  /** @ignore */
  override handleLLMStart(
    llm: Serialized,
    _prompts: string[],
    runId: string,
    parentRunId?: string,
    extraParams?: Record<string, unknown>,
    _tags?: string[],
    metadata?: Record<string, unknown>,
  ): void {
    this.#llmStart(llm, runId, parentRunId, extraParams, metadata);
  }

  #llmStart(
    llm: Serialized,
    runId: string,
    parentRunId: string | undefined,
    extraParams: Dict | undefined,
    metadata: Dict | undefined,
  ): void {
    try {
      this.#recorder.llmStart(runId, parentRunId, {
        provider: providerOf(llm, metadata),
        requestedModel: requestedModelOf(extraParams, metadata),
      });
    } catch (error) {
      this.#fail(error);
    }
  }

  /** @ignore */
  override handleLLMNewToken(
    token: string,
    _idx: unknown,
    runId: string,
    _parentRunId?: string,
    _tags?: string[],
    fields?: { chunk?: unknown },
  ): void {
    try {
      const message = (fields?.chunk as { message?: Dict } | undefined)?.message;
      const toolCallChunks = message?.tool_call_chunks;
      const hasContent = token !== "" ||
        (Array.isArray(toolCallChunks) && toolCallChunks.length > 0);
      this.#recorder.llmToken(runId, hasContent, (message?.usage_metadata as Dict) ?? null);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** @ignore */
  override handleLLMEnd(
    output: LLMResult,
    runId: string,
    _parentRunId?: string,
    _tags?: string[],
    extraParams?: Record<string, unknown>,
  ): void {
    try {
      const call = this.#recorder.openCall(runId);
      if (!call) return;
      const { usage, responseModel } = extractResult(output, {
        provider: call.provider,
        stream: call.streamChunks > 0
          ? { chunks: call.streamChunks, firstChunkUsage: call.firstChunkUsage }
          : undefined,
      });
      this.#recorder.llmEnd(runId, {
        usage,
        responseModel,
        llmCacheHit: extraParams?.cached === true,
      });
      this.#callEnded(call);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** @ignore */
  override handleLLMError(error: Error, runId: string): void {
    const call = this.#onCallEnd ? this.#recorder.openCall(runId) : undefined;
    this.#end(runId, error);
    if (call) this.#callEnded(call);
  }

  /** Hands a finished call's priced metrics to `onCallEnd`, if any. */
  #callEnded(call: RawCall): void {
    if (!this.#onCallEnd) return;
    try {
      const pricing = { overrides: this.#overrides, info: this.#pricingInfo };
      this.#onCallEnd(callMetrics(call, pricing, this.#recorder.now()));
    } catch (error) {
      this.#fail(error);
    }
  }

  /** @ignore */
  override handleToolStart(
    _tool: Serialized,
    _input: string,
    runId: string,
    parentRunId?: string,
  ): void {
    try {
      this.#recorder.toolStart(runId, parentRunId);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** @ignore */
  override handleToolEnd(_output: unknown, runId: string): void {
    this.#end(runId, null);
  }

  /** @ignore */
  override handleToolError(error: Error, runId: string): void {
    this.#end(runId, error);
  }

  /** Ends a chain, LLM or tool run; `error` is null for a success. */
  #end(runId: string, error: unknown): void {
    try {
      // LangGraph's control flow (an `interrupt()`, a `Command` to a parent graph, a drain)
      // travels as an error that "bubbles up", from a node or a tool: nothing failed.
      const failed = error !== null && (error as { is_bubble_up?: unknown }).is_bubble_up !== true;
      this.#recorder.end(runId, failed ? messageOf(error) : null);
    } catch (caught) {
      this.#fail(caught);
    }
  }

  /** @ignore */
  override handleCustomEvent(eventName: string, data: unknown, runId: string): void {
    if (eventName !== REPORTED_CALL_EVENT) return;
    try {
      this.#recorder.reportedCall(runId, parseReportedCall(data));
    } catch (error) {
      this.#fail(error);
    }
  }
}
