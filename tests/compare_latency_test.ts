/**
 * Comparing latency fairly: service latency (without retries' and rate limits' waits) judged apart
 * from end-to-end, gated as `service.p95`, and a comparison that says when the two sides ran far
 * apart in time (or interleaved, in one window).
 */
import assert from "node:assert/strict";
import { compareBenchmarks } from "../compare/compare_benchmarks.ts";
import { formatComparisonMarkdown } from "../compare/compare_markdown.ts";
import { checkGate, parseGateRules } from "../compare/gate.ts";
import type { RunRecord } from "../benchmark/run_record.ts";

/**
 * A run of one stage with one call: `serviceMs` of work plus `waitMs` of waiting (all tracked),
 * started at `startedAt`.
 */
function run(inputId: string, serviceMs: number, waitMs: number, startedAt = 0): RunRecord {
  const totals = {
    executions: 1,
    latencyMs: serviceMs + waitMs,
    llmCalls: 1,
    trackedCalls: 1,
    httpAttempts: 1,
    rateLimitedAttempts: 0,
    waitMs,
    inputTokens: 10,
    outputTokens: 5,
    costUsd: 0.001,
    errors: 0,
  };
  return {
    inputId,
    repeat: 0,
    error: null,
    metrics: {
      status: "ok",
      startedAt,
      wallTimeMs: serviceMs + waitMs,
      totals,
      stages: { ask: { name: "ask", ...totals, executionSpans: [] } },
      calls: [],
    },
  } as unknown as RunRecord;
}

/** 60 runs whose service latency is the same on both sides (a seeded spread around 400 ms). */
function side(waitMs: (i: number) => number, startedAt = 0): RunRecord[] {
  return Array.from(
    { length: 60 },
    (_, i) => run(`in-${i}`, 300 + ((i * 37) % 200), waitMs(i), startedAt),
  );
}

Deno.test("compare: end-to-end p95 regressed by waits, service p95 unchanged, and the gate can tell", () => {
  const baseline = side(() => 0);
  // The candidate ran into a rate limit: a third of its runs waited 5 s.
  const candidate = side((i) => (i % 3 === 0 ? 5000 : 0));
  const comparison = compareBenchmarks(baseline, candidate);
  const whole = comparison.scopes[0].figures;
  const byFigure = Object.fromEntries(whole.map((f) => [f.figure, f]));
  assert.equal(byFigure.p95.verdict, "regressed");
  assert.equal(byFigure.serviceP95.verdict, "no significant change");
  assert.equal(byFigure.serviceP95.baseline, byFigure.serviceP95.candidate);
  const ask = comparison.scopes.find((s) => s.stage === "ask")!.figures;
  assert.equal(ask.find((f) => f.figure === "serviceP50")!.delta, 0);
  const gate = checkGate(
    comparison,
    parseGateRules("p95:+10%,service.p95:+10%,ask.service.p95:+10%"),
  );
  assert.deepEqual(gate.map((g) => g.failed), [true, false, false]);
  const markdown = formatComparisonMarkdown(comparison, gate);
  assert.match(markdown, /\| p95 service wall time \| 491 ms \| 491 ms \| ±0 /);
  assert.match(markdown, /\| p95 service latency \| 491 ms \| 491 ms \| ±0 /);
});

Deno.test("compare: untracked runs have no service latency: not comparable, never zero", () => {
  const untracked = (records: RunRecord[]) =>
    records.map((record) => {
      const totals = { ...record.metrics.totals, trackedCalls: 0, waitMs: 0 };
      return { ...record, metrics: { ...record.metrics, totals, stages: {} } } as RunRecord;
    });
  const comparison = compareBenchmarks(untracked(side(() => 0)), untracked(side(() => 0)));
  const service = comparison.scopes[0].figures.find((f) => f.figure === "serviceP95")!;
  assert.equal(service.baseline, null);
  assert.equal(service.verdict, "not comparable");
});

Deno.test("gate: service figures by name, for the pipeline and for a stage", () => {
  const [whole, stage, dotted] = parseGateRules(
    "service.p95:+10%, relationship_analysis.service.p50:+50, my.stage.p95:+5%",
  );
  assert.deepEqual([whole.stage, whole.figure], [null, "serviceP95"]);
  assert.deepEqual([stage.stage, stage.figure], ["relationship_analysis", "serviceP50"]);
  assert.deepEqual([dotted.stage, dotted.figure], ["my.stage", "p95"]);
  assert.throws(
    () => parseGateRules("service.p99:+1%"),
    /unknown figure "p99"; use one of cost, tokens, calls, p50, p95, service\.p50, service\.p95, errors/,
  );
});

Deno.test("compare: says when the sides ran far apart in time, or interleaved in one window", () => {
  const hour = 3_600_000;
  const apart = compareBenchmarks(side(() => 0, 0), side(() => 0, hour));
  assert.equal(apart.timing.gapMs, hour - 499);
  assert.equal(apart.timing.interleaved, false);
  assert.match(
    formatComparisonMarkdown(apart),
    /⚠️ \*\*The two sides ran 1 h apart\*\*: machine and provider load differ between them, so a latency verdict may be the weather/,
  );
  // Runs of the two sides alternating in one window.
  const a = side(() => 0).map((r, i) => ({ ...r, metrics: { ...r.metrics, startedAt: i * 1000 } }));
  const b = side(() => 0).map((r, i) => ({
    ...r,
    metrics: { ...r.metrics, startedAt: i * 1000 + 500 },
  }));
  const together = compareBenchmarks(a, b);
  assert.equal(together.timing.gapMs, 0);
  assert.equal(together.timing.interleaved, true);
  assert.match(
    formatComparisonMarkdown(together),
    /The two sides ran interleaved, in one time window\./,
  );
  // One after the other, a minute apart: said, without the warning.
  const next = compareBenchmarks(side(() => 0, 0), side(() => 0, 60_499));
  assert.match(
    formatComparisonMarkdown(next),
    /ran one after the other, 1 min apart \(not interleaved\)/,
  );
});

Deno.test("compare: a latency change no call waited for is said once in the summary, not again as service latency", () => {
  const baseline = side(() => 0);
  // Slower work on both figures, no waits: service latency equals end-to-end on each side.
  const slower = baseline.map((record) => run(record.inputId, record.metrics.wallTimeMs * 2, 0));
  const summary = (candidate: RunRecord[]) =>
    formatComparisonMarkdown(compareBenchmarks(baseline, candidate))
      .split("\n").find((line) => line.startsWith("**Changed:**"))!;
  const once = summary(slower);
  assert.match(once, /p50 wall time regressed \+100\.0%; p95 wall time regressed/);
  assert.doesNotMatch(once, /service/);
  // Where a side waited, service latency is a figure of its own and is said.
  const waited = slower.map((record, i) =>
    run(record.inputId, record.metrics.wallTimeMs, i % 3 === 0 ? 5000 : 0)
  );
  assert.match(summary(waited), /p95 service wall time regressed/);
});
