/**
 * `deno task scale [sizes…]`: measures the benchmark runner and its store at scale (not part of `deno task test`).
 * For each size (default 1000 15000 100000 runs) it benchmarks an instant one-call graph
 * (tests/fixtures/scale_graph.ts) through the real CLI in a subprocess, watching its peak
 * resident memory (Linux `VmHWM`), checks that every run is stored, then times writing the report
 * again from the store (load + aggregate + metrics.json + report.md) in this process. Prints a
 * Markdown table for docs/scale.md. `deno task scale --report DB` only writes the report of the
 * latest benchmark in DB again, timing it and this process's peak memory.
 * Needs --allow-all: Deno reads another process's /proc status
 * only with it.
 *
 * @module
 */
import { dailyVolume } from "../cli/bench/unit.ts";
import { openResultsStore } from "../store/mod.ts";
import { writeBenchmarkFiles } from "../cli/bench/report_files.ts";
import type { StoredBenchMeta } from "../cli/open_store.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const EXAMPLES = 1000;

async function peakRssMb(pid: number): Promise<number | null> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Writes the report of `db`'s latest benchmark from the store; returns load and total seconds. */
async function reportFromStore(db: string, out: string): Promise<[number, number]> {
  using store = openResultsStore(db);
  const id = store.resolveBenchmark("latest");
  const started = performance.now();
  const records = store.loadRuns(id);
  const loadedMs = performance.now() - started;
  const saved = store.getBenchmark(id)!.meta as StoredBenchMeta;
  await Deno.mkdir(out, { recursive: true });
  await writeBenchmarkFiles(
    out,
    { records, total: records.length, resumed: 0, notRun: 0, stoppedReason: null },
    saved.meta,
    saved.unitName ? dailyVolume(saved.dailyWords) : null,
    { id, label: null, db },
  );
  return [loadedMs / 1000, (performance.now() - started) / 1000];
}

async function measure(runs: number, dir: string): Promise<string[]> {
  const dataset = `${dir}/dataset.jsonl`;
  const examples = Math.min(EXAMPLES, runs);
  const lines = Array.from(
    { length: examples },
    (_, i) => JSON.stringify({ id: `ex-${i}`, inputs: { text: `example number ${i}` } }),
  );
  await Deno.writeTextFile(dataset, lines.join("\n") + "\n");
  const db = `${dir}/scale.db`;
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      ...["run", "--allow-all", `${ROOT}cli/bench.ts`],
      ...["--graph", `${ROOT}tests/fixtures/scale_graph.ts:graph`, "--dataset", dataset],
      ...["--runs", String(Math.ceil(runs / examples)), "--concurrency", "8"],
      ...["--db", db, "--out", `${dir}/out`],
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let peak = 0;
  const timer = setInterval(async () => {
    peak = Math.max(peak, (await peakRssMb(child.pid)) ?? 0);
  }, 100);
  const [status, stderr] = await Promise.all([
    child.status,
    new Response(child.stderr).text(),
  ]);
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  if (!status.success) throw new Error(`bench failed (${status.code}): ${stderr}`);

  {
    using store = openResultsStore(db);
    const stored = store.countRuns(store.resolveBenchmark("latest"));
    if (stored !== runs) throw new Error(`${stored} runs stored, ${runs} planned`);
  }
  const [loadedS, reportS] = await reportFromStore(db, `${dir}/again`);
  const metricsMb = (await Deno.stat(`${dir}/out/metrics.json`)).size / 1e6;
  const dbMb = (await Deno.stat(db)).size / 1e6;
  return [
    runs.toLocaleString("en-US"),
    seconds.toFixed(1),
    (runs / seconds).toFixed(0),
    peak.toFixed(0),
    loadedS.toFixed(2),
    reportS.toFixed(2),
    metricsMb.toFixed(1),
    dbMb.toFixed(0),
  ];
}

if (import.meta.main && Deno.args[0] === "--report") {
  const dir = await Deno.makeTempDir({ prefix: "graphmeter_report_" });
  const [loadedS, reportS] = await reportFromStore(Deno.args[1], dir);
  const metricsMb = (await Deno.stat(`${dir}/metrics.json`)).size / 1e6;
  console.log(
    `load ${loadedS.toFixed(2)} s, load + report ${reportS.toFixed(2)} s, metrics.json ` +
      `${metricsMb.toFixed(1)} MB, peak RSS ${(await peakRssMb(Deno.pid))?.toFixed(0)} MB`,
  );
  await Deno.remove(dir, { recursive: true });
} else if (import.meta.main) {
  const sizes = Deno.args.length ? Deno.args.map(Number) : [1000, 15_000, 100_000];
  const header = [
    "Runs",
    "Bench wall time (s)",
    "Runs/s",
    "Peak RSS (MB)",
    "Load from store (s)",
    "Report from store (s)",
    "metrics.json (MB)",
    "Store (MB)",
  ];
  console.log(`| ${header.join(" | ")} |\n| ${header.map(() => "---:").join(" | ")} |`);
  for (const runs of sizes) {
    const dir = await Deno.makeTempDir({ prefix: "graphmeter_scale_" });
    try {
      console.log(`| ${(await measure(runs, dir)).join(" | ")} |`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
}
