/**
 * One results store, many processes: real SQLite files written by real subprocesses at once. A
 * fresh store opened by several processes together, a writer that waits out another's long
 * transaction, leases that refuse a second writer and are taken over from a killed one, counts
 * that tell a damaged store from a whole one, and reads that never pass a damaged page off as
 * fewer rows.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { runBenchmark } from "../benchmark/runner.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import {
  BenchmarkLeasedError,
  LeaseLostError,
  type NewBenchmark,
  openResultsStore,
  StoreBusyError,
  StoreDamagedError,
} from "../store/mod.ts";
import { toyGraph, type ToyInput } from "./support/toy_graph.ts";
import {
  ATTEMPTS_VERSION,
  downgradeTo,
  versionOf,
  withoutAttempts,
} from "./support/store_versions.ts";

const PROCESS = new URL("./fixtures/store_process.ts", import.meta.url).pathname;

/** Starts the store fixture process; resolves once it printed `ready`. */
async function startProcess(...args: string[]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", PROCESS, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  let text = "";
  while (!text.includes("ready\n")) {
    const { value, done } = await reader.read();
    if (done) {
      const { stderr } = await child.output().catch(() => ({ stderr: new Uint8Array() }));
      throw new Error(`store process ended before ready: ${new TextDecoder().decode(stderr)}`);
    }
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return child;
}

function newBenchmark(overrides: Partial<NewBenchmark> = {}): NewBenchmark {
  return {
    label: null,
    startedAt: new Date().toISOString(),
    gitCommit: null,
    settings: {},
    meta: {},
    plannedRuns: 3,
    shard: null,
    ...overrides,
  };
}

/** Three real records of the toy graph (two stages, two calls each). */
async function toyRecords(): Promise<RunRecord[]> {
  const inputs = ["alpha", "beta", "gamma"].map((text, i) => ({
    id: `t${i}`,
    input: { text } as ToyInput,
  }));
  return (await runBenchmark({ graph: toyGraph(), inputs })).records;
}

Deno.test("store: six processes open one fresh store at once and all create their benchmarks", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  const at = String(Date.now() + 1500); // after every process has started
  const children = Array.from(
    { length: 6 },
    () =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", PROCESS, "create", path, "5", at],
        stdout: "piped",
        stderr: "piped",
      }).output(),
  );
  const outputs = await Promise.all(children);
  for (const output of outputs) {
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  }
  using store = openResultsStore(path);
  assert.equal(store.listBenchmarks().length, 30);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("store: a writer waits out another process's 6 s transaction, then stores its run", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  const records = await toyRecords();
  using store = openResultsStore(path);
  const id = store.createBenchmark(newBenchmark());
  const holder = await startProcess("lock", path, "6");
  const started = performance.now();
  const log = store.runLog(id);
  // Meanwhile the event loop runs: the writer waits between tries, it does not block.
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 100);
  await log.append(records[0]);
  clearInterval(ticker);
  const waitedMs = performance.now() - started;
  assert.ok(waitedMs > 4000, `waited ${waitedMs} ms`);
  assert.ok(ticks > 20, `${ticks} ticks while waiting`);
  assert.equal(store.countRuns(id), 1);
  assert.equal((await holder.output()).code, 0);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("store: past its lock wait, a writer fails with one line saying the store stayed locked", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  const records = await toyRecords();
  using store = openResultsStore(path, { lockWaitMs: 1500 });
  const id = store.createBenchmark(newBenchmark());
  const holder = await startProcess("lock", path, "60");
  await assert.rejects(
    () => store.runLog(id).append(records[0]),
    (error) =>
      error instanceof StoreBusyError && !error.message.includes("\n") &&
      new RegExp(`^the results store ${path} stayed locked by another process for [12] s$`)
        .test(error.message),
  );
  assert.throws(() => store.createBenchmark(newBenchmark()), StoreBusyError);
  holder.kill("SIGKILL"); // a killed writer's lock goes with it
  await holder.output();
  assert.equal(store.countRuns(id), 0);
  store.createBenchmark(newBenchmark()); // once released, writes go through
  await Deno.remove(dir, { recursive: true });
});

Deno.test("store: a benchmark's lease refuses a second writer, naming the process and host", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  let id: string;
  {
    using store = openResultsStore(path);
    id = store.createBenchmark(newBenchmark());
  }
  const holder = await startProcess("lease", path, id);
  try {
    using store = openResultsStore(path);
    assert.throws(
      () => store.acquireLease(id, "bench --resume"),
      (error) =>
        error instanceof BenchmarkLeasedError && error.lease.pid === holder.pid &&
        new RegExp(
          `^benchmark ${id} is being written by process ${holder.pid} on \\S+ ` +
            `\\(test holder, heartbeat \\d+ s ago\\)$`,
        ).test(error.message),
    );
    assert.equal(store.liveLease(id)?.pid, holder.pid);
    // Killed, its lease is stale at once (its process is gone from this host): taken over.
    holder.kill("SIGKILL");
    await holder.status;
    assert.equal(store.liveLease(id), null);
    using lease = store.acquireLease(id, "bench --resume");
    assert.equal(store.liveLease(id)?.pid, Deno.pid);
    assert.equal(lease.renew(), true);
  } finally {
    try {
      holder.kill("SIGKILL");
    } catch { /* already gone */ }
    await holder.output().catch(() => {});
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("store: a lease from another host is stale once its heartbeat is older than the stale time", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  using store = openResultsStore(path, { leaseStaleMs: 30_000 });
  const id = store.createBenchmark(newBenchmark());
  // A process on another host (the store on a shared disk) holds it: its row, no lock here.
  const other = new DatabaseSync(path);
  const beat = (agoMs: number) =>
    other.prepare(
      `INSERT OR REPLACE INTO leases VALUES (?, 'other', 4242, 'build-7', 'bench',
        '2026-01-01T00:00:00.000Z', ?)`,
    ).run(id, Date.now() - agoMs);
  beat(1000);
  assert.throws(
    () => store.acquireLease(id, "bench --resume"),
    new RegExp(
      `^BenchmarkLeasedError: benchmark ${id} is being written by process 4242 on build-7`,
    ),
  );
  assert.equal(store.liveLease(id)?.host, "build-7");
  beat(31_000);
  assert.equal(store.liveLease(id), null);
  using _lease = store.acquireLease(id, "bench --resume");
  assert.equal(store.liveLease(id)?.pid, Deno.pid);
  other.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("store: a writer whose lease was taken over stores nothing more", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  const records = await toyRecords();
  using store = openResultsStore(path);
  const id = store.createBenchmark(newBenchmark());
  const mine = store.acquireLease(id, "bench");
  await store.runLog(id, mine).append(records[0]);
  // A process on another host found this one's heartbeat stale and took the lease over.
  const other = new DatabaseSync(path);
  other.prepare(
    "UPDATE leases SET holder = 'other', pid = 4242, host = 'build-7', heartbeat_at = ?",
  ).run(Date.now());
  other.close();
  await assert.rejects(
    () => store.runLog(id, mine).append(records[1]),
    (error) =>
      error instanceof LeaseLostError &&
      error.message ===
        `benchmark ${id} was taken over by process 4242 on build-7 (bench, heartbeat 0 s ago) ` +
          "while this process stalled",
  );
  assert.equal(mine.renew(), false);
  assert.equal(store.countRuns(id), 1);
  mine.release();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("store: a live process on this host keeps its lease even when its heartbeat is old", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  let id: string;
  {
    using store = openResultsStore(path);
    id = store.createBenchmark(newBenchmark());
  }
  const holder = await startProcess("lease", path, id);
  try {
    // Its event loop stalled for a minute (a node in a CPU loop): alive, so not taken over.
    const db = new DatabaseSync(path);
    db.prepare("UPDATE leases SET heartbeat_at = ?").run(Date.now() - 60_000);
    db.close();
    using store = openResultsStore(path);
    assert.throws(() => store.acquireLease(id, "bench --resume"), BenchmarkLeasedError);
    assert.equal(store.liveLease(id)?.pid, holder.pid);
  } finally {
    holder.kill("SIGKILL");
    await holder.output().catch(() => {});
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("store: the cheap check tells rows deleted or left behind from a whole store", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  const records = await toyRecords();
  let id: string;
  {
    using store = openResultsStore(path);
    id = store.createBenchmark(newBenchmark());
    store.appendRuns(id, records);
    store.appendStoppedRun(id, records[0], "interrupted");
    store.checkCounts();
    assert.deepEqual(store.check().problems, []);
  }
  const db = new DatabaseSync(path);
  db.exec("DELETE FROM calls WHERE input_id = 't1' AND position = 1");
  db.close();
  using store = openResultsStore(path);
  assert.throws(
    () => store.checkCounts(),
    (error) =>
      error instanceof StoreDamagedError &&
      error.message === `the results store ${path} is damaged: benchmark ${id} recorded 6 calls, ` +
          "5 are stored",
  );
  assert.deepEqual(store.check().problems, [`benchmark ${id} recorded 6 calls, 5 are stored`]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("store: 8 KB of random bytes in the middle is damage, never fewer rows", async () => {
  const dir = await Deno.makeTempDir();
  const whole = `${dir}/whole.db`;
  const records = await toyRecords();
  let id: string;
  {
    using store = openResultsStore(whole);
    id = store.createBenchmark(newBenchmark({ plannedRuns: 3 * 400 }));
    // ~170 pages of runs, stages and calls, interleaved as they grew.
    for (let i = 0; i < 400; i++) {
      store.appendRuns(id, records.map((r) => ({ ...r, inputId: `${r.inputId}-${i}` })));
    }
  }
  const size = (await Deno.stat(whole)).size;
  const damaged = (path: string) => (error: unknown) =>
    error instanceof StoreDamagedError && !error.message.includes("\n") &&
    error.message.startsWith(`the results store ${path} is damaged`);
  let shown = 0;
  // Around the middle, at five places: each read either throws or returns every row.
  for (const at of [0.4, 0.45, 0.5, 0.55, 0.6]) {
    const path = `${dir}/damaged-${at}.db`;
    await Deno.copyFile(whole, path);
    const file = await Deno.open(path, { write: true });
    await file.seek(Math.floor(size * at / 4096) * 4096 + 1000, Deno.SeekMode.Start);
    // The same "random" bytes every time, so the test damages the same way.
    let state = 42;
    const noise = Uint8Array.from(
      { length: 8192 },
      () => (state = (state * 1103515245 + 12345) >>> 0) >>> 24,
    );
    await file.write(noise);
    file.close();
    using store = openResultsStore(path);
    assert.throws(() => store.checkPages(), damaged(path));
    const reads: [string, () => number | null][] = [
      ["counts", () => (store.checkCounts(), null)],
      ["runs", () => store.readRuns(id).records.length],
      ["calls", () => [...store.iterateCalls(id)].length],
    ];
    for (const [what, read] of reads) {
      try {
        const count = read();
        if (what === "runs") assert.equal(count, 1200, `${at}: runs`);
        if (what === "calls") assert.equal(count, 2400, `${at}: calls`);
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        assert.ok(damaged(path)(error), `${at} ${what}: ${error}`);
        shown++;
      }
    }
    assert.ok(store.check().problems.length > 0);
  }
  assert.ok(shown >= 3, `the damage showed in ${shown} reads`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("store: a store from before the recorded counts and leases migrates in place: its runs kept, their counts recorded", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  const records = await toyRecords();
  let id: string;
  {
    using store = openResultsStore(path);
    id = store.createBenchmark(newBenchmark());
    store.appendRuns(id, records);
  }
  // Back to what the version before wrote: no recorded counts, leases or stopped runs (nor the
  // migrations after it).
  const mine = versionOf("CREATE TABLE leases") - 1;
  const db = new DatabaseSync(path);
  db.exec(downgradeTo(mine));
  db.close();
  using store = openResultsStore(path);
  assert.deepEqual(
    store.loadRuns(id),
    ATTEMPTS_VERSION > mine ? records.map(withoutAttempts) : records,
  );
  store.checkCounts();
  const row = new DatabaseSync(path).prepare(
    "SELECT recorded_runs, recorded_calls FROM benchmarks WHERE id = ?",
  ).get(id) as { recorded_runs: number; recorded_calls: number };
  assert.deepEqual({ ...row }, { recorded_runs: 3, recorded_calls: 6 });
  await Deno.remove(dir, { recursive: true });
});
