/**
 * The store keeps who a run was for: its thread, its attribution keys and its input's metadata
 * round-trip, and a store from before they were kept (the schema version before) migrates in place.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { runBenchmark } from "../benchmark/runner.ts";
import { RunRecord } from "../benchmark/run_record.ts";
import { openResultsStore, SCHEMA_VERSION } from "../store/mod.ts";
import { ToyChatModel, toyGraph, type ToyInput } from "./support/toy_graph.ts";
import { downgradeTo, versionOf } from "./support/store_versions.ts";

const NEW_BENCHMARK = {
  label: null,
  startedAt: "2026-01-01T00:00:00.000Z",
  gitCommit: null,
  settings: {},
  meta: {},
  plannedRuns: 2,
  shard: null,
};

async function attributedRecords(): Promise<RunRecord[]> {
  const { records } = await runBenchmark({
    graph: toyGraph({}, new ToyChatModel("gpt-4o-mini")),
    inputs: [
      {
        id: "a",
        input: { text: "hello world" } as ToyInput,
        metadata: { dataset_split: ["test"], user_id: "u-1", tenant_id: "acme" },
      },
      { id: "b", input: { text: "plain" } as ToyInput },
    ],
  });
  return records;
}

Deno.test("store: a run's thread, attribution keys and input metadata round-trip", async () => {
  const records = await attributedRecords();
  assert.deepEqual(records[0].metrics.attributes, { user_id: "u-1", tenant_id: "acme" });
  assert.match(records[0].metrics.threadId ?? "", /^graphmeter-.*\/a#0$/);
  assert.deepEqual(records[0].inputMetadata, {
    dataset_split: ["test"],
    user_id: "u-1",
    tenant_id: "acme",
  });
  assert.equal("inputMetadata" in records[1], false);
  using store = openResultsStore(":memory:");
  const id = store.createBenchmark(NEW_BENCHMARK);
  store.appendRuns(id, records);
  const loaded = store.loadRuns(id);
  assert.deepEqual(loaded, records);
  for (const record of loaded) assert.deepEqual(RunRecord.parse(record), record);
});

Deno.test("store: a store from before attribution is migrated in place, its runs kept", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  const records = await attributedRecords();
  {
    using store = openResultsStore(path);
    store.appendRuns(store.createBenchmark(NEW_BENCHMARK), records);
  }
  // Back to the version before attribution: none of its migration's columns.
  const db = new DatabaseSync(path);
  // (Nor the later migrations': the lead renumbers migrations as branches merge.)
  db.exec(downgradeTo(versionOf("ADD COLUMN attributes_json") - 1));
  db.close();
  {
    using store = openResultsStore(path);
    const loaded = store.loadRuns(store.resolveBenchmark("latest"));
    assert.equal(loaded.length, 2);
    assert.equal(loaded[0].metrics.threadId, null);
    assert.deepEqual(loaded[0].metrics.attributes, {});
    assert.equal("inputMetadata" in loaded[0], false);
    assert.equal(loaded[0].metrics.totals.costUsd, records[0].metrics.totals.costUsd);
    assert.equal(loaded[1].metrics.totals.llmCalls, records[1].metrics.totals.llmCalls);
  }
  const migrated = new DatabaseSync(path);
  assert.equal(
    (migrated.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
    SCHEMA_VERSION,
  );
  migrated.close();
  await Deno.remove(dir, { recursive: true });
});
