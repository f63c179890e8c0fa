/**
 * The hot path: a run tree keyed by LangChain run id that attributes every chain, LLM and tool
 * run to its root run, its top-level stage and the node execution it runs in (at any depth: a
 * subgraph's nodes are executions inside their parent node's), and records timestamps and raw
 * usage only. Nothing here prices, aggregates or allocates more than a record per run.
 *
 * @module
 */
import type { TokenUsage } from "../pricing/token_usage.ts";
import type { CallBilling } from "../pricing/price_call.ts";
import type { HeaderSource } from "./rate_limit_headers.ts";
import { type Attribution, attributionOf, DEFAULT_ATTRIBUTION_KEYS } from "./attribution.ts";
import {
  childPath,
  isNestedExecution,
  namespaceOf,
  type RawExecution,
  type RawPath,
  type RawToolRun,
} from "./_raw_paths.ts";

export type { RawExecution, RawPath, RawToolRun };

/** The stage name of LLM calls made outside any graph node. */
export const UNATTRIBUTED_STAGE = "(unattributed)";

/** Raw measurements of one stage within one root run. */
export interface RawStage {
  /** The node's name. */
  readonly name: string;
  /** Node executions started. */
  executions: number;
  /** Summed wall time of finished executions, ms. */
  latencyMs: number;
  /** Failed executions, LLM calls and tool runs. */
  errors: number;
  /** Tool runs started. */
  toolCalls: number;
  /** Summed wall time of finished tool runs, ms. */
  toolLatencyMs: number;
  /** Each finished execution of the stage's node, in end order. */
  readonly executionSpans: RawExecution[];
  /** The stage's node path, made at its first execution (null before, and when it has none). */
  path: RawPath | null;
}

/** How an HTTP attempt failed without an answer. */
export type AttemptFailure = "aborted" | "network_error" | "not_sent";

/** Raw measurements of one HTTP attempt of a call: timestamps, and what the answer said. */
export interface RawAttempt {
  /** Monotonic ms when the request was sent (after any pacing). */
  readonly sentMs: number;
  /** How long the benchmark's pacer held the request before it was sent, ms. */
  readonly pacedMs: number;
  /** Monotonic ms of the answer's headers or the failure; null while waiting. */
  endMs: number | null;
  /** The HTTP status, or null without an answer. */
  status: number | null;
  /** How it failed without an answer, or null. */
  failure: AttemptFailure | null;
  /** The answer's headers (read for rate limits when the metrics are built), or null. */
  headers: HeaderSource | null;
  /** A retry delay the answer's body asked for (Gemini's 429), ms, or null. */
  bodyRetryDelayMs: number | null;
}

/** What became of an HTTP attempt: an answer (status and headers) or a failure. */
export type AttemptAnswer =
  | { status: number; headers: HeaderSource | null; failure?: undefined }
  | { status?: undefined; headers?: undefined; failure: AttemptFailure };

/** Raw measurements of one LLM call. */
export interface RawCall {
  /** LangChain's run id. */
  readonly runId: string;
  /** The stage it belongs to. */
  readonly stage: string;
  /** The node execution it was made in (at any depth), or null outside any node. */
  readonly execution: RawExecution | null;
  /** The requested model, when known. */
  readonly requestedModel: string | null;
  /** The provider, as LangChain names it. */
  readonly provider: string;
  /** Epoch ms at start. */
  readonly startedAt: number;
  /** Monotonic ms at start. */
  readonly startMs: number;
  /** Monotonic ms at end or error; null while running. */
  endMs: number | null;
  /** Monotonic ms of the first streamed (non-empty) token; null when not streamed. */
  firstTokenMs: number | null;
  /** Streamed chunks seen (empty ones included); 0 when not streamed. */
  streamChunks: number;
  /** The `usage_metadata` the first streamed chunk carried, if any. */
  firstChunkUsage: Record<string, unknown> | null;
  /** Reported usage; null when none was reported (or what arrived was not valid). */
  usage: TokenUsage | null;
  /** Why usage that arrived was not taken, or null. */
  usageIssue: string | null;
  /** The model the provider answered with. */
  responseModel: string | null;
  /** Error message of a failed call. */
  error: string | null;
  /** Answered from LangChain's LLM cache. */
  llmCacheHit: boolean;
  /** Service tier, data residency, provider-reported cost (the requested tier until the end). */
  billing: CallBilling | null;
  /** The prompt sent audio (so an integration that reports no audio count hid it). */
  promptHasAudio?: boolean;
  /** Server-side tools the call asked for (`web_search_20250305`, `x_search`, ...). */
  serverTools?: readonly string[];
  /** Parts of the bill the answer hides (`server_tool_input:unreported`, ...), for `costMissing`. */
  usageGaps?: readonly string[];
  /** Its HTTP attempts, in order; null when they were not tracked. */
  attempts: RawAttempt[] | null;
}

/** A finished call reported from inside a run (not seen by LangChain), as the recorder takes it. */
export type ReportedRawCall =
  & Pick<
    RawCall,
    | "runId"
    | "requestedModel"
    | "provider"
    | "usage"
    | "usageIssue"
    | "responseModel"
    | "error"
    | "llmCacheHit"
    | "billing"
  >
  & {
    /** The call's wall time, ms. */
    latencyMs: number;
    /** Time to the first streamed token, ms, or null. */
    timeToFirstTokenMs: number | null;
  };

/** Raw measurements of one root run. */
export interface RawRoot {
  /** The root run's id. */
  readonly id: string;
  /** Epoch ms at start. */
  readonly startedAt: number;
  /** Monotonic ms at start. */
  readonly startMs: number;
  /** Monotonic ms at end; null while running. */
  endMs: number | null;
  /** The root's error message, if it failed. */
  error: string | null;
  /** Stages in first-start order. */
  readonly stages: Map<string, RawStage>;
  /** Calls in start order. */
  readonly calls: RawCall[];
  /** Node executions at every depth, in start order. */
  readonly executions: RawExecution[];
  /** Tool runs in start order. */
  readonly toolRuns: RawToolRun[];
  /** Run ids seen under this root, forgotten when the root ends. */
  readonly runIds: string[];
  /** Bumped by every event, so derived metrics can be memoized. */
  version: number;
  /** Its thread and attribution keys, read from the metadata of its first event. */
  readonly attribution: Attribution;
}

const enum RunKind {
  Chain,
  LLM,
  Tool,
}

interface RunNode {
  readonly root: RawRoot;
  readonly stage: RawStage | null;
  readonly kind: RunKind;
  readonly startMs: number;
  /** This run is one execution of a top-level node: its latency counts toward the stage. */
  readonly isStageExecution: boolean;
  /** The node execution this run is, or runs inside; null outside any node. */
  readonly execution: RawExecution | null;
  /** This run is that node execution (not a run inside it). */
  readonly isExecution: boolean;
  readonly call: RawCall | null;
  readonly tool: RawToolRun | null;
  ended: boolean;
}

/** Where a chain run sits, as LangChain describes it at start. */
export interface ChainStartInfo {
  /** The run's name (for a graph node: the node's name). */
  runName?: string;
  /** The run's tags (`langsmith:hidden` marks LangGraph's own bookkeeping runs). */
  tags?: readonly string[];
  /** The run's metadata (`langgraph_node` names the node). */
  metadata?: Record<string, unknown>;
}

/** What is known of an LLM call at its start. */
export interface LLMStartInfo {
  /** The provider, as LangChain names it. */
  provider: string;
  /** The requested model, when known. */
  requestedModel: string | null;
  /** The requested OpenAI service tier, when one was set (the answer's own tier wins). */
  requestedServiceTier?: string | null;
  /** The prompt sent audio. */
  promptHasAudio?: boolean;
  /** The server-side tools the call asked for. */
  serverTools?: readonly string[];
  /** Its HTTP attempts are tracked (they arrive with `attemptSent`/`attemptAnswered`). */
  tracksAttempts?: boolean;
}

/** What is known of an LLM call at its end. */
export interface LLMEndInfo {
  /** Reported usage, or null. */
  usage: TokenUsage | null;
  /** Why usage that arrived was not taken, or null. */
  usageIssue: string | null;
  /** The model the provider answered with, or null. */
  responseModel: string | null;
  /** Answered from LangChain's own LLM cache. */
  llmCacheHit: boolean;
  /** What the answer says about billing (tier, residency, reported cost), or null. */
  billing?: CallBilling | null;
  /** Parts of the bill the answer hides (for `costMissing`). */
  usageGaps?: readonly string[];
}

const HIDDEN_TAG = "langsmith:hidden";
const RESERVED_NODES: ReadonlySet<string> = new Set(["__start__", "__end__"]);

/** LangChain's run ids are strings; an event with anything else is not one of its runs. */
function isId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

/** The graph node a chain run executes (LangGraph's `langgraph_node`), or null. */
function nodeNameOf(info: ChainStartInfo): string | null {
  const node = info.metadata?.langgraph_node;
  if (typeof node !== "string" || RESERVED_NODES.has(node)) return null;
  if (info.tags?.includes(HIDDEN_TAG)) return null;
  return node;
}

/** The path of a stage's own node. */
function stagePath(stage: RawStage): RawPath {
  return stage.path ??= { name: stage.name, parent: null, depth: 1, children: null };
}

/**
 * Attributes LangChain runs to root runs and stages and records their raw measurements.
 * Every method is synchronous and does constant work.
 *
 * @example Usage
 * ```ts
 * import { RunRecorder } from "./recorder.ts";
 * import assert from "node:assert/strict";
 *
 * const recorder = new RunRecorder();
 * recorder.chainStart("root", undefined, {});
 * recorder.chainStart("node", "root", { metadata: { langgraph_node: "summarize" } });
 * recorder.end("node", null);
 * recorder.end("root", null);
 * assert.equal(recorder.roots[0].stages.get("summarize")?.executions, 1);
 * ```
 */
export class RunRecorder {
  /** Root runs in start order. */
  readonly roots: RawRoot[] = [];
  /**
   * Changes to a root after it ended: runs that ended then (a call still in flight), and calls
   * reported then (from a node still running). A count, so a reader knows its sums are stale.
   */
  lateEnds = 0;
  readonly #runs = new Map<string, RunNode>();
  readonly #now: () => number;
  readonly #attributionKeys: readonly string[];

  /**
   * Creates a recorder.
   *
   * @param now A monotonic clock in ms (defaults to `performance.now`).
   * @param attributionKeys The metadata keys a root run is attributed by (`user_id`, ...).
   */
  constructor(
    now: () => number = () => performance.now(),
    attributionKeys: readonly string[] = DEFAULT_ATTRIBUTION_KEYS,
  ) {
    this.#now = now;
    this.#attributionKeys = attributionKeys;
  }

  /** Records a chain run's start (a graph, a node, or anything inside a node). */
  chainStart(runId: string, parentRunId: string | undefined, info: ChainStartInfo): void {
    if (!isId(runId) || this.#runs.has(runId)) return;
    const now = this.#now();
    const parent = this.#parent(parentRunId);
    if (!parent) {
      this.#add(runId, this.#newRoot(runId, now, info.metadata), {
        stage: null,
        kind: RunKind.Chain,
        startMs: now,
        isStageExecution: false,
        execution: null,
        isExecution: false,
        call: null,
        tool: null,
      });
      return;
    }
    let stage = parent.stage;
    let isStageExecution = false;
    let execution = parent.execution;
    let isExecution = false;
    if (stage === null) {
      const name = nodeNameOf(info);
      if (name !== null) {
        stage = this.#stage(parent.root, name);
        stage.executions += 1;
        isStageExecution = true;
        execution = this.#execution(parent.root, stagePath(stage), null, info, now);
        isExecution = true;
      }
    } else if (execution !== null && isNestedExecution(info.metadata, execution)) {
      const name = nodeNameOf(info);
      if (name !== null) {
        execution = this.#execution(
          parent.root,
          childPath(execution.path, name),
          execution,
          info,
          now,
        );
        isExecution = true;
      }
    }
    this.#add(runId, parent.root, {
      stage,
      kind: RunKind.Chain,
      startMs: now,
      isStageExecution,
      execution,
      isExecution,
      call: null,
      tool: null,
    });
  }

  /**
   * Records an LLM or chat-model call's start.
   *
   * @param metadata The call's metadata: its attribution when the call is a root run itself.
   */
  llmStart(
    runId: string,
    parentRunId: string | undefined,
    info: LLMStartInfo,
    metadata?: Record<string, unknown>,
  ): void {
    if (!isId(runId) || this.#runs.has(runId)) return;
    const now = this.#now();
    const parent = this.#parent(parentRunId);
    const root = parent?.root ?? this.#newRoot(runId, now, metadata);
    const stage = parent?.stage ?? this.#stage(root, UNATTRIBUTED_STAGE);
    const call: RawCall = {
      runId,
      stage: stage.name,
      execution: parent?.execution ?? null,
      requestedModel: info.requestedModel,
      provider: info.provider,
      startedAt: root.startedAt + (now - root.startMs),
      startMs: now,
      endMs: null,
      firstTokenMs: null,
      streamChunks: 0,
      firstChunkUsage: null,
      usage: null,
      usageIssue: null,
      responseModel: null,
      error: null,
      llmCacheHit: false,
      billing: info.requestedServiceTier
        ? { serviceTier: info.requestedServiceTier, inferenceGeo: null, providerCostUsd: null }
        : null,
      ...(info.promptHasAudio ? { promptHasAudio: true } : {}),
      ...(info.serverTools && info.serverTools.length > 0 ? { serverTools: info.serverTools } : {}),
      attempts: info.tracksAttempts ? [] : null,
    };
    root.calls.push(call);
    this.#add(runId, root, {
      stage,
      kind: RunKind.LLM,
      startMs: now,
      isStageExecution: false,
      execution: parent?.execution ?? null,
      isExecution: false,
      call,
      tool: null,
    });
  }

  /**
   * Records a streamed chunk: the first one with content (text or a tool-call piece) sets the time
   * to first token; the chunk count and the first chunk's usage let usage extraction undo known
   * streaming double counts.
   */
  llmToken(runId: string, hasContent: boolean, chunkUsage: Record<string, unknown> | null): void {
    if (!isId(runId)) return;
    const call = this.#runs.get(runId)?.call;
    if (!call) return;
    if (call.streamChunks === 0) call.firstChunkUsage = chunkUsage;
    call.streamChunks += 1;
    if (call.firstTokenMs === null && hasContent) call.firstTokenMs = this.#now();
  }

  /**
   * Records the first content of a call streamed as chat-model stream events (LangChain's
   * `handleChatModelStreamEvent`, used instead of `handleLLMNewToken` under `streamEvents` v3):
   * time to first token only (the stream's `message-start` is counted as its first chunk).
   */
  llmFirstContent(runId: string): void {
    if (!isId(runId)) return;
    const call = this.#runs.get(runId)?.call;
    if (call && call.firstTokenMs === null) call.firstTokenMs = this.#now();
  }

  /** Forgets the root runs that `predicate` selects; returns them. */
  removeRoots(predicate: (root: RawRoot) => boolean): RawRoot[] {
    const removed = this.roots.filter(predicate);
    if (removed.length > 0) {
      const kept = this.roots.filter((root) => !predicate(root));
      this.roots.length = 0;
      for (const root of kept) this.roots.push(root);
    }
    return removed;
  }

  /**
   * Records that an HTTP attempt of a running call was sent.
   *
   * @returns The attempt (pass it to {@linkcode RunRecorder.attemptAnswered}), or null when the
   * call is not running or its attempts are not tracked.
   */
  attemptSent(runId: string, pacedMs: number): RawAttempt | null {
    const call = this.openCall(runId);
    if (call === null || call.attempts === null) return null;
    const attempt: RawAttempt = {
      sentMs: this.#now(),
      pacedMs: Math.max(0, pacedMs),
      endMs: null,
      status: null,
      failure: null,
      headers: null,
      bodyRetryDelayMs: null,
    };
    call.attempts.push(attempt);
    this.#touch(runId);
    return attempt;
  }

  /**
   * Records an attempt's answer or failure; once the call has ended its attempts are closed, so a
   * late word is ignored.
   */
  attemptAnswered(runId: string, attempt: RawAttempt, answer: AttemptAnswer): void {
    if (attempt.endMs !== null) return;
    attempt.endMs = this.#now();
    if (answer.failure === undefined) {
      attempt.status = answer.status;
      attempt.headers = answer.headers;
    } else {
      attempt.failure = answer.failure;
    }
    this.#touch(runId);
  }

  /** Records a retry delay an attempt's body asked for (read after its answer arrived). */
  attemptRetryDelay(runId: string, attempt: RawAttempt, delayMs: number): void {
    if (this.openCall(runId) === null) return; // the call is over: its metrics may be taken
    attempt.bodyRetryDelayMs = delayMs;
    this.#touch(runId);
  }

  /** The call of a running LLM run, or null. */
  openCall(runId: string): RawCall | null {
    if (!isId(runId)) return null;
    const node = this.#runs.get(runId);
    return node && !node.ended ? node.call : null;
  }

  /**
   * Records the end of a chain, LLM or tool run: `error` is null, or the message of its failure.
   * A run's end or error arrives once per run id (a repeated one is ignored).
   *
   * @returns The root run, when this end finished it; else null.
   */
  end(runId: string, error: string | null): RawRoot | null {
    return this.#end(runId, error);
  }

  /** Records an LLM call's end with what its result says; returns the root when it finished. */
  llmEnd(runId: string, info: LLMEndInfo): RawRoot | null {
    if (!isId(runId)) return null;
    const node = this.#runs.get(runId);
    if (!node?.call || node.ended) return null;
    node.call.usage = info.usage;
    node.call.usageIssue = info.usageIssue;
    node.call.responseModel = info.responseModel;
    node.call.llmCacheHit = info.llmCacheHit;
    if (info.usageGaps && info.usageGaps.length > 0) node.call.usageGaps = info.usageGaps;
    if (info.billing) {
      const requested = node.call.billing;
      node.call.billing = {
        ...info.billing,
        serviceTier: info.billing.serviceTier ?? requested?.serviceTier ?? null,
      };
    }
    return this.#end(runId, null);
  }

  /**
   * Records a tool run's start; `name` is the tool's (the run's name), `metadata` its attribution
   * when the tool is a root run itself.
   */
  toolStart(
    runId: string,
    parentRunId: string | undefined,
    name = "tool",
    metadata?: Record<string, unknown>,
  ): void {
    if (!isId(runId) || this.#runs.has(runId)) return;
    const now = this.#now();
    const parent = this.#parent(parentRunId);
    const root = parent?.root ?? this.#newRoot(runId, now, metadata);
    const stage = parent?.stage ?? this.#stage(root, UNATTRIBUTED_STAGE);
    stage.toolCalls += 1;
    const execution = parent?.execution ?? null;
    const tool: RawToolRun = {
      name,
      execution,
      stage: stage.name,
      startMs: now,
      endMs: null,
      failed: false,
    };
    root.toolRuns.push(tool);
    this.#add(runId, root, {
      stage,
      kind: RunKind.Tool,
      startMs: now,
      isStageExecution: false,
      execution,
      isExecution: false,
      call: null,
      tool,
    });
  }

  /**
   * Records a call that LangChain never saw (a node calling a provider's SDK directly), reported
   * from inside the run `parentRunId`.
   *
   * @returns The recorded call, or null when `parentRunId` is not a run this recorder knows.
   */
  reportedCall(parentRunId: string, call: ReportedRawCall): RawCall | null {
    const parent = this.#parent(parentRunId);
    if (!parent) return null;
    const now = this.#now();
    const stage = parent.stage ?? this.#stage(parent.root, UNATTRIBUTED_STAGE);
    const startMs = now - call.latencyMs;
    const recorded: RawCall = {
      runId: call.runId,
      stage: stage.name,
      execution: parent.execution,
      requestedModel: call.requestedModel,
      provider: call.provider,
      startedAt: parent.root.startedAt + (startMs - parent.root.startMs),
      startMs,
      endMs: now,
      firstTokenMs: call.timeToFirstTokenMs === null ? null : startMs + call.timeToFirstTokenMs,
      streamChunks: 0,
      firstChunkUsage: null,
      usage: call.usage,
      usageIssue: call.usageIssue,
      responseModel: call.responseModel,
      error: call.error,
      llmCacheHit: call.llmCacheHit,
      billing: call.billing,
      attempts: null,
    };
    parent.root.calls.push(recorded);
    if (call.error !== null) stage.errors += 1;
    parent.root.version += 1;
    // Reported from a node still running after its run ended: the finished run changed.
    if (parent.root.endMs !== null) this.lateEnds += 1;
    return recorded;
  }

  /** Forgets one root run (e.g. the oldest finished one, once its sums are folded elsewhere). */
  removeRoot(root: RawRoot): void {
    const index = this.roots.indexOf(root);
    if (index >= 0) this.roots.splice(index, 1);
  }

  /** The current monotonic time, ms. */
  now(): number {
    return this.#now();
  }

  /**
   * The root run a recorded run belongs to (a call's parent, say), or undefined when the id is
   * not a run this recorder knows (any more).
   */
  rootOf(runId: string | undefined): RawRoot | undefined {
    return this.#parent(runId)?.root;
  }

  /** The attribution a run started with `metadata` and no known parent would get. */
  attributionOf(metadata: Record<string, unknown> | undefined): Attribution {
    return attributionOf(metadata, this.#attributionKeys);
  }

  /** The recorded run `parentRunId` names, if it is a run id this recorder knows. */
  #parent(parentRunId: unknown): RunNode | undefined {
    return isId(parentRunId) ? this.#runs.get(parentRunId) : undefined;
  }

  /** Bumps the version of the root a running run belongs to (its metrics changed). */
  #touch(runId: string): void {
    const node = this.#runs.get(runId);
    if (node) node.root.version += 1;
  }

  #newRoot(id: string, now: number, metadata: Record<string, unknown> | undefined): RawRoot {
    const root: RawRoot = {
      id,
      // Wall-clock time once, at the root's start; everything after is a monotonic offset.
      startedAt: Date.now(),
      startMs: now,
      endMs: null,
      error: null,
      stages: new Map(),
      calls: [],
      executions: [],
      toolRuns: [],
      runIds: [],
      version: 0,
      attribution: attributionOf(metadata, this.#attributionKeys),
    };
    this.roots.push(root);
    return root;
  }

  #add(runId: string, root: RawRoot, node: Omit<RunNode, "root" | "ended">): void {
    this.#runs.set(runId, { ...node, root, ended: false });
    root.runIds.push(runId);
    root.version += 1;
  }

  #execution(
    root: RawRoot,
    path: RawPath,
    parent: RawExecution | null,
    info: ChainStartInfo,
    now: number,
  ): RawExecution {
    const execution: RawExecution = {
      path,
      parent,
      namespace: namespaceOf(info.metadata),
      startMs: now,
      endMs: null,
      failed: false,
    };
    root.executions.push(execution);
    return execution;
  }

  #stage(root: RawRoot, name: string): RawStage {
    let stage = root.stages.get(name);
    if (!stage) {
      stage = {
        name,
        executions: 0,
        latencyMs: 0,
        errors: 0,
        toolCalls: 0,
        toolLatencyMs: 0,
        executionSpans: [],
        path: null,
      };
      root.stages.set(name, stage);
    }
    return stage;
  }

  #end(runId: string, error: string | null): RawRoot | null {
    if (!isId(runId)) return null;
    const node = this.#runs.get(runId);
    if (!node || node.ended) return null;
    node.ended = true;
    const now = this.#now();
    const { root, stage } = node;
    root.version += 1;
    if (node.kind === RunKind.LLM && node.call) {
      node.call.endMs = now;
      // An attempt still waiting when its call ends was cut off then (a timeout, a cancel).
      for (const attempt of node.call.attempts ?? []) {
        if (attempt.endMs === null) {
          attempt.endMs = now;
          attempt.failure = "aborted";
        }
      }
      if (error !== null) {
        node.call.error = error;
        if (stage) stage.errors += 1;
      }
    } else if (node.kind === RunKind.Tool && stage) {
      stage.toolLatencyMs += now - node.startMs;
      if (error !== null) stage.errors += 1;
      if (node.tool) {
        node.tool.endMs = now;
        node.tool.failed = error !== null;
      }
    } else if (node.isExecution && node.execution) {
      node.execution.endMs = now;
      node.execution.failed = error !== null;
      if (node.isStageExecution && stage) {
        stage.latencyMs += now - node.startMs;
        stage.executionSpans.push(node.execution);
        if (error !== null) stage.errors += 1;
      }
    }
    if (root.id === runId) {
      root.endMs = now;
      root.error = error;
      // Forget the finished runs; a call still in flight (a parallel branch when another one
      // failed, an abandoned stream) stays until it ends, so its usage still arrives.
      for (const id of root.runIds) {
        if (this.#runs.get(id)?.ended) this.#runs.delete(id);
      }
      root.runIds.length = 0;
      return root;
    } else if (root.endMs !== null) {
      this.lateEnds += 1;
      this.#runs.delete(runId);
    }
    return null;
  }
}
