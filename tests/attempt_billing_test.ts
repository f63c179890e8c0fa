/**
 * Failed attempts cost nothing unless billed: a 429 or a refused connection is never priced; a
 * request cut off after it was sent (a timeout) may have been billed, and the call says so — a
 * successful call's price is then partial (`attempt:possibly_billed`), a failed call's unknown.
 * Through the real `ChatOpenAI` against loopback servers.
 */
import assert from "node:assert/strict";
import { ChatOpenAI } from "@langchain/openai";
import { trackHttpAttempts } from "../sdk/mod.ts";
import { chatUsage, type OpenAIReply, startOpenAIServer } from "./fixtures/openai_server.ts";
import { runGraph } from "./fixtures/graph.ts";

function model(origin: string, options: { timeout?: number; maxRetries: number }) {
  return new ChatOpenAI({
    model: "gpt-4.1-mini",
    apiKey: "test-key-not-secret",
    configuration: { baseURL: `${origin}/v1` },
    ...options,
  });
}

const ANSWER: OpenAIReply = {
  model: "gpt-4.1-mini-2025-04-14",
  text: "fine",
  usage: chatUsage(1000, 100),
};

Deno.test("billing: a timed-out attempt before a success leaves the price partial, flagged", async () => {
  using _tracking = trackHttpAttempts();
  // The first request is answered too late (after the client's 300 ms timeout), the retry at once.
  await using server = startOpenAIServer([{ ...ANSWER, delayMs: 1500 }, ANSWER]);
  const { call } = await runGraph(model(server.origin, { timeout: 300, maxRetries: 1 }), "invoke");
  assert.equal(call.error, null);
  assert.deepEqual(call.attempts?.map((a) => [a.outcome, a.status, a.possiblyBilled]), [
    ["aborted", null, true],
    ["ok", 200, false],
  ]);
  // The successful attempt is priced; the cut-off one may have been billed too: partial.
  assert.ok(Math.abs(call.costUsd! - (1000 * 0.4 + 100 * 1.6) / 1e6) < 1e-12);
  assert.deepEqual(call.costMissing, ["attempt:possibly_billed"]);
});

Deno.test("billing: a call that only timed out is unpriced (maybe billed), never $0", async () => {
  using _tracking = trackHttpAttempts();
  await using server = startOpenAIServer([{ ...ANSWER, delayMs: 1000 }]);
  const { call } = await runGraph(model(server.origin, { timeout: 200, maxRetries: 0 }), "invoke");
  assert.notEqual(call.error, null);
  assert.deepEqual(call.attempts?.map((a) => a.outcome), ["aborted"]);
  assert.equal(call.costUsd, null);
  assert.equal(call.costSource, "no-usage");
});

Deno.test("billing: 429s and refused connections cost nothing", async () => {
  using _tracking = trackHttpAttempts();
  const limited: OpenAIReply = { ...ANSWER, status: 429, headers: { "retry-after": "0" } };
  await using server = startOpenAIServer([limited, limited]);
  const { call } = await runGraph(model(server.origin, { maxRetries: 1 }), "invoke");
  assert.deepEqual(call.attempts?.map((a) => [a.outcome, a.possiblyBilled]), [
    ["rate_limited", false],
    ["rate_limited", false],
  ]);
  assert.equal(call.costUsd, 0);
  assert.equal(call.costSource, "failed");
  // A port nobody listens on any more: the connection is refused, nothing was sent.
  const gone = startOpenAIServer([]);
  await gone.shutdown();
  const refused = await runGraph(model(gone.origin, { maxRetries: 0 }), "invoke");
  assert.deepEqual(refused.call.attempts?.map((a) => [a.outcome, a.possiblyBilled]), [
    ["network_error", false],
  ]);
  assert.equal(refused.call.costUsd, 0);
  assert.equal(refused.call.costSource, "failed");
});
