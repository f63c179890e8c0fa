/**
 * The HTTP side of an LLM call: each attempt the provider's client made (a call = attempts + the
 * waits between them) and the rate-limit state its answers reported. Zod schemas are the single
 * source of truth; the interfaces are held to them by the compiler.
 *
 * @module
 */
import { z } from "zod";
import type { RateLimitReading } from "./rate_limit_headers.ts";
import type { SameKeys } from "../pricing/_same_keys.ts";

const ms = z.number().nonnegative();
const amount = z.number().nonnegative().nullable();

/**
 * How an HTTP attempt ended: `ok` (an answer below 400), `rate_limited` (429), `server_error`
 * (5xx, Anthropic's 529 included), `client_error` (another 4xx), `aborted` (sent, then cut off
 * before an answer: a timeout or a cancel), `network_error` (no answer: refused, reset, DNS),
 * `not_sent` (cancelled while the benchmark's pacer held it).
 */
export type AttemptOutcome =
  | "ok"
  | "rate_limited"
  | "server_error"
  | "client_error"
  | "aborted"
  | "network_error"
  | "not_sent";

/**
 * Every {@linkcode AttemptOutcome}, in the order above.
 *
 * @example Usage
 * ```ts
 * import { ATTEMPT_OUTCOMES } from "./attempt_metrics.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(ATTEMPT_OUTCOMES.includes("rate_limited"));
 * ```
 */
export const ATTEMPT_OUTCOMES: readonly AttemptOutcome[] = [
  "ok",
  "rate_limited",
  "server_error",
  "client_error",
  "aborted",
  "network_error",
  "not_sent",
];

/** The zod schema of {@linkcode HttpAttempt}. */
export const httpAttemptSchema = z.object({
  startOffsetMs: ms.describe("When the request was sent, milliseconds after the call started."),
  durationMs: ms.describe("From sending to the answer's headers (or the failure), milliseconds."),
  status: z.number().int().nullable().describe("The HTTP status; null when no answer came."),
  outcome: z.enum(ATTEMPT_OUTCOMES as [AttemptOutcome, ...AttemptOutcome[]]).describe(
    "How the attempt ended.",
  ),
  pacedMs: ms.describe("How long the benchmark's pacer held the request before sending it, ms."),
  retryAfterMs: amount.describe(
    "The wait the answer asked for (retry-after-ms, retry-after, Gemini's retryDelay), ms.",
  ),
  possiblyBilled: z.boolean().describe(
    "Sent, then cut off before an answer (a timeout or a cancel): the provider may have billed it.",
  ),
});

/** One HTTP request of an LLM call. */
export interface HttpAttempt {
  /** When the request was sent, milliseconds after the call started. */
  readonly startOffsetMs: number;
  /** From sending to the answer's headers (or the failure), milliseconds. */
  readonly durationMs: number;
  /** The HTTP status; null when no answer came (a network error, a timeout, a cancel). */
  readonly status: number | null;
  /** How the attempt ended. */
  readonly outcome: AttemptOutcome;
  /** How long the benchmark's pacer held the request before sending it (0 without pacing), ms. */
  readonly pacedMs: number;
  /** The wait the answer asked for (`retry-after-ms`, `retry-after`, Gemini's `retryDelay`), ms. */
  readonly retryAfterMs: number | null;
  /**
   * Sent, then cut off before an answer (a timeout or a cancel): the provider may have accepted
   * and billed it, for an amount nobody reported.
   */
  readonly possiblyBilled: boolean;
}

/** The zod schema of a call's `rateLimit` ({@linkcode RateLimitReading}). */
export const rateLimitSchema = z.object({
  requestsLimit: amount.describe("Requests allowed per window (a minute for OpenAI, Anthropic)."),
  requestsRemaining: amount.describe("Requests left in the window when the answer was made."),
  requestsResetMs: amount.describe("Milliseconds until the request allowance is full again."),
  tokensLimit: amount.describe("Tokens allowed per window."),
  tokensRemaining: amount.describe("Tokens left in the window when the answer was made."),
  tokensResetMs: amount.describe("Milliseconds until the token allowance is full again."),
  retryAfterMs: amount.describe("How long the answer asked the client to wait, milliseconds."),
});

// The compiler holds the interfaces to their schemas: the same fields, of compatible types.
const _attempt: HttpAttempt = {} as z.infer<typeof httpAttemptSchema>;
const _rateLimit: RateLimitReading = {} as z.infer<typeof rateLimitSchema>;
const _sameFields: [
  SameKeys<HttpAttempt, z.infer<typeof httpAttemptSchema>>,
  SameKeys<RateLimitReading, z.infer<typeof rateLimitSchema>>,
] = [true, true];

/**
 * An attempt's outcome from its HTTP status (or, with no answer, from how it failed).
 *
 * @param status The HTTP status, or null when no answer came.
 * @param failure How it failed without an answer (`aborted`, `network_error`, `not_sent`).
 * @returns The outcome.
 *
 * @example Usage
 * ```ts
 * import { outcomeOf } from "./attempt_metrics.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(outcomeOf(429, null), "rate_limited");
 * assert.equal(outcomeOf(529, null), "server_error");
 * assert.equal(outcomeOf(null, "aborted"), "aborted");
 * ```
 */
export function outcomeOf(
  status: number | null,
  failure: "aborted" | "network_error" | "not_sent" | null,
): AttemptOutcome {
  if (status === null) return failure ?? "network_error";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  if (status >= 400) return "client_error";
  return "ok";
}
