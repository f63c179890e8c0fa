/**
 * The CLI as a real process: SIGINT (Ctrl-C), SIGTERM (a CI cancel) and SIGHUP (a closed
 * terminal) each print one line with a hint that works verbatim and exit 128 + the signal's
 * number, whether they come while runs go on or while the report is written; the runs in flight
 * are stored as stopped with what their calls cost; nothing half-written is left; a SIGKILL
 * mid-run loses nothing already recorded. `--resume` then finishes the benchmark.
 */
import assert from "node:assert/strict";
import { BenchmarkResult } from "../benchmark/result/benchmark_result.ts";
import { DatabaseSync } from "node:sqlite";
import { startWatched } from "./support/watched_process.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const BENCH = ["run", "--allow-read", "--allow-write=reports", "--allow-env", "--allow-net"];
const SCALE_GRAPH = "tests/fixtures/scale_graph.ts:graph";

/** Starts the CLI in the repository root with the bench task's permissions. */
function startBench(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [...BENCH, "--allow-sys", "--allow-run", "cli/bench.ts", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
}

/** One number from a results store (0 while it does not exist yet). */
function storedCount(path: string, sql: string): number {
  try {
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      return (db.prepare(sql).get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}
const storedRuns = (path: string) => storedCount(path, "SELECT count(*) AS n FROM runs");

/** Waits until the store holds at least `count` runs (or 60 s pass). */
async function untilStored(path: string, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (storedRuns(path) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${path}: fewer than ${count} runs after 60 s`);
}

/** Runs a command line given as one string (the hint), split at spaces. */
async function runHint(hint: string) {
  const [program, ...args] = hint.split(" ");
  assert.equal(program, "deno");
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: text(output.stdout), stderr: text(output.stderr) };
}

/** A temporary output folder and store under reports/ (the task may write there). */
function workspace() {
  const out = `reports/test-signals-${crypto.randomUUID()}`;
  return {
    out,
    db: `${out}.db`,
    async [Symbol.asyncDispose]() {
      await Deno.remove(`${ROOT}/${out}`, { recursive: true }).catch(() => {});
      for (const entry of Deno.readDirSync(`${ROOT}/reports`)) {
        if (entry.name.startsWith(`${out.slice("reports/".length)}.db`)) {
          await Deno.remove(`${ROOT}/reports/${entry.name}`).catch(() => {});
        }
      }
    },
  };
}

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
const ARGS = ["--runs", "3", "--concurrency", "1", "--input"];
const TRANSCRIPT = "workload/transcripts/lecture.txt";

/** The line a signal printed, and the hint it ends with (run through the task's own command). */
function interruptedHint(stderr: string, signal: string): { line: string; hint: string } {
  const line = stderr.split("\n").find((l) => l.startsWith("interrupted")) ?? "";
  assert.match(line, new RegExp(`^interrupted \\(${signal}\\): `), stderr);
  const hint = /continue (?:both )?with (.*)$/.exec(line)?.[1] ?? "";
  const task = JSON.parse(Deno.readTextFileSync(`${ROOT}/deno.json`)).tasks.bench;
  return { line, hint: hint.replace("deno task bench", task) };
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP", "SIGKILL"] as const) {
  Deno.test(`signals: ${signal} mid-benchmark, then --resume finishes it, nothing lost`, async () => {
    await using ws = workspace();
    const child = startBench([...ARGS, TRANSCRIPT, "--out", ws.out, "--db", ws.db, "--seed", "9"]);
    const output = child.output(); // read as it comes: a full pipe would block the CLI
    await untilStored(`${ROOT}/${ws.db}`, 1);
    child.kill(signal);
    const { code, stderr: bytes } = await output;
    const stderr = new TextDecoder().decode(bytes);
    const recorded = storedRuns(`${ROOT}/${ws.db}`);
    assert.ok(recorded >= 1 && recorded < 3, `${recorded} runs stored`);
    const [id] = [
      ...new DatabaseSync(`${ROOT}/${ws.db}`, { readOnly: true })
        .prepare("SELECT id FROM benchmarks").all(),
    ].map((row) => String(row.id));
    let hint = `${JSON.parse(Deno.readTextFileSync(`${ROOT}/deno.json`)).tasks.bench} ` +
      `--resume ${id} --db ${ws.db} --out ${ws.out}`;
    if (signal !== "SIGKILL") {
      assert.equal(code, EXIT_CODES[signal]);
      const stopped = storedCount(`${ROOT}/${ws.db}`, "SELECT count(*) AS n FROM stopped_runs");
      const printed = interruptedHint(stderr, signal);
      // One line; the run in flight is kept as stopped, its calls' cost with it.
      assert.equal(
        printed.line,
        `interrupted (${signal}): finished runs are stored in ${ws.db}` +
          (stopped > 0 ? `, ${stopped} run(s) stopped in flight with what their calls cost` : "") +
          `; continue with deno task bench --resume ${id} --db ${ws.db} --out ${ws.out}`,
      );
      assert.equal(stderr.split("\n").filter((l) => /interrupted|error/i.test(l)).length, 1);
      hint = printed.hint;
    }
    const resumed = await runHint(hint);
    assert.equal(resumed.code, 0, resumed.stderr);
    const result = BenchmarkResult.parse(
      JSON.parse(await Deno.readTextFile(`${ROOT}/${ws.out}/metrics.json`)),
    );
    assert.deepEqual(result.runs.map((r) => r.repeat), [0, 1, 2]);
    assert.equal(result.aggregates.failedRuns, 0);
    // The same seed: the resumed runs repeat the first one's tokens exactly.
    assert.ok(result.runs.every((r) => r.inputTokens === result.runs[0].inputTokens));
  });
}

Deno.test("signals: SIGTERM while the report is written leaves no report and no temporary file", async () => {
  await using ws = workspace();
  const dataset = `${ROOT}/${ws.out}-dataset.jsonl`;
  await Deno.writeTextFile(
    dataset,
    Array.from({ length: 2500 }, (_, i) => JSON.stringify({ inputs: { text: `text ${i}` } }))
      .join("\n"),
  );
  try {
    // The signal must land while the report (~0.4 s) is written: the test sends it as soon as the
    // last run's progress line comes; on a loaded machine the report may still be done first,
    // and then the test tries again with a new store.
    for (let attempt = 1;; attempt++) {
      const db = `${ws.db}-${attempt}`;
      const bench = startWatched(Deno.execPath(), {
        args: [
          ...BENCH,
          ...["--allow-sys", "--allow-run", "cli/bench.ts", "--graph", SCALE_GRAPH],
          ...["--dataset", dataset, "--concurrency", "8", "--out", ws.out, "--db", db],
        ],
        cwd: ROOT,
        env: { NO_COLOR: "1" },
      });
      // Every run stored: the command is writing the report now.
      await bench.line(/^2500\/2500 runs/);
      bench.child.kill("SIGTERM");
      const { code, stderr } = await bench.output;
      const files = () => [...Deno.readDirSync(`${ROOT}/${ws.out}`)].map((e) => e.name).sort();
      const whole = ["metrics.json", "report.html", "report.md"];
      // Landed after the three files were in place (the command was ending): whole, and tried
      // again; before: none of them, and no temporary file. Never part of the report.
      if (attempt < 3 && (code === 0 || files().length > 0)) {
        assert.deepEqual(files(), whole);
        await Deno.remove(`${ROOT}/${ws.out}`, { recursive: true });
        continue;
      }
      assert.equal(code, 143, stderr);
      const { hint } = interruptedHint(stderr, "SIGTERM");
      assert.deepEqual(files(), []);
      // The hint writes the report (nothing left to run).
      const resumed = await runHint(hint);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stderr, /: 2500 runs stored in /);
      assert.deepEqual(
        [...Deno.readDirSync(`${ROOT}/${ws.out}`)].map((e) => e.name).sort(),
        ["metrics.json", "report.html", "report.md"],
      );
      break;
    }
  } finally {
    await Deno.remove(dataset).catch(() => {});
  }
});

Deno.test("signals: SIGINT during --interleave stops both sides, names both; its hint finishes both, interleaved", async () => {
  await using ws = workspace();
  const child = startBench([
    ...ARGS,
    TRANSCRIPT,
    "--interleave",
    "simulated:gpt-4.1-nano",
    "--out",
    ws.out,
    "--db",
    ws.db,
  ]);
  const output = child.output();
  await untilStored(`${ROOT}/${ws.db}`, 2);
  child.kill("SIGINT");
  const { code, stderr: bytes } = await output;
  const stderr = new TextDecoder().decode(bytes);
  assert.equal(code, 130);
  const db = new DatabaseSync(`${ROOT}/${ws.db}`, { readOnly: true });
  // The baseline is stored first: its id is the earlier row.
  const [baseline, candidate] = db.prepare(
    `SELECT b.id, (SELECT count(*) FROM stopped_runs s WHERE s.benchmark_id = b.id) AS stopped
     FROM benchmarks b ORDER BY b.rowid`,
  ).all().map((row) => ({ id: String(row.id), stopped: Number(row.stopped) }));
  const leases = (db.prepare("SELECT count(*) AS n FROM leases").get() as { n: number }).n;
  db.close();
  const { line, hint } = interruptedHint(stderr, "SIGINT");
  assert.equal(
    line,
    `interrupted (SIGINT): finished runs are stored in ${ws.db}` +
      (candidate.stopped > 0
        ? `, ${candidate.stopped} run(s) stopped in flight with what their calls cost`
        : "") +
      `, and those of the interleaved baseline ${baseline.id} (${baseline.stopped} stopped in ` +
      `flight); continue both with deno task bench --resume ${candidate.id} --db ${ws.db} ` +
      `--out ${ws.out}`,
  );
  assert.equal(leases, 0, "both sides' leases are released");
  // The hint goes on with both sides, interleaved, and compares them.
  const resumed = await runHint(hint);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`baseline ${baseline.id}: 3 runs interleaved with them`));
  const after = new DatabaseSync(`${ROOT}/${ws.db}`, { readOnly: true });
  const runs = after.prepare(
    "SELECT benchmark_id AS id, count(*) AS n FROM runs GROUP BY benchmark_id ORDER BY id",
  ).all().map((row) => [String(row.id), Number(row.n)]);
  after.close();
  assert.deepEqual(runs, [[baseline.id, 3], [candidate.id, 3]].sort());
  assert.match(resumed.stdout, /runs paired by input and repeat \(3 pairs\)/);
  assert.match(resumed.stdout, /The two sides ran interleaved, in one time window\./);
});
