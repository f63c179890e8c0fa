/**
 * The benchmark's pacer: one shared limiter per provider endpoint (its origin and model), which
 * holds each LLM request until the endpoint's requests and tokens per minute allow it, so a
 * benchmark finishes in about the least time the limits allow instead of piling up 429s and
 * retries. Limits are learnt from the answers' headers and 429s, or told. It is the gate of the
 * HTTP attempt tracking: held time shows on each attempt as `pacedMs`, and on the call as wait.
 *
 * @module
 */
import type { AttemptGate, OutgoingAttempt } from "../../telemetry/http_attempts.ts";
import type { AttemptAnswer } from "../../telemetry/recorder.ts";
import { readRateLimitHeaders, readRetryAfterMs } from "../../telemetry/rate_limit_headers.ts";
import {
  EndpointLimits,
  type LimitState,
  type RequestNeed,
  type ToldLimits,
} from "./endpoint_limits.ts";

export type { LimitSource, LimitState, ToldLimits } from "./endpoint_limits.ts";

/** Where one endpoint stands, for a progress line. */
export interface EndpointPacing {
  /** The endpoint: its host and the model asked for, e.g. `api.openai.com gpt-4.1-mini`. */
  readonly endpoint: string;
  /** The requests limit in force, or null. */
  readonly requests: LimitState | null;
  /** The tokens limit in force, or null. */
  readonly tokens: LimitState | null;
  /** Requests held now. */
  readonly waiting: number;
  /** Milliseconds a pause after a 429 still lasts (0: none). */
  readonly pausedForMs: number;
  /** 429s answered so far. */
  readonly rateLimited: number;
  /** Requests held so far, and for how long in all, milliseconds. */
  readonly held: { readonly requests: number; readonly ms: number };
}

/** Options of {@linkcode RatePacer}. */
export interface RatePacerOptions {
  /**
   * Limits told up front, by host (`api.openai.com`, `127.0.0.1:8080`) or `*` for every endpoint;
   * learnt limits smaller than told ones win.
   */
  told?: Readonly<Record<string, ToldLimits>>;
  /** The clock, milliseconds; default `performance.now`. */
  now?: () => number;
  /**
   * Told when an endpoint starts holding requests, when the limits it holds them to (or where
   * they came from) change, and when a 429 pauses it: say so to the user.
   */
  onPacing?: (endpoint: EndpointPacing) => void;
}

interface Waiter {
  readonly need: RequestNeed;
  readonly since: number;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | null;
  readonly onAbort: () => void;
}

interface Endpoint {
  readonly name: string;
  readonly limits: EndpointLimits;
  readonly queue: Waiter[];
  timer: ReturnType<typeof setTimeout> | null;
  held: number;
  heldMs: number;
  /** What the last word on it said (limits and their sources, or a pause), to say news once. */
  told: string;
}

/** What the pacer remembers of a call's last request, to settle its tokens when it ends. */
interface Reservation {
  readonly endpoint: Endpoint;
  readonly need: RequestNeed;
  readonly bodyChars: number;
}

/** The model a request asks for: the JSON body's `model`, else the path (Gemini names it there). */
function modelOf(attempt: OutgoingAttempt): string {
  return attempt.model ?? attempt.url.pathname;
}

/**
 * Paces LLM requests per endpoint to its rate limits. Pass it to `runBenchmark` (`pacer`); read
 * {@linkcode RatePacer.status} for a progress line.
 *
 * @example Usage
 * ```ts
 * import { RatePacer } from "./rate_pacer.ts";
 * import assert from "node:assert/strict";
 *
 * const pacer = new RatePacer({ told: { "*": { requestsPerMinute: 600 } } });
 * const attempt = {
 *   url: new URL("http://127.0.0.1:8080/v1/chat/completions"),
 *   bodyChars: 400,
 *   model: "gpt-4.1-mini",
 *   maxTokens: 64,
 *   callRunId: "a",
 * };
 * await pacer.admit(attempt, null); // the first goes at once
 * assert.equal(pacer.status()[0].requests?.limit, 600);
 * pacer.close();
 * ```
 */
export class RatePacer implements AttemptGate {
  readonly #told: Readonly<Record<string, ToldLimits>>;
  readonly #now: () => number;
  readonly #onPacing: ((endpoint: EndpointPacing) => void) | undefined;
  readonly #endpoints = new Map<string, Endpoint>();
  readonly #reservations = new Map<string, Reservation>();
  #closed = false;

  /**
   * Creates a pacer that knows no limit until told or answered.
   *
   * @param options Limits told up front, and the clock.
   */
  constructor(options: RatePacerOptions = {}) {
    this.#told = options.told ?? {};
    this.#now = options.now ?? (() => performance.now());
    this.#onPacing = options.onPacing;
  }

  /**
   * Holds a request until its endpoint's allowances let it go (at once when nothing is known).
   *
   * @param attempt The request.
   * @param signal The request's abort signal: aborting it stops the wait.
   * @returns Nothing when it may go at once, else a promise that resolves when it may.
   */
  admit(attempt: OutgoingAttempt, signal: AbortSignal | null): Promise<void> | void {
    const endpoint = this.#endpoint(attempt);
    const tokens = endpoint.limits.estimateTokens(attempt.bodyChars, attempt.maxTokens);
    const need = { requests: 1, tokens };
    this.#reservations.set(attempt.callRunId, { endpoint, need, bodyChars: attempt.bodyChars });
    const now = this.#now();
    if (
      this.#closed || endpoint.queue.length === 0 && endpoint.limits.msUntilAdmit(need, now) === 0
    ) {
      endpoint.limits.admit(need, now);
      return;
    }
    signal?.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        need,
        since: now,
        resolve,
        reject,
        signal,
        onAbort: () => {
          endpoint.queue.splice(endpoint.queue.indexOf(waiter), 1);
          reject(signal?.reason);
          this.#pump(endpoint);
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      endpoint.queue.push(waiter);
      this.#pump(endpoint);
      if (endpoint.queue.includes(waiter)) this.#tell(endpoint, "held");
    });
  }

  /**
   * Learns from a request's answer: the endpoint's limits and what is left, or a pause after a
   * 429.
   *
   * @param attempt The request.
   * @param answer Its answer or failure.
   */
  observe(attempt: OutgoingAttempt, answer: AttemptAnswer): void {
    if (answer.headers === undefined) return;
    const endpoint = this.#endpoint(attempt);
    const now = this.#now();
    const nowEpoch = Date.now();
    const reading = answer.headers === null ? null : readRateLimitHeaders(answer.headers, nowEpoch);
    if (reading !== null) endpoint.limits.learn(reading, now);
    if (answer.status === 429) {
      const reservation = this.#reservations.get(attempt.callRunId);
      const retryAfter = answer.headers === null
        ? null
        : readRetryAfterMs(answer.headers, nowEpoch);
      endpoint.limits.rateLimitedAt(
        reservation?.endpoint === endpoint ? reservation.need : { requests: 0, tokens: 0 },
        retryAfter ?? reading?.requestsResetMs ?? null,
        now,
      );
      this.#tell(endpoint, `paused ${endpoint.limits.rateLimited}`);
    }
    this.#pump(endpoint);
  }

  /**
   * Settles a finished call's tokens: its usage replaces the estimate its last request was
   * admitted with, and later estimates learn from it.
   *
   * @param callRunId The call's LangChain run id.
   * @param inputTokens Its input tokens.
   * @param outputTokens Its output tokens.
   */
  settle(callRunId: string, inputTokens: number, outputTokens: number): void {
    const reservation = this.#reservations.get(callRunId);
    if (reservation === undefined) return;
    this.#reservations.delete(callRunId);
    const { endpoint, need, bodyChars } = reservation;
    endpoint.limits.settle(need.tokens, bodyChars, inputTokens, outputTokens, this.#now());
    this.#pump(endpoint);
  }

  /**
   * Forgets a call that ended without usage (nothing to settle).
   *
   * @param callRunId The call's LangChain run id.
   */
  forget(callRunId: string): void {
    this.#reservations.delete(callRunId);
  }

  /**
   * Where each endpoint stands: its limits, requests held, a pause after a 429.
   *
   * @returns One entry per endpoint seen, in first-seen order.
   */
  status(): EndpointPacing[] {
    return [...this.#endpoints.values()].map((endpoint) => this.#statusOf(endpoint));
  }

  #statusOf(endpoint: Endpoint): EndpointPacing {
    return {
      endpoint: endpoint.name,
      requests: endpoint.limits.requests,
      tokens: endpoint.limits.tokens,
      waiting: endpoint.queue.length,
      pausedForMs: endpoint.limits.pausedFor(this.#now()),
      rateLimited: endpoint.limits.rateLimited,
      held: { requests: endpoint.held, ms: endpoint.heldMs },
    };
  }

  /** Tells the listener about an endpoint when its news (what it holds requests to) changed. */
  #tell(endpoint: Endpoint, why: "held" | `paused ${number}`): void {
    if (this.#onPacing === undefined) return;
    const { requests, tokens } = endpoint.limits;
    const news = why === "held"
      ? `held ${requests?.limit}:${requests?.source} ${tokens?.limit}:${tokens?.source}`
      : why;
    if (news === endpoint.told) return;
    endpoint.told = news;
    try {
      this.#onPacing(this.#statusOf(endpoint));
    } catch {
      // A listener's failure changes nothing about pacing.
    }
  }

  /** Lets every held request go and holds no more (the benchmark is over); clears its timers. */
  close(): void {
    this.#closed = true;
    for (const endpoint of this.#endpoints.values()) {
      if (endpoint.timer !== null) clearTimeout(endpoint.timer);
      endpoint.timer = null;
      for (const waiter of endpoint.queue.splice(0)) this.#release(endpoint, waiter);
    }
  }

  #endpoint(attempt: OutgoingAttempt): Endpoint {
    const host = attempt.url.host;
    const name = `${host} ${modelOf(attempt)}`;
    let endpoint = this.#endpoints.get(name);
    if (endpoint === undefined) {
      const told = this.#told[host] ?? this.#told["*"] ?? {};
      endpoint = {
        name,
        limits: new EndpointLimits(told, this.#now()),
        queue: [],
        timer: null,
        held: 0,
        heldMs: 0,
        told: "",
      };
      this.#endpoints.set(name, endpoint);
    }
    return endpoint;
  }

  /** Lets the queue's head go while it can; else wakes up when it can. */
  #pump(endpoint: Endpoint): void {
    if (endpoint.timer !== null) {
      clearTimeout(endpoint.timer);
      endpoint.timer = null;
    }
    const now = this.#now();
    while (endpoint.queue.length > 0) {
      const head = endpoint.queue[0];
      const waitMs = this.#closed ? 0 : endpoint.limits.msUntilAdmit(head.need, now);
      if (waitMs > 0) {
        endpoint.timer = setTimeout(() => {
          endpoint.timer = null;
          this.#pump(endpoint);
        }, Math.max(1, Math.ceil(waitMs)));
        return;
      }
      endpoint.queue.shift();
      endpoint.limits.admit(head.need, now);
      this.#release(endpoint, head);
    }
  }

  #release(endpoint: Endpoint, waiter: Waiter): void {
    waiter.signal?.removeEventListener("abort", waiter.onAbort);
    endpoint.held++;
    endpoint.heldMs += this.#now() - waiter.since;
    waiter.resolve();
  }
}
