import assert from "node:assert/strict";
import { openResultsStore } from "../store/mod.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { readHistory } from "../cli/history.ts";
import { simulatedBenchmark } from "./support/simulated_benchmark.ts";

Deno.test("history: p95 wall time of the successful runs, from the run rows", async () => {
  const [run] = await simulatedBenchmark({ repeats: 1, transcripts: ["standup"] });
  using store = openResultsStore(":memory:");
  const id = store.createBenchmark({
    label: "p95",
    startedAt: "2026-11-27T00:00:00.000Z",
    gitCommit: null,
    settings: {},
    meta: {},
    plannedRuns: 21,
    shard: null,
  });
  // 20 successful runs of 10, 20, …, 200 ms, and a failed one of 10 s, stored shuffled.
  const runs: RunRecord[] = Array.from({ length: 20 }, (_, i) => ({
    ...run,
    repeat: i,
    metrics: { ...run.metrics, wallTimeMs: ((i * 7) % 20 + 1) * 10 },
  }));
  runs.push({ ...run, repeat: 20, error: "boom", metrics: { ...run.metrics, wallTimeMs: 10_000 } });
  store.appendRuns(id, runs);
  const [row] = readHistory(store);
  // Nearest rank: the 19th of 20 sorted values.
  assert.equal(row.p95Ms, 190);
  assert.equal(row.runs, 21);
  assert.equal(row.failedRuns, 1);
  assert.equal(row.costPerRunUsd, run.metrics.totals.costUsd);
  assert.deepEqual(
    store.loadRunWallTimes(id).map((r) => r.ok),
    [...Array(20).fill(true), false],
  );
});
