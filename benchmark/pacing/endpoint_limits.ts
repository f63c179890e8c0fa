/**
 * What the benchmark knows of one provider endpoint's rate limits, and whether a request may go
 * now: a requests bucket and a tokens bucket, each learnt from the answers' headers or told, a
 * pause after a 429, and an estimate of each request's tokens that improves as calls report their
 * usage. Pure: every method takes the time; the timers live in `rate_pacer.ts`.
 *
 * Limits are per minute by name, refilled continuously (OpenAI's reset headers say how long
 * until the allowance is full again: 1 request of 5,000/min resets in 12 ms). The refill rate is
 * learnt from those headers too — `limit × reset / (limit − remaining)` is the window — so an
 * endpoint that refills faster than a minute (limits enforced per second) is paced to it; the
 * window is never taken as longer than a minute.
 *
 * @module
 */
import type { RateLimitReading } from "../../telemetry/rate_limit_headers.ts";
import { TokenBucket } from "./token_bucket.ts";

/** Providers' request and token limits are per minute. */
export const MINUTE_MS = 60_000;

/** The shortest refill window believed from the headers, milliseconds. */
const SHORTEST_WINDOW_MS = 1000;

/** A reset is read for the window only when this share of the limit is used (less is noise). */
const WINDOW_SAMPLE_DEFICIT = 0.25;

/** The window is the median of this many latest readings. */
const WINDOW_SAMPLES = 9;

/**
 * The share of a limit the benchmark uses: the rest absorbs the error of its token estimates and
 * the answers' stale `remaining` counts, so that pacing rarely meets a 429.
 */
export const LIMIT_SHARE = 0.97;

/**
 * Characters per token before any call has reported its usage: OpenAI's rule of thumb, "one token
 * is about 4 characters of English text"
 * (https://help.openai.com/en/articles/4936856-what-are-tokens-and-how-to-count-them, read
 * 2026-12-06). The estimate then learns from each call's reported input tokens.
 */
const FIRST_CHARS_PER_TOKEN = 4;

/** Weight of the newest call in the learnt averages (an exponential moving average). */
const LEARNING_RATE = 0.2;

/** A pause after a 429 that said nothing about how long to wait. */
const DEFAULT_PAUSE_MS = 1000;

/** Where a limit came from. */
export type LimitSource = "told" | "headers" | "429s";

/** Limits told up front (a command line's `--rpm` / `--tpm`), per minute. */
export interface ToldLimits {
  /** Requests per minute. */
  requestsPerMinute?: number;
  /** Tokens (input and output) per minute. */
  tokensPerMinute?: number;
}

/** What a request needs from the allowances. */
export interface RequestNeed {
  /** Requests: 1. */
  readonly requests: number;
  /** Its tokens, estimated. */
  readonly tokens: number;
}

/** One limit as it stands: its size, the window it refills over, and where it came from. */
export interface LimitState {
  /** The limit (the provider's, or told), before {@linkcode LIMIT_SHARE}. */
  readonly limit: number;
  /** The window it refills over, milliseconds: a minute, or what the reset headers showed. */
  readonly windowMs: number;
  /** Where it came from. */
  readonly source: LimitSource;
}

/** A limit in force: its bucket (at the share used), its origin, its window's readings. */
interface Limit {
  readonly bucket: TokenBucket;
  limit: number;
  source: LimitSource;
  windowMs: number;
  readonly windowSamples: number[];
}

/**
 * One endpoint's limits and allowances.
 *
 * @example Usage
 * ```ts
 * import { EndpointLimits } from "./endpoint_limits.ts";
 * import assert from "node:assert/strict";
 *
 * const endpoint = new EndpointLimits({ requestsPerMinute: 60 }, 0);
 * const need = { requests: 1, tokens: 100 };
 * for (let i = 0; i < 57; i++) endpoint.admit(need, 0); // 60 x 0.97 = 58.2: 58 go at once
 * assert.equal(endpoint.msUntilAdmit(need, 0), 0);
 * endpoint.admit(need, 0); // the 58th
 * assert.ok(endpoint.msUntilAdmit(need, 0) > 0);
 * ```
 */
export class EndpointLimits {
  #requests: Limit | null = null;
  #tokens: Limit | null = null;
  readonly #told: ToldLimits;
  #pausedUntilMs = 0;
  #charsPerToken = FIRST_CHARS_PER_TOKEN;
  #outputTokens: number | null = null;
  /** Send times of the last minute, to learn a limit from 429s that come without headers. */
  readonly #recentSends: number[] = [];
  /** 429s answered. */
  rateLimited = 0;

  /**
   * @param told Limits told up front (they win over larger learnt ones).
   * @param nowMs The time, milliseconds.
   */
  constructor(told: ToldLimits, nowMs: number) {
    this.#told = told;
    if (told.requestsPerMinute) this.#requests = this.#limit(told.requestsPerMinute, "told", nowMs);
    if (told.tokensPerMinute) this.#tokens = this.#limit(told.tokensPerMinute, "told", nowMs);
  }

  /** The requests limit in force, or null while none is known. */
  get requests(): LimitState | null {
    return stateOf(this.#requests);
  }

  /** The tokens limit in force, or null while none is known. */
  get tokens(): LimitState | null {
    return stateOf(this.#tokens);
  }

  /**
   * Milliseconds a pause after a 429 still lasts.
   *
   * @param nowMs The time, milliseconds.
   * @returns The rest of the pause, 0 when none.
   */
  pausedFor(nowMs: number): number {
    return Math.max(0, this.#pausedUntilMs - nowMs);
  }

  /** Whether anything limits this endpoint (a limit known, or a pause). */
  get paces(): boolean {
    return this.#requests !== null || this.#tokens !== null || this.#pausedUntilMs > 0;
  }

  /**
   * Estimates the tokens a request will count: its body's characters at the learnt characters
   * per token, plus the output tokens calls have averaged (else the body's `max_tokens`).
   *
   * @param bodyChars The request body's length, characters.
   * @param maxTokens The output tokens the body allows, or null.
   * @returns The estimate.
   */
  estimateTokens(bodyChars: number, maxTokens: number | null): number {
    const output = this.#outputTokens ?? maxTokens ?? 0;
    return Math.ceil(bodyChars / this.#charsPerToken) + output;
  }

  /**
   * Milliseconds until a request with this need may go; 0 when it may go now.
   *
   * @param need What it needs.
   * @param nowMs The time, milliseconds.
   * @returns The wait.
   */
  msUntilAdmit(need: RequestNeed, nowMs: number): number {
    return Math.max(
      this.pausedFor(nowMs),
      this.#requests?.bucket.msUntil(need.requests, nowMs) ?? 0,
      this.#tokens?.bucket.msUntil(need.tokens, nowMs) ?? 0,
    );
  }

  /**
   * Takes a request's need from the allowances (it is being sent).
   *
   * @param need What it needs.
   * @param nowMs The time, milliseconds.
   */
  admit(need: RequestNeed, nowMs: number): void {
    this.#requests?.bucket.take(need.requests, nowMs);
    this.#tokens?.bucket.take(need.tokens, nowMs);
    this.#recentSends.push(nowMs);
    while (this.#recentSends.length > 0 && this.#recentSends[0] <= nowMs - MINUTE_MS) {
      this.#recentSends.shift();
    }
  }

  /**
   * Gives a request's need back (the provider refused it: a 429 is not counted).
   *
   * @param need What it took.
   * @param nowMs The time, milliseconds.
   */
  refund(need: RequestNeed, nowMs: number): void {
    this.#requests?.bucket.take(-need.requests, nowMs);
    this.#tokens?.bucket.take(-need.tokens, nowMs);
  }

  /**
   * Learns from an answer's rate-limit headers: the limits (unless told smaller) and what is
   * left (the allowances never stay above it).
   *
   * @param reading What the answer said.
   * @param nowMs The time, milliseconds.
   */
  learn(reading: RateLimitReading, nowMs: number): void {
    this.#requests = this.#learnLimit(
      this.#requests,
      reading.requestsLimit,
      reading.requestsRemaining,
      reading.requestsResetMs,
      this.#told.requestsPerMinute,
      nowMs,
    );
    this.#tokens = this.#learnLimit(
      this.#tokens,
      reading.tokensLimit,
      reading.tokensRemaining,
      reading.tokensResetMs,
      this.#told.tokensPerMinute,
      nowMs,
    );
  }

  /**
   * Pauses the endpoint after a 429 for as long as the answer asked (else a second); with no
   * limit known at all, a requests limit is learnt: the requests the last minute let through.
   *
   * @param need What the refused request took (given back).
   * @param retryAfterMs How long the answer asked to wait, or null.
   * @param nowMs The time, milliseconds.
   */
  rateLimitedAt(need: RequestNeed, retryAfterMs: number | null, nowMs: number): void {
    this.rateLimited++;
    this.refund(need, nowMs);
    this.#pausedUntilMs = Math.max(this.#pausedUntilMs, nowMs + (retryAfterMs ?? DEFAULT_PAUSE_MS));
    if (this.#requests === null && this.#tokens === null) {
      const allowed = Math.max(1, this.#recentSends.length - 1);
      this.#requests = this.#limit(allowed, "429s", nowMs);
      this.#requests.bucket.take(allowed * LIMIT_SHARE, nowMs);
    }
  }

  /**
   * Learns from a finished call's usage: its tokens replace their estimate in the allowance, and
   * the estimates of later requests improve.
   *
   * @param estimate The tokens the call's last request was estimated at.
   * @param bodyChars That request body's length.
   * @param inputTokens The call's input tokens.
   * @param outputTokens The call's output tokens.
   * @param nowMs The time, milliseconds.
   */
  settle(
    estimate: number,
    bodyChars: number,
    inputTokens: number,
    outputTokens: number,
    nowMs: number,
  ): void {
    this.#tokens?.bucket.take(inputTokens + outputTokens - estimate, nowMs);
    if (inputTokens > 0 && bodyChars > 0) {
      this.#charsPerToken += LEARNING_RATE * (bodyChars / inputTokens - this.#charsPerToken);
    }
    this.#outputTokens = this.#outputTokens === null
      ? outputTokens
      : this.#outputTokens + LEARNING_RATE * (outputTokens - this.#outputTokens);
  }

  #limit(limit: number, source: LimitSource, nowMs: number): Limit {
    return {
      bucket: new TokenBucket(limit * LIMIT_SHARE, MINUTE_MS, nowMs),
      limit,
      source,
      windowMs: MINUTE_MS,
      windowSamples: [],
    };
  }

  #learnLimit(
    current: Limit | null,
    said: number | null,
    remaining: number | null,
    resetMs: number | null,
    told: number | undefined,
    nowMs: number,
  ): Limit | null {
    let limit = current;
    if (said !== null && said > 0 && (told === undefined || said < told)) {
      if (limit === null) limit = this.#limit(said, "headers", nowMs);
      else if (limit.limit !== said || limit.source !== "headers") {
        limit.bucket.resize(said * LIMIT_SHARE, nowMs);
        limit.limit = said;
        limit.source = "headers";
      }
    }
    if (limit === null) return null;
    if (limit.source === "headers" && remaining !== null && resetMs !== null && resetMs > 0) {
      // `remaining` is a whole number (what is left, rounded down): half a unit more was left.
      const used = limit.limit - remaining - 0.5;
      if (used >= limit.limit * WINDOW_SAMPLE_DEFICIT) {
        limit.windowSamples.push((resetMs * limit.limit) / used);
        if (limit.windowSamples.length > WINDOW_SAMPLES) limit.windowSamples.shift();
        const windowMs = Math.min(
          MINUTE_MS,
          Math.max(SHORTEST_WINDOW_MS, median(limit.windowSamples)),
        );
        if (windowMs !== limit.windowMs) {
          limit.windowMs = windowMs;
          limit.bucket.rewindow(windowMs, nowMs);
        }
      }
    }
    if (remaining !== null) {
      // What the provider has left, less the share kept in reserve.
      limit.bucket.lowerTo(remaining - limit.limit * (1 - LIMIT_SHARE), nowMs);
    }
    return limit;
  }
}

function stateOf(limit: Limit | null): LimitState | null {
  return limit && { limit: limit.limit, windowMs: limit.windowMs, source: limit.source };
}

function median(values: readonly number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
