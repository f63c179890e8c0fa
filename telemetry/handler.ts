/**
 * `PerformanceCallbackHandler`: a LangChain callback handler that measures every stage (top-level
 * LangGraph node) and every LLM call of a run, without the graph's nodes knowing it is there.
 *
 * This is the LangChain adapter: each callback reads its arguments (`_callback_args.ts`), hands
 * them to the recorder (`recorder.ts`, the hot path) and returns, synchronously, catching and
 * counting its own failures. It knows no sums: the recorder places each run in its root and stage
 * (from the chain start's metadata), `aggregate.ts` turns a root into metrics, and what happens to
 * finished runs (keep, fold, hand over, read) is the retention's (`retention.ts`). Options and
 * their validation live in `handler_options.ts`. Three private methods are the seams: `#llmStart`
 * is the one place every LLM call passes before it is sent, `#callEnded` the one every finished
 * call passes (priced, when something listens), `#rootFinished` the one every finished run passes.
 *
 * @module
 */
import type { Serialized } from "@langchain/core/load/serializable";
import type { BaseMessage } from "@langchain/core/messages";
import type { LLMResult } from "@langchain/core/outputs";
import type { ChainValues } from "@langchain/core/utils/types";
import type { LLMCallMetrics, PipelineMetrics } from "./metrics.ts";
import { type RawCall, type RawRoot, RunRecorder } from "./recorder.ts";
import { RunRetention } from "./retention.ts";
import { callMetrics, type PricingContext } from "./aggregate.ts";
import {
  failureOf,
  llmEndInfo,
  llmStartInfo,
  streamEventOf,
  toolNameOf,
} from "./_callback_args.ts";
import { parseReportedCall, REPORTED_CALL_EVENT } from "./reported_call.ts";
import {
  maxRetainedRunsOf,
  type PerformanceCallbackHandlerOptions,
  pricingContextOf,
  warnByDefault,
} from "./handler_options.ts";

export type { PerformanceCallbackHandlerOptions };

type Dict = Record<string, unknown>;

/**
 * Measures a LangGraph run stage by stage: each top-level node's latency and executions, and
 * each LLM call's latency, time to first token, tokens and cost. Pass it in the run's callbacks
 * and read {@linkcode PerformanceCallbackHandler.metrics} once `invoke` (or a fully consumed
 * `stream`) resolves: every callback runs inline (`awaitHandlers`), so nothing is still pending.
 * Or push each finished run somewhere with the `onRunEnd` option.
 *
 * Every callback does constant bookkeeping only; pricing and sums happen once per run, when the
 * metrics are read or the run ends with an `onRunEnd` listener. An exception inside the handler is
 * caught and counted in `handlerErrors`, never thrown into the graph. Metrics handed out are
 * frozen values. A handler shared by a long-lived process stays bounded: it keeps
 * `maxRetainedRuns` finished runs in detail and folds older ones into exact sums.
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
 * const finished: string[] = [];
 * const handler = new PerformanceCallbackHandler({ onRunEnd: (run) => finished.push(run.status) });
 * await graph.invoke({ text: "a long transcript" }, { callbacks: [handler] });
 * assert.equal(handler.metrics.stages.summarize.executions, 1);
 * assert.equal(handler.metrics.stages.summarize.llmCalls, 1);
 * assert.deepEqual(finished, ["ok"]);
 * ```
 */
export class PerformanceCallbackHandler {
  /** The handler's name, as LangChain lists it. */
  readonly name: string = "graphmeter_performance";
  /** LangChain awaits every callback inline: timestamps exact, metrics complete at `invoke`'s end. */
  readonly awaitHandlers: boolean = true;
  /** LangChain's flag to rethrow handler errors: never (telemetry never breaks the graph). */
  readonly raiseError: boolean = false;
  /** Whether LLM events are skipped. */
  readonly ignoreLLM: boolean;
  /** Whether chain events are skipped (then no stages are measured). */
  readonly ignoreChain: boolean;
  /** Whether agent events are skipped. */
  readonly ignoreAgent: boolean;
  /** Whether retriever events are skipped. */
  readonly ignoreRetriever: boolean;
  /** Whether custom events are skipped (then `reportLLMCall` is not heard). */
  readonly ignoreCustomEvent: boolean;
  readonly #recorder: RunRecorder;
  readonly #retention: RunRetention;
  readonly #pricing: PricingContext;
  readonly #onRunEnd: ((run: PipelineMetrics) => void) | undefined;
  readonly #onCallEnd: ((call: LLMCallMetrics) => void) | undefined;
  readonly #onError: (error: unknown, count: number) => void;
  #handlerErrors = 0;
  #lastError: unknown = null;

  /**
   * Creates a handler.
   *
   * @param options Price overrides, listeners, retention and LangChain's handler input.
   * @throws {import("../pricing/overrides.ts").PriceOverridesError} When the overrides are invalid.
   */
  constructor(options: PerformanceCallbackHandlerOptions = {}) {
    // LangChain takes any object with a `name`, a `copy()` and these flags as a handler (its
    // `isBaseCallbackHandler` is structural): no base class, so the public type is ours alone.
    this.ignoreLLM = options.ignoreLLM ?? false;
    this.ignoreChain = options.ignoreChain ?? false;
    this.ignoreAgent = options.ignoreAgent ?? false;
    this.ignoreRetriever = options.ignoreRetriever ?? true;
    this.ignoreCustomEvent = options.ignoreCustomEvent ?? false;
    this.#pricing = pricingContextOf(options.priceOverrides);
    this.#recorder = new RunRecorder(options.clock);
    this.#retention = new RunRetention(this.#recorder, this.#pricing, maxRetainedRunsOf(options));
    this.#onRunEnd = options.onRunEnd;
    this.#onCallEnd = options.onCallEnd;
    this.#onError = options.onError ?? warnByDefault;
  }

  /**
   * LangChain copies handlers when it builds child callback managers; a stateful handler is one
   * object (as LangChain's own tracers are), so the copy is this handler.
   *
   * @returns This handler.
   */
  copy(): this {
    return this;
  }

  /** Exceptions raised inside the handler, caught and counted. */
  get handlerErrors(): number {
    return this.#handlerErrors;
  }

  /** The last exception caught inside the handler, for debugging (null when none). */
  get lastHandlerError(): unknown {
    return this.#lastError;
  }

  /**
   * Metrics of every root run kept in detail (running, and at most `maxRetainedRuns` finished),
   * one frozen entry per run, in start order.
   */
  get runs(): readonly PipelineMetrics[] {
    return this.#retention.runs();
  }

  /**
   * The metrics of one root run kept in detail, by its run id.
   *
   * @param runId The root run's id (LangChain's run id of the graph invocation).
   * @returns Its frozen metrics, or undefined when the handler has no such run (any more).
   */
  getRun(runId: string): PipelineMetrics | undefined {
    return this.#retention.run(runId);
  }

  /**
   * Metrics of all root runs seen and not handed over, merged (for a single run: that run's), as
   * a frozen value. Sums are exact over every run; `calls` and execution spans list the runs kept
   * in detail. A read costs what finished since the last one.
   */
  get metrics(): PipelineMetrics {
    return this.#retention.metrics(this.#handlerErrors);
  }

  /**
   * Hands over the metrics of every finished run kept in detail and forgets those runs (runs
   * folded into sums before stay in `metrics`; push runs with `onRunEnd` to never miss one).
   * Runs still going are kept.
   *
   * @returns The finished runs' frozen metrics, in start order.
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
    return this.#retention.take();
  }

  /** Forgets every run measured so far, finished or not, folded sums and the error count. */
  reset(): void {
    this.#retention.reset();
    this.#handlerErrors = 0;
    this.#lastError = null;
  }

  /** Every finished root run passes here: retained (and pushed to `onRunEnd`, if any). */
  #rootFinished(root: RawRoot): void {
    this.#retention.finish(root, this.#onRunEnd && this.#pushRun);
  }

  readonly #pushRun = (run: PipelineMetrics): void => {
    try {
      this.#onRunEnd?.(run);
    } catch (error) {
      this.#fail(error);
    }
  };

  /** Every finished LLM call (ended, failed or reported) passes here. */
  #callEnded(call: RawCall): void {
    if (!this.#onCallEnd) return;
    try {
      this.#onCallEnd(callMetrics(call, this.#pricing, this.#recorder.now()));
    } catch (error) {
      this.#fail(error);
    }
  }

  #fail(error: unknown): void {
    this.#handlerErrors += 1;
    this.#lastError = error;
    try {
      this.#onError(error, this.#handlerErrors);
    } catch {
      // The error listener itself failed: already counted, nothing more to do.
    }
  }

  // LangChain's CallbackManager calls handleChainStart as (chain, inputs, runId, parentRunId,
  // tags, metadata, runType, runName), not in the declared order (runId, runType, tags, metadata,
  // runName, parentRunId): the parameters below are named for what arrives at run time.
  /** @ignore */
  handleChainStart(
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
  handleChainEnd(_outputs: ChainValues, runId: string): void {
    this.#end(runId, null);
  }

  /** @ignore */
  handleChainError(error: Error, runId: string): void {
    this.#end(runId, error);
  }

  /** @ignore */
  handleChatModelStart(
    llm: Serialized,
    messages: BaseMessage[][],
    runId: string,
    parentRunId?: string,
    extraParams?: Record<string, unknown>,
    _tags?: string[],
    metadata?: Record<string, unknown>,
  ): void {
    this.#llmStart(llm, runId, parentRunId, extraParams, metadata, messages);
  }

  /** @ignore */
  handleLLMStart(
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
    messages?: BaseMessage[][],
  ): void {
    try {
      this.#recorder.llmStart(
        runId,
        parentRunId,
        llmStartInfo(llm, extraParams, metadata, messages),
      );
    } catch (error) {
      this.#fail(error);
    }
  }

  /**
   * Under `streamEvents(..., { version: "v3" })` LangChain streams chat models through content
   * block events and never calls `handleLLMNewToken`: `message-start` is the stream's first chunk
   * (so the call counts as streamed), the first delta with content is the first token.
   *
   * @ignore
   */
  handleChatModelStreamEvent(event: unknown, runId: string): void {
    try {
      const streamed = streamEventOf(event);
      if (streamed === "content") {
        this.#recorder.llmFirstContent(runId);
      } else if (streamed !== null) {
        // The stream's first chunk: its usage is what `message_start` said (Anthropic's
        // placeholder output count), as `handleLLMNewToken`'s first chunk would carry it.
        this.#recorder.llmToken(runId, false, streamed.usage);
      }
    } catch (error) {
      this.#fail(error);
    }
  }

  /** @ignore */
  handleLLMNewToken(
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
  handleLLMEnd(
    output: LLMResult,
    runId: string,
    _parentRunId?: string,
    _tags?: string[],
    extraParams?: Record<string, unknown>,
  ): void {
    try {
      const call = this.#recorder.openCall(runId);
      if (!call) return;
      const root = this.#recorder.llmEnd(runId, llmEndInfo(output, call, extraParams));
      this.#callEnded(call);
      if (root) this.#rootFinished(root);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** @ignore */
  handleLLMError(error: Error, runId: string): void {
    this.#end(runId, error);
  }

  /** @ignore */
  handleToolStart(
    tool: Serialized,
    _input: string,
    runId: string,
    parentRunId?: string,
    _tags?: string[],
    _metadata?: Record<string, unknown>,
    runName?: string,
  ): void {
    try {
      this.#recorder.toolStart(runId, parentRunId, toolNameOf(tool, runName));
    } catch (error) {
      this.#fail(error);
    }
  }

  /** @ignore */
  handleToolEnd(_output: unknown, runId: string): void {
    this.#end(runId, null);
  }

  /** @ignore */
  handleToolError(error: Error, runId: string): void {
    this.#end(runId, error);
  }

  /** Ends a chain, LLM or tool run; `error` is null for a success. */
  #end(runId: string, error: unknown): void {
    try {
      const failure = failureOf(error);
      const call = this.#onCallEnd ? this.#recorder.openCall(runId) : null;
      const root = this.#recorder.end(runId, failure);
      if (call) this.#callEnded(call);
      if (root) this.#rootFinished(root);
    } catch (caught) {
      this.#fail(caught);
    }
  }

  /** @ignore */
  handleCustomEvent(eventName: string, data: unknown, runId: string): void {
    if (eventName !== REPORTED_CALL_EVENT) return;
    try {
      const call = this.#recorder.reportedCall(runId, parseReportedCall(data));
      if (call) this.#callEnded(call);
    } catch (error) {
      this.#fail(error);
    }
  }
}
