/**
 * The reports' "Latency and waiting": service beside end-to-end per stage, attempts, 429s and
 * seconds waited, a plain warning only when waits are a material share, and "unknown" (never
 * zero) when attempts were not tracked.
 */
import assert from "node:assert/strict";
import { aggregateRuns } from "../benchmark/result/aggregate_runs.ts";
import { BenchmarkAggregates } from "../benchmark/result/benchmark_aggregates.ts";
import { waitsSection } from "../benchmark/markdown/_waits_section.ts";
import { writeHtmlReport } from "../compare/html/html_report.ts";
import type { RunRecord } from "../benchmark/run_record.ts";

/** A run of one stage `ask` with two calls: `serviceMs` of work, `waitMs` waited, 429s. */
function run(inputId: string, serviceMs: number, waitMs: number, rateLimited = 0, tracked = 2) {
  const totals = {
    executions: 1,
    latencyMs: serviceMs + waitMs,
    llmCalls: 2,
    trackedCalls: tracked,
    httpAttempts: tracked === 0 ? 0 : 2 + rateLimited,
    rateLimitedAttempts: rateLimited,
    waitMs,
    inputTokens: 10,
    outputTokens: 5,
    costUsd: 0.001,
    unpricedCalls: 0,
    partialCalls: 0,
    callsWithoutUsage: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    cacheWrite1hTokens: 0,
    inputAudioTokens: 0,
    outputAudioTokens: 0,
    webSearchRequests: 0,
    fileSearchRequests: 0,
    errors: 0,
    toolCalls: 0,
    toolLatencyMs: 0,
    costBreakdown: aggregateRuns([]).costBreakdown,
  };
  return {
    inputId,
    repeat: 0,
    inputAmount: null,
    outputSummary: null,
    quality: null,
    error: null,
    metrics: {
      runId: inputId,
      runCount: 1,
      status: "ok",
      error: null,
      startedAt: 0,
      wallTimeMs: serviceMs + waitMs,
      totals,
      stages: { ask: { name: "ask", ...totals, executionSpans: [] } },
      calls: [],
      pricing: { catalog: "c", version: "1", dataDate: null, overrideModels: 0 },
      handlerErrors: 0,
    },
  } as unknown as RunRecord;
}

Deno.test("waits: service beside end-to-end, attempts, 429s, seconds waited and the warning", async () => {
  const a = aggregateRuns([run("a", 400, 0), run("b", 400, 600, 3)]);
  const [ask] = a.stages;
  assert.deepEqual(
    [ask.latencyTotalMs, ask.waitMs, ask.httpAttempts, ask.rateLimitedAttempts, ask.trackedCalls],
    [1400, 600, 7, 3, 4],
  );
  assert.deepEqual([ask.serviceLatencyP50Ms, ask.serviceLatencyP95Ms], [400, 400]);
  assert.deepEqual([a.serviceWallTimeP50Ms, a.serviceWallTimeP95Ms], [400, 400]);
  const section = waitsSection(a, "lower --concurrency");
  assert.match(
    section,
    /\| ask \| 400 ms \| 1,000 ms \| 400 ms \| 400 ms \| 4 of 4 \| 1\.75 \| 3 \| 0\.6 s \| 42\.9% \|/,
  );
  assert.match(
    section,
    /\*\*⚠️ Waiting is 42\.9% of the stages' latency \(0\.6 s waited: failed attempts, backoff, retry-after and pacing, 3 of 7 attempts answered 429\): the end-to-end figures measure this benchmark's own throttling as much as the provider\. Compare service latency, or lower --concurrency\.\*\*/,
  );
  const html = await writeHtmlReport([run("a", 400, 0), run("b", 400, 600, 3)], {
    label: "x",
    waitAdvice: "lower --concurrency",
  });
  assert.match(html, /<td>ask<\/td><td>400 ms<\/td><td>1,000 ms<\/td><td>400 ms<\/td>/);
  assert.match(html, /<p class="warning">⚠️ Waiting is 42\.9% of the stages&#39; latency/);
});

Deno.test("waits: a small share that raises no p95 is shown without a warning", () => {
  const runs = Array.from({ length: 40 }, (_, i) => run(`r${i}`, 400 + i, i === 0 ? 50 : 0));
  const section = waitsSection(aggregateRuns(runs));
  assert.match(section, /## Latency and waiting/);
  assert.doesNotMatch(section, /⚠️/);
});

Deno.test("waits: untracked attempts are unknown, never zero waits", () => {
  const a = aggregateRuns([run("a", 400, 0, 0, 0), run("b", 500, 0, 0, 0)]);
  assert.equal(a.stages[0].serviceLatencyP50Ms, null);
  assert.equal(a.serviceWallTimeP95Ms, null);
  assert.match(
    waitsSection(a),
    /_No call's HTTP attempts were tracked: service latency and waits are unknown\._/,
  );
  // An older metrics.json, from before attempts were tracked, still reads (the sums default 0).
  const old = JSON.parse(JSON.stringify(a));
  for (const field of ["trackedCalls", "httpAttempts", "rateLimitedAttempts", "waitMs"]) {
    delete old[field];
    delete old.stages[0][field];
  }
  delete old.serviceWallTimeP50Ms;
  delete old.stages[0].serviceLatencyP95Ms;
  const parsed = BenchmarkAggregates.parse(old);
  assert.equal(parsed.waitMs, 0);
  assert.equal(parsed.stages[0].serviceLatencyP95Ms, null);
});
