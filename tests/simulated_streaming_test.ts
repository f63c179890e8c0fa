import assert from "node:assert/strict";
import {
  buildTranscriptTreeGraph,
  buildTranscriptTreeInput,
  loadTranscripts,
  modelsForAllStages,
  SimulatedChatModel,
} from "../workload/mod.ts";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import type { PipelineMetrics } from "../telemetry/metrics.ts";

/** Runs the workload over one bundled transcript with the simulated model, measured. */
async function measure(streaming: boolean): Promise<{ output: unknown; metrics: PipelineMetrics }> {
  const transcript = (await loadTranscripts()).find((t) => t.id === "voice_memo")!;
  const model = new SimulatedChatModel({ seed: 5, timeScale: 0, streaming });
  const handler = new PerformanceCallbackHandler();
  const output = await buildTranscriptTreeGraph(modelsForAllStages(model)).invoke(
    buildTranscriptTreeInput(transcript.text, { id: transcript.id }),
    { callbacks: [handler] },
  );
  return { output, metrics: handler.metrics };
}

/** What streaming must not change: each call's stage, model, tokens and cost, in order. */
function fingerprint(metrics: PipelineMetrics) {
  return metrics.calls.map((call) => ({
    stage: call.stage,
    model: call.model,
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    cacheReadTokens: call.cacheReadTokens,
    costUsd: call.costUsd,
    costSource: call.costSource,
  }));
}

Deno.test("simulated model: streaming changes no token, cost or output, and adds TTFT", async () => {
  const whole = await measure(false);
  const streamed = await measure(true);
  const again = await measure(true);

  assert.ok(whole.metrics.calls.length > 5);
  assert.ok(whole.metrics.totals.cacheReadTokens > 0);
  assert.deepEqual(fingerprint(streamed.metrics), fingerprint(whole.metrics));
  assert.deepEqual(streamed.output, whole.output);
  assert.equal(streamed.metrics.totals.costUsd, whole.metrics.totals.costUsd);
  // Deterministic: a second streamed run gives the same calls and output.
  assert.deepEqual(fingerprint(again.metrics), fingerprint(streamed.metrics));
  assert.deepEqual(again.output, streamed.output);

  assert.ok(whole.metrics.calls.every((call) => call.timeToFirstTokenMs === null));
  for (const call of streamed.metrics.calls) {
    assert.ok(call.timeToFirstTokenMs !== null, `${call.stage} call without TTFT`);
    assert.ok(call.timeToFirstTokenMs <= call.latencyMs);
  }
});
