/**
 * HTTP attempt tracking: every request an LLM call makes goes through `fetch`, so wrapping the
 * process's `fetch` sees each attempt (retries included) that the provider SDKs and LangChain
 * hide inside one call. Each attempt is credited to its exact call through an async-local scope
 * that the handler opens at the call's start, in the call's own async context; a request made
 * outside any call's scope passes through untouched.
 *
 * The wrapper records timestamps, the status and a reference to the answer's headers (read for
 * rate limits only when metrics are built); a 429 without a `retry-after` header also has its
 * body read, on a clone, for Gemini's `retryDelay`. An optional gate (the benchmark's pacer) may
 * hold a request before it is sent.
 *
 * Limits: a client that captured `fetch` before tracking started (an SDK client built earlier)
 * sends past it; a model built with a finite `maxConcurrency` queues calls in p-queue, which
 * starts a queued call from the call that freed its slot, so that call's scope would be wrong.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { type AttemptSink, type CallScopeOpener, setCallScopeOpener } from "./_attempt_hook.ts";
import type { AttemptAnswer, RawAttempt } from "./recorder.ts";
import { retryDelayFromBody } from "./rate_limit_headers.ts";

/** What a gate sees of a request about to be sent on behalf of an LLM call. */
export interface OutgoingAttempt {
  /** The request's URL. */
  readonly url: URL;
  /** The request body's length in characters (0 when the body is not text). */
  readonly bodyChars: number;
  /** The model the JSON body asks for (its `model`), or null (Gemini names it in the path). */
  readonly model: string | null;
  /** The output tokens the body allows (`max_tokens`, `max_completion_tokens`), or null. */
  readonly maxTokens: number | null;
  /** The LangChain run id of the call the request belongs to. */
  readonly callRunId: string;
}

/** A hook around each tracked request: may hold it before it is sent, and sees its answer. */
export interface AttemptGate {
  /**
   * Called before the request is sent: return a promise to hold it until the promise resolves
   * (it should reject when `signal` aborts), or nothing to let it go at once.
   */
  admit(attempt: OutgoingAttempt, signal: AbortSignal | null): Promise<void> | void;
  /** Called with the request's answer (status and headers) or failure. */
  observe(attempt: OutgoingAttempt, answer: AttemptAnswer): void;
}

/** A running subscription to HTTP attempt tracking; stop it (or `using` it) when done. */
export interface HttpAttemptTracking extends Disposable {
  /** Ends this subscription; tracking stops once every subscription has ended. */
  stop(): void;
  /**
   * Exceptions inside tracking (a gate's), caught and counted since the process started: the
   * request they concerned went on, unheld. Never thrown into the request.
   */
  readonly errors: number;
}

interface CallScope {
  readonly callRunId: string;
  readonly sinks: AttemptSink[];
}

type Fetch = typeof globalThis.fetch;

/** A request cut off on purpose (a timeout or a cancel) rather than failed on the network. */
function isAbort(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === "AbortError" || name === "TimeoutError";
}

/**
 * What a gate sees of a request: its URL, its body's length, and the model and output tokens the
 * JSON body asks for.
 *
 * @param input The request, as `fetch` takes it.
 * @param init The request's options, as `fetch` takes them.
 * @param callRunId The LangChain run id of the call it belongs to.
 * @returns The request as a gate sees it.
 *
 * @example Usage
 * ```ts
 * import { describeRequest } from "./http_attempts.ts";
 * import assert from "node:assert/strict";
 *
 * const body = JSON.stringify({ model: "gpt-4.1-mini", max_tokens: 64, messages: [] });
 * const attempt = describeRequest("http://127.0.0.1:8080/v1/chat/completions", { body }, "run-1");
 * assert.equal(attempt.model, "gpt-4.1-mini");
 * assert.equal(attempt.maxTokens, 64);
 * assert.equal(attempt.bodyChars, body.length);
 * ```
 */
export function describeRequest(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  callRunId: string,
): OutgoingAttempt {
  const url = input instanceof URL ? input : new URL(typeof input === "string" ? input : input.url);
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

/** The process-wide tracker: one `fetch` wrapper, one async-local scope per LLM call. */
class HttpAttemptTracker implements CallScopeOpener {
  readonly #scopes = new AsyncLocalStorage<CallScope>();
  /** The gates, each with how many subscriptions hold it (one gate acts once per request). */
  readonly #gates = new Map<AttemptGate, number>();
  #subscriptions = 0;
  #base: Fetch | null = null;
  /** Failures of a gate, caught (the request went on unheld) and counted. */
  errors = 0;

  /** The wrapper installed as `globalThis.fetch`. */
  readonly fetch: Fetch = (input, init) => {
    const base = this.#base ?? globalThis.fetch;
    const scope = this.#subscriptions > 0 ? this.#scopes.getStore() : undefined;
    // A request outside any LLM call passes straight through, not even through an async frame.
    return scope === undefined ? base(input, init) : this.#tracked(base, scope, input, init);
  };

  enter(callRunId: string, sink: AttemptSink): void {
    const current = this.#scopes.getStore();
    if (current?.callRunId === callRunId) {
      if (!current.sinks.includes(sink)) current.sinks.push(sink);
      return;
    }
    this.#scopes.enterWith({ callRunId, sinks: [sink] });
  }

  subscribe(gate: AttemptGate | undefined): HttpAttemptTracking {
    if (this.#subscriptions === 0) {
      this.#base = globalThis.fetch;
      globalThis.fetch = this.fetch;
      setCallScopeOpener(this);
    }
    this.#subscriptions++;
    if (gate) this.#gates.set(gate, (this.#gates.get(gate) ?? 0) + 1);
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      if (gate) {
        const holders = (this.#gates.get(gate) ?? 1) - 1;
        if (holders > 0) this.#gates.set(gate, holders);
        else this.#gates.delete(gate);
      }
      if (--this.#subscriptions > 0) return;
      setCallScopeOpener(null);
      // Someone may have wrapped fetch after us: then ours stays under theirs, passing through.
      if (globalThis.fetch === this.fetch && this.#base) globalThis.fetch = this.#base;
    };
    const errors = () => this.errors;
    return {
      stop,
      [Symbol.dispose]: stop,
      get errors() {
        return errors();
      },
    };
  }

  async #tracked(
    base: Fetch,
    scope: CallScope,
    input: RequestInfo | URL,
    init?: RequestInit,
  ): Promise<Response> {
    const { callRunId, sinks } = scope;
    const gates = [...this.#gates.keys()];
    const outgoing = gates.length > 0 ? describeRequest(input, init, callRunId) : null;
    const heldFrom = performance.now();
    for (const gate of gates) {
      try {
        await gate.admit(outgoing!, init?.signal ?? null);
      } catch (error) {
        if (!init?.signal?.aborted) {
          // The gate's own failure: counted, and the request goes on unheld.
          this.errors++;
          continue;
        }
        // Cancelled while held: never sent, so never billed.
        const attempts = sinks.map((sink) => sink.sent(callRunId, performance.now() - heldFrom));
        this.#answer(sinks, callRunId, attempts, { failure: "not_sent" });
        throw error;
      }
    }
    const pacedMs = gates.length === 0 ? 0 : performance.now() - heldFrom;
    const attempts = sinks.map((sink) => sink.sent(callRunId, pacedMs));
    let answer: AttemptAnswer;
    let response: Response;
    try {
      response = await base(input, init);
      answer = { status: response.status, headers: response.headers };
    } catch (error) {
      answer = { failure: isAbort(error) ? "aborted" : "network_error" };
      this.#answer(sinks, callRunId, attempts, answer);
      this.#observe(gates, outgoing!, answer);
      throw error;
    }
    this.#answer(sinks, callRunId, attempts, answer);
    this.#observe(gates, outgoing!, answer);
    if (response.status === 429 && !response.headers.has("retry-after")) {
      this.#readRetryDelay(response, sinks, callRunId, attempts);
    }
    return response;
  }

  /** Tells the gates how an attempt went; a gate's failure is counted, never thrown. */
  #observe(gates: readonly AttemptGate[], outgoing: OutgoingAttempt, answer: AttemptAnswer): void {
    for (const gate of gates) {
      try {
        gate.observe(outgoing, answer);
      } catch {
        this.errors++;
      }
    }
  }

  #answer(
    sinks: readonly AttemptSink[],
    callRunId: string,
    attempts: readonly (RawAttempt | null)[],
    answer: AttemptAnswer,
  ): void {
    sinks.forEach((sink, i) => {
      const attempt = attempts[i];
      if (attempt) sink.answered(callRunId, attempt, answer);
    });
  }

  /** Reads a 429's body on a clone (the client reads the original) for a retry delay. */
  #readRetryDelay(
    response: Response,
    sinks: readonly AttemptSink[],
    callRunId: string,
    attempts: readonly (RawAttempt | null)[],
  ): void {
    response.clone().text().then((text) => {
      const delayMs = retryDelayFromBody(text);
      if (delayMs === null) return;
      sinks.forEach((sink, i) => {
        const attempt = attempts[i];
        if (attempt) sink.retryDelay(callRunId, attempt, delayMs);
      });
    }, () => {});
  }
}

const tracker = new HttpAttemptTracker();

/**
 * Starts tracking the HTTP attempts of LLM calls in this process: the process's `fetch` is
 * wrapped, and every call a `PerformanceCallbackHandler` measures gains its `attempts`,
 * `serviceLatencyMs`, `waitMs` and `rateLimit`. Start it before building provider clients (an SDK
 * client keeps the `fetch` it was built with). Subscriptions nest; tracking stops when the last
 * one stops.
 *
 * @param gate A hook that may hold each request before it is sent (the benchmark's pacer).
 * @returns The subscription.
 */
export function trackHttpAttemptsWith(gate?: AttemptGate): HttpAttemptTracking {
  return tracker.subscribe(gate);
}
