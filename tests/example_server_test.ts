/**
 * A small run of the load test (`deno task loadtest` is the full one): the example server in
 * production mode, through the SDK's OTLP/HTTP exporters into the receiver; SIGTERM flushes.
 */
import assert from "node:assert/strict";
import { runServerLoad } from "../tools/server_load.ts";

Deno.test("the example server exports every run exactly once and keeps none", async () => {
  const result = await runServerLoad({ requests: 40, concurrency: 8, rounds: 2, baseline: false });
  assert.equal(result.requests, 40);
  assert.equal(new Set(result.runIds).size, 40);
  assert.deepEqual([...new Set(result.runSpansPerRunId.values())], [1]);
  assert.equal(result.strayRunSpans, 0);
  assert.equal(result.exitCode, 0);
  assert.deepEqual(result.runSpanParents, ["(root)"]); // no HTTP span without OTEL_DENO
  // 50 warm-up requests, then 40 measured ones.
  assert.equal(result.final.exportedRuns, 90);
  assert.equal(result.final.failedRuns, 0);
  assert.equal(result.final.handlerErrors, 0);
  assert.equal(result.final.retainedRuns, 0);
});

Deno.test("the example server under OTEL_DENO: every run once, under Deno's HTTP server span", async () => {
  const result = await runServerLoad({
    requests: 20,
    concurrency: 5,
    rounds: 1,
    baseline: false,
    exporter: "deno",
  });
  assert.equal(result.exitCode, 0);
  assert.deepEqual([...new Set(result.runSpansPerRunId.values())], [1]);
  assert.equal(result.strayRunSpans, 0);
  assert.equal(result.final.spans, null);
  // Deno's own HTTP server span ("POST") is active while the run ends: the run hangs under it.
  assert.deepEqual(result.runSpanParents, ["POST"]);
});
