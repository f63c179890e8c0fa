/**
 * What the CLI and the worker it starts in a user's project say to each other: one JSON message
 * per line, the CLI's on the worker's standard input, the worker's on its standard output behind
 * {@linkcode MESSAGE_PREFIX} (any other line there is the graph's own output). Types only and a
 * few constants: both sides import this, and it imports nothing.
 *
 * @module
 */

/**
 * The start of every worker message line; the graph's own stdout lines never start with it.
 *
 * @example Usage
 * ```ts
 * import { MESSAGE_PREFIX } from "./protocol.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(MESSAGE_PREFIX.startsWith("\u001e"));
 * ```
 */
export const MESSAGE_PREFIX = "\u001egraphmeter:";

/**
 * The LangChain callback methods the worker forwards (the ones graphmeter's handler reads).
 *
 * @example Usage
 * ```ts
 * import { FORWARDED_METHODS } from "./protocol.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(FORWARDED_METHODS.includes("handleLLMEnd"));
 * ```
 */
export const FORWARDED_METHODS = [
  "handleChainStart",
  "handleChainEnd",
  "handleChainError",
  "handleChatModelStart",
  "handleLLMStart",
  "handleLLMNewToken",
  "handleChatModelStreamEvent",
  "handleLLMEnd",
  "handleLLMError",
  "handleToolStart",
  "handleToolEnd",
  "handleToolError",
  "handleCustomEvent",
  // Not LangChain's: the worker's HTTP attempt tracking (`http_attempts.ts`), replayed into the
  // handler like the callbacks, on the worker's clock.
  "handleHttpAttemptsTracked",
  "handleHttpAttemptSent",
  "handleHttpAttemptAnswered",
  "handleHttpAttemptRetryBody",
] as const;

/** A forwarded LangChain callback method. */
export type ForwardedMethod = (typeof FORWARDED_METHODS)[number];

/** An evaluator module the worker loads beside the graph (`--evaluator FILE:EXPORT`). */
export interface EvaluatorSpec {
  /** The module, a `file:` URL. */
  moduleUrl: string;
  /** The export that holds the evaluator (or an array of them). */
  exportName: string;
  /** The flag's value as the user gave it, for messages. */
  flag: string;
}

/** How the worker finds and prepares the graph (its one command-line argument, as JSON). */
export interface WorkerSpec {
  /** The graph's module, a `file:` URL. */
  moduleUrl: string;
  /** The export that holds the graph (or a function or builder making it). */
  exportName: string;
  /** The folder the project's packages resolve from (where `langgraph.json` is). */
  projectDir: string;
  /** What a graph factory is called with (the run config's `configurable`). */
  factoryConfig: { configurable: Record<string, unknown> };
  /** Track each LLM call's HTTP attempts (the worker wraps its `fetch` before loading). */
  trackHttpAttempts?: boolean;
  /** Evaluators to load beside the graph and run on its outputs, in the project; default none. */
  evaluators?: EvaluatorSpec[];
}

/** A request an LLM call is about to send, as the CLI's pacer sees it. */
export interface AttemptRequest {
  /** The request's URL. */
  url: string;
  /** The request body's length in characters (0 when the body is not text). */
  bodyChars: number;
  /** The model the JSON body asks for, or null. */
  model: string | null;
  /** The output tokens the body allows, or null. */
  maxTokens: number | null;
  /** The LangChain run id of the call the request belongs to. */
  callRunId: string;
}

/** What became of a request: its status and rate-limit headers, or how it failed unanswered. */
export type PlainAttemptAnswer =
  | { status: number; headers: Record<string, string> }
  | { failure: "aborted" | "network_error" | "not_sent" };

/** An error as it crosses the process boundary. */
export interface RemoteError {
  /** The error's class name (`Error`, `GraphRecursionError`, ...). */
  name: string;
  /** Its message. */
  message: string;
  /** Its stack trace, when it had one. */
  stack: string | null;
}

/** The config of one run as the CLI sends it (the worker adds its forwarding handler). */
export interface WorkerRunConfig {
  /** `configurable` values (`thread_id` included). */
  configurable?: Record<string, unknown>;
  /** Run metadata. */
  metadata?: Record<string, unknown>;
  /** Run tags. */
  tags?: string[];
  /** LangGraph's recursion limit. */
  recursionLimit?: number;
  /** The run's name. */
  runName?: string;
  /** Most parallel calls inside the run. */
  maxConcurrency?: number;
}

/** One evaluator on one run's output, as the CLI asks the worker for it. */
export interface EvaluateRequest {
  type: "evaluate";
  /** The evaluation's key (its forwarded callbacks and its end carry it). */
  key: string;
  /** Which evaluator: its place in the `ready` message's `evaluators`. */
  evaluator: number;
  /** The run whose output the worker kept (`end`'s `retained`), or null: then `outputs` is it. */
  run: string | null;
  /** The example's inputs. */
  inputs: unknown;
  /** The outputs, when the worker kept none (a plain value). */
  outputs?: unknown;
  /** The example's reference outputs, if any. */
  referenceOutputs?: unknown;
}

/** A message from the CLI to the worker. */
export type ToWorker =
  | { type: "run"; key: string; input: unknown; config: WorkerRunConfig }
  | EvaluateRequest
  | { type: "abort"; key: string; reason: string }
  /** The CLI holds a run's output no more: the worker drops the one it kept. */
  | { type: "release"; run: string }
  /** Whether to ask before each tracked request is sent (the CLI paces them). */
  | { type: "pace"; on: boolean }
  /** A request held by `admit` may go; the pacer held it `heldMs` (0: let go at once). */
  | { type: "admitted"; id: number; heldMs: number };

/** A message from the worker to the CLI. */
export type FromWorker =
  | {
    type: "ready";
    /** The keys of the graph's input schema, or null when the graph does not say. */
    inputKeys: string[] | null;
    /** What the worker attached because the graph was compiled without it. */
    attached: { checkpointer: boolean; store: boolean };
    /** The evaluators loaded, by name (an export's name, `name[i]` in an array). */
    evaluators: string[];
    /** Why the evaluators' own LLM calls cannot be metered, or null when they are. */
    unmetered: string | null;
  }
  | {
    type: "load-failed";
    message: string;
    stack: string | null;
    /** The `--evaluator` that could not be loaded (absent: the graph). */
    evaluator?: string;
  }
  | {
    type: "event";
    key: string;
    /** The worker's monotonic clock when LangChain called the method, ms. */
    atMs: number;
    method: ForwardedMethod;
    args: unknown[];
  }
  | {
    type: "end";
    key: string;
    output?: unknown;
    error?: RemoteError;
    /** A run's output the worker keeps for its evaluators (they get it as it is, not a copy). */
    retained?: boolean;
  }
  /** May this request go now? (pacing on; answered by `admitted`). */
  | { type: "admit"; id: number; request: AttemptRequest }
  /** The request held by `admit` was cancelled by its caller: it will not be sent. */
  | { type: "admit-cancel"; id: number }
  /** How a request asked about by `admit` went (pacing on). */
  | { type: "observe"; request: AttemptRequest; answer: PlainAttemptAnswer }
  | {
    type: "unhandled-rejection";
    /** The runs in flight when it happened (the one that caused it is among them). */
    keys: string[];
    error: RemoteError;
  };
