/**
 * HTTP attempt tracking inside the worker: the graph's LLM requests go through the worker's
 * `fetch`, so the worker wraps it (before the graph loads, so the SDK clients keep the wrapper)
 * and credits each attempt to its exact call through an async-local scope the forwarding handler
 * opens at the call's start, in the call's own async context (the mechanism of the CLI's own
 * `telemetry/http_attempts.ts`, which the worker cannot load). Each attempt's send, answer and
 * Gemini retry delay go to the CLI as forwarded callbacks on the worker's clock; with pacing on,
 * each request first asks the CLI's pacer whether it may go.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { AttemptRequest, ForwardedMethod, PlainAttemptAnswer } from "./protocol.ts";

/** Sends a forwarded callback of the call's run (stamped with the worker's clock). */
export type ForwardAttempt = (method: ForwardedMethod, args: unknown[]) => void;

/** The CLI's pacer, as the worker reaches it. */
export interface PacerChannel {
  /** Whether requests ask before they go. */
  readonly on: boolean;
  /**
   * Resolves when the request may go, with how long the pacer held it (ms, 0 when it let it go at
   * once); rejects when `signal` aborts first.
   */
  admit(request: AttemptRequest, signal: AbortSignal | null): Promise<number>;
  /** Tells the pacer how the request went. */
  observe(request: AttemptRequest, answer: PlainAttemptAnswer): void;
}

interface CallScope {
  readonly callRunId: string;
  readonly forward: ForwardAttempt;
  attempts: number;
}

type Fetch = typeof globalThis.fetch;

const scopes = new AsyncLocalStorage<CallScope>();
let tracking = false;

/** The answer headers the CLI reads (rate limits and retry delays). */
const FORWARDED_HEADER = /^(x-ratelimit-|anthropic-ratelimit-|retry-after)/;

/** The longest 429 body forwarded for its retry delay, characters. */
const MAX_BODY_CHARS = 8000;

function isAbort(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === "AbortError" || name === "TimeoutError";
}

/**
 * A request as the pacer sees it: its URL, body length, and the JSON body's model and output cap.
 *
 * @param input The request, as `fetch` takes it.
 * @param init Its options, as `fetch` takes them.
 * @param callRunId The call it belongs to.
 * @returns The request, plain.
 *
 * @example Usage
 * ```ts
 * import { attemptRequest } from "./http_attempts.ts";
 * import assert from "node:assert/strict";
 *
 * const body = JSON.stringify({ model: "gpt-4.1-mini", max_completion_tokens: 64 });
 * const request = attemptRequest("http://127.0.0.1:9/v1/chat/completions", { body }, "run-1");
 * assert.deepEqual(request, {
 *   url: "http://127.0.0.1:9/v1/chat/completions",
 *   bodyChars: body.length,
 *   model: "gpt-4.1-mini",
 *   maxTokens: 64,
 *   callRunId: "run-1",
 * });
 * ```
 */
export function attemptRequest(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  callRunId: string,
): AttemptRequest {
  const url = input instanceof URL ? input.href : typeof input === "string" ? input : input.url;
  const body = typeof init?.body === "string" ? init.body : null;
  const model = body === null ? null : /"model"\s*:\s*"([^"]{1,200})"/.exec(body);
  const maxTokens = body === null ? null : /"max(?:_completion)?_tokens"\s*:\s*(\d+)/.exec(body);
  return {
    url,
    bodyChars: body?.length ?? 0,
    model: model ? model[1] : null,
    maxTokens: maxTokens ? Number(maxTokens[1]) : null,
    callRunId,
  };
}

/**
 * The answer's rate-limit headers, as a plain record (lower-case names).
 *
 * @param headers The answer's headers.
 * @returns The `x-ratelimit-*`, `anthropic-ratelimit-*` and `retry-after(-ms)` headers.
 *
 * @example Usage
 * ```ts
 * import { rateLimitHeaders } from "./http_attempts.ts";
 * import assert from "node:assert/strict";
 *
 * const headers = new Headers({ "retry-after": "2", "content-type": "application/json" });
 * assert.deepEqual(rateLimitHeaders(headers), { "retry-after": "2" });
 * ```
 */
export function rateLimitHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (FORWARDED_HEADER.test(name)) kept[name] = value;
  });
  return kept;
}

/**
 * Opens the HTTP attempt scope of the LLM call `callRunId` for the rest of the current async flow
 * (called synchronously at the call's start, in its own async context), when tracking is on.
 *
 * @param callRunId The call's LangChain run id.
 * @param forward Where the call's attempts go.
 * @returns Whether the call's attempts are tracked.
 *
 * @example Usage
 * ```ts
 * import { enterCallScope } from "./http_attempts.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(enterCallScope("run-1", () => {}), false); // tracking is off
 * ```
 */
export function enterCallScope(callRunId: string, forward: ForwardAttempt): boolean {
  if (!tracking) return false;
  if (scopes.getStore()?.callRunId !== callRunId) {
    scopes.enterWith({ callRunId, forward, attempts: 0 });
  }
  return true;
}

/**
 * Wraps the worker's `fetch`: each request made inside an LLM call's scope is (with pacing on)
 * admitted by the CLI's pacer, then forwarded as sent, answered or failed, and a 429 without
 * `retry-after` has its body (read on a clone) forwarded for a retry delay. Requests outside any
 * call pass through untouched.
 *
 * @param pacer The CLI's pacer.
 *
 * @example Usage
 * ```ts ignore
 * import { trackWorkerAttempts } from "./http_attempts.ts";
 *
 * trackWorkerAttempts({ on: false, admit: () => Promise.resolve(0), observe: () => {} });
 * ```
 */
export function trackWorkerAttempts(pacer: PacerChannel): void {
  if (tracking) return;
  tracking = true;
  const base: Fetch = globalThis.fetch;
  const tracked = async (
    scope: CallScope,
    input: RequestInfo | URL,
    init?: RequestInit,
  ): Promise<Response> => {
    const { callRunId, forward } = scope;
    const request = pacer.on ? attemptRequest(input, init, callRunId) : null;
    const heldFrom = performance.now();
    let pacedMs = 0;
    if (request !== null) {
      try {
        pacedMs = await pacer.admit(request, init?.signal ?? null);
      } catch (error) {
        // Cancelled while held: never sent, so never billed.
        const index = scope.attempts++;
        forward("handleHttpAttemptSent", [callRunId, index, performance.now() - heldFrom]);
        forward("handleHttpAttemptAnswered", [callRunId, index, { failure: "not_sent" }]);
        throw error;
      }
    }
    const index = scope.attempts++;
    forward("handleHttpAttemptSent", [callRunId, index, pacedMs]);
    let answer: PlainAttemptAnswer;
    let response: Response;
    try {
      response = await base(input, init);
      answer = { status: response.status, headers: rateLimitHeaders(response.headers) };
    } catch (error) {
      answer = { failure: isAbort(error) ? "aborted" : "network_error" };
      forward("handleHttpAttemptAnswered", [callRunId, index, answer]);
      if (request !== null) pacer.observe(request, answer);
      throw error;
    }
    forward("handleHttpAttemptAnswered", [callRunId, index, answer]);
    if (request !== null) pacer.observe(request, answer);
    if (response.status === 429 && !response.headers.has("retry-after")) {
      response.clone().text().then((text) => {
        forward("handleHttpAttemptRetryBody", [callRunId, index, text.slice(0, MAX_BODY_CHARS)]);
      }, () => {});
    }
    return response;
  };
  globalThis.fetch = (input, init) => {
    const scope = scopes.getStore();
    // A request outside any LLM call passes straight through.
    return scope === undefined ? base(input, init) : tracked(scope, input, init);
  };
}
