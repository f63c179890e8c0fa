/**
 * The misbehaving user graph of `tests/fixtures/user_graph/src/hostile.ts`, benchmarked as a user
 * runs it: a dataset of its modes, the CLI started in the fixture project, what it wrote, and the
 * processes still running (a worker left behind).
 *
 * @module
 */
import { BenchmarkResult } from "../../benchmark/result/benchmark_result.ts";

/** The fixture project the hostile graph lives in. */
export const FIXTURE: string = new URL("../fixtures/user_graph/", import.meta.url).pathname;

/** The bench command's module. */
export const BENCH: string = new URL("../../cli/bench.ts", import.meta.url).pathname;

/** Writes a dataset with one example per mode (its id the mode) and returns its path. */
export async function modesDataset(dir: string, modes: string[]): Promise<string> {
  const path = `${dir}/modes.jsonl`;
  await Deno.writeTextFile(
    path,
    modes.map((mode) => JSON.stringify({ id: mode, inputs: { mode } })).join("\n") + "\n",
  );
  return path;
}

/** Starts `bench` in the fixture project with every permission. */
export function startBench(args: string[], env: Record<string, string> = {}): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", BENCH, ...args],
    cwd: FIXTURE,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...env },
  }).spawn();
}

/** Waits for a started `bench`: its exit code and standard error. */
export async function finish(child: Deno.ChildProcess): Promise<{ code: number; stderr: string }> {
  const { code, stderr } = await child.output();
  return { code, stderr: new TextDecoder().decode(stderr) };
}

/** The `metrics.json` a benchmark wrote into `dir/out`. */
export async function writtenResult(dir: string): Promise<BenchmarkResult> {
  return BenchmarkResult.parse(JSON.parse(await Deno.readTextFile(`${dir}/out/metrics.json`)));
}

/** Processes whose command line holds `marker` (the worker's does: it is in its spec). */
export async function processesWith(marker: string): Promise<number[]> {
  const { stdout } = await new Deno.Command("ps", { args: ["-eo", "pid=,args="] }).output();
  return new TextDecoder().decode(stdout).split("\n")
    .filter((line) => line.includes(marker) && !line.includes(" ps -eo "))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}
