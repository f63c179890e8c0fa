/**
 * The handler the worker puts in each run's callbacks: it measures nothing itself, it stamps each
 * LangChain callback with the worker's clock and sends it, reduced to what graphmeter's handler
 * reads, to the CLI, where that handler runs on those timestamps. So the worker loads nothing
 * but the user's own packages (its LangChain, its zod), and the handler's code is the same one.
 *
 * @module
 */
import type { ForwardedMethod } from "./protocol.ts";
import { plainError, toPlain } from "./plain.ts";
import { enterCallScope } from "./http_attempts.ts";

/** Where a forwarded callback goes: the method, the worker's clock (ms) and its plain arguments. */
export type ForwardEvent = (method: ForwardedMethod, atMs: number, args: unknown[]) => void;

type Dict = Record<string, unknown>;

/** A prompt's messages with only what tells audio apart (content block types and MIME types). */
function audioShape(messages: unknown): unknown {
  if (!Array.isArray(messages)) return [];
  return messages.map((batch) =>
    Array.isArray(batch)
      ? batch.map((message) => {
        const content = (message as Dict | null)?.content;
        if (!Array.isArray(content)) return { content: "" };
        return {
          content: content.map((block) => {
            const b = (block ?? {}) as Dict;
            return { type: b.type, mimeType: b.mimeType, mime_type: b.mime_type };
          }),
        };
      })
      : []
  );
}

/** What `handleLLMNewToken`'s `fields.chunk` carries that the handler reads. */
function chunkShape(fields: unknown): unknown {
  const message = ((fields as Dict | null)?.chunk as Dict | undefined)?.message as
    | Dict
    | undefined;
  if (!message) return undefined;
  return {
    chunk: {
      message: {
        tool_call_chunks: toPlain(message.tool_call_chunks),
        usage_metadata: toPlain(message.usage_metadata),
        response_metadata: toPlain(message.response_metadata),
      },
    },
  };
}

/**
 * A LangChain callback handler (structural, as LangChain accepts) that forwards every callback
 * graphmeter's handler reads. It never throws into the graph.
 *
 * @param forward Where each callback goes.
 * @param now The worker's monotonic clock, ms.
 * @returns The handler, for a run's `callbacks`.
 *
 * @example Usage
 * ```ts
 * import { forwardingHandler } from "./forwarding_handler.ts";
 * import assert from "node:assert/strict";
 *
 * const sent: unknown[] = [];
 * const handler = forwardingHandler((method, atMs, args) => sent.push([method, atMs, args]), () => 7);
 * handler.handleChainEnd({ big: "state" }, "run-1");
 * assert.deepEqual(sent, [["handleChainEnd", 7, [null, "run-1"]]]);
 * ```
 */
export function forwardingHandler(
  forward: ForwardEvent,
  now: () => number = () => performance.now(),
): ForwardingHandler {
  const send = (method: ForwardedMethod, args: unknown[]): void => {
    try {
      forward(method, now(), args);
    } catch (error) {
      console.error(`graphmeter worker: a callback could not be forwarded: ${error}`);
    }
  };
  const openAttemptScope = (runId: unknown): void => {
    try {
      if (typeof runId === "string" && enterCallScope(runId, send)) {
        send("handleHttpAttemptsTracked", [runId]);
      }
    } catch (error) {
      console.error(`graphmeter worker: HTTP attempts could not be tracked: ${error}`);
    }
  };
  return {
    name: "graphmeter_forwarding",
    awaitHandlers: true,
    raiseError: false,
    ignoreLLM: false,
    ignoreChain: false,
    ignoreAgent: false,
    ignoreRetriever: true,
    ignoreCustomEvent: false,
    copy() {
      return this;
    },
    // LangChain calls a tracer's `_createRunFor*Start` synchronously in the started run's own
    // async context (any handler with `_addRunToRunMap` is a tracer to it): an LLM call's start
    // opens the scope that credits its HTTP attempts to it.
    _addRunToRunMap() {},
    _createRunForChainStart() {},
    _createRunForToolStart() {},
    _createRunForRetrieverStart() {},
    _createRunForLLMStart(_llm, _prompts, runId) {
      openAttemptScope(runId);
    },
    _createRunForChatModelStart(_llm, _messages, runId) {
      openAttemptScope(runId);
    },
    handleChainStart(_c, _i, runId, parentRunId, tags, metadata, runType, runName) {
      send("handleChainStart", [
        null,
        null,
        runId,
        parentRunId,
        toPlain(tags),
        toPlain(metadata),
        runType,
        runName,
      ]);
    },
    handleChainEnd(_outputs, runId) {
      send("handleChainEnd", [null, runId]);
    },
    handleChainError(error, runId) {
      send("handleChainError", [plainError(error), runId]);
    },
    handleChatModelStart(llm, messages, runId, parentRunId, extraParams, tags, metadata) {
      send("handleChatModelStart", [
        { id: toPlain((llm as Dict | null)?.id) },
        audioShape(messages),
        runId,
        parentRunId,
        toPlain(extraParams),
        toPlain(tags),
        toPlain(metadata),
      ]);
    },
    handleLLMStart(llm, _prompts, runId, parentRunId, extraParams, tags, metadata) {
      send("handleLLMStart", [
        { id: toPlain((llm as Dict | null)?.id) },
        [],
        runId,
        parentRunId,
        toPlain(extraParams),
        toPlain(tags),
        toPlain(metadata),
      ]);
    },
    handleLLMNewToken(token, _idx, runId, parentRunId, _tags, fields) {
      send("handleLLMNewToken", [
        typeof token === "string" ? token : "",
        null,
        runId,
        parentRunId,
        undefined,
        chunkShape(fields),
      ]);
    },
    handleChatModelStreamEvent(event, runId) {
      send("handleChatModelStreamEvent", [toPlain(event), runId]);
    },
    handleLLMEnd(output, runId, parentRunId, _tags, extraParams) {
      send("handleLLMEnd", [
        toPlain(output),
        runId,
        parentRunId,
        undefined,
        toPlain(extraParams),
      ]);
    },
    handleLLMError(error, runId) {
      send("handleLLMError", [plainError(error), runId]);
    },
    handleToolStart(_tool, _input, runId, parentRunId, _tags, _metadata, runName) {
      // The tool's name arrives as the run's name: the node path's tool time is by tool name.
      send("handleToolStart", [null, "", runId, parentRunId, undefined, undefined, runName]);
    },
    handleToolEnd(_output, runId) {
      send("handleToolEnd", [null, runId]);
    },
    handleToolError(error, runId) {
      send("handleToolError", [plainError(error), runId]);
    },
    handleCustomEvent(eventName, data, runId) {
      send("handleCustomEvent", [eventName, toPlain(data), runId]);
    },
  };
}

/** The handler {@linkcode forwardingHandler} makes: LangChain's handler shape, loosely typed. */
export interface ForwardingHandler {
  /** The handler's name. */
  readonly name: string;
  /** LangChain awaits each callback inline. */
  readonly awaitHandlers: boolean;
  /** Never rethrow. */
  readonly raiseError: boolean;
  /** LangChain's flags: which events are skipped. */
  readonly ignoreLLM: boolean;
  /** Whether chain events are skipped. */
  readonly ignoreChain: boolean;
  /** Whether agent events are skipped. */
  readonly ignoreAgent: boolean;
  /** Whether retriever events are skipped. */
  readonly ignoreRetriever: boolean;
  /** Whether custom events are skipped. */
  readonly ignoreCustomEvent: boolean;
  /** LangChain copies handlers for child runs: this one is stateless, so itself. */
  copy(): ForwardingHandler;
  /** Makes LangChain treat the handler as a tracer (so it calls `_createRunFor*Start`). */
  _addRunToRunMap(): void;
  /** A chain starts (a tracer's hook; nothing to do). */
  _createRunForChainStart(): void;
  /** A tool starts (a tracer's hook; nothing to do). */
  _createRunForToolStart(): void;
  /** A retriever starts (a tracer's hook; nothing to do). */
  _createRunForRetrieverStart(): void;
  /** A text LLM call starts, in its own async context: its HTTP attempts' scope opens. */
  _createRunForLLMStart(llm: unknown, prompts: unknown, runId: string): void;
  /** A chat model call starts, in its own async context: its HTTP attempts' scope opens. */
  _createRunForChatModelStart(llm: unknown, messages: unknown, runId: string): void;
  /** A chain (graph, node) started. */
  handleChainStart(...args: unknown[]): void;
  /** A chain ended. */
  handleChainEnd(outputs: unknown, runId: string): void;
  /** A chain failed. */
  handleChainError(error: unknown, runId: string): void;
  /** A chat model call started. */
  handleChatModelStart(
    llm: unknown,
    messages: unknown,
    runId: string,
    parentRunId?: string,
    extraParams?: unknown,
    tags?: unknown,
    metadata?: unknown,
  ): void;
  /** A text LLM call started. */
  handleLLMStart(
    llm: unknown,
    prompts: unknown,
    runId: string,
    parentRunId?: string,
    extraParams?: unknown,
    tags?: unknown,
    metadata?: unknown,
  ): void;
  /** A streamed token arrived. */
  handleLLMNewToken(
    token: unknown,
    idx: unknown,
    runId: string,
    parentRunId?: string,
    tags?: unknown,
    fields?: unknown,
  ): void;
  /** A chat model stream event (LangChain's v3 stream events). */
  handleChatModelStreamEvent(event: unknown, runId: string): void;
  /** An LLM call ended. */
  handleLLMEnd(
    output: unknown,
    runId: string,
    parentRunId?: string,
    tags?: unknown,
    extraParams?: unknown,
  ): void;
  /** An LLM call failed. */
  handleLLMError(error: unknown, runId: string): void;
  /** A tool started (`runName` is the tool's name). */
  handleToolStart(
    tool: unknown,
    input: unknown,
    runId: string,
    parentRunId?: string,
    tags?: unknown,
    metadata?: unknown,
    runName?: string,
  ): void;
  /** A tool ended. */
  handleToolEnd(output: unknown, runId: string): void;
  /** A tool failed. */
  handleToolError(error: unknown, runId: string): void;
  /** A custom event (`reportLLMCall`'s). */
  handleCustomEvent(eventName: string, data: unknown, runId: string): void;
}
