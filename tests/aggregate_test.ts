import assert from "node:assert/strict";
import { aggregateRuns } from "../benchmark/result/aggregate_runs.ts";
import { RunRecord } from "../benchmark/run_record.ts";
import type { LLMCallMetrics, StageMetrics, StageTotals } from "../telemetry/metrics.ts";
import { zeroTokenUsage } from "../pricing/token_usage.ts";
import { emptyBreakdown } from "../pricing/breakdown.ts";

/** A hand-built call: its stage, its cost (null: unpriced) and its time to first token. */
function call(stage: string, costUsd: number | null, ttftMs: number | null = null): LLMCallMetrics {
  return {
    runId: crypto.randomUUID(),
    stage,
    model: costUsd === null ? "my-private-model" : "gpt-4.1-mini",
    requestedModel: null,
    provider: "openai",
    startedAt: 0,
    latencyMs: 100,
    timeToFirstTokenMs: ttftMs,
    ...zeroTokenUsage(),
    inputTokens: 10,
    outputTokens: 5,
    usageReported: true,
    usageIssue: null,
    costUsd,
    costSource: costUsd === null ? "unpriced" : "catalog",
    costBreakdown: null,
    costMissing: [],
    error: null,
    attempts: null,
    serviceLatencyMs: null,
    waitMs: null,
    rateLimit: null,
  };
}

/** Totals of some calls, by telemetry's rule: cost null when there are calls and none is priced. */
function totalsOf(calls: LLMCallMetrics[], latencyMs: number): StageTotals {
  const priced = calls.filter((c) => c.costUsd !== null).map((c) => c.costUsd!);
  return {
    executions: 1,
    latencyMs,
    llmCalls: calls.length,
    ...zeroTokenUsage(),
    inputTokens: calls.length * 10,
    outputTokens: calls.length * 5,
    costUsd: calls.length > 0 && priced.length === 0 ? null : priced.reduce((a, b) => a + b, 0),
    unpricedCalls: calls.length - priced.length,
    partialCalls: 0,
    costBreakdown: emptyBreakdown(),
    callsWithoutUsage: 0,
    errors: 0,
    toolCalls: 0,
    toolLatencyMs: 0,
    trackedCalls: 0,
    httpAttempts: 0,
    rateLimitedAttempts: 0,
    waitMs: 0,
  };
}

/** A hand-built run: every named stage executed once and made the given calls (maybe none). */
function run(id: string, stages: Record<string, LLMCallMetrics[]>, error: string | null = null) {
  const calls = Object.values(stages).flat();
  const stageMetrics: Record<string, StageMetrics> = Object.fromEntries(
    Object.entries(stages).map(([name, stageCalls]) => [
      name,
      { name, ...totalsOf(stageCalls, 50), executionSpans: [] },
    ]),
  );
  return RunRecord.parse({
    inputId: id,
    repeat: 0,
    inputAmount: 0.1,
    outputSummary: null,
    quality: null,
    error,
    metrics: {
      runId: id,
      runCount: 1,
      startedAt: 0,
      wallTimeMs: 200,
      status: error === null ? "ok" : "error",
      error,
      stages: stageMetrics,
      calls,
      totals: { ...totalsOf(calls, 200), executions: Object.keys(stages).length },
      pricing: { catalog: "@pydantic/genai-prices", version: "0.1.8", overrideModels: 0 },
      handlerErrors: 0,
    },
  });
}

Deno.test("aggregate: unpriced in one run, no calls in another, is unpriced, never $0", () => {
  const a = aggregateRuns([
    run("a", { classify: [call("classify", null), call("classify", null)] }),
    run("b", { classify: [] }),
  ]);
  const [classify] = a.stages;
  assert.equal(classify.stage, "classify");
  assert.equal(classify.llmCalls, 2);
  assert.equal(classify.unpricedCalls, 2);
  assert.equal(classify.costUsd, null);
  assert.equal(classify.costPerRunUsd, null);
  assert.equal(classify.costShare, null);
  // The same holds for the runs' totals: one run all unpriced, one without calls.
  assert.equal(a.costUsd, null);
  assert.equal(a.costPerRunUsd, null);
  assert.equal(a.allRunsCostUsd, null);
  assert.equal(a.costPerUnitUsd, null);
  assert.equal(a.projectedDailyCostUsd, null);
});

Deno.test("aggregate: the order of the runs does not matter", () => {
  const a = aggregateRuns([
    run("b", { classify: [] }),
    run("a", { classify: [call("classify", null)] }),
  ]);
  assert.equal(a.stages[0].costUsd, null);
  assert.equal(a.costUsd, null);
});

Deno.test("aggregate: some calls priced is a partial sum; no calls at all is $0", () => {
  const a = aggregateRuns([
    run("a", {
      summarize: [call("summarize", 0.25), call("summarize", null)],
      extract: [],
      local: [call("local", 0)],
    }),
    run("b", { summarize: [call("summarize", 0.5)], extract: [], local: [call("local", null)] }),
  ]);
  const byName = Object.fromEntries(a.stages.map((s) => [s.stage, s]));
  assert.equal(byName.summarize.costUsd, 0.75);
  assert.equal(byName.summarize.costPerRunUsd, 0.375);
  assert.equal(byName.summarize.unpricedCalls, 1);
  assert.equal(byName.summarize.costShare, 1);
  // No calls: nothing to pay, so $0 (not unpriced).
  assert.equal(byName.extract.llmCalls, 0);
  assert.equal(byName.extract.costUsd, 0);
  // A call priced at $0 (a local model) is priced: the stage costs $0 with one unpriced call.
  assert.equal(byName.local.costUsd, 0);
  assert.equal(byName.local.unpricedCalls, 1);
  assert.equal(a.costUsd, 0.75);
  assert.equal(a.unpricedCalls, 2);
});

Deno.test("aggregate: a failed run counts in allRunsCostUsd only", () => {
  const a = aggregateRuns([
    run("a", { classify: [call("classify", null)] }),
    run("b", { classify: [call("classify", 0.5)] }, "boom"),
  ]);
  assert.equal(a.successfulRuns, 1);
  assert.equal(a.stages[0].costUsd, null);
  assert.equal(a.costUsd, null);
  assert.equal(a.allRunsCostUsd, 0.5);
});

Deno.test("aggregate: TTFT is the median over a stage's streamed calls, null when none", () => {
  const a = aggregateRuns([
    run("a", {
      summarize: [call("summarize", 0.25, 30), call("summarize", 0.25, 10)],
      classify: [call("classify", 0.25)],
    }),
    run("b", {
      summarize: [call("summarize", 0.25, 20), call("summarize", 0.25)],
      classify: [call("classify", 0.25), call("classify", 0.25, 40)],
    }),
    run("c", { summarize: [call("summarize", 0.25, 1)] }, "failed runs are left out"),
  ]);
  const byName = Object.fromEntries(a.stages.map((s) => [s.stage, s]));
  assert.equal(byName.summarize.streamedCalls, 3);
  assert.equal(byName.summarize.timeToFirstTokenP50Ms, 20);
  assert.equal(byName.classify.streamedCalls, 1);
  assert.equal(byName.classify.timeToFirstTokenP50Ms, 40);
  assert.equal(a.streamedCalls, 4);
  // Nearest rank over [10, 20, 30, 40]: the 2nd value.
  assert.equal(a.timeToFirstTokenP50Ms, 20);

  const none = aggregateRuns([run("a", { classify: [call("classify", 0.25)] })]);
  assert.equal(none.stages[0].streamedCalls, 0);
  assert.equal(none.stages[0].timeToFirstTokenP50Ms, null);
  assert.equal(none.timeToFirstTokenP50Ms, null);
});
