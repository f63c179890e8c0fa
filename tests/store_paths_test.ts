/**
 * The results store keeps each run's node paths (one `paths` row per path), each call's path and
 * each run's critical path; a store from before paths (schema version 6) is migrated in place,
 * keeping its runs, which then read back with no paths.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { type NewBenchmark, openResultsStore, SCHEMA_VERSION } from "../store/mod.ts";
import { PATH_COLUMNS } from "../store/_rows.ts";
import { RunRecord } from "../benchmark/run_record.ts";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { GraphEvents } from "./support/graph_events.ts";
import { downgradeTo, versionOf } from "./support/store_versions.ts";
import { runExportCli } from "../cli/export.ts";

const BENCHMARK: NewBenchmark = {
  label: "nested",
  startedAt: "2026-12-06T00:00:00.000Z",
  gitCommit: null,
  settings: {},
  meta: {},
  plannedRuns: 2,
  shard: null,
};

/** Two runs of a stage with a subgraph (agent, tools) on a fake clock. */
function records(): RunRecord[] {
  const events: GraphEvents = new GraphEvents(
    new PerformanceCallbackHandler({ clock: () => events.now }),
  );
  for (let run = 0; run < 2; run++) {
    const t = run * 100;
    const root = events.root(t);
    const stage = events.node(root, "research_agent", t);
    const agent = events.node(stage, "agent", t + 1);
    events.call(agent, t + 2, t + 10, 200, 20);
    events.end(agent, t + 11);
    const tools = events.node(stage, "tools", t + 11);
    events.toolEnd(events.toolStart(tools, "web_search", t + 12), t + 40 + run * 10);
    events.end(tools, t + 50 + run * 10);
    events.end(stage, t + 51 + run * 10);
    events.end(root, t + 52 + run * 10);
  }
  return events.handler.runs.map((metrics, repeat) =>
    RunRecord.parse({
      inputId: "q",
      repeat,
      inputAmount: null,
      outputSummary: null,
      metrics,
      quality: null,
      error: null,
    })
  );
}

Deno.test("store: node paths, call paths and critical paths round-trip; the table is the schema's", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  const written = records();
  {
    using store = openResultsStore(path);
    const id = store.createBenchmark(BENCHMARK);
    store.appendRuns(id, written);
    assert.deepEqual(store.loadRuns(id), written);
  }
  const db = new DatabaseSync(path);
  const columns = (db.prepare("PRAGMA table_info(paths)").all() as { name: string }[])
    .map((column) => column.name);
  assert.deepEqual(columns.sort(), [...PATH_COLUMNS].sort());
  // Any SQLite client can ask which node held the time.
  const rows = db.prepare(
    `SELECT path, repeat, exclusive_time_ms, inclusive_cost_usd, exclusive_tools_json FROM paths
     WHERE path = 'research_agent/tools' ORDER BY repeat`,
  ).all() as Record<string, unknown>[];
  assert.deepEqual(
    rows.map((row) => [row.repeat, row.exclusive_time_ms, row.exclusive_tools_json]),
    [
      [0, 39, '{"web_search":28}'],
      [1, 49, '{"web_search":38}'],
    ],
  );
  const calls = db.prepare("SELECT path FROM calls ORDER BY repeat").all() as { path: string }[];
  assert.deepEqual(calls.map((call) => call.path), [
    "research_agent/agent",
    "research_agent/agent",
  ]);
  db.close();
  // `export --table paths` writes the rows, in run order, parents first.
  let out = "";
  const io = { out: (text: string) => (out += text), err: () => {} };
  const argv = ["nested", "--db", path, "--table", "paths", "--format", "csv"];
  assert.equal(await runExportCli(argv, io), 0);
  const [header, ...exported] = out.trim().split("\n").map((line) => line.split(","));
  assert.deepEqual(
    exported.map((row) => row[header.indexOf("path")]),
    ["research_agent", "research_agent/agent", "research_agent/tools"].concat(
      ["research_agent", "research_agent/agent", "research_agent/tools"],
    ),
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("store: a version-6 store (before node paths) is migrated in place, its runs kept", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  const written = records();
  {
    using store = openResultsStore(path);
    store.appendRuns(store.createBenchmark(BENCHMARK), written);
  }
  const db = new DatabaseSync(path);
  // Before node paths, and so before every migration after them.
  db.exec(downgradeTo(versionOf("CREATE TABLE paths") - 1));
  db.close();
  {
    using store = openResultsStore(path);
    const loaded = store.loadRuns(store.resolveBenchmark("nested"));
    assert.equal(loaded.length, 2);
    // The runs, stages and calls as they were; no paths were stored then.
    assert.deepEqual(loaded[0].metrics.stages, written[0].metrics.stages);
    assert.deepEqual(loaded[0].metrics.totals, written[0].metrics.totals);
    assert.deepEqual(loaded[0].metrics.paths, {});
    assert.deepEqual(loaded[0].metrics.criticalPath, []);
    assert.equal(loaded[0].metrics.calls[0].path, undefined);
    assert.equal(loaded[0].metrics.calls[0].inputTokens, 200);
    for (const record of loaded) assert.deepEqual(RunRecord.parse(record), record);
    // New runs store their paths.
    const id = store.createBenchmark({ ...BENCHMARK, label: "after" });
    store.appendRuns(id, written);
    assert.deepEqual(store.loadRuns(id), written);
  }
  const migrated = new DatabaseSync(path);
  assert.equal(
    (migrated.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
    SCHEMA_VERSION,
  );
  migrated.close();
  await Deno.remove(dir, { recursive: true });
});
