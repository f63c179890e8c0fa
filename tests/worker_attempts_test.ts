/**
 * HTTP attempts of a user's graph run by `bench --graph` in its worker process, credited to their
 * exact call: 16 runs at once, each making two parallel calls and a request of its own in one
 * node and a streamed call in the next, against a loopback OpenAI server that logs every request
 * and answers some with 429 or 500 first. The worker tracks the attempts (its `fetch`, each
 * call's async-local scope) and the CLI's handler records them: every attempt the server saw
 * must be on the call that sent it, in order, with its status and the headers it answered.
 */
import assert from "node:assert/strict";
import { runBenchCli } from "../cli/bench.ts";
import { openResultsStore } from "../store/mod.ts";
import { chatUsage, type OpenAIReply, startOpenAIServer } from "./fixtures/openai_server.ts";
import type { RecordedRequest } from "./fixtures/scripted_server.ts";

const GRAPH = new URL("./fixtures/attempts_graph/graph.ts", import.meta.url).pathname;

/** The marker a prompt carries: `r<run>-<call>`, e.g. `r3-pair1`. */
function markerOf(request: RecordedRequest): string {
  const messages = request.body?.messages as { content: string }[] | undefined;
  return String(messages?.at(-1)?.content ?? "");
}

/** Which first attempts fail, and how: by the call's kind and the run's number. */
function firstAnswer(marker: string): Partial<OpenAIReply> | null {
  const [run, call] = marker.slice(1).split("-");
  const n = Number(run);
  if (call === "pair1" && n % 2 === 0) return { status: 429, headers: { "retry-after": "0" } };
  if (call === "streamed" && n % 4 === 1) return { status: 500 };
  return null;
}

Deno.test("worker attempts: 16 concurrent runs of a user's graph, each attempt on its own call", async () => {
  const seen = new Set<string>();
  await using server = startOpenAIServer((request, index): OpenAIReply => {
    const marker = markerOf(request);
    const first = !seen.has(marker);
    seen.add(marker);
    // Every answer says which request it was, so "the rate-limit headers last seen" is checkable.
    const headers = {
      "x-ratelimit-limit-requests": "100000",
      "x-ratelimit-remaining-requests": String(99_000 + index),
      "x-ratelimit-reset-requests": "1ms",
    };
    const failure = first ? firstAnswer(marker) : null;
    if (failure) {
      const failed = { model: "gpt-4.1-mini", text: "", usage: null, ...failure };
      return { ...failed, headers: { ...headers, ...failure.headers } };
    }
    // The answering model names the call, so each stored call can be matched to its requests.
    return {
      model: `gpt-4.1-mini-${marker}`,
      text: `answer to ${marker}`,
      usage: chatUsage(40, 5),
      delayMs: 5 + (index % 7) * 3,
      headers,
    };
  });
  const runs = 16;
  const dir = await Deno.makeTempDir({ prefix: "graphmeter_worker_attempts_" });
  const lines = Array.from({ length: runs }, (_, run) => JSON.stringify({ inputs: { run } }));
  await Deno.writeTextFile(`${dir}/dataset.jsonl`, lines.join("\n"));
  Deno.env.set("GRAPHMETER_ATTEMPTS_URL", `${server.origin}/v1`);
  let stderr = "";
  const code = await runBenchCli([
    ...["--graph", `${GRAPH}:makeGraph`, "--dataset", `${dir}/dataset.jsonl`, "--runs", "1"],
    ...["--concurrency", "16", "--db", `${dir}/graphmeter.db`, "--out", `${dir}/out`],
  ], {
    out: () => {},
    err: (text) => (stderr += text),
    errIsTerminal: false,
    env: (name) => Deno.env.get(name),
  });
  Deno.env.delete("GRAPHMETER_ATTEMPTS_URL");
  assert.equal(code, 0, stderr);

  // The server's log, per marker: each request's index and status, in arrival order.
  const logged = new Map<string, { index: number; status: number }[]>();
  server.requests.forEach((request, index) => {
    const marker = markerOf(request);
    const failure = logged.has(marker) ? null : firstAnswer(marker);
    logged.set(marker, [...logged.get(marker) ?? [], { index, status: failure?.status ?? 200 }]);
  });
  using store = openResultsStore(`${dir}/graphmeter.db`);
  const { records } = store.readRuns(store.resolveBenchmark("latest"));
  const calls = records.flatMap((record) => record.metrics.calls);
  assert.equal(calls.length, runs * 3);
  let attempts = 0;
  for (const call of calls) {
    const marker = call.model.replace("gpt-4.1-mini-", "");
    const requests = logged.get(marker)!;
    assert.deepEqual(call.attempts?.map((a) => a.status), requests.map((r) => r.status), marker);
    attempts += call.attempts!.length;
    // The headers last seen are those of the call's own last request.
    assert.equal(call.rateLimit?.requestsRemaining, 99_000 + requests.at(-1)!.index, marker);
    // latency = service + wait; the wait is the span from the first send to the last.
    const sends = call.attempts!.map((a) => a.startOffsetMs);
    assert.ok(Math.abs(call.waitMs! - (sends.at(-1)! - sends[0])) < 1e-6, marker);
    assert.ok(Math.abs(call.serviceLatencyMs! + call.waitMs! - call.latencyMs) < 1e-6, marker);
  }
  const plain = server.requests.filter((r) => markerOf(r).endsWith("-plain")).length;
  assert.equal(plain, runs);
  // Every request the server saw, but the plain ones, is an attempt of exactly one call.
  assert.equal(attempts, server.requests.length - plain);
  const retried = calls.filter((call) => call.attempts!.length > 1);
  assert.equal(retried.length, runs / 2 + runs / 4); // pair1 of even runs, streamed of 1, 5, 9, 13
  const rateLimited = calls.filter((call) => call.attempts![0].status === 429);
  assert.equal(rateLimited.length, runs / 2);
  for (const call of rateLimited) assert.equal(call.attempts![0].retryAfterMs, 0);
  await Deno.remove(dir, { recursive: true });
});
