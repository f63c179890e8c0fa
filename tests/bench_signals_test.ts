/**
 * The CLI as a real process: Ctrl-C (SIGINT) exits 130 with a hint that works verbatim, and a
 * SIGKILL mid-run loses nothing already recorded; `--resume` then finishes the benchmark.
 */
import assert from "node:assert/strict";
import { BenchmarkResult } from "../benchmarker/benchmark_result.ts";
import { parseRunLog } from "../benchmarker/run_log.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const BENCH = ["run", "--allow-read", "--allow-write=reports", "--allow-env", "--allow-net"];

/** Starts the CLI in the repository root with the bench task's permissions. */
function startBench(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [...BENCH, "--allow-sys", "--allow-run=git", "scripts/bench.ts", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
}

/** Waits until the run log holds at least `count` complete records (or 60 s pass). */
async function untilRecords(path: string, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if (parseRunLog(await Deno.readTextFile(path)).records.length >= count) return;
    } catch { /* not created yet */ }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${path}: fewer than ${count} records after 60 s`);
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
const TRANSCRIPT = "benchmarker/workload/transcripts/lecture.txt";

for (const signal of ["SIGINT", "SIGKILL"] as const) {
  Deno.test(`signals: ${signal} mid-benchmark, then --resume finishes it, nothing lost`, async () => {
    const out = `reports/test-signals-${crypto.randomUUID()}`;
    try {
      const child = startBench([...ARGS, TRANSCRIPT, "--out", out, "--seed", "9"]);
      await untilRecords(`${ROOT}/${out}/runs.jsonl`, 1);
      child.kill(signal);
      const status = await child.status;
      const stderr = new TextDecoder().decode((await child.output().catch(() => null))?.stderr);
      const recorded = parseRunLog(await Deno.readTextFile(`${ROOT}/${out}/runs.jsonl`));
      assert.ok(recorded.records.length >= 1 && recorded.records.length < 3);
      let hint = `deno task bench --resume --out ${out}`;
      if (signal === "SIGINT") {
        assert.equal(status.code, 130);
        const line = stderr.split("\n").find((l) => l.startsWith("interrupted:")) ?? "";
        assert.equal(
          line,
          `interrupted: finished runs are in ${out}/runs.jsonl; continue with ${hint}`,
        );
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
      // What was recorded before the signal is kept as it was.
      assert.deepEqual(result.runs.slice(0, recorded.records.length), recorded.records);
    } finally {
      await Deno.remove(`${ROOT}/${out}`, { recursive: true }).catch(() => {});
    }
  });
}
