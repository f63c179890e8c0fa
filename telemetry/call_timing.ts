/**
 * A call's latency split into service and waiting, from its raw HTTP attempts: off the hot path,
 * when its metrics are built.
 *
 * A call is its attempts plus the waits between them. With attempts tracked:
 * `waitMs` = (last attempt's send − first attempt's send) + the pacing before the first, so it
 * holds the failed attempts, the backoff and `retry-after` waits and the benchmark's pacing;
 * `serviceLatencyMs` = `latencyMs` − `waitMs` (for a successful call): the successful attempt and
 * the client's own work around it. One unpaced attempt: service = end-to-end, exactly.
 *
 * @module
 */
import { type HttpAttempt, outcomeOf } from "./attempt_metrics.ts";
import {
  type RateLimitReading,
  readRateLimitHeaders,
  readRetryAfterMs,
} from "./rate_limit_headers.ts";
import type { RawAttempt, RawCall } from "./recorder.ts";

/** What a call's attempts say about its latency and rate limits. */
export interface CallTiming {
  /** The attempts, as metrics; null when not tracked. */
  readonly attempts: readonly HttpAttempt[] | null;
  /** `latencyMs` minus `waitMs` for a successful tracked call, else null. */
  readonly serviceLatencyMs: number | null;
  /** What retries and pacing added, ms; null when not tracked. */
  readonly waitMs: number | null;
  /** The rate-limit state the answers reported last, or null. */
  readonly rateLimit: RateLimitReading | null;
  /** Attempts answered 429. */
  readonly rateLimitedAttempts: number;
}

const UNTRACKED: CallTiming = Object.freeze({
  attempts: null,
  serviceLatencyMs: null,
  waitMs: null,
  rateLimit: null,
  rateLimitedAttempts: 0,
});

const NO_ATTEMPTS: readonly HttpAttempt[] = Object.freeze([]);

/** Epoch ms of a monotonic time within the call. */
function epochOf(call: RawCall, monotonicMs: number): number {
  return call.startedAt + (monotonicMs - call.startMs);
}

function attemptMetrics(call: RawCall, raw: RawAttempt, endMs: number): HttpAttempt {
  const answeredMs = raw.endMs ?? endMs;
  const retryAfter = raw.headers === null
    ? null
    : readRetryAfterMs(raw.headers, epochOf(call, answeredMs));
  return Object.freeze({
    startOffsetMs: Math.max(0, raw.sentMs - call.startMs),
    durationMs: Math.max(0, answeredMs - raw.sentMs),
    status: raw.status,
    outcome: outcomeOf(raw.status, raw.status === null ? (raw.failure ?? "aborted") : null),
    pacedMs: raw.pacedMs,
    retryAfterMs: retryAfter ?? raw.bodyRetryDelayMs,
    possiblyBilled: raw.status === null && (raw.failure ?? "aborted") === "aborted",
  });
}

/** The rate-limit state of the last attempt whose answer said anything about it. */
function lastRateLimit(call: RawCall, attempts: readonly RawAttempt[]): RateLimitReading | null {
  for (let i = attempts.length - 1; i >= 0; i--) {
    const attempt = attempts[i];
    const reading = attempt.headers === null
      ? null
      : readRateLimitHeaders(attempt.headers, epochOf(call, attempt.endMs ?? attempt.sentMs));
    if (reading !== null) {
      return Object.freeze(
        reading.retryAfterMs === null && attempt.bodyRetryDelayMs !== null
          ? { ...reading, retryAfterMs: attempt.bodyRetryDelayMs }
          : reading,
      );
    }
    if (attempt.bodyRetryDelayMs !== null) {
      return Object.freeze({
        requestsLimit: null,
        requestsRemaining: null,
        requestsResetMs: null,
        tokensLimit: null,
        tokensRemaining: null,
        tokensResetMs: null,
        retryAfterMs: attempt.bodyRetryDelayMs,
      });
    }
  }
  return null;
}

/**
 * What a tracked call's attempts added to its latency (`waitMs`), and how many were answered 429;
 * the cheap part of {@linkcode callTiming}, for sums.
 *
 * @param call The raw call (its `attempts` not null).
 * @param endMs The call's end (or, while it runs, now), monotonic ms.
 * @returns The wait in ms and the count of 429s.
 */
export function callWait(
  call: RawCall,
  endMs: number,
): { waitMs: number; rateLimitedAttempts: number } {
  const raw = call.attempts ?? [];
  if (raw.length === 0) return { waitMs: 0, rateLimitedAttempts: 0 };
  const latencyMs = Math.max(0, endMs - call.startMs);
  const first = raw[0];
  const last = raw[raw.length - 1];
  let rateLimitedAttempts = 0;
  for (const attempt of raw) if (attempt.status === 429) rateLimitedAttempts++;
  return {
    waitMs: Math.min(latencyMs, Math.max(0, last.sentMs - first.sentMs + first.pacedMs)),
    rateLimitedAttempts,
  };
}

/**
 * Splits a call's latency into service and waiting, and reads its attempts' answers.
 *
 * @param call The raw call.
 * @param endMs The call's end (or, while it runs, now), monotonic ms.
 * @returns Its timing; every field null (0 attempts rate limited) when attempts were not tracked.
 *
 * @example Usage
 * ```ts
 * import { callTiming } from "./call_timing.ts";
 * import type { RawCall } from "./recorder.ts";
 * import assert from "node:assert/strict";
 *
 * const attempt = (sentMs: number, endMs: number, status: number) => ({
 *   sentMs, pacedMs: 0, endMs, status, failure: null, headers: null, bodyRetryDelayMs: null,
 * });
 * // A 429 at 10 ms, a retry sent at 1,010 ms that succeeds; the call ends at 1,210 ms.
 * const call = {
 *   startedAt: 0, startMs: 0, endMs: 1210, error: null,
 *   attempts: [attempt(10, 15, 429), attempt(1010, 1100, 200)],
 * } as unknown as RawCall;
 * const timing = callTiming(call, 1210);
 * assert.equal(timing.waitMs, 1000);
 * assert.equal(timing.serviceLatencyMs, 210);
 * assert.equal(timing.rateLimitedAttempts, 1);
 * ```
 */
export function callTiming(call: RawCall, endMs: number): CallTiming {
  const raw = call.attempts;
  if (raw === null) return UNTRACKED;
  const latencyMs = Math.max(0, endMs - call.startMs);
  const ok = call.error === null && call.endMs !== null;
  if (raw.length === 0) {
    return {
      attempts: NO_ATTEMPTS,
      serviceLatencyMs: ok ? latencyMs : null,
      waitMs: 0,
      rateLimit: null,
      rateLimitedAttempts: 0,
    };
  }
  const { waitMs, rateLimitedAttempts } = callWait(call, endMs);
  return {
    attempts: Object.freeze(raw.map((attempt) => attemptMetrics(call, attempt, endMs))),
    serviceLatencyMs: ok ? latencyMs - waitMs : null,
    waitMs,
    rateLimit: lastRateLimit(call, raw),
    rateLimitedAttempts,
  };
}
