/**
 * The runner and results store of this tree against those of a git ref (default `main`), in one
 * process: a benchmark of the instant one-call graph (`tests/fixtures/scale_graph.ts`) into a
 * fresh store, then reading its runs back, old and new alternately; prints each round and the
 * medians with their ratio. This tree's run writes the way `deno task bench` does (a leased
 * benchmark, a run timeout, an abort signal), so its figure includes what sharing the store costs.
 * `deno run --allow-all tools/store_ab.ts [ref] [runs] [rounds]` (default main, 3000, 6).
 *
 * @module
 */
import { openResultsStore } from "../store/mod.ts";
import { runBenchmark } from "../benchmark/runner.ts";
import { graph } from "../tests/fixtures/scale_graph.ts";

const [ref = "main", runsText = "3000", roundsText = "6"] = Deno.args;
const runs = Number(runsText);
const rounds = Number(roundsText);

const root = new URL("..", import.meta.url).pathname;
const folder = await Deno.makeTempDir({ prefix: "graphmeter-store-ab-" });
const archive = new Deno.Command("sh", {
  args: ["-c", `git -C "$0" archive "$1" | tar -x -C "$2"`, root, ref, folder],
});
const archived = await archive.output();
if (!archived.success) {
  throw new Error(`git archive ${ref}: ${new TextDecoder().decode(archived.stderr)}`);
}
const old = {
  store: await import(`file://${folder}/store/mod.ts`),
  runner: await import(`file://${folder}/benchmark/runner.ts`),
};

const inputs = Array.from(
  { length: runs },
  (_, i) => ({ id: `in-${i}`, input: { text: `t${i}` } }),
);
const benchmark = {
  label: null,
  startedAt: new Date().toISOString(),
  gitCommit: null,
  settings: {},
  meta: {},
  plannedRuns: runs,
  shard: null,
};
const dir = await Deno.makeTempDir({ prefix: "graphmeter-store-ab-dbs-" });
const times: Record<string, { write: number[]; read: number[] }> = {
  [ref]: { write: [], read: [] },
  "this tree": { write: [], read: [] },
};

async function once(which: string, round: number): Promise<void> {
  const path = `${dir}/${which === ref ? "old" : "new"}-${round}.db`;
  const started = performance.now();
  let read: number;
  if (which === ref) {
    const store = old.store.openResultsStore(path);
    const id = store.createBenchmark(benchmark);
    await old.runner.runBenchmark({
      graph,
      inputs,
      concurrency: 8,
      log: store.runLog(id),
      retainRecords: false,
    });
    const written = performance.now();
    store.readRuns(id);
    read = performance.now() - written;
    store.close();
  } else {
    const store = openResultsStore(path);
    const { id, lease } = store.createLeasedBenchmark(benchmark, "store_ab");
    await runBenchmark({
      graph,
      inputs,
      concurrency: 8,
      log: store.runLog(id, lease),
      retainRecords: false,
      runTimeoutMs: 900_000,
      signal: new AbortController().signal,
    });
    lease.release();
    const written = performance.now();
    store.readRuns(id);
    read = performance.now() - written;
    store.close();
  }
  const total = performance.now() - started;
  times[which].write.push(total - read);
  times[which].read.push(read);
  console.log(`round ${round} ${which}: write ${(total - read) / 1000} s, read ${read / 1000} s`);
}

for (let round = 1; round <= rounds; round++) {
  const order = round % 2 === 1 ? [ref, "this tree"] : ["this tree", ref];
  for (const which of order) await once(which, round);
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
};
for (const what of ["write", "read"] as const) {
  const [before, after] = [median(times[ref][what]), median(times["this tree"][what])];
  console.log(
    `${what} ${runs} runs: ${ref} ${(before / 1000).toFixed(2)} s, this tree ` +
      `${(after / 1000).toFixed(2)} s (medians of ${rounds}), ${(after / before).toFixed(2)}x`,
  );
}
await Deno.remove(dir, { recursive: true });
await Deno.remove(folder, { recursive: true });
