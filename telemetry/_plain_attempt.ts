/**
 * An HTTP attempt's answer as it crosses a process boundary (the CLI's worker sends it as JSON):
 * its status and rate-limit headers as a plain record, or how it failed unanswered.
 *
 * @module
 */
import type { AttemptAnswer, AttemptFailure } from "./recorder.ts";

/** An attempt's answer, plain: status and (lower-case) headers, or a failure. */
export type PlainAttemptAnswer =
  | { status: number; headers: Record<string, string> }
  | { failure: AttemptFailure };

const FAILURES: readonly AttemptFailure[] = ["aborted", "network_error", "not_sent"];

/**
 * The recorder's answer from a plain one (anything unreadable is a network error).
 *
 * @param answer The plain answer.
 * @returns The answer, its headers readable by name.
 *
 * @example Usage
 * ```ts
 * import { attemptAnswerOf } from "./_plain_attempt.ts";
 * import assert from "node:assert/strict";
 *
 * const answer = attemptAnswerOf({ status: 429, headers: { "retry-after": "2" } });
 * assert.equal(answer.status, 429);
 * assert.equal(answer.headers?.get("Retry-After"), "2");
 * assert.equal(answer.headers?.get("x-ratelimit-limit-requests"), null);
 * ```
 */
export function attemptAnswerOf(answer: PlainAttemptAnswer): AttemptAnswer {
  if ("status" in answer && typeof answer.status === "number") {
    const headers = answer.headers ?? {};
    return {
      status: answer.status,
      headers: { get: (name) => headers[name.toLowerCase()] ?? null },
    };
  }
  const failure = (answer as { failure?: AttemptFailure }).failure;
  return {
    failure: failure !== undefined && FAILURES.includes(failure) ? failure : "network_error",
  };
}
