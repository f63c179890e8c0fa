/**
 * The pacer's limits, learnt and told, with a clock the test moves: what may go when, from the
 * answers' headers, after a 429, and as calls report their tokens.
 */
import assert from "node:assert/strict";
import { EndpointLimits, LIMIT_SHARE } from "../benchmark/pacing/endpoint_limits.ts";
import { RatePacer } from "../benchmark/pacing/rate_pacer.ts";
import type { RateLimitReading } from "../telemetry/rate_limit_headers.ts";
import { readRateLimitHeaders } from "../telemetry/rate_limit_headers.ts";
import { formatResetDuration } from "./fixtures/rate_limited_server.ts";

const one = { requests: 1, tokens: 500 };

function reading(fields: Partial<RateLimitReading>): RateLimitReading {
  return {
    requestsLimit: null,
    requestsRemaining: null,
    requestsResetMs: null,
    tokensLimit: null,
    tokensRemaining: null,
    tokensResetMs: null,
    retryAfterMs: null,
    ...fields,
  };
}

Deno.test("pacing: nothing known, nothing held", () => {
  const endpoint = new EndpointLimits({}, 0);
  for (let i = 0; i < 1000; i++) endpoint.admit(one, 0);
  assert.equal(endpoint.msUntilAdmit(one, 0), 0);
  assert.equal(endpoint.paces, false);
});

Deno.test("pacing: a told limit lets a minute's share go at once, then one per refill", () => {
  const endpoint = new EndpointLimits({ requestsPerMinute: 600 }, 0);
  const burst = Math.floor(600 * LIMIT_SHARE); // 582
  for (let i = 0; i < burst; i++) {
    assert.equal(endpoint.msUntilAdmit(one, 0), 0, `request ${i}`);
    endpoint.admit(one, 0);
  }
  // Nothing left: the next waits for one request's refill at 582 a minute.
  assert.ok(Math.abs(endpoint.msUntilAdmit(one, 0) - 60_000 / burst) < 1e-6);
  assert.deepEqual(endpoint.requests, { limit: 600, windowMs: 60_000, source: "told" });
});

Deno.test("pacing: limits, what is left and the refill rate are learnt from OpenAI's headers", () => {
  const endpoint = new EndpointLimits({}, 0);
  // The server's own numbers: 600/min, 150 used, full again in 15 s (so 600 per 60 s).
  endpoint.learn(
    reading({ requestsLimit: 600, requestsRemaining: 450, requestsResetMs: 15_000 }),
    0,
  );
  assert.deepEqual(endpoint.requests, { limit: 600, windowMs: 60_000, source: "headers" });
  // 450 left less the 3% kept in reserve (18): 432 go, the 433rd waits.
  for (let i = 0; i < 432; i++) {
    assert.equal(endpoint.msUntilAdmit(one, 0), 0, `request ${i}`);
    endpoint.admit(one, 0);
  }
  assert.ok(endpoint.msUntilAdmit(one, 0) > 0);
  // A server that refills every 3 s: 60 per window, 29 left (30.5 used), full again in 1.525 s.
  const fast = new EndpointLimits({}, 0);
  fast.learn(reading({ tokensLimit: 60, tokensRemaining: 29, tokensResetMs: 1525 }), 0);
  assert.deepEqual(fast.tokens, { limit: 60, windowMs: 3000, source: "headers" });
  // Never a window longer than a minute (a fixed-window server's resets say nothing of a rate).
  const fixed = new EndpointLimits({}, 0);
  fixed.learn(reading({ tokensLimit: 100, tokensRemaining: 50, tokensResetMs: 600_000 }), 0);
  assert.equal(fixed.tokens?.windowMs, 60_000);
});

Deno.test("pacing: a told limit wins over a larger learnt one, a smaller learnt one wins", () => {
  const endpoint = new EndpointLimits({ requestsPerMinute: 100 }, 0);
  endpoint.learn(reading({ requestsLimit: 600, requestsRemaining: 600 }), 0);
  assert.deepEqual(endpoint.requests, { limit: 100, windowMs: 60_000, source: "told" });
  endpoint.learn(reading({ requestsLimit: 50, requestsRemaining: 50 }), 0);
  assert.deepEqual(endpoint.requests, { limit: 50, windowMs: 60_000, source: "headers" });
});

Deno.test("pacing: a 429 pauses the endpoint for its retry-after and gives back what it took", () => {
  const endpoint = new EndpointLimits({ tokensPerMinute: 10_000 }, 0);
  endpoint.admit({ requests: 1, tokens: 5000 }, 0);
  endpoint.rateLimitedAt({ requests: 1, tokens: 5000 }, 2000, 10);
  assert.equal(endpoint.rateLimited, 1);
  assert.equal(endpoint.pausedFor(10), 2000);
  assert.equal(endpoint.msUntilAdmit(one, 10), 2000);
  // After the pause the whole allowance is there again (nothing was counted).
  assert.equal(endpoint.msUntilAdmit({ requests: 1, tokens: 9700 }, 2010), 0);
});

Deno.test("pacing: a 429 without headers teaches a requests limit: what the last minute let in", () => {
  const endpoint = new EndpointLimits({}, 0);
  for (let i = 0; i < 30; i++) endpoint.admit(one, i * 100);
  endpoint.rateLimitedAt(one, null, 3000);
  assert.deepEqual(endpoint.requests, { limit: 29, windowMs: 60_000, source: "429s" });
  assert.equal(endpoint.pausedFor(3000), 1000);
});

Deno.test("pacing: token estimates learn characters per token and output tokens from calls", () => {
  const endpoint = new EndpointLimits({ tokensPerMinute: 100_000 }, 0);
  assert.equal(endpoint.estimateTokens(4000, null), 1000); // 4 characters a token, no output known
  assert.equal(endpoint.estimateTokens(4000, 300), 1300); // the body's max_tokens
  for (let i = 0; i < 40; i++) endpoint.settle(1000, 4000, 800, 200, 0);
  // 5 characters a token and 200 output tokens, learnt: 800 + 200 (over the body's cap).
  assert.ok(Math.abs(endpoint.estimateTokens(4000, 300) - 1000) <= 1);
  assert.ok(Math.abs(endpoint.estimateTokens(8000, null) - 1800) <= 2);
});

Deno.test("pacing: the pacer holds requests in order and lets them go as the allowance refills", async () => {
  let now = 0;
  const pacer = new RatePacer({ told: { "*": { requestsPerMinute: 60 } }, now: () => now });
  const url = new URL("http://127.0.0.1:9/v1/chat/completions");
  const request = (callRunId: string) => ({
    url,
    bodyChars: 40,
    model: "gpt-4.1-mini",
    maxTokens: null,
    callRunId,
  });
  const admitted: number[] = [];
  // 58 of 60 go at once (the share used); the next three wait, in order.
  for (let i = 0; i < 58; i++) {
    assert.equal(pacer.admit(request(`c${i}`), null), undefined);
  }
  const held = [58, 59, 60].map((i) =>
    (pacer.admit(request(`c${i}`), null) as Promise<void>).then(() => admitted.push(i))
  );
  const [status] = pacer.status();
  assert.equal(status.endpoint, "127.0.0.1:9 gpt-4.1-mini");
  assert.equal(status.waiting, 3);
  // The clock jumps past the refill of all three; the timers wake the queue in order.
  now = 10_000;
  await Promise.all(held);
  assert.deepEqual(admitted, [58, 59, 60]);
  assert.equal(pacer.status()[0].held.requests, 3);
  // An aborted wait leaves the queue; the request was never sent.
  const controller = new AbortController();
  for (let i = 0; i < 20; i++) pacer.admit(request(`d${i}`), null);
  const waiting = pacer.admit(request("gone"), controller.signal) as Promise<void>;
  controller.abort(new Error("cancelled"));
  await assert.rejects(waiting, /cancelled/);
  pacer.close();
});

Deno.test("pacing: the test server's reset durations read back as written", () => {
  for (const ms of [12, 999, 1500, 59_999, 360_000]) {
    const headers = new Headers({ "x-ratelimit-reset-requests": formatResetDuration(ms) });
    assert.equal(readRateLimitHeaders(headers, 0)?.requestsResetMs, Math.ceil(ms));
  }
});
