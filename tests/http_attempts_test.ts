/**
 * HTTP attempts credited to their exact call: 16 graph runs at once share one handler, each run
 * making two parallel calls in one node and a streamed call in the next, against a loopback
 * OpenAI server that logs every request it receives and answers some with 429 or 500 first. Every
 * attempt the server saw must be on the call that sent it, in order, with its status.
 */
import assert from "node:assert/strict";
import { ChatOpenAI } from "@langchain/openai";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { trackHttpAttempts } from "../sdk/mod.ts";
import type { LLMCallMetrics } from "../telemetry/metrics.ts";
import { chatUsage, type OpenAIReply, startOpenAIServer } from "./fixtures/openai_server.ts";
import type { RecordedRequest } from "./fixtures/scripted_server.ts";

/** The marker a prompt carries: `r<run>-<call>`, e.g. `r3-pair1`. */
function markerOf(request: RecordedRequest): string {
  const messages = request.body?.messages as { content: string }[] | undefined;
  return String(messages?.at(-1)?.content ?? "");
}

/** Records each call's prompt (its marker) by run id, as a plain LangChain handler. */
class PromptLog {
  readonly name = "prompt_log";
  readonly awaitHandlers = true;
  readonly markers = new Map<string, string>();
  handleChatModelStart(_llm: unknown, messages: { content: unknown }[][], runId: string): void {
    this.markers.set(runId, String(messages[0].at(-1)?.content));
  }
}

/** Which first attempts fail, and how: by the call's kind and the run's number. */
function firstAnswer(marker: string): Partial<OpenAIReply> | null {
  const [run, call] = marker.slice(1).split("-");
  const n = Number(run);
  if (call === "pair1" && n % 2 === 0) {
    return { status: 429, headers: { "retry-after": "0", "x-ratelimit-remaining-requests": "0" } };
  }
  if (call === "streamed" && n % 4 === 1) return { status: 500 };
  return null;
}

Deno.test("attempts: 16 concurrent runs, parallel and streamed calls, each attempt on its own call", async () => {
  using _tracking = trackHttpAttempts();
  const seen = new Set<string>();
  await using server = startOpenAIServer((request, index): OpenAIReply => {
    const marker = markerOf(request);
    const first = !seen.has(marker);
    seen.add(marker);
    // Every answer says which request it was, so "the rate-limit headers last seen" is checkable.
    const headers = {
      "x-ratelimit-limit-requests": "1000",
      "x-ratelimit-remaining-requests": String(index),
      "x-ratelimit-reset-requests": "60ms",
    };
    const failure = first ? firstAnswer(marker) : null;
    if (failure) {
      return {
        model: "gpt-4.1-mini",
        text: "",
        usage: null,
        ...failure,
        headers: { ...headers, ...failure.headers },
      };
    }
    return {
      model: "gpt-4.1-mini-2025-04-14",
      text: `answer to ${marker}`,
      usage: chatUsage(40, 5),
      delayMs: 5 + (index % 7) * 3,
      headers,
    };
  });
  const model = new ChatOpenAI({
    model: "gpt-4.1-mini",
    apiKey: "test-key-not-secret",
    configuration: { baseURL: `${server.origin}/v1` },
    maxRetries: 2,
  });
  const State = Annotation.Root({ run: Annotation<number>, text: Annotation<string> });
  const graph = new StateGraph(State)
    .addNode("pair", async (state) => {
      const answers = await Promise.all([
        model.invoke(`r${state.run}-pair1`),
        model.invoke(`r${state.run}-pair2`),
      ]);
      // A request the node makes itself, outside any call: not an attempt of anything.
      await fetch(`${server.origin}/v1/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ model: "m", messages: [{ content: `r${state.run}-plain` }] }),
      }).then((response) => response.body?.cancel());
      return { text: answers.map((a) => a.content).join(" ") };
    })
    .addNode("streamed", async (state) => {
      let text = "";
      for await (const chunk of await model.stream(`r${state.run}-streamed`)) text += chunk.content;
      return { text };
    })
    .addEdge(START, "pair")
    .addEdge("pair", "streamed")
    .addEdge("streamed", END)
    .compile();

  const handler = new PerformanceCallbackHandler();
  const prompts = new PromptLog();
  const runs = 16;
  await Promise.all(
    Array.from(
      { length: runs },
      (_, run) => graph.invoke({ run, text: "" }, { callbacks: [handler, prompts] }),
    ),
  );

  // The server's log, per marker: each request's index and status, in arrival order.
  const statuses = new Map<string, { index: number; status: number }[]>();
  server.requests.forEach((request, index) => {
    const marker = markerOf(request);
    const failure = statuses.has(marker) ? null : firstAnswer(marker);
    statuses.set(marker, [...statuses.get(marker) ?? [], {
      index,
      status: failure?.status ?? 200,
    }]);
  });
  const calls: LLMCallMetrics[] = handler.runs.flatMap((run) => run.calls);
  assert.equal(calls.length, runs * 3);
  let attempts = 0;
  for (const call of calls) {
    const marker = prompts.markers.get(call.runId)!;
    const logged = statuses.get(marker)!;
    assert.deepEqual(call.attempts?.map((a) => a.status), logged.map((l) => l.status), marker);
    attempts += call.attempts!.length;
    // The headers last seen are those of the call's own last request.
    assert.equal(call.rateLimit?.requestsRemaining, logged.at(-1)!.index, marker);
    assert.equal(call.rateLimit?.requestsLimit, 1000);
    assert.equal(call.error, null);
    // latency = service + wait, and the wait is exactly the span between the first send and the
    // last (nothing paced here).
    const sends = call.attempts!.map((a) => a.startOffsetMs);
    assert.ok(Math.abs(call.waitMs! - (sends.at(-1)! - sends[0])) < 1e-6, marker);
    assert.ok(Math.abs(call.serviceLatencyMs! + call.waitMs! - call.latencyMs) < 1e-6, marker);
    if (logged.length === 1) assert.equal(call.serviceLatencyMs, call.latencyMs, marker);
  }
  const plain = server.requests.filter((r) => markerOf(r).endsWith("-plain")).length;
  assert.equal(plain, runs);
  // Every request the server saw, but the plain ones, is an attempt of exactly one call.
  assert.equal(attempts, server.requests.length - plain);
  const retried = calls.filter((call) => call.attempts!.length > 1);
  assert.equal(retried.length, runs / 2 + runs / 4); // pair1 of even runs, streamed of 1, 5, 9, 13
  for (const call of retried) {
    assert.equal(call.attempts![0].possiblyBilled, false);
    assert.ok(call.waitMs! >= call.attempts![0].durationMs);
  }
  const rateLimited = calls.filter((call) => call.attempts![0].status === 429);
  assert.equal(rateLimited.length, runs / 2);
  for (const call of rateLimited) {
    assert.equal(call.attempts![0].outcome, "rate_limited");
    assert.equal(call.attempts![0].retryAfterMs, 0);
  }
  // The stage sums carry the same attempts.
  const totals = handler.metrics.totals;
  assert.equal(totals.trackedCalls, runs * 3);
  assert.equal(totals.httpAttempts, attempts);
  assert.equal(totals.rateLimitedAttempts, runs / 2);
});

Deno.test("attempts: without tracking a call's attempts are unknown (null), never zero", async () => {
  await using server = startOpenAIServer([
    { model: "gpt-4.1-mini", text: "hi", usage: chatUsage(10, 2) },
  ]);
  const model = new ChatOpenAI({
    model: "gpt-4.1-mini",
    apiKey: "test-key-not-secret",
    configuration: { baseURL: `${server.origin}/v1` },
  });
  const handler = new PerformanceCallbackHandler();
  await model.invoke("hello", { callbacks: [handler] });
  const [call] = handler.metrics.calls;
  assert.equal(call.attempts, null);
  assert.equal(call.serviceLatencyMs, null);
  assert.equal(call.waitMs, null);
  assert.equal(handler.metrics.totals.trackedCalls, 0);
});
