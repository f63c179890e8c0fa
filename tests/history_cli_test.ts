import assert from "node:assert/strict";
import { openResultsStore } from "../store/mod.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { formatHistory, historyPoints, readHistory } from "../cli/history.ts";
import { formatHistoryMarkdown, historyChartSvg } from "../compare/history_points.ts";
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

Deno.test("history: each evaluator key's mean score over time, in the table, Markdown and chart", async () => {
  const [run] = await simulatedBenchmark({ repeats: 1, transcripts: ["standup"] });
  const scored = (score: number): RunRecord => ({
    ...run,
    evaluation: {
      scores: [{ key: "recall", score, kind: "number", comment: null, error: null }],
      costs: [],
    },
  });
  using store = openResultsStore(":memory:");
  const benchmark = (label: string, startedAt: string) =>
    store.createBenchmark({
      label,
      startedAt,
      gitCommit: null,
      settings: {},
      meta: {},
      plannedRuns: 2,
      shard: null,
    });
  const before = benchmark("mini", "2026-11-27T00:00:00.000Z");
  store.appendRuns(before, [scored(0.9), { ...scored(0.7), repeat: 1 }]);
  const after = benchmark("nano", "2026-11-28T00:00:00.000Z");
  store.appendRuns(after, [scored(0.5), { ...scored(0.3), repeat: 1 }]);
  const rows = readHistory(store);
  assert.deepEqual(rows.map((r) => r.quality), [
    [{ key: "recall", scoredRuns: 2, mean: 0.8 }],
    [{ key: "recall", scoredRuns: 2, mean: 0.4 }],
  ]);
  const text = formatHistory(rows);
  assert.match(text.split("\n")[0], /p95 wall +recall$/);
  assert.match(text.split("\n")[1], / 0\.800$/);
  assert.match(text.split("\n")[2], / 0\.400$/);
  const points = historyPoints(rows);
  assert.match(formatHistoryMarkdown(points), /\| recall \|\n.*\n.* \| 0\.800 \|\n.* \| 0\.400 \|/);
  assert.match(await historyChartSvg(points), /Quality: mean score per evaluator key/);
});
