import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { ATTEMPTS_VERSION, downgradeTo } from "./support/store_versions.ts";
import { aggregateRuns } from "../benchmark/result/aggregate_runs.ts";
import { runBenchmark } from "../benchmark/runner.ts";
import { RunRecord } from "../benchmark/run_record.ts";
import { type NewBenchmark, openResultsStore, SCHEMA_VERSION, StoreError } from "../store/mod.ts";
import { llmCallMetricsSchema, stageTotalsSchema } from "../telemetry/metrics.ts";
import { CALL_COLUMNS, RUN_COLUMNS } from "../store/_rows.ts";
import { ToyChatModel, toyGraph, type ToyInput } from "./support/toy_graph.ts";

const inputs = (texts: string[]) =>
  texts.map((text, i) => ({ id: `t${i}`, input: { text } as ToyInput, words: 2 }));

function benchmark(overrides: Partial<NewBenchmark> = {}): NewBenchmark {
  return {
    label: null,
    startedAt: "2026-01-01T00:00:00.000Z",
    gitCommit: "abc123",
    settings: { seed: 1 },
    meta: { repeats: 1 },
    plannedRuns: 3,
    shard: null,
    ...overrides,
  };
}

/** Real records: calls with and without a price, a failed run, quality, a null summary. */
async function realRecords(): Promise<RunRecord[]> {
  const { records } = await runBenchmark({
    graph: toyGraph({}, new ToyChatModel("gpt-4o-mini"), new ToyChatModel("no-such-model-xyz")),
    inputs: inputs(["hello world", "please FAIL now", "a longer text to summarize"]),
    quality: (output) => ({ labelChars: String(output.label).length, half: 0.5 }),
    summarizeOutput: (output) => (output.text.startsWith("a ") ? "" : output.text),
  });
  return records;
}

Deno.test("store: a run record round-trips exactly through its rows", async () => {
  const records = await realRecords();
  assert.equal(records.length, 3);
  assert.ok(records.some((r) => r.error !== null), "a failed run is among them");
  assert.ok(records.some((r) => r.metrics.calls.some((c) => c.costUsd === null)));
  assert.ok(records.some((r) => r.metrics.calls.some((c) => c.costUsd !== null)));
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  let id: string;
  {
    using store = openResultsStore(path);
    id = store.createBenchmark(benchmark());
    const log = store.runLog(id);
    await log.create();
    for (const record of records) await log.append(record);
  }
  // Reopened from the file: the records come back equal, and valid.
  using store = openResultsStore(path);
  const loaded = store.loadRuns(id);
  assert.deepEqual(loaded, records);
  for (const record of loaded) assert.deepEqual(RunRecord.parse(record), record);
  // Stage order is kept (the report lists stages in the order they appeared).
  assert.deepEqual(Object.keys(loaded[0].metrics.stages), Object.keys(records[0].metrics.stages));
  assert.equal(
    store.getBenchmark(id)?.priceCatalog,
    `${records[0].metrics.pricing.catalog} ` +
      records[0].metrics.pricing.version,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("store: columns cover every field of the metrics schemas", () => {
  for (const field of Object.keys(stageTotalsSchema.shape)) {
    const column = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    // An object field (the cost breakdown) is JSON text in a `*_json` column.
    assert.ok(
      RUN_COLUMNS.includes(column) || RUN_COLUMNS.includes(`${column}_json`),
      `runs.${column}`,
    );
  }
  assert.equal(CALL_COLUMNS.length, 4 + Object.keys(llmCallMetricsSchema.shape).length);
});

Deno.test("store: the schema is versioned and readable by any SQLite client", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  {
    using store = openResultsStore(path);
    const id = store.createBenchmark(benchmark({ label: "nightly" }));
    store.appendRun(id, (await realRecords())[0]);
  }
  const db = new DatabaseSync(path);
  assert.equal(
    (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
    SCHEMA_VERSION,
  );
  assert.equal(
    (db.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode,
    "wal",
  );
  const calls = db.prepare("SELECT stage, model, input_tokens FROM calls ORDER BY position")
    .all() as { stage: string; model: string; input_tokens: number }[];
  // ToyChatModel: 100 + prompt characters ("summarize: hello world" is 22, "classify: ok" 12).
  assert.deepEqual(calls.map((c) => [c.stage, c.model, c.input_tokens]), [
    ["summarize", "gpt-4o-mini", 122],
    ["classify", "no-such-model-xyz", 112],
  ]);
  // A database from a newer graphmeter is refused with one line.
  db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  assert.throws(() => openResultsStore(path), /newer than this graphmeter's/);
  await Deno.writeTextFile(`${dir}/text.db`, "not a database at all, just some text here\n");
  assert.throws(() => openResultsStore(`${dir}/text.db`), StoreError);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("store: references name a benchmark by id, label, latest and latest~N", () => {
  using store = openResultsStore(":memory:");
  const a = store.createBenchmark(benchmark({ label: "base", startedAt: "2026-01-01T00:00:00Z" }));
  const b = store.createBenchmark(benchmark({ label: "base", startedAt: "2026-01-02T00:00:00Z" }));
  const c = store.createBenchmark(benchmark({ label: "other", startedAt: "2026-01-03T00:00:00Z" }));
  assert.equal(store.resolveBenchmark(a), a);
  assert.equal(store.resolveBenchmark("base"), b);
  assert.equal(store.resolveBenchmark("latest"), c);
  assert.equal(store.resolveBenchmark("latest~1"), b);
  assert.equal(store.resolveBenchmark("latest~2"), a);
  assert.throws(() => store.resolveBenchmark("latest~3"), /no benchmark "latest~3"/);
  assert.throws(() => store.resolveBenchmark("nope"), /no benchmark with id or label "nope"/);
  assert.match(a, /^20260101-000000-[0-9a-f]{4}$/);
});

Deno.test("store: the runner resumes from the store, running only what is missing", async () => {
  using store = openResultsStore(":memory:");
  const id = store.createBenchmark(benchmark({ plannedRuns: 4 }));
  const texts = ["a", "b"];
  const probe = await runBenchmark({ graph: toyGraph(), inputs: inputs(["a"]) });
  const first = await runBenchmark({
    graph: toyGraph(),
    inputs: inputs(texts),
    repeats: 2,
    log: store.runLog(id),
    // One run fits, a second (estimated at the first's cost) would not: stops after the first.
    maxCostUsd: probe.records[0].metrics.totals.costUsd! * 1.5,
  });
  assert.equal(first.records.length, 1);
  await assert.rejects(() => store.runLog(id).create(), /already holds runs/);
  const invoked: string[] = [];
  const second = await runBenchmark({
    graph: toyGraph({ onStart: (text) => void invoked.push(text) }),
    inputs: inputs(texts),
    repeats: 2,
    log: store.runLog(id),
    resume: true,
  });
  assert.equal(second.resumed, 1);
  assert.deepEqual(invoked.sort(), ["a", "b", "b"]);
  assert.equal(store.countRuns(id), 4);
  const [summary] = store.listBenchmarks();
  assert.equal(summary.runs, 4);
  assert.equal(summary.failedRuns, 0);
  const cost = second.records.reduce((sum, r) => sum + r.metrics.totals.costUsd!, 0);
  assert.ok(Math.abs(summary.costPerRunUsd! - cost / 4) < 1e-15);
});

Deno.test("store: rows from before migration 2 (NULL breakdowns) read as the schema's default", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  const records = await realRecords();
  {
    using store = openResultsStore(path);
    const id = store.createBenchmark(benchmark());
    store.appendRuns(id, records);
  }
  const db = new DatabaseSync(path);
  db.exec(
    "UPDATE runs SET cost_breakdown_json = NULL; UPDATE stages SET cost_breakdown_json = NULL",
  );
  db.close();
  using store = openResultsStore(path);
  const loaded = store.loadRuns(store.resolveBenchmark("latest"));
  const empty = stageTotalsSchema.shape.costBreakdown.parse(undefined);
  assert.deepEqual(loaded[0].metrics.totals.costBreakdown, empty);
  assert.deepEqual(Object.values(loaded[0].metrics.stages)[0].costBreakdown, empty);
  // Aggregating them no longer throws (it did on null), and tokens still add up.
  const aggregates = aggregateRuns(loaded);
  assert.equal(aggregates.inputTokens, aggregateRuns(records).inputTokens);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("store: a version-3 store (before file searches) is migrated in place, its runs kept", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  const records = await realRecords();
  {
    using store = openResultsStore(path);
    store.appendRuns(store.createBenchmark(benchmark()), records);
  }
  // Back to what schema version 3 wrote: no file_search_requests columns (nor later ones: the
  // pricing notes, scores and evaluations, the recorded counts, leases and stopped runs).
  const db = new DatabaseSync(path);
  db.exec(
    downgradeTo(4) +
      ["runs", "stages", "calls"].map((table) =>
        `ALTER TABLE ${table} DROP COLUMN file_search_requests;`
      ).join("") + "PRAGMA user_version = 3;",
  );
  db.close();
  {
    using store = openResultsStore(path);
    const loaded = store.loadRuns(store.resolveBenchmark("latest"));
    assert.equal(loaded.length, records.length);
    assert.equal(loaded[0].metrics.totals.fileSearchRequests, 0);
    assert.equal(loaded[0].metrics.totals.inputTokens, records[0].metrics.totals.inputTokens);
    store.checkCounts(); // the counts the shared-store migration recorded agree with the rows kept
  }
  const migrated = new DatabaseSync(path);
  assert.equal(
    (migrated.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
    SCHEMA_VERSION,
  );
  migrated.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("store: a version-4 store (before pricing notes) is migrated in place, its runs kept", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  const records = await realRecords();
  const note = "The price catalog may be stale: test note.";
  const noted = records.map((record) =>
    RunRecord.parse({
      ...record,
      metrics: { ...record.metrics, pricing: { ...record.metrics.pricing, notes: [note] } },
    })
  );
  {
    using store = openResultsStore(path);
    const id = store.createBenchmark(benchmark());
    store.appendRuns(id, noted);
    // The notes round-trip.
    assert.deepEqual(store.loadRuns(id)[0].metrics.pricing.notes, [note]);
  }
  // Back to what schema version 4 wrote: no pricing_notes_json column (nor later tables and
  // columns: scores, evaluations, the recorded counts, leases and stopped runs).
  const db = new DatabaseSync(path);
  db.exec(downgradeTo(4));
  db.close();
  {
    using store = openResultsStore(path);
    const loaded = store.loadRuns(store.resolveBenchmark("latest"));
    assert.equal(loaded.length, records.length);
    assert.deepEqual(loaded[0].metrics.pricing.notes, []);
    assert.equal(loaded[0].metrics.totals.inputTokens, records[0].metrics.totals.inputTokens);
  }
  const migrated = new DatabaseSync(path);
  assert.equal(
    (migrated.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
    SCHEMA_VERSION,
  );
  migrated.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("store: a store from before HTTP attempts is migrated in place, its runs kept", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  const records = await realRecords();
  let id: string;
  {
    using store = openResultsStore(path);
    id = store.createBenchmark(benchmark());
    store.appendRuns(id, records);
  }
  // Back to what the schema version before attempts wrote: no attempt columns at all.
  const db = new DatabaseSync(path);
  db.exec(downgradeTo(ATTEMPTS_VERSION - 1));
  db.close();
  {
    using store = openResultsStore(path);
    const loaded = store.loadRuns(id);
    assert.equal(loaded.length, records.length);
    for (const [i, record] of loaded.entries()) {
      assert.deepEqual(record.metrics.totals.inputTokens, records[i].metrics.totals.inputTokens);
      assert.equal(record.metrics.totals.costUsd, records[i].metrics.totals.costUsd);
      // Nothing was known of their attempts: unknown (null, 0 tracked), not zero waits.
      assert.equal(record.metrics.totals.trackedCalls, 0);
      for (const call of record.metrics.calls) {
        assert.equal(call.attempts, null);
        assert.equal(call.serviceLatencyMs, null);
        assert.equal(call.waitMs, null);
        assert.equal(call.rateLimit, null);
      }
    }
    // New runs go into the migrated tables with their attempts (tracked by the runner).
    assert.ok(records.every((r) => r.metrics.calls.every((c) => c.attempts !== null)));
    const again = store.createBenchmark(benchmark());
    store.appendRuns(again, records);
    assert.deepEqual(store.loadRuns(again), records);
  }
  const migrated = new DatabaseSync(path);
  assert.equal(
    (migrated.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
    SCHEMA_VERSION,
  );
  const columns = (migrated.prepare("PRAGMA table_info(calls)").all() as { name: string }[])
    .map((column) => column.name);
  assert.ok(columns.includes("attempts_json") && columns.includes("rate_limit_json"));
  migrated.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("store: with retainRecords false the runner keeps no records, counts resumed runs from the store", async () => {
  using store = openResultsStore(":memory:");
  const id = store.createBenchmark(benchmark({ plannedRuns: 6 }));
  const texts = ["a", "FAIL", "c"];
  const first = await runBenchmark({
    graph: toyGraph(),
    inputs: inputs(texts),
    log: store.runLog(id),
    retainRecords: false,
  });
  assert.deepEqual(first.records, []);
  assert.equal(first.finishedRuns, 3);
  assert.equal(first.notRun, 0);
  const stored = store.loadRuns(id);
  assert.equal(stored.length, 3);
  // Resumed with a second repeat: the runs read back count in progress as they did when run.
  const costUsd = stored.reduce((sum, r) => sum + (r.metrics.totals.costUsd ?? 0), 0);
  let start: { done: number; failed: number; costUsd: number | null } | undefined;
  const second = await runBenchmark({
    graph: toyGraph(),
    inputs: inputs(texts),
    repeats: 2,
    log: store.runLog(id),
    resume: true,
    retainRecords: false,
    onProgress: (p) => void (start ??= { done: p.done, failed: p.failed, costUsd: p.costUsd }),
  });
  assert.deepEqual(start, { done: 3, failed: 1, costUsd });
  assert.deepEqual(second.records, []);
  assert.equal(second.resumed, 3);
  assert.equal(second.finishedRuns, 6);
  assert.equal(second.notRun, 0);
  assert.equal(store.countRuns(id), 6);
});
