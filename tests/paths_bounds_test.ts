/**
 * Bounded: a graph with 2,000 distinct node paths, a node name 10 KB long and subgraphs nested 20
 * deep keeps at most 500 paths of bounded names in its metrics and in the results store, folding
 * the rest into `(other)` paths so every sum stays exact; merging many runs whose paths differ
 * stays bounded too.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { PipelineMetrics } from "../telemetry/metrics.ts";
import { openResultsStore } from "../store/mod.ts";
import { GraphEvents } from "./support/graph_events.ts";
import { assertTreeAddsUp } from "./support/path_checks.ts";

/** One run: `wide` runs `width` distinct nodes one after the other (a call each), `deep` nests
 * 20 subgraphs, and a node's name is 10 KB long. */
function hugeRun(events: GraphEvents, width: number, prefix = "node", offset = 0): void {
  let t = offset;
  const root = events.root(t);
  const wide = events.node(root, "wide", t);
  for (let i = 0; i < width; i++) {
    const node = events.node(wide, `${prefix}_${i}`, ++t);
    events.call(node, t, t + 1, 10 + (i % 7), 1);
    events.end(node, t += 2);
  }
  events.end(wide, ++t);
  const chain = [events.node(root, "deep", t)];
  for (let level = 1; level < 20; level++) {
    chain.push(events.node(chain[level - 1], `l${level}`, t));
  }
  events.call(chain[19], t, t + 5, 100, 10);
  for (const id of chain.reverse()) events.end(id, t += 6);
  const long = events.node(root, "x".repeat(10_000), ++t);
  events.end(long, t += 3);
  events.end(root, ++t);
}

Deno.test("bounds: 2,000 paths, a 10 KB name and 20 levels stay bounded, every sum exact", async () => {
  const events: GraphEvents = new GraphEvents(
    new PerformanceCallbackHandler({ clock: () => events.now }),
  );
  hugeRun(events, 2000);
  const metrics = PipelineMetrics.parse(events.handler.metrics);
  const paths = metrics.paths ?? {};
  const keys = Object.keys(paths);
  assert.ok(keys.length <= 500, `${keys.length} paths`);
  assert.ok(keys.includes("wide/(other)"), "the smallest nodes fold into wide/(other)");
  for (const key of keys) {
    assert.ok(key.split("/").every((segment) => segment.length <= 100), key.slice(0, 200));
    assert.ok(paths[key].depth <= 17, key);
  }
  const long = keys.find((key) => key.startsWith("xxx"));
  assert.equal(long?.length, 100);
  assert.ok(long?.includes("…"));
  assert.ok(keys.some((key) => key.endsWith("/l15/(other)")), "past 16 levels: (other)");
  // Folding keeps every sum: the stages still hold all 2,001 calls and their tokens.
  assert.equal(paths.wide.inclusive.llmCalls, 2000);
  assert.equal(paths.wide.executions, 1);
  assert.equal(
    Object.values(paths).filter((p) => p.path.startsWith("wide/"))
      .reduce((sum, p) => sum + p.executions, 0),
    2000,
  );
  assert.equal(paths.deep.inclusive.llmCalls, 1);
  assertTreeAddsUp(metrics);
  // The run's JSON stays small (2,000 nodes would be much more), and so does the store.
  assert.ok(JSON.stringify(paths).length < 1_000_000);
  const dir = await Deno.makeTempDir();
  {
    using store = openResultsStore(`${dir}/graphmeter.db`);
    const id = store.createBenchmark({
      label: null,
      startedAt: "2026-12-06T00:00:00.000Z",
      gitCommit: null,
      settings: {},
      meta: {},
      plannedRuns: 1,
      shard: null,
    });
    const record = {
      inputId: "huge",
      repeat: 0,
      inputAmount: null,
      outputSummary: null,
      metrics,
      quality: null,
      error: null,
    };
    store.appendRun(id, record);
    assert.deepEqual(store.loadRuns(id)[0].metrics.paths, metrics.paths);
  }
  const db = new DatabaseSync(`${dir}/graphmeter.db`);
  const { rows, longest } = db.prepare(
    "SELECT COUNT(*) AS rows, MAX(LENGTH(path)) AS longest FROM paths",
  ).get() as { rows: number; longest: number };
  db.close();
  assert.ok(rows <= 500 && rows === keys.length, `${rows} rows`);
  assert.ok(longest <= 17 * 101, `${longest} characters`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("bounds: merging many runs whose node names differ stays bounded and exact", () => {
  for (const maxRetainedRuns of [1000, 0]) {
    const events: GraphEvents = new GraphEvents(
      new PerformanceCallbackHandler({ clock: () => events.now, maxRetainedRuns }),
    );
    for (let run = 0; run < 6; run++) hugeRun(events, 300, `run${run}`, run * 10_000);
    const metrics = PipelineMetrics.parse(events.handler.metrics);
    assert.equal(metrics.runCount, 6);
    assert.ok(Object.keys(metrics.paths ?? {}).length <= 500);
    assert.equal(metrics.paths?.wide.inclusive.llmCalls, 6 * 300);
    assertTreeAddsUp(metrics);
  }
});
