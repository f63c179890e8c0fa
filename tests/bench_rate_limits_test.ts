/**
 * `deno task bench` (in-process) of a 2-call graph at `--concurrency 16` against a loopback
 * OpenAI-compatible server that enforces a requests and a tokens limit with OpenAI's headers,
 * answers 429 with `retry-after` past them, and injects a known service latency: the benchmark
 * paces itself (learning the limits from the headers), so no run fails, 429s stay rare, the wall
 * time stays near the floor the limits impose, and the service latency it reports is the
 * injected one while end-to-end shows the waits apart. The server's window is 3 s instead of a
 * minute, so the test runs a minute's pacing in seconds; `tools/rate_limit_bench.ts` runs the
 * full-size case (600 requests and 200,000 tokens a minute, 400 runs).
 */
import assert from "node:assert/strict";
import { BenchmarkResult } from "../benchmark/result/benchmark_result.ts";
import { runBenchCli } from "../cli/bench.ts";
import { openResultsStore } from "../store/mod.ts";
import { startRateLimitedServer } from "./fixtures/rate_limited_server.ts";
import { formatMs } from "../report/format.ts";

const GRAPH = new URL("./fixtures/rate_limited/graph.ts", import.meta.url).pathname;

function percentile(values: readonly number[], q: number): number {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

/** A dataset of `count` inputs of about 1,600 characters (~400 prompt tokens a call). */
async function dataset(dir: string, count: number): Promise<string> {
  const text = "The quarterly review covered hiring, the billing migration and the mobile release. "
    .repeat(19);
  const lines = Array.from(
    { length: count },
    (_, i) => JSON.stringify({ id: `doc-${i}`, inputs: { text: `Document ${i}. ${text}` } }),
  );
  await Deno.writeTextFile(`${dir}/dataset.jsonl`, lines.join("\n"));
  return `${dir}/dataset.jsonl`;
}

Deno.test("bench paces itself to a rate-limited endpoint: no failed run, few 429s, service apart", async () => {
  const limits = { requestsPerWindow: 60, tokensPerWindow: 15_000, windowMs: 3000 };
  const completionTokens = 100;
  await using server = startRateLimitedServer({
    ...limits,
    serviceLatency: { medianMs: 500, p95Ms: 1500 },
    completionTokens,
  });
  const dir = await Deno.makeTempDir({ prefix: "graphmeter_rate_limits_" });
  Deno.env.set("GRAPHMETER_RATE_LIMITED_URL", `${server.origin}/v1`);
  let stderr = "";
  const code = await runBenchCli([
    ...["--graph", `${GRAPH}:makeGraph`, "--dataset", await dataset(dir, 10), "--runs", "6"],
    ...["--concurrency", "16", "--db", `${dir}/graphmeter.db`, "--out", `${dir}/out`],
  ], {
    out: () => {},
    err: (text) => (stderr += text),
    errIsTerminal: false,
    env: (name) => Deno.env.get(name),
  });
  Deno.env.delete("GRAPHMETER_RATE_LIMITED_URL");
  assert.equal(code, 0, stderr);
  const result = BenchmarkResult.parse(
    JSON.parse(await Deno.readTextFile(`${dir}/out/metrics.json`)),
  );
  assert.equal(result.aggregates.successfulRuns, 60);
  assert.equal(result.aggregates.failedRuns, 0);

  // 429s on at most 5% of the requests the server received.
  const refused = server.requests.filter((r) => r.status === 429).length;
  assert.ok(refused <= 0.05 * server.requests.length, `${refused} of ${server.requests.length}`);

  // The wall time against the floor: when the limits let the last request in (a full window's
  // allowance at once, then the refill), plus a median service latency to answer it.
  using store = openResultsStore(`${dir}/graphmeter.db`);
  const { records } = store.readRuns(store.resolveBenchmark("latest"));
  const served = server.requests.filter((r) => r.status === 200);
  const tokens = served.reduce((sum, r) => sum + r.promptTokens + completionTokens, 0);
  const perMs = (limit: number) => limit / limits.windowMs;
  const floorMs = Math.max(
    (served.length - limits.requestsPerWindow) / perMs(limits.requestsPerWindow),
    (tokens - limits.tokensPerWindow) / perMs(limits.tokensPerWindow),
  ) + percentile(served.map((r) => r.injectedMs), 0.5);
  const first = Math.min(...records.map((r) => r.metrics.startedAt));
  const last = Math.max(...records.map((r) => r.metrics.startedAt + r.metrics.wallTimeMs));
  assert.ok(floorMs > 4000, `the limits bind: floor ${floorMs} ms`);
  assert.ok(last - first <= 1.3 * floorMs, `wall ${last - first} ms, floor ${floorMs} ms`);

  // Every call's attempts were tracked; the service latency is the injected one, end-to-end
  // (paced) is apart from it.
  const calls = records.flatMap((r) => r.metrics.calls);
  assert.equal(calls.length, 120);
  for (const call of calls) {
    assert.ok(call.attempts !== null && call.attempts.length >= 1);
    assert.ok(Math.abs(call.serviceLatencyMs! + call.waitMs! - call.latencyMs) < 1e-6);
  }
  assert.ok(calls.filter((c) => c.attempts![0].pacedMs > 0).length >= 40, "many were paced");
  // The injected latency is long (median 500 ms) beside what this process's own scheduling adds
  // to a call on a loaded machine (tens of ms at 16 runs in flight), which the client does wait.
  const service = calls.map((c) => c.serviceLatencyMs!);
  const injected = served.map((r) => r.injectedMs);
  for (const q of [0.5, 0.95]) {
    const [measured, truth] = [percentile(service, q), percentile(injected, q)];
    assert.ok(
      measured >= 0.95 * truth && measured <= 1.15 * truth,
      `service p${q * 100} ${measured.toFixed(0)} ms, injected ${truth.toFixed(0)} ms`,
    );
  }
  // End-to-end holds the time held by the pacer, as the calls' wait (and so not in service):
  // without a 429, every call's wait is exactly its request's time held.
  const waited = calls.reduce((sum, c) => sum + c.waitMs!, 0);
  const held = calls.reduce((sum, c) => sum + c.attempts!.reduce((t, a) => t + a.pacedMs, 0), 0);
  assert.ok(waited > 5000, `${waited} ms waited`);
  if (refused === 0) assert.ok(Math.abs(waited - held) < 1e-3, `${waited} vs ${held}`);

  // It said when it started pacing, to which limits, learnt from where.
  assert.match(
    stderr,
    /\npacing 127\.0\.0\.1:\d+ gpt-4\.1-mini: 1 held for 60 requests per \d\.\d s, 15,000 tokens per \d\.\d s \(from its rate-limit headers\)\n/,
  );
  // The report shows service beside end-to-end per stage, and says plainly that waits dominate.
  const report = await Deno.readTextFile(`${dir}/out/report.md`);
  const draft = result.aggregates.stages.find((s) => s.stage === "draft")!;
  assert.equal(draft.trackedCalls, 60);
  // Every request the server saw is an attempt of a call, and every 429 is counted.
  assert.equal(result.aggregates.httpAttempts, server.requests.length);
  assert.equal(result.aggregates.rateLimitedAttempts, refused);
  assert.ok(draft.serviceLatencyP95Ms! < draft.latencyP95Ms);
  assert.match(report, /## Latency and waiting/);
  assert.match(
    report,
    new RegExp(
      `\\| draft \\| ${formatMs(draft.latencyP50Ms)} \\| ${formatMs(draft.latencyP95Ms)} \\| ` +
        `${formatMs(draft.serviceLatencyP50Ms!)} \\| ${
          formatMs(draft.serviceLatencyP95Ms!)
        } \\| 60 of 60 \\|`,
    ),
  );
  assert.match(
    report,
    /\*\*⚠️ Waiting is \d+\.\d% of the stages' latency .* lower --concurrency, or see --rpm and --tpm\.\*\*/,
  );
  const html = await Deno.readTextFile(`${dir}/out/report.html`);
  assert.match(html, /<h2>Latency and waiting<\/h2>/);
  assert.match(html, /class="warning">⚠️ Waiting is/);
  await Deno.remove(dir, { recursive: true });
});
