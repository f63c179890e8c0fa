import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { type BenchmarkEvent, runBenchmark } from "../benchmark/runner.ts";
import { openResultsStore, SCHEMA_VERSION, StoreError } from "../store/mod.ts";
import { runBenchCli } from "../cli/bench.ts";
import { runHistoryCli } from "../cli/history.ts";
import { runCompareCli } from "../cli/compare.ts";
import { toyGraph, type ToyInput } from "./support/toy_graph.ts";

const inputs = ["alpha", "beta", "gamma"].map((text, i) => ({
  id: `t${i}`,
  input: { text } as ToyInput,
}));

/** A store file holding 3 inputs x 2 repeats of the toy graph (two stages, two calls a run). */
async function storeWithRuns(): Promise<{ dir: string; path: string; id: string }> {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  using store = openResultsStore(path);
  const id = store.createBenchmark({
    label: null,
    startedAt: "2026-01-01T00:00:00.000Z",
    gitCommit: null,
    settings: {},
    meta: {},
    plannedRuns: 6,
    shard: null,
  });
  await runBenchmark({ graph: toyGraph(), inputs, repeats: 2, log: store.runLog(id) });
  assert.equal(store.countRuns(id), 6);
  return { dir, path, id };
}

/** Corrupts rows with plain SQL, as any SQLite client (or a bad disk) could. */
function corrupt(path: string, sql: string): void {
  const db = new DatabaseSync(path);
  db.exec(sql);
  db.close();
}

const CORRUPTIONS = `
  UPDATE calls SET cost_breakdown_json = '{"input": 0.1, ' WHERE input_id = 't0' AND repeat = 0
    AND position = 1;
  UPDATE stages SET execution_spans_json = 'null' WHERE input_id = 't1' AND repeat = 0
    AND position = 0;
  UPDATE runs SET status = 'exploded' WHERE input_id = 't2' AND repeat = 1;
  UPDATE calls SET latency_ms = 'fast' WHERE input_id = 't0' AND repeat = 1 AND position = 0;
`;

Deno.test("store: runs with unreadable rows are reported once, skipped and made again by a resume", async () => {
  const { dir, path, id } = await storeWithRuns();
  corrupt(path, CORRUPTIONS);
  using store = openResultsStore(path);
  const unreadable = store.readRuns(id).unreadable.map((run) =>
    `${run.inputId}#${run.repeat} ${run.column}`
  );
  assert.deepEqual(unreadable.sort(), [
    "t0#0 calls.cost_breakdown_json of call 1",
    "t0#1 calls.latency_ms of call 0",
    "t1#0 stages.execution_spans_json of stage summarize",
    "t2#1 runs.status",
  ]);
  // Read for a report, such a benchmark is one line naming the run and the column.
  assert.throws(
    () => store.loadRuns(id),
    (error) =>
      error instanceof StoreError && !error.message.includes("\n") &&
      /: run \S+ cannot be read back \(\S+ .*\) and 3 more; resume the benchmark/.test(
        error.message,
      ),
  );

  const events: BenchmarkEvent[] = [];
  const invoked: string[] = [];
  const resumed = await runBenchmark({
    graph: toyGraph({ onStart: (text) => void invoked.push(text) }),
    inputs,
    repeats: 2,
    log: store.runLog(id),
    resume: true,
    onEvent: (event) => events.push(event),
  });
  // Reported once, with every skipped run named by its location and column.
  assert.equal(events.length, 1);
  const [event] = events;
  assert.equal(event.kind, "log-records-skipped");
  assert.deepEqual(
    event.kind === "log-records-skipped" ? event.skipped.map((s) => s.location).sort() : [],
    ["t0#0", "t0#1", "t1#0", "t2#1"].map((run) => `${path} run ${run}`),
  );
  const reasons = event.kind === "log-records-skipped" ? event.skipped.map((s) => s.reason) : [];
  assert.ok(reasons.includes("calls.cost_breakdown_json of call 1: not JSON"), reasons.join());
  assert.ok(reasons.some((r) => /^runs\.status: .*"ok"/.test(r)), reasons.join());
  assert.ok(reasons.some((r) => /^calls\.latency_ms of call 0: .*number/.test(r)), reasons.join());
  assert.ok(reasons.some((r) => /^stages\.execution_spans_json of stage summarize: /.test(r)));
  // Their runs (and only theirs) were made again, replacing the unreadable rows.
  assert.deepEqual(invoked.sort(), ["alpha", "alpha", "beta", "gamma"]);
  assert.equal(resumed.resumed, 2);
  assert.equal(resumed.records.length, 6);
  assert.equal(store.countRuns(id), 6);
  assert.deepEqual(store.readRuns(id).unreadable, []);
  assert.deepEqual(
    store.loadRuns(id).map((r) => `${r.inputId}#${r.repeat}`).sort(),
    ["t0#0", "t0#1", "t1#0", "t1#1", "t2#0", "t2#1"],
  );

  // A second resume has nothing to report and nothing to run.
  const again: BenchmarkEvent[] = [];
  const second = await runBenchmark({
    graph: toyGraph({ onStart: (text) => void invoked.push(`again ${text}`) }),
    inputs,
    repeats: 2,
    log: store.runLog(id),
    resume: true,
    onEvent: (e) => again.push(e),
  });
  assert.deepEqual(again, []);
  assert.equal(second.resumed, 6);
  assert.equal(invoked.length, 4);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("store: a run deleted without its stages and calls (foreign keys off) is made again", async () => {
  const { dir, path, id } = await storeWithRuns();
  // sqlite3 runs without foreign keys by default: deleting a run leaves its stages and calls.
  corrupt(path, "PRAGMA foreign_keys = OFF; DELETE FROM runs WHERE input_id = 't1' AND repeat = 1");
  corrupt(path, "UPDATE runs SET wall_time_ms = 'slow' WHERE input_id = 't2' AND repeat = 0");
  using store = openResultsStore(path);
  const log = store.runLog(id);
  const { skipped } = await log.load();
  assert.deepEqual(skipped.sort((a, b) => a.location.localeCompare(b.location)), [
    { location: `${path} run t1#1`, reason: "runs: no row, yet stages rows are left" },
    {
      location: `${path} run t2#0`,
      reason: "runs.wall_time_ms: Invalid input: expected number, received string",
    },
  ]);
  const invoked: string[] = [];
  await runBenchmark({
    graph: toyGraph({ onStart: (text) => void invoked.push(text) }),
    inputs,
    repeats: 2,
    log,
    resume: true,
  });
  assert.deepEqual(invoked.sort(), ["beta", "gamma"]);
  assert.equal(store.countRuns(id), 6);
  assert.equal(store.loadRuns(id).length, 6);
  await Deno.remove(dir, { recursive: true });
});

function capture() {
  const io = { stdout: "", stderr: "" };
  return {
    io,
    cli: { out: (t: string) => (io.stdout += t), err: (t: string) => (io.stderr += t) },
    bench: {
      out: (t: string) => (io.stdout += t),
      err: (t: string) => (io.stderr += t),
      errIsTerminal: false,
      env: () => undefined,
    },
  };
}

const SCALE_GRAPH = new URL("./fixtures/scale_graph.ts", import.meta.url).pathname;

Deno.test("cli: --resume warns once about an unreadable run, names it, and makes it again", async () => {
  const dir = await Deno.makeTempDir();
  const dataset = `${dir}/dataset.jsonl`;
  await Deno.writeTextFile(
    dataset,
    ["a", "b", "c"].map((id) => JSON.stringify({ id, inputs: { text: id } })).join("\n"),
  );
  const db = `${dir}/graphmeter.db`;
  const args = ["--graph", `${SCALE_GRAPH}:graph`, "--dataset", dataset, "--db", db];
  const first = capture();
  assert.equal(
    await runBenchCli([...args, "--runs", "2", "--out", `${dir}/one`], first.bench),
    0,
    first.io.stderr,
  );
  corrupt(db, "UPDATE calls SET cost_missing_json = '[' WHERE input_id = 'b' AND repeat = 1");
  const resumed = capture();
  assert.equal(
    await runBenchCli([...args, "--runs", "2", "--resume", "--out", `${dir}/two`], resumed.bench),
    0,
    resumed.io.stderr,
  );
  const warnings = resumed.io.stderr.split("\n").filter((line) => line.startsWith("warning"));
  assert.deepEqual(warnings, [
    `warning: --resume: skipped 1 unreadable record(s) (${db} run b#1: ` +
    "calls.cost_missing_json of call 0: not JSON); their runs are made again",
  ]);
  using store = openResultsStore(db);
  const id = store.resolveBenchmark("latest");
  assert.equal(store.loadRuns(id).length, 6);
  assert.match(resumed.io.stderr, /: 6 runs stored in /);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("cli: a --db that is not a results store, or is a newer one, is one line and exit 2", async () => {
  const dir = await Deno.makeTempDir();
  const text = `${dir}/notes.db`;
  await Deno.writeTextFile(text, "not a database at all, just some text here\n".repeat(20));
  const other = `${dir}/other.db`;
  corrupt(other, "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x')");
  const newer = `${dir}/newer.db`;
  openResultsStore(newer).close();
  corrupt(newer, `PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
  const cases: [string, RegExp][] = [
    [
      text,
      /cannot open the results store .*notes\.db: file is not a database; choose another --db/,
    ],
    [other, /other\.db is a SQLite database but not a graphmeter results store/],
    [newer, new RegExp(`schema version ${SCHEMA_VERSION + 1}, newer than this graphmeter's`)],
  ];
  for (const [db, message] of cases) {
    const bench = capture();
    const code = await runBenchCli(["--db", db, "--runs", "1", "--out", `${dir}/out`], bench.bench);
    assert.equal(code, 2, bench.io.stderr);
    assert.equal(bench.io.stderr.trimEnd().split("\n").length, 1, bench.io.stderr);
    assert.match(bench.io.stderr, message);
    const history = capture();
    assert.equal(await runHistoryCli(["--db", db], history.cli), 2, history.io.stderr);
    assert.equal(history.io.stderr.trimEnd().split("\n").length, 1, history.io.stderr);
    assert.match(history.io.stderr, message);
  }
  // The other application's database was not touched.
  const db = new DatabaseSync(other);
  assert.deepEqual(
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => r.name),
    ["contacts"],
  );
  db.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("compare on a store with an unreadable run: one line naming it, exit 2", async () => {
  const { dir, path, id } = await storeWithRuns();
  corrupt(path, "UPDATE runs SET status = 'exploded' WHERE input_id = 't2' AND repeat = 1;");
  let out = "";
  let err = "";
  const code = await runCompareCli([id, id, "--db", path], {
    out: (text) => (out += text),
    err: (text) => (err += text),
  });
  assert.equal(code, 2);
  assert.equal(out, "");
  assert.equal(err.trim().split("\n").length, 1);
  assert.match(err, /t2#1.*runs\.status/);
  // Nothing may still hold the store when the command has returned.
  await Deno.remove(dir, { recursive: true });
});
