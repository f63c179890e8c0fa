/**
 * The opt-in that gives a long-lived service what a benchmark records: each LLM call's HTTP
 * attempts, its service latency and its waits, measured by the `PerformanceCallbackHandler`s
 * already in the graph's callbacks.
 *
 * @module
 */
import { type HttpAttemptTracking, trackHttpAttemptsWith } from "../telemetry/http_attempts.ts";

export type { HttpAttemptTracking };

/**
 * Tracks the HTTP attempts of every LLM call in this process: the process's `fetch` is wrapped
 * once, and each call a `PerformanceCallbackHandler` measures gains `attempts` (status, duration,
 * `retry-after`), `serviceLatencyMs` (the successful attempt), `waitMs` (what retries, backoff and
 * `retry-after` added) and `rateLimit` (the rate-limit headers last seen), credited to the exact
 * call under any concurrency. Call it once at startup, before provider clients are built (an SDK
 * client keeps the `fetch` it was built with); requests made outside an LLM call pass through.
 *
 * The cost, measured with `deno run -A tools/attempts_bench.ts`, is in `docs/handler.md` ("HTTP
 * attempts in a service"): tens to hundreds of microseconds per LLM call.
 *
 * @returns The subscription: `stop()` it (or `using` it) to restore `fetch`.
 *
 * @example Usage
 * ```ts
 * import { trackHttpAttempts } from "./http_attempts.ts";
 * import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
 * import { FakeListChatModel } from "@langchain/core/utils/testing";
 * import assert from "node:assert/strict";
 *
 * using _tracking = trackHttpAttempts();
 * const handler = new PerformanceCallbackHandler();
 * await new FakeListChatModel({ responses: ["hi"] }).invoke("hello", { callbacks: [handler] });
 * // A fake model sends no request: tracked, with no attempt and nothing waited.
 * const [call] = handler.metrics.calls;
 * assert.deepEqual(call.attempts, []);
 * assert.equal(call.waitMs, 0);
 * assert.equal(call.serviceLatencyMs, call.latencyMs);
 * ```
 */
export function trackHttpAttempts(): HttpAttemptTracking {
  return trackHttpAttemptsWith();
}
