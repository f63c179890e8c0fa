/**
 * What providers say about their rate limits, read from an answer's headers (and, for Gemini, a
 * 429's body) into one shape. Pure functions, used off the hot path: when a call's metrics are
 * built, and by the benchmark's pacer.
 *
 * - OpenAI and OpenAI-compatible APIs: `x-ratelimit-limit-requests`, `-remaining-requests`,
 *   `-reset-requests` (a duration such as `12ms`, `1s`, `6m0s`) and the same for `-tokens`
 *   (https://platform.openai.com/docs/guides/rate-limits).
 * - Anthropic: `anthropic-ratelimit-requests-limit`, `-remaining`, `-reset` (an RFC 3339 time)
 *   and the same for `-tokens` (or, without them, `-input-tokens`)
 *   (https://docs.anthropic.com/en/api/rate-limits#response-headers).
 * - Every provider: `retry-after-ms` (milliseconds; OpenAI's SDK reads it first) and
 *   `retry-after` (seconds or an HTTP date, RFC 9110 §10.2.3).
 * - Gemini: a 429's JSON body carries `google.rpc.RetryInfo` with `retryDelay` (`"37s"`)
 *   (https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes).
 *
 * @module
 */

import type { RateLimitReading } from "./attempt_metrics.ts";

/** Anything with a `get(name)` like the Fetch API's `Headers`. */
export interface HeaderSource {
  /** The header's value, or null when absent. */
  get(name: string): string | null;
}

export type { RateLimitReading };

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a Go-style duration as OpenAI's reset headers write it (`12ms`, `1.5s`, `6m0s`,
 * `1h2m3s`); a plain number is seconds.
 *
 * @param text The header's value.
 * @returns Milliseconds, or null when it is not a duration.
 *
 * @example Usage
 * ```ts
 * import { parseDurationMs } from "./rate_limit_headers.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseDurationMs("6m0s"), 360_000);
 * assert.equal(parseDurationMs("12ms"), 12);
 * assert.equal(parseDurationMs("1.5"), 1500);
 * assert.equal(parseDurationMs("soon"), null);
 * ```
 */
export function parseDurationMs(text: string | null): number | null {
  if (text === null) return null;
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  let total = 0;
  let consumed = 0;
  for (const [part, amount, unit] of trimmed.matchAll(DURATION_PART)) {
    total += Number(amount) * UNIT_MS[unit];
    consumed += part.length;
  }
  return consumed > 0 && consumed === trimmed.length ? total : null;
}

function count(text: string | null): number | null {
  if (text === null || !/^\s*\d+(?:\.\d+)?\s*$/.test(text)) return null;
  return Number(text);
}

/** Milliseconds from `nowEpochMs` until an RFC 3339 time, at least 0; null when unreadable. */
function untilMs(text: string | null, nowEpochMs: number): number | null {
  if (text === null) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowEpochMs);
}

/**
 * How long an answer asks the client to wait: `retry-after-ms`, else `retry-after` (seconds or an
 * HTTP date).
 *
 * @param headers The answer's headers.
 * @param nowEpochMs When the answer arrived (for a date), epoch milliseconds.
 * @returns Milliseconds, or null when neither header is there (or readable).
 *
 * @example Usage
 * ```ts
 * import { readRetryAfterMs } from "./rate_limit_headers.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(readRetryAfterMs(new Headers({ "retry-after": "2" }), 0), 2000);
 * assert.equal(readRetryAfterMs(new Headers({ "retry-after-ms": "150" }), 0), 150);
 * assert.equal(readRetryAfterMs(new Headers(), 0), null);
 * ```
 */
export function readRetryAfterMs(headers: HeaderSource, nowEpochMs: number): number | null {
  const ms = count(headers.get("retry-after-ms"));
  if (ms !== null) return ms;
  const after = headers.get("retry-after");
  if (after === null) return null;
  const seconds = count(after);
  return seconds !== null ? seconds * 1000 : untilMs(after, nowEpochMs);
}

/**
 * Reads the rate-limit headers of an answer (OpenAI's, Anthropic's, and `retry-after`).
 *
 * @param headers The answer's headers.
 * @param nowEpochMs When the answer arrived, epoch milliseconds (Anthropic's resets are times).
 * @returns The reading, or null when the answer said nothing about rate limits.
 *
 * @example Usage
 * ```ts
 * import { readRateLimitHeaders } from "./rate_limit_headers.ts";
 * import assert from "node:assert/strict";
 *
 * const headers = new Headers({
 *   "x-ratelimit-limit-requests": "600",
 *   "x-ratelimit-remaining-requests": "599",
 *   "x-ratelimit-reset-requests": "100ms",
 *   "x-ratelimit-limit-tokens": "200000",
 *   "x-ratelimit-remaining-tokens": "199250",
 *   "x-ratelimit-reset-tokens": "225ms",
 * });
 * const reading = readRateLimitHeaders(headers, Date.now());
 * assert.equal(reading?.requestsLimit, 600);
 * assert.equal(reading?.tokensResetMs, 225);
 * assert.equal(readRateLimitHeaders(new Headers(), Date.now()), null);
 * ```
 */
export function readRateLimitHeaders(
  headers: HeaderSource,
  nowEpochMs: number,
): RateLimitReading | null {
  const anthropic = (kind: string, field: string) =>
    headers.get(`anthropic-ratelimit-${kind}-${field}`);
  const tokenKind = anthropic("tokens", "limit") !== null ? "tokens" : "input-tokens";
  const reading: RateLimitReading = {
    requestsLimit: count(headers.get("x-ratelimit-limit-requests")) ??
      count(anthropic("requests", "limit")),
    requestsRemaining: count(headers.get("x-ratelimit-remaining-requests")) ??
      count(anthropic("requests", "remaining")),
    requestsResetMs: parseDurationMs(headers.get("x-ratelimit-reset-requests")) ??
      untilMs(anthropic("requests", "reset"), nowEpochMs),
    tokensLimit: count(headers.get("x-ratelimit-limit-tokens")) ??
      count(anthropic(tokenKind, "limit")),
    tokensRemaining: count(headers.get("x-ratelimit-remaining-tokens")) ??
      count(anthropic(tokenKind, "remaining")),
    tokensResetMs: parseDurationMs(headers.get("x-ratelimit-reset-tokens")) ??
      untilMs(anthropic(tokenKind, "reset"), nowEpochMs),
    retryAfterMs: readRetryAfterMs(headers, nowEpochMs),
  };
  return Object.values(reading).some((value) => value !== null) ? reading : null;
}

/**
 * The retry delay a Gemini 429 asks for in its body (`google.rpc.RetryInfo`'s `retryDelay`,
 * a protobuf duration such as `"37s"` or `"1.5s"`).
 *
 * @param body The error answer's body text.
 * @returns Milliseconds, or null when the body has none.
 *
 * @example Usage
 * ```ts
 * import { retryDelayFromBody } from "./rate_limit_headers.ts";
 * import assert from "node:assert/strict";
 *
 * const body = JSON.stringify({
 *   error: {
 *     code: 429,
 *     details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "37s" }],
 *   },
 * });
 * assert.equal(retryDelayFromBody(body), 37_000);
 * assert.equal(retryDelayFromBody("not json"), null);
 * ```
 */
export function retryDelayFromBody(body: string): number | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const root = Array.isArray(parsed) ? parsed[0] : parsed;
  const details = (root as { error?: { details?: unknown } } | null)?.error?.details;
  if (!Array.isArray(details)) return null;
  for (const detail of details) {
    const delay = (detail as { retryDelay?: unknown } | null)?.retryDelay;
    if (typeof delay === "string") return parseDurationMs(delay);
  }
  return null;
}
