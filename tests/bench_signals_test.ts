/**
 * The CLI as a real process: Ctrl-C (SIGINT) exits 130 with a hint that works verbatim, and a
 * SIGKILL mid-run loses nothing already recorded; `--resume` then finishes the benchmark.
 */
import assert from "node:assert/strict";
import { BenchmarkResult } from "../benchmark/result/benchmark_result.ts";
import { DatabaseSync } from "node:sqlite";

const ROOT = new URL("..", import.meta.url).pathname;
const BENCH = ["run", "--allow-read", "--allow-write=reports", "--allow-env", "--allow-net"];

/** Starts the CLI in the repository root with the bench task's permissions. */
function startBench(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [...BENCH, "--allow-sys", "--allow-run=git", "cli/bench.ts", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
}

/** The runs stored in a results store, by repeat (0 while it does not exist yet). */
function storedRuns(path: string): number {
  try {
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM runs").get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/** Waits until the store holds at least `count` runs (or 60 s pass). */
async function untilStored(path: string, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (storedRuns(path) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
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
  return { code: output.code, stderr: new TextDecoder().decode(output.stderr) };
}

const ARGS = ["--runs", "3", "--concurrency", "1", "--input"];
const TRANSCRIPT = "workload/transcripts/lecture.txt";

for (const signal of ["SIGINT", "SIGKILL"] as const) {
  Deno.test(`signals: ${signal} mid-benchmark, then --resume finishes it, nothing lost`, async () => {
    const out = `reports/test-signals-${crypto.randomUUID()}`;
    const db = `${out}.db`;
    try {
      const child = startBench([...ARGS, TRANSCRIPT, "--out", out, "--db", db, "--seed", "9"]);
      await untilStored(`${ROOT}/${db}`, 1);
      child.kill(signal);
      const { code, stderr: bytes } = await child.output();
      const stderr = new TextDecoder().decode(bytes);
      const recorded = storedRuns(`${ROOT}/${db}`);
      assert.ok(recorded >= 1 && recorded < 3, `${recorded} runs stored`);
      let hint = `deno task bench --resume --db ${db} --out ${out}`;
      if (signal === "SIGINT") {
        assert.equal(code, 130);
        const line = stderr.split("\n").find((l) => l.startsWith("interrupted:")) ?? "";
        assert.equal(line, `interrupted: finished runs are stored in ${db}; continue with ${hint}`);
        // The hint, verbatim (the task's own command line).
        hint = line.slice(line.indexOf("continue with ") + "continue with ".length);
      }
      const task = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)).tasks.bench;
      const resumed = await runHint(hint.replace("deno task bench", task));
      assert.equal(resumed.code, 0, resumed.stderr);
      const result = BenchmarkResult.parse(
        JSON.parse(await Deno.readTextFile(`${ROOT}/${out}/metrics.json`)),
      );
      assert.deepEqual(result.runs.map((r) => r.repeat), [0, 1, 2]);
      assert.equal(result.aggregates.failedRuns, 0);
      // The same seed: the resumed runs repeat the first one's tokens exactly.
      assert.ok(result.runs.every((r) => r.inputTokens === result.runs[0].inputTokens));
    } finally {
      await Deno.remove(`${ROOT}/${out}`, { recursive: true }).catch(() => {});
      for (const suffix of ["", "-wal", "-shm"]) {
        await Deno.remove(`${ROOT}/${db}${suffix}`).catch(() => {});
      }
    }
  });
}
