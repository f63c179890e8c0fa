import assert from "node:assert/strict";
import { BenchmarkResult } from "../benchmark/result/benchmark_result.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { openResultsStore } from "../store/mod.ts";
import { runBenchCli } from "../cli/bench.ts";
import { runExportCli } from "../cli/export.ts";
import { runHistoryCli } from "../cli/history.ts";
import { runMergeCli } from "../cli/merge.ts";
import { formatMs, formatUsd } from "../report/format.ts";

const TRANSCRIPTS = new URL("../workload/transcripts/", import.meta.url).pathname;

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

async function bench(args: string[]): Promise<void> {
  const { io, bench } = capture();
  const code = await runBenchCli(
    ["--input", TRANSCRIPTS, "--seed", "5", "--runs", "2", "--latency-scale", "0", ...args],
    bench,
  );
  assert.equal(code, 0, io.stderr);
}

async function readResult(out: string): Promise<BenchmarkResult> {
  return BenchmarkResult.parse(JSON.parse(await Deno.readTextFile(`${out}/metrics.json`)));
}

/** Every call's tokens and cost, run by run: what must not change with sharding. */
function calls(records: RunRecord[]) {
  return records.map((r) => ({
    run: `${r.inputId}#${r.repeat}`,
    calls: r.metrics.calls.map((c) => [c.stage, c.inputTokens, c.outputTokens, c.costUsd]),
  }));
}

Deno.test("shards merged equal one unsharded benchmark with the same seed", async () => {
  const dir = await Deno.makeTempDir();
  await bench(["--db", `${dir}/all.db`, "--out", `${dir}/all`]);
  for (const i of [1, 2, 3]) {
    await bench(["--shard", `${i}/3`, "--db", `${dir}/shard-${i}.db`, "--out", `${dir}/s${i}`]);
  }
  const shardRuns = [1, 2, 3].map((i) => {
    using store = openResultsStore(`${dir}/shard-${i}.db`);
    return store.listBenchmarks()[0].runs;
  });
  assert.deepEqual(shardRuns, [5, 5, 4]); // 7 transcripts x 2 repeats, every third run

  // Given in any order.
  const { io, cli } = capture();
  const shards = [3, 1, 2].map((i) => `${dir}/shard-${i}.db`);
  const code = await runMergeCli([...shards, "--db", `${dir}/merged.db`, "--out", `${dir}/m`], cli);
  assert.equal(code, 0, io.stderr);
  assert.deepEqual(
    io.stdout.trim().split("\n"),
    [`${dir}/m/report.md`, `${dir}/m/report.html`, `${dir}/m/metrics.json`],
  );
  assert.match(await Deno.readTextFile(`${dir}/m/report.html`), /^<!doctype html>/);

  const unsharded = await readResult(`${dir}/all`);
  const merged = await readResult(`${dir}/m`);
  assert.equal(merged.runs.length, 14);
  assert.equal(merged.plannedRuns, unsharded.plannedRuns);
  const noTime = (runs: BenchmarkResult["runs"]) => runs.map(({ wallTimeMs: _, ...rest }) => rest);
  assert.deepEqual(noTime(merged.runs), noTime(unsharded.runs));
  for (
    const key of ["inputTokens", "outputTokens", "llmCalls", "costUsd", "allRunsCostUsd"] as const
  ) {
    assert.equal(merged.aggregates[key], unsharded.aggregates[key], key);
  }
  assert.ok(unsharded.aggregates.costUsd! > 0);
  using all = openResultsStore(`${dir}/all.db`);
  using target = openResultsStore(`${dir}/merged.db`);
  const mergedId = target.resolveBenchmark("latest");
  assert.equal(merged.benchmark?.id, mergedId);
  const byRun = (records: RunRecord[]) => calls(records).sort((a, b) => a.run.localeCompare(b.run));
  assert.deepEqual(
    byRun(target.loadRuns(mergedId)),
    byRun(all.loadRuns(all.resolveBenchmark("latest"))),
  );

  // A missing shard, or a shard of another benchmark, is refused with one line.
  const missing = capture();
  assert.equal(await runMergeCli(shards.slice(0, 2), missing.cli), 2);
  assert.equal(missing.io.stderr, "merge: shard 2/3 is missing\n");
  await bench(["--shard", "2/3", "--seed", "6", "--db", `${dir}/other.db`, "--out", `${dir}/o`]);
  const other = capture();
  assert.equal(await runMergeCli([shards[0], shards[1], `${dir}/other.db`], other.cli), 2);
  assert.match(
    other.io.stderr,
    /^merge: shards of other benchmarks: .* was run with --seed 5, not 6/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("history lists benchmarks; export writes every call as JSONL or CSV", async () => {
  const dir = await Deno.makeTempDir();
  const db = `${dir}/g.db`;
  await bench([
    "--db",
    db,
    "--out",
    `${dir}/a`,
    "--label",
    "base",
    "--input",
    `${TRANSCRIPTS}standup.txt`,
  ]);
  await bench(["--db", db, "--out", `${dir}/b`, "--input", `${TRANSCRIPTS}standup.txt`]);
  const history = capture();
  assert.equal(await runHistoryCli(["--db", db], history.cli), 0);
  const [list, chart] = history.io.stdout.split("\n\n");
  const lines = list.trim().split("\n");
  assert.equal(lines.length, 3);
  // Then each evaluator key's mean score (the workload's structural keys for a --input).
  assert.match(
    lines[0],
    /^id +label +date \(UTC\) +commit +runs +failed +cost\/run +p95 wall +transcript_coverage +valid_json$/,
  );
  const result = await readResult(`${dir}/a`);
  const later = await readResult(`${dir}/b`);
  // Cost per run and p95 wall time as metrics.json has them, from the run rows alone.
  const p95 = formatMs(result.aggregates.wallTimeP95Ms);
  const costPerRun = formatUsd(result.aggregates.costPerRunUsd);
  assert.match(
    lines[1],
    new RegExp(
      `^${result.benchmark!.id} +base .* 2/2 +0 +\\${costPerRun} +${p95} +[\\d.]+ +1\\.000$`,
    ),
  );
  assert.match(lines[2], / - +\d{4}-\d\d-\d\d \d\d:\d\d .* 2\/2 +0 +\$/);
  assert.match(
    lines[2],
    new RegExp(` ${formatMs(later.aggregates.wallTimeP95Ms)} +[\\d.]+ +1\\.000$`),
  );
  // The same over time, as a Markdown table with text bars.
  const chartRows = chart.trim().split("\n");
  assert.equal(chartRows.length, 4);
  assert.match(
    chartRows[2],
    new RegExp(`^\\| 1 \\| base \\| .* \\| \\${costPerRun} \\| \`█*[▏▎▍▌▋▊▉]?\` \\| ${p95} \\|`),
  );
  const pictures = capture();
  const [html, svg] = [`${dir}/history.html`, `${dir}/history.svg`];
  assert.equal(await runHistoryCli(["--db", db, "--html", html, "--svg", svg], pictures.cli), 0);
  const page = await Deno.readTextFile(html);
  assert.match(page, /^<!doctype html>/);
  assert.match(page, /<figure><svg /);
  assert.match(page, new RegExp(`<td>${result.benchmark!.id}</td>`));
  assert.match(await Deno.readTextFile(svg), /^<svg[^>]*>.*1\. base/s);

  using store = openResultsStore(db);
  const records = store.loadRuns(store.resolveBenchmark("base"));
  const callCount = records.reduce((n, r) => n + r.metrics.calls.length, 0);
  const jsonl = capture();
  assert.equal(await runExportCli(["base", "--db", db], jsonl.cli), 0);
  const rows = jsonl.io.stdout.trim().split("\n").map((line) => JSON.parse(line));
  assert.equal(rows.length, callCount);
  assert.equal(
    rows.reduce((n, row) => n + row.input_tokens, 0),
    result.aggregates.inputTokens,
  );
  assert.equal(rows[0].stage, records[0].metrics.calls[0].stage);

  const csvPath = `${dir}/calls.csv`;
  const csv = capture();
  assert.equal(
    await runExportCli(["latest~1", "--db", db, "--format", "csv", "--out", csvPath], csv.cli),
    0,
  );
  const csvLines = (await Deno.readTextFile(csvPath)).trim().split("\n");
  assert.equal(csvLines.length, callCount + 1);
  const header = csvLines[0].split(",");
  const column = header.indexOf("output_tokens");
  assert.equal(
    csvLines.slice(1).reduce((n, line) => n + Number(line.split(",")[column]), 0),
    result.aggregates.outputTokens,
  );
  const unknown = capture();
  assert.equal(await runExportCli(["nope", "--db", db], unknown.cli), 2);
  assert.match(unknown.io.stderr, /^export: no benchmark with id or label "nope"/);
  const noDb = capture();
  assert.equal(await runHistoryCli(["--db", `${dir}/none.db`], noDb.cli), 2);
  assert.match(
    noDb.io.stderr,
    /^history: no results store at .*none\.db: run deno task bench first/,
  );
  await Deno.remove(dir, { recursive: true });
});
