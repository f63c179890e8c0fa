/**
 * End to end through Deno's built-in OTLP exporter (`OTEL_DENO=true`), in `http/protobuf` and
 * `http/json`, into a receiver that decodes with the opentelemetry-proto definitions; the child
 * is stopped with SIGTERM and must have flushed everything by then.
 */
import assert from "node:assert/strict";
import type { PipelineMetrics } from "../telemetry/metrics.ts";
import { startOtlpReceiver } from "./fixtures/otlp_receiver.ts";
import { CALL, CALLS_PER_RUN } from "./support/otel_workload.ts";
import { FOUR_STAGES } from "./support/four_stage_graph.ts";

const RUNS = 3;
const child = new URL("./fixtures/otel_deno_child.ts", import.meta.url);

async function runChild(endpoint: string, protocol: string) {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-env", "--allow-sys", child.pathname, String(RUNS)],
    env: {
      OTEL_DENO: "true",
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_SERVICE_NAME: "deno-child",
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = process.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  reader.releaseLock();
  try {
    process.kill("SIGTERM");
  } catch {
    // It already ended: its status and stderr say why.
  }
  const status = await process.status;
  await process.stdout.cancel().catch(() => {});
  const stderr = await new Response(process.stderr).text();
  assert.equal(status.code, 0, stderr);
  return JSON.parse(text) as { exported: number; runs: PipelineMetrics[] };
}

for (const protocol of ["http/protobuf", "http/json"]) {
  Deno.test(`Deno's own exporter (${protocol}) delivers every run exactly, flushed on SIGTERM`, async () => {
    await using receiver = startOtlpReceiver();
    const { exported, runs } = await runChild(receiver.origin, protocol);
    assert.equal(exported, RUNS);
    const wanted = protocol === "http/json" ? "json" : "protobuf";
    assert.ok(receiver.requests.length > 0);
    assert.ok(receiver.requests.every((r) => r.contentType.includes(wanted)), protocol);

    const ours = receiver.spans.filter((span) => span.scope === "graphmeter");
    assert.equal(ours.length, RUNS * (1 + FOUR_STAGES.length + CALLS_PER_RUN));
    for (const run of runs) {
      const runSpan = ours.find((span) => span.attributes["graphmeter.run.id"] === run.runId)!;
      assert.equal(runSpan.name, "invoke_agent tree");
      assert.equal(runSpan.resource["service.name"], "deno-child");
      assert.equal(runSpan.attributes["openinference.span.kind"], "AGENT");
      assert.equal(runSpan.attributes["gen_ai.usage.cost"], run.totals.costUsd);
      const diffNs = runSpan.startTimeUnixNano - BigInt(Math.round(run.startedAt * 1e6));
      assert.ok(diffNs <= 1000n && diffNs >= -1000n, `start off by ${diffNs} ns`);
      const inTrace = ours.filter((span) => span.traceId === runSpan.traceId);
      const stageIds = new Set(
        inTrace.filter((span) => span.parentSpanId === runSpan.spanId).map((span) => span.spanId),
      );
      assert.equal(stageIds.size, FOUR_STAGES.length);
      const calls = inTrace.filter((span) => span.name.startsWith("chat "));
      assert.equal(calls.length, CALLS_PER_RUN);
      for (const call of calls) {
        assert.ok(stageIds.has(call.parentSpanId));
        assert.equal(call.attributes["gen_ai.usage.input_tokens"], CALL.inputTokens);
        assert.equal(call.attributes["gen_ai.usage.cache_read.input_tokens"], CALL.cacheReadTokens);
        assert.equal(call.attributes["gen_ai.usage.output_tokens"], CALL.outputTokens);
        assert.equal(
          call.attributes["llm.token_count.total"],
          CALL.inputTokens + CALL.outputTokens,
        );
        assert.ok(Math.abs(Number(call.attributes["gen_ai.usage.cost"]) - CALL.costUsd) < 1e-15);
        assert.equal(call.attributes["llm.cost.total"], call.attributes["gen_ai.usage.cost"]);
      }
    }
    // Metrics flushed at exit: cost by stage and model, stage latency counts.
    const cost = receiver.points.filter((p) => p.metric === "graphmeter.cost");
    const byStage = new Map(cost.map((p) => [p.attributes["graphmeter.stage"], p.value!]));
    assert.equal(byStage.size, CALLS_PER_RUN);
    for (const usd of byStage.values()) assert.ok(Math.abs(usd - RUNS * CALL.costUsd) < 1e-15);
    const stageLatency = receiver.points.filter((p) => p.metric === "graphmeter.stage.duration");
    const counts = new Map(stageLatency.map((p) => [p.attributes["graphmeter.stage"], p.count!]));
    assert.deepEqual([...counts.values()], FOUR_STAGES.map(() => RUNS));
  });
}

Deno.test("Deno's own exporter with the receiver down: runs unaffected, the process still exits", async () => {
  const receiver = startOtlpReceiver();
  const endpoint = receiver.origin;
  await receiver.close();
  const { exported, runs } = await runChild(endpoint, "http/protobuf");
  assert.equal(exported, RUNS);
  assert.equal(runs.length, RUNS);
  for (const run of runs) assert.equal(run.status, "ok");
});
