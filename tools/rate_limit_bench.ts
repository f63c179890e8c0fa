/**
 * The rate-limit benchmark of issue 21: `deno task bench` of a 2-call graph
 * (`tests/fixtures/rate_limited/graph.ts`, LangChain's `ChatOpenAI` with its own retries) at
 * `--concurrency 16` against a loopback OpenAI-compatible server (`tests/fixtures/
 * rate_limited_server.ts`) that enforces 600 requests and 200,000 tokens per minute with OpenAI's
 * header names, answers past them with 429 and `retry-after`, and injects a known log-normal
 * service latency. The benchmark runs as its own process (the server stays in this one), from
 * this tree or from another one (`--tree DIR`: e.g. main's, exported with `git archive`), and the
 * figures come from the server's log and the results store:
 *
 * - failed runs; 429s as a share of the requests the server received;
 * - the benchmark's wall time (first run start to last run end) against the floor the limits
 *   impose (a full minute's allowance at once, then refilled continuously: for each limit,
 *   (what the runs used − the allowance) / the refill rate);
 * - service latency p50/p95 of the calls (their successful attempt), beside the injected ones
 *   (drawn, and as served), and end-to-end p50/p95 (waits included).
 *
 * `deno run -A tools/rate_limit_bench.ts [--tree DIR] [--runs 20] [--inputs 20]
 *   [--concurrency 16] [--unlimited] [--rpm 600] [--tpm 200000] [--window-ms 60000]`
 *
 * @module
 */
import { parseArgs } from "node:util";
import { DatabaseSync } from "node:sqlite";
import { startRateLimitedServer } from "../tests/fixtures/rate_limited_server.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    tree: { type: "string" },
    runs: { type: "string", default: "20" },
    inputs: { type: "string", default: "20" },
    concurrency: { type: "string", default: "16" },
    unlimited: { type: "boolean", default: false },
    rpm: { type: "string", default: "600" },
    tpm: { type: "string", default: "200000" },
    "window-ms": { type: "string", default: "60000" },
    "median-ms": { type: "string", default: "500" },
    "p95-ms": { type: "string", default: "1500" },
  },
});
const here = new URL("..", import.meta.url).pathname;
const tree = values.tree ?? here;
const requestsPerWindow = Number(values.rpm);
const tokensPerWindow = Number(values.tpm);
const windowMs = Number(values["window-ms"]);
const completionTokens = 100;
const server = startRateLimitedServer({
  requestsPerWindow,
  tokensPerWindow,
  windowMs,
  unlimited: values.unlimited,
  serviceLatency: { medianMs: Number(values["median-ms"]), p95Ms: Number(values["p95-ms"]) },
  completionTokens,
});

const dir = await Deno.makeTempDir({ prefix: "graphmeter-rate-limit-" });
// About 1,600 characters per input: ~400 prompt tokens a call, ~1,030 tokens a run.
const text = "The quarterly review covered hiring, the billing migration and the mobile release. "
  .repeat(19);
await Deno.writeTextFile(
  `${dir}/dataset.jsonl`,
  Array.from(
    { length: Number(values.inputs) },
    (_, i) => JSON.stringify({ id: `doc-${i}`, inputs: { text: `Document ${i}. ${text}` } }),
  ).join("\n"),
);
const args = [
  "run",
  "-A",
  `${tree}/cli/bench.ts`,
  ...["--graph", `${here}tests/fixtures/rate_limited/graph.ts:makeGraph`],
  ...["--dataset", `${dir}/dataset.jsonl`, "--runs", values.runs],
  ...["--concurrency", values.concurrency, "--db", `${dir}/graphmeter.db`, "--out", `${dir}/out`],
];
console.log(`bench from ${tree}: deno ${args.slice(2).join(" ")}`);
const started = performance.now();
const child = new Deno.Command(Deno.execPath(), {
  args,
  env: { GRAPHMETER_RATE_LIMITED_URL: `${server.origin}/v1`, NO_COLOR: "1" },
  stdout: "piped",
  stderr: "piped",
}).spawn();
const output = await child.output();
const processSeconds = (performance.now() - started) / 1000;
await server.shutdown();
const stderr = new TextDecoder().decode(output.stderr);
const progress = stderr.split("\n").filter((line) => /pacing|^\d+\/\d+ runs/.test(line));

const pct = (values: readonly number[], q: number): number | null =>
  values.length === 0
    ? null
    : values.toSorted((a, b) => a - b)[Math.max(0, Math.ceil(q * values.length) - 1)];
const ms = (value: number | null) => value === null ? "–" : `${value.toFixed(0)} ms`;

const served = server.requests.filter((request) => request.status === 200);
const refused = server.requests.length - served.length;
const tokensUsed = served.reduce((sum, r) => sum + r.promptTokens + completionTokens, 0);
const windowS = windowMs / 1000;
const floorS = values.unlimited ? 0 : Math.max(
  0,
  (served.length - requestsPerWindow) / (requestsPerWindow / windowS),
  (tokensUsed - tokensPerWindow) / (tokensPerWindow / windowS),
);

// Read with plain SQL, so a store written by another tree (another schema version) reads too.
const db = new DatabaseSync(`${dir}/graphmeter.db`, { readOnly: true });
const runs = db.prepare(
  "SELECT started_at, wall_time_ms, status, error FROM runs WHERE benchmark_id = " +
    "(SELECT id FROM benchmarks ORDER BY started_at DESC LIMIT 1)",
).all() as { started_at: number; wall_time_ms: number; status: string; error: string | null }[];
const columns = new Set(
  (db.prepare("PRAGMA table_info(calls)").all() as { name: string }[]).map((c) => c.name),
);
const calls = db.prepare(
  `SELECT latency_ms${columns.has("service_latency_ms") ? ", service_latency_ms" : ""}` +
    `${columns.has("attempts_json") ? ", attempts_json" : ""} FROM calls`,
).all() as { latency_ms: number; service_latency_ms?: number | null; attempts_json?: string }[];
db.close();
const failed = runs.filter((r) => r.error !== null || r.status !== "ok").length;
const first = Math.min(...runs.map((r) => r.started_at));
const last = Math.max(...runs.map((r) => r.started_at + r.wall_time_ms));
const wallS = (last - first) / 1000;
const service = calls.flatMap((c) => c.service_latency_ms ?? []);
const endToEnd = calls.map((c) => c.latency_ms);
const tracked = calls.filter((c) => c.attempts_json !== undefined && c.attempts_json !== null)
  .length;

console.log(`exit code ${output.code}; ${runs.length} runs stored, ${failed} failed`);
console.log(
  `server: ${server.requests.length} requests, ${refused} answered 429 ` +
    `(${(100 * refused / Math.max(1, server.requests.length)).toFixed(1)}% of requests); ` +
    `${served.length} served, ${tokensUsed} tokens`,
);
// The last request cannot be answered before the limits let it in and its service is done.
const tailS = (pct(served.map((r) => r.injectedMs), 0.5) ?? 0) / 1000;
console.log(
  `wall time ${wallS.toFixed(1)} s (first run start to last run end; the process took ` +
    `${processSeconds.toFixed(1)} s); the limits let the last request in at ${
      floorS.toFixed(1)
    } s` +
    (floorS > 0
      ? `, + a median service latency: floor ${(floorS + tailS).toFixed(1)} s -> ` +
        `${(wallS / (floorS + tailS)).toFixed(3)}x the floor (${(wallS / floorS).toFixed(3)}x ` +
        "without the last answer)"
      : ""),
);
console.log(
  `injected service latency: p50 ${ms(pct(served.map((r) => r.injectedMs), 0.5))}, p95 ` +
    `${ms(pct(served.map((r) => r.injectedMs), 0.95))} (as served: p50 ` +
    `${ms(pct(served.map((r) => r.servedMs ?? 0), 0.5))}, p95 ` +
    `${ms(pct(served.map((r) => r.servedMs ?? 0), 0.95))})`,
);
console.log(
  `calls: ${calls.length}, ${tracked} with attempts tracked; service p50 ` +
    `${ms(pct(service, 0.5))}, p95 ${ms(pct(service, 0.95))}; end-to-end p50 ` +
    `${ms(pct(endToEnd, 0.5))}, p95 ${ms(pct(endToEnd, 0.95))}`,
);
// What report.md shows per stage (this tree's metrics.json; an older tree's has no service).
const metrics = JSON.parse(await Deno.readTextFile(`${dir}/out/metrics.json`));
for (const stage of metrics.aggregates.stages) {
  const waited = stage.waitMs === undefined ? "–" : `${(stage.waitMs / 1000).toFixed(1)} s`;
  console.log(
    `report.md, stage ${stage.stage}: end-to-end p50 ${ms(stage.latencyP50Ms)}, p95 ` +
      `${ms(stage.latencyP95Ms)}; service p50 ${ms(stage.serviceLatencyP50Ms ?? null)}, p95 ` +
      `${ms(stage.serviceLatencyP95Ms ?? null)}; waited ${waited}`,
  );
}
console.log(`progress lines on pacing: ${progress.filter((l) => l.includes("pacing")).length}`);
for (const line of progress.filter((l) => l.includes("pacing")).slice(0, 2)) {
  console.log(`  ${line}`);
}
if (output.code !== 0 && output.code !== 1) console.log(stderr.slice(-2000));
await Deno.remove(dir, { recursive: true });
