/**
 * `PerformanceCallbackHandler`: a LangChain callback handler that measures every stage (top-level
 * LangGraph node) and every LLM call of a run, without the graph's nodes knowing it is there.
 *
 * @module
 */
import type { Serialized } from "@langchain/core/load/serializable";
import type { BaseMessage } from "@langchain/core/messages";
import type { LLMResult } from "@langchain/core/outputs";
import type { ChainValues } from "@langchain/core/utils/types";
import type { ExecutionSpan, LLMCallMetrics, PipelineMetrics } from "./metrics.ts";
import { type RawCall, type RawRoot, RunRecorder } from "./recorder.ts";
import { extractResult } from "./usage.ts";
import { requestedServerTools } from "./server_tools.ts";
import { checkUsage } from "./usage_check.ts";
import {
  appendAll,
  callMetrics,
  FoldedRuns,
  mergeRuns,
  type PricingContext,
  rootMetrics,
} from "./aggregate.ts";
import { parseReportedCall, REPORTED_CALL_EVENT } from "./reported_call.ts";
import { currentCatalog, PRICE_CATALOG } from "../pricing/catalog.ts";
import { parsePriceOverrides, type PriceOverrides } from "../pricing/overrides.ts";

/** How many finished runs a handler keeps in detail unless told otherwise. */
const DEFAULT_MAX_RETAINED_RUNS = 1000;

/** Options of {@linkcode PerformanceCallbackHandler}. */
export interface PerformanceCallbackHandlerOptions {
  /** Your own per-million-token prices; they win over the catalog. Validated at construction. */
  priceOverrides?: PriceOverrides;
  /**
   * Called once per finished root run, synchronously as it ends, with its final, priced metrics
   * (a call still in flight then is `unfinished`). Push them to a log, a queue or OpenTelemetry.
   * An exception it throws is caught and counted like a handler error.
   */
  onRunEnd?: (run: PipelineMetrics) => void;
  /** Called once per finished LLM call (ended or failed), with its priced metrics (live budgets). */
  onCallEnd?: (call: LLMCallMetrics) => void;
  /**
   * Receives each exception caught inside the handler, with the count so far; it is never thrown
   * into the graph. Default: a `console.warn` at the 1st, 10th, 100th, ... error.
   */
  onError?: (error: unknown, count: number) => void;
  /**
   * Finished runs kept in detail (calls, execution spans) for `runs`, `getRun` and
   * `takeFinishedRuns`; older ones fold into exact running sums, so `metrics` stays exact over any
   * number of runs in bounded memory. Default 1000.
   */
  maxRetainedRuns?: number;
  /** A monotonic clock in ms, for tests (defaults to `performance.now`). */
  clock?: () => number;
  /** LangChain's handler input: skip LLM events. */
  ignoreLLM?: boolean;
  /** LangChain's handler input: skip chain events (then no stages are measured). */
  ignoreChain?: boolean;
  /** LangChain's handler input: skip agent events. */
  ignoreAgent?: boolean;
  /** LangChain's handler input: skip retriever events (default true: they are not measured). */
  ignoreRetriever?: boolean;
  /** LangChain's handler input: skip custom events (then `reportLLMCall` is not heard). */
  ignoreCustomEvent?: boolean;
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

/**
 * The model a call asked for. An Azure OpenAI call goes to a deployment: `AzureChatOpenAI`
 * requests LangChain's default model name (`gpt-3.5-turbo`) unless told otherwise, so the
 * deployment's name (its serialized `deployment_name`) is what was asked for.
 */
function requestedModelOf(
  llm: Serialized | undefined,
  provider: string,
  extraParams: Dict | undefined,
  metadata: Dict | undefined,
): string | null {
  if (provider === "azure") {
    const kwargs = (llm as { kwargs?: Dict } | undefined)?.kwargs;
    const deployment = stringOf(kwargs?.deployment_name) ??
      stringOf(kwargs?.azure_open_ai_api_deployment_name);
    if (deployment) return deployment;
  }
  const params = extraParams?.invocation_params as Dict | undefined;
  return stringOf(params?.model) ?? stringOf(params?.model_name) ??
    stringOf(params?.modelName) ?? stringOf(metadata?.ls_model_name);
}

/** Content block types that carry audio in LangChain messages (v0 and v1 shapes). */
const AUDIO_BLOCKS: ReadonlySet<string> = new Set(["audio", "input_audio"]);

/**
 * True when a prompt sends audio: an `audio`/`input_audio` block, or a media/file block with an
 * `audio/*` MIME type. Only array contents are looked at (a string prompt returns at once).
 */
function hasAudio(messages: BaseMessage[][]): boolean {
  for (const batch of messages) {
    for (const message of batch) {
      const content = (message as { content?: unknown })?.content;
      if (!Array.isArray(content)) continue;
      for (const block of content) {
        const type = (block as Dict | null)?.type;
        if (typeof type === "string" && AUDIO_BLOCKS.has(type)) return true;
        const mime = (block as Dict | null)?.mimeType ?? (block as Dict | null)?.mime_type;
        if (typeof mime === "string" && mime.startsWith("audio/")) return true;
      }
    }
  }
  return false;
}

function warnByDefault(error: unknown, count: number): void {
  if (!/^10*$/.test(String(count))) return;
  console.warn(
    `graphmeter: ${count} error(s) inside PerformanceCallbackHandler, caught (the graph is ` +
      `unaffected); latest: ${messageOf(error)}`,
  );
}

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
  readonly #pricing: PricingContext;
  readonly #onRunEnd: ((run: PipelineMetrics) => void) | undefined;
  readonly #onCallEnd: ((call: LLMCallMetrics) => void) | undefined;
  readonly #onError: (error: unknown, count: number) => void;
  readonly #maxRetainedRuns: number;
  #handlerErrors = 0;
  #lastError: unknown = null;
  /** Metrics of finished roots, computed once (a late call end bumps the version). */
  #memo = new WeakMap<RawRoot, { version: number; metrics: PipelineMetrics }>();
  /** Finished roots still kept in detail, oldest first. */
  #retained: RawRoot[] = [];
  /** Finished roots whose sums are not in `#sums` yet. */
  #pending: RawRoot[] = [];
  /** Sums of the finished runs no longer kept in detail. */
  #folded = new FoldedRuns();
  /** Sums of every finished run not handed over (folded and retained). */
  #sums = new FoldedRuns();
  /** The finished runs kept in detail whose sums are taken, in the order they finished. */
  #detailRuns: PipelineMetrics[] = [];
  /** Execution spans of the finished runs kept in detail, by stage, in the same order. */
  #detailSpans = new Map<string, ExecutionSpan[]>();
  /** The recorder's count of late ends already accounted for. */
  #lateEndsSeen = 0;
  /** The sums need a rebuild (a run handed over, or a summed run changed after its end). */
  #sumsStale = false;
  /** The last merged metrics, while nothing changed. */
  #cached: PipelineMetrics | null = null;
  #cachedVersion = -1;
  #version = 0;

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
    const overrides = options.priceOverrides === undefined
      ? undefined
      : parsePriceOverrides(options.priceOverrides, "priceOverrides");
    const retained = options.maxRetainedRuns ?? DEFAULT_MAX_RETAINED_RUNS;
    if (!Number.isInteger(retained) || retained < 0) {
      throw new RangeError(`maxRetainedRuns must be a whole number ≥ 0, got ${retained}`);
    }
    this.#maxRetainedRuns = retained;
    this.#recorder = new RunRecorder(options.clock);
    this.#pricing = {
      overrides,
      info: Object.freeze({
        catalog: PRICE_CATALOG,
        version: currentCatalog().version,
        dataDate: currentCatalog().dataDate,
        overrideModels: Object.keys(overrides ?? {}).length,
      }),
    };
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
    const now = this.#recorder.now();
    return Object.freeze(this.#recorder.roots.map((root) => this.#metricsOf(root, now)));
  }

  /**
   * The metrics of one root run kept in detail, by its run id.
   *
   * @param runId The root run's id (LangChain's run id of the graph invocation).
   * @returns Its frozen metrics, or undefined when the handler has no such run (any more).
   */
  getRun(runId: string): PipelineMetrics | undefined {
    const root = this.#recorder.roots.find((candidate) => candidate.id === runId);
    return root ? this.#metricsOf(root, this.#recorder.now()) : undefined;
  }

  /**
   * Metrics of all root runs seen and not handed over, merged (for a single run: that run's), as
   * a frozen value. Sums are exact over every run; `calls` and execution spans list the runs kept
   * in detail. A read costs what finished since the last one.
   */
  get metrics(): PipelineMetrics {
    const running = this.#recorder.roots.length > this.#retained.length;
    if (!running && this.#cached && this.#cachedVersion === this.#version) return this.#cached;
    const now = this.#recorder.now();
    const runningRuns = running
      ? this.#recorder.roots.filter((root) => root.endMs === null).map((root) =>
        this.#metricsOf(root, now)
      )
      : [];
    this.#catchUp();
    const finished = this.#sums.asMetrics(this.#pricing.info);
    let merged: PipelineMetrics;
    if (finished === null && runningRuns.length === 1) {
      merged = this.#withErrors(runningRuns[0]);
    } else if (!running && this.#retained.length === 1 && this.#folded.runCount === 0) {
      merged = this.#withErrors(this.#metricsOf(this.#retained[0], now)); // one run: itself
    } else {
      const spans = new Map(this.#detailSpans);
      // The runs whose calls are listed, as of now; the list itself is built when first read.
      const detailRuns = [...this.#detailRuns, ...runningRuns];
      const calls = () => detailRuns.flatMap((run) => run.calls);
      for (const run of runningRuns) {
        for (const stage of Object.values(run.stages)) {
          spans.set(stage.name, [...(spans.get(stage.name) ?? []), ...stage.executionSpans]);
        }
      }
      const runs = finished ? [finished, ...runningRuns] : runningRuns;
      merged = mergeRuns(runs, this.#pricing.info, this.#handlerErrors, { calls, spans });
    }
    if (!running) {
      this.#cached = merged;
      this.#cachedVersion = this.#version;
    }
    return merged;
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
    const now = this.#recorder.now();
    const finished = this.#recorder.removeRoots((root) => root.endMs !== null);
    const taken = new Set(finished);
    this.#retained = this.#retained.filter((root) => !taken.has(root));
    this.#pending = this.#pending.filter((root) => !taken.has(root));
    this.#sumsStale = true;
    this.#version++;
    return finished.map((root) => this.#metricsOf(root, now));
  }

  /** Forgets every run measured so far, finished or not, folded sums and the error count. */
  reset(): void {
    this.#recorder.removeRoots(() => true);
    this.#retained = [];
    this.#pending = [];
    this.#folded = new FoldedRuns();
    this.#sums = new FoldedRuns();
    this.#detailRuns = [];
    this.#detailSpans = new Map();
    this.#sumsStale = false;
    this.#handlerErrors = 0;
    this.#lastError = null;
    this.#version++;
  }

  /** A root's metrics, computed once while nothing changes in it after its end. */
  #metricsOf(root: RawRoot, now: number): PipelineMetrics {
    const memo = this.#memo.get(root);
    if (memo && memo.version === root.version && root.endMs !== null) return memo.metrics;
    const metrics = rootMetrics(root, this.#pricing, 0, now);
    if (root.endMs !== null) {
      this.#memo.set(root, { version: root.version, metrics });
    }
    return metrics;
  }

  /** Adds what finished since the last read to the sums and the detail, or rebuilds when stale. */
  #catchUp(): void {
    const now = this.#recorder.now();
    if (this.#recorder.lateEnds !== this.#lateEndsSeen) {
      // A call ended after its run did: that run's sums changed after they were taken.
      this.#lateEndsSeen = this.#recorder.lateEnds;
      this.#sumsStale = true;
    }
    if (this.#sumsStale) {
      this.#sums = this.#folded.clone();
      this.#detailRuns = [];
      this.#detailSpans = new Map();
      this.#pending = [...this.#retained];
      this.#sumsStale = false;
    }
    for (const root of this.#pending) {
      const run = this.#metricsOf(root, now);
      this.#sums.add(run);
      this.#detailRuns.push(run);
      for (const stage of Object.values(run.stages)) {
        const spans = this.#detailSpans.get(stage.name);
        if (spans) appendAll(spans, stage.executionSpans);
        else this.#detailSpans.set(stage.name, [...stage.executionSpans]);
      }
    }
    this.#pending = [];
  }

  /** Moves the oldest finished run from the detail into the folded sums. */
  #fold(oldest: RawRoot): void {
    this.#catchUp(); // its sums and detail must be in before its detail goes
    const run = this.#metricsOf(oldest, this.#recorder.now());
    this.#folded.add(run);
    // It finished first of those kept, so it and its spans lead the detail lists.
    this.#detailRuns.shift();
    for (const stage of Object.values(run.stages)) {
      this.#detailSpans.get(stage.name)?.splice(0, stage.executionSpans.length);
    }
    this.#recorder.removeRoot(oldest);
  }

  /** Ran at a root's end: push it, keep it in detail, fold the oldest beyond the bound. */
  #rootFinished(root: RawRoot): void {
    this.#retained.push(root);
    this.#pending.push(root);
    if (this.#onRunEnd) {
      try {
        this.#onRunEnd(this.#metricsOf(root, this.#recorder.now()));
      } catch (error) {
        this.#fail(error);
      }
    }
    while (this.#retained.length > this.#maxRetainedRuns) {
      this.#fold(this.#retained.shift() as RawRoot);
    }
  }

  #callEnded(call: RawCall): void {
    if (!this.#onCallEnd) return;
    try {
      this.#onCallEnd(callMetrics(call, this.#pricing, this.#recorder.now()));
    } catch (error) {
      this.#fail(error);
    }
  }

  #withErrors(run: PipelineMetrics): PipelineMetrics {
    return this.#handlerErrors === 0 ? run : Object.freeze({
      ...run,
      handlerErrors: this.#handlerErrors,
    });
  }

  #fail(error: unknown): void {
    this.#handlerErrors += 1;
    this.#lastError = error;
    this.#version++;
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
      const provider = providerOf(llm, metadata);
      this.#recorder.llmStart(runId, parentRunId, {
        promptHasAudio: messages !== undefined && hasAudio(messages),
        provider,
        requestedModel: requestedModelOf(llm, provider, extraParams, metadata),
        requestedServiceTier: stringOf(
          (extraParams?.invocation_params as Dict | undefined)
            ?.service_tier,
        ),
        serverTools: requestedServerTools(extraParams?.invocation_params),
      });
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
      const streamed = event as { event?: unknown; delta?: Dict; usage?: unknown } | null;
      if (streamed?.event === "message-start") {
        // The stream's first chunk: its usage is what `message_start` said (Anthropic's
        // placeholder output count), as `handleLLMNewToken`'s first chunk would carry it.
        const usage = streamed.usage;
        this.#recorder.llmToken(
          runId,
          false,
          typeof usage === "object" && usage !== null ? usage as Dict : null,
        );
        return;
      }
      if (streamed?.event !== "content-block-delta" || !streamed.delta) return;
      const delta = streamed.delta;
      const content = delta.text ?? delta.reasoning ?? delta.args ?? delta.data ?? delta.fields;
      if (content === undefined || content === "") return;
      this.#recorder.llmFirstContent(runId);
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
      const extracted = extractResult(output, {
        provider: call.provider,
        stream: call.streamChunks > 0
          ? { chunks: call.streamChunks, firstChunkUsage: call.firstChunkUsage }
          : undefined,
        serverTools: call.serverTools,
      });
      const usageIssue = extracted.usage === null ? null : checkUsage(extracted.usage);
      const root = this.#recorder.llmEnd(runId, {
        usage: usageIssue === null ? extracted.usage : null,
        usageIssue,
        responseModel: extracted.responseModel,
        llmCacheHit: extraParams?.cached === true,
        billing: extracted.billing,
        usageGaps: extracted.gaps,
      });
      this.#version++;
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
      // LangGraph's control flow (an `interrupt()`, a `Command` to a parent graph, a drain)
      // travels as an error that "bubbles up", from a node or a tool: nothing failed.
      const failed = error !== null && (error as { is_bubble_up?: unknown }).is_bubble_up !== true;
      const call = this.#onCallEnd ? this.#recorder.openCall(runId) : null;
      const root = this.#recorder.end(runId, failed ? messageOf(error) : null);
      this.#version++;
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
      this.#version++;
      if (call) this.#callEnded(call);
    } catch (error) {
      this.#fail(error);
    }
  }
}
