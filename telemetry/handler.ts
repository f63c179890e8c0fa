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
 * is the one place every LLM call passes before it is sent (a budget guard may stop it there:
 * `_guard_seam.ts`), `#callEnded` the one every finished call passes (priced, when something
 * listens), `#rootFinished` the one every finished run passes.
 *
 * @module
 */
import type { Serialized } from "@langchain/core/load/serializable";
import type { BaseMessage } from "@langchain/core/messages";
import type { LLMResult } from "@langchain/core/outputs";
import type { ChainValues } from "@langchain/core/utils/types";
import type { LLMCallMetrics, PipelineMetrics, ThreadMetrics } from "./metrics.ts";
import { type LLMStartInfo, type RawCall, type RawRoot, RunRecorder } from "./recorder.ts";
import { RunRetention } from "./retention.ts";
import { callCostUsd, callMetrics, type PricingContext } from "./aggregate.ts";
import {
  failureOf,
  llmEndInfo,
  llmStartInfo,
  streamEventOf,
  toolNameOf,
} from "./_callback_args.ts";
import { parseReportedCall, REPORTED_CALL_EVENT } from "./reported_call.ts";
import { type AttemptSink, callScopeOpener } from "./_attempt_hook.ts";
import { attemptAnswerOf, type PlainAttemptAnswer } from "./_plain_attempt.ts";
import { retryDelayFromBody } from "./rate_limit_headers.ts";
import {
  maxRetainedRunsOf,
  maxThreadsOf,
  type PerformanceCallbackHandlerOptions,
  pricingContextOf,
  warnByDefault,
} from "./handler_options.ts";
import { attributionKeysOf } from "./attribution.ts";
import type { GuardedCall } from "./call_guard.ts";
import { GuardSeam } from "./_guard_seam.ts";

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
 * caught and counted in `handlerErrors`, never thrown into the graph (the one error raised on
 * purpose is a `budget` guard's, stopping a call before it is sent). Metrics handed out are
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
  /**
   * LangChain's flag to rethrow handler errors: only with a `budget` guard that stops calls, whose
   * deliberate error must reach the graph (every other exception is caught inside the handler).
   */
  readonly raiseError: boolean;
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
  readonly #guard: GuardSeam | undefined;
  #handlerErrors = 0;
  #lastError: unknown = null;
  /** LLM runs whose HTTP attempt scope was opened at start (their attempts are tracked). */
  readonly #scoped = new Set<string>();
  /** Where HTTP attempt tracking records this handler's calls' attempts. */
  readonly #attemptSink: AttemptSink = {
    sent: (callRunId, pacedMs) => {
      try {
        return this.#recorder.attemptSent(callRunId, pacedMs);
      } catch (error) {
        this.#fail(error);
        return null;
      }
    },
    answered: (callRunId, attempt, answer) => {
      try {
        this.#recorder.attemptAnswered(callRunId, attempt, answer);
      } catch (error) {
        this.#fail(error);
      }
    },
    retryDelay: (callRunId, attempt, delayMs) => {
      try {
        this.#recorder.attemptRetryDelay(callRunId, attempt, delayMs);
      } catch (error) {
        this.#fail(error);
      }
    },
  };

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
    this.#recorder = new RunRecorder(options.clock, attributionKeysOf(options.attributes));
    this.#retention = new RunRetention(
      this.#recorder,
      this.#pricing,
      maxRetainedRunsOf(options),
      maxThreadsOf(options),
    );
    this.#onRunEnd = options.onRunEnd;
    this.#onCallEnd = options.onCallEnd;
    this.#onError = options.onError ?? warnByDefault;
    this.#guard = options.budget && new GuardSeam(options.budget, (error) => this.#fail(error));
    this.raiseError = options.budget?.stopsCalls === true;
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
   * A thread's finished runs rolled up: what one conversation (a LangGraph `thread_id`, many
   * invocations) cost so far, exact over every finished run of it, handed over or folded ones
   * included. The handler keeps the `maxThreads` most recently active threads.
   *
   * @param threadId The thread's id (`configurable.thread_id`).
   * @returns Its frozen sums, or undefined when the handler knows no finished run of it.
   *
   * @example Usage
   * ```ts
   * import { PerformanceCallbackHandler } from "./handler.ts";
   * import { FakeListChatModel } from "@langchain/core/utils/testing";
   * import assert from "node:assert/strict";
   *
   * const handler = new PerformanceCallbackHandler();
   * const model = new FakeListChatModel({ responses: ["hi", "again"] });
   * for (const turn of ["hello", "and?"]) {
   *   await model.invoke(turn, { callbacks: [handler], metadata: { thread_id: "t-1" } });
   * }
   * assert.equal(handler.thread("t-1")?.runCount, 2);
   * assert.equal(handler.thread("t-1")?.totals.llmCalls, 2);
   * ```
   */
  thread(threadId: string): ThreadMetrics | undefined {
    return this.#retention.thread(threadId);
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
    this.#scoped.clear();
    this.#handlerErrors = 0;
    this.#lastError = null;
  }

  /** Every finished root run passes here: retained (and pushed to `onRunEnd`, if any). */
  #rootFinished(root: RawRoot): void {
    this.#retention.finish(root, this.#onRunEnd && this.#pushRun);
    this.#guard?.runEnded(root.id);
  }

  readonly #pushRun = (run: PipelineMetrics): void => {
    try {
      this.#onRunEnd?.(run);
    } catch (error) {
      this.#fail(error);
    }
  };

  /**
   * Every finished LLM call (ended, failed or reported) passes here: priced once for the listener
   * and the guard. `reportedFrom` is the run a reported call was reported from.
   */
  #callEnded(call: RawCall, reportedFrom?: string): void {
    if (!this.#onCallEnd && !this.#guard) return;
    let costUsd: number | null;
    try {
      if (this.#onCallEnd) {
        const metrics = callMetrics(call, this.#pricing, this.#recorder.now());
        costUsd = metrics.costUsd;
        this.#onCallEnd(metrics);
      } else {
        costUsd = callCostUsd(call, this.#pricing);
      }
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (!this.#guard) return;
    if (reportedFrom === undefined) {
      this.#guard.ended(call.runId, costUsd);
      return;
    }
    const root = this.#recorder.rootOf(reportedFrom);
    if (!root) return;
    this.#guard.reported({
      runId: call.runId,
      rootRunId: root.id,
      attribution: root.attribution,
      info: { provider: call.provider, requestedModel: call.requestedModel },
      metadata: undefined,
      extraParams: undefined,
      messages: undefined,
      prompts: undefined,
      pricing: this.#pricing,
      startedAt: call.startedAt,
    }, costUsd);
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

  // LangChain calls a tracer's `_createRunFor*Start` synchronously, in the started run's own
  // async context, before any handler's `handle*Start` (callbacks/manager: "we do this
  // synchronously to avoid race conditions"); it treats any handler with an `_addRunToRunMap`
  // function as a tracer. An LLM call's start is where its HTTP attempts' scope is opened, so
  // every request it makes (retries included) is credited to it, under any concurrency.
  /** @ignore */
  _addRunToRunMap(): void {}

  /** @ignore */
  _createRunForChainStart(): void {}

  /** @ignore */
  _createRunForToolStart(): void {}

  /** @ignore */
  _createRunForRetrieverStart(): void {}

  /** @ignore */
  _createRunForLLMStart(_llm: unknown, _prompts: unknown, runId: string): void {
    this.#openAttemptScope(runId);
  }

  /** @ignore */
  _createRunForChatModelStart(_llm: unknown, _messages: unknown, runId: string): void {
    this.#openAttemptScope(runId);
  }

  /** Opens the call's HTTP attempt scope when attempts are tracked; never throws. */
  #openAttemptScope(runId: string): void {
    const opener = callScopeOpener();
    if (opener === null || typeof runId !== "string" || this.ignoreLLM) return;
    try {
      opener.enter(runId, this.#attemptSink);
      this.#scoped.add(runId);
    } catch (error) {
      this.#fail(error);
    }
  }

  // A user's graph run by the CLI's worker: the worker tracks the HTTP attempts (its `fetch`, its
  // calls' scopes) and forwards them, replayed here like the callbacks, on the worker's clock.
  // Attempts are numbered per call in the order they were sent, as the recorder keeps them.

  /** @ignore */
  handleHttpAttemptsTracked(runId: string): void {
    if (typeof runId === "string" && !this.ignoreLLM) this.#scoped.add(runId);
  }

  /** @ignore */
  handleHttpAttemptSent(runId: string, _index: number, pacedMs: number): void {
    this.#attemptSink.sent(runId, typeof pacedMs === "number" ? pacedMs : 0);
  }

  /** @ignore */
  handleHttpAttemptAnswered(runId: string, index: number, answer: PlainAttemptAnswer): void {
    try {
      const attempt = this.#recorder.openCall(runId)?.attempts?.[index];
      if (attempt) this.#attemptSink.answered(runId, attempt, attemptAnswerOf(answer));
    } catch (error) {
      this.#fail(error);
    }
  }

  /** @ignore */
  handleHttpAttemptRetryBody(runId: string, index: number, body: string): void {
    try {
      const attempt = this.#recorder.openCall(runId)?.attempts?.[index];
      const delayMs = attempt && typeof body === "string" ? retryDelayFromBody(body) : null;
      if (attempt && delayMs !== null) this.#attemptSink.retryDelay(runId, attempt, delayMs);
    } catch (error) {
      this.#fail(error);
    }
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
  ): void | Promise<void> {
    return this.#llmStart(llm, runId, parentRunId, extraParams, metadata, messages);
  }

  /** @ignore */
  handleLLMStart(
    llm: Serialized,
    prompts: string[],
    runId: string,
    parentRunId?: string,
    extraParams?: Record<string, unknown>,
    _tags?: string[],
    metadata?: Record<string, unknown>,
  ): void | Promise<void> {
    return this.#llmStart(llm, runId, parentRunId, extraParams, metadata, undefined, prompts);
  }

  /**
   * Every LLM call passes here before it is sent. Without a guard, the call is recorded and that
   * is all. With one, the guard is asked first (it may answer later: a shared counter), then the
   * call is recorded; when the guard stops it, it is recorded as failed ($0: nothing was sent) and
   * the guard's error is thrown, the one error the handler raises into the graph.
   */
  #llmStart(
    llm: Serialized,
    runId: string,
    parentRunId: string | undefined,
    extraParams: Dict | undefined,
    metadata: Dict | undefined,
    messages?: BaseMessage[][],
    prompts?: string[],
  ): void | Promise<void> {
    let info: LLMStartInfo;
    let call: GuardedCall;
    try {
      info = {
        ...llmStartInfo(llm, extraParams, metadata, messages),
        tracksAttempts: this.#scoped.delete(runId),
      };
      if (!this.#guard) {
        this.#recorder.llmStart(runId, parentRunId, info, metadata);
        return;
      }
      const root = this.#recorder.rootOf(parentRunId);
      call = this.#guard.callOf({
        runId,
        rootRunId: root?.id ?? runId,
        attribution: root?.attribution ?? this.#recorder.attributionOf(metadata),
        info,
        metadata,
        extraParams,
        messages,
        prompts,
        pricing: this.#pricing,
        startedAt: Date.now(),
      });
    } catch (error) {
      this.#fail(error);
      return;
    }
    const stop = this.#guard.ask(call);
    if (stop instanceof Promise) {
      return stop.then((answer) => this.#guardedStart(parentRunId, info, metadata, call, answer));
    }
    this.#guardedStart(parentRunId, info, metadata, call, stop);
  }

  /** Records a guarded call's start, and stops it (throws) when the guard said so. */
  #guardedStart(
    parentRunId: string | undefined,
    info: LLMStartInfo,
    metadata: Dict | undefined,
    call: GuardedCall,
    stop: Error | null,
  ): void {
    try {
      this.#recorder.llmStart(call.runId, parentRunId, info, metadata);
      if (stop === null) {
        this.#guard?.started(call);
      } else {
        const root = this.#recorder.end(call.runId, failureOf(stop));
        if (root) this.#rootFinished(root);
      }
    } catch (error) {
      this.#fail(error);
    }
    if (stop !== null) throw stop;
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
    metadata?: Record<string, unknown>,
    runName?: string,
  ): void {
    try {
      this.#recorder.toolStart(runId, parentRunId, toolNameOf(tool, runName), metadata);
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
      const call = this.#onCallEnd || this.#guard ? this.#recorder.openCall(runId) : null;
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
      if (call) this.#callEnded(call, runId);
    } catch (error) {
      this.#fail(error);
    }
  }
}
