/**
 * A baseline and a candidate run interleaved: their runs alternate in one time window, at most
 * `concurrency` of both at once, and the comparison pairs them run by run and says they ran
 * interleaved.
 */
import assert from "node:assert/strict";
import { RunnableLambda } from "@langchain/core/runnables";
import { runInterleaved } from "../benchmark/interleave.ts";
import { compareBenchmarks } from "../compare/compare_benchmarks.ts";
import { formatComparisonMarkdown } from "../compare/compare_markdown.ts";
import { openResultsStore } from "../store/mod.ts";

Deno.test("interleave: runs alternate between the sides, never more than the concurrency at once", async () => {
  const started: string[] = [];
  let inside = 0;
  let most = 0;
  const graph = (side: string) =>
    RunnableLambda.from(async (input: string) => {
      started.push(`${side}:${input}`);
      most = Math.max(most, ++inside);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inside--;
      return input;
    });
  const inputs = ["a", "b", "c", "d", "e"].map((id) => ({ id, input: id }));
  const { baseline, candidate } = await runInterleaved({
    baseline: { graph: graph("B"), inputs },
    candidate: { graph: graph("C"), inputs },
    repeats: 2,
    concurrency: 2,
  });
  assert.equal(most, 2);
  assert.equal(started.length, 20);
  // Each run of one side starts beside the other side's same run, which side first alternating
  // from input to input: B a, C a, C b, B b, B c, C c, ... (a and c even, b odd), per repeat.
  assert.deepEqual(started, [
    ...["B:a", "C:a", "C:b", "B:b", "B:c", "C:c", "C:d", "B:d", "B:e", "C:e"],
    ...["B:a", "C:a", "C:b", "B:b", "B:c", "C:c", "C:d", "B:d", "B:e", "C:e"],
  ]);
  assert.deepEqual(baseline.records.map((r) => `${r.inputId}#${r.repeat}`), [
    ...["a#0", "b#0", "c#0", "d#0", "e#0", "a#1", "b#1", "c#1", "d#1", "e#1"],
  ]);
  assert.equal(baseline.total, 10);
  assert.equal(candidate.finishedRuns, 10);
  const comparison = compareBenchmarks(baseline.records, candidate.records);
  assert.equal(comparison.pairing, "run");
  assert.equal(comparison.timing.interleaved, true);
  assert.match(formatComparisonMarkdown(comparison), /ran interleaved, in one time window/);
});

Deno.test("interleave: each side's runs go to its own log, and a resume makes only what is missing", async () => {
  using store = openResultsStore(":memory:");
  const benchmark = (label: string) =>
    store.createBenchmark({
      label,
      startedAt: "2026-12-06T00:00:00.000Z",
      gitCommit: null,
      settings: {},
      meta: {},
      plannedRuns: 3,
      shard: null,
    });
  const [b, c] = [benchmark("main"), benchmark("pr")];
  const inputs = ["a", "b", "c"].map((id) => ({ id, input: id }));
  const sides = (graph: RunnableLambda<string, string>) => ({
    baseline: { graph, inputs, log: store.runLog(b) },
    candidate: { graph, inputs, log: store.runLog(c) },
  });
  let made = 0;
  const counting = RunnableLambda.from((input: string) => {
    made++;
    return input;
  });
  await runInterleaved({ ...sides(counting), retainRecords: false });
  assert.equal(made, 6);
  assert.deepEqual(store.loadRuns(b).map((r) => r.inputId).sort(), ["a", "b", "c"]);
  assert.deepEqual(store.loadRuns(c).map((r) => r.inputId).sort(), ["a", "b", "c"]);
  // A resume with a second repeat makes only the new runs, on both sides.
  const resumed = await runInterleaved({ ...sides(counting), repeats: 2, resume: true });
  assert.equal(made, 12);
  assert.equal(resumed.baseline.resumed, 3);
  assert.equal(store.countRuns(b), 6);
  assert.equal(store.countRuns(c), 6);
});
