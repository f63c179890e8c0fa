/**
 * Writes a benchmark's report files: `metrics.json` (one line per run's totals, so the file stays
 * small and fast to write at 100,000 runs), `report.md` and `report.html` (with the comparison
 * when there is a baseline).
 *
 * @module
 */
import { buildBenchmarkResult, type DailyVolume } from "../../benchmark/result/aggregate_runs.ts";
import type { Comparison } from "../../compare/compare_benchmarks.ts";
import { writeHtmlReport } from "../../compare/html/html_report.ts";
import { rerunCommand } from "./out_dir.ts";
import { fsStep } from "../errors.ts";
import type {
  BenchmarkMeta,
  BenchmarkResult,
  StoredBenchmarkRef,
} from "../../benchmark/result/benchmark_result.ts";
import { writeBenchmarkReport } from "../../benchmark/markdown/benchmark_report.ts";
import type { BenchmarkRun } from "../../benchmark/runner.ts";
import { PendingFiles } from "./pending_files.ts";

/**
 * The text of `metrics.json`: the result pretty-printed, except the runs and the slowest run,
 * one line each (a pretty-printed 100,000-run file is mostly indentation).
 *
 * @param result The result.
 * @returns The JSON text, ending in a newline.
 *
 * @example Usage
 * ```ts
 * import { formatMetricsJson } from "./report_files.ts";
 * import { buildBenchmarkResult } from "../../benchmark/result/aggregate_runs.ts";
 * import assert from "node:assert/strict";
 *
 * const result = buildBenchmarkResult(
 *   { records: [], total: 0, resumed: 0, notRun: 0, stoppedReason: null },
 *   {
 *     createdAt: "2026-01-01T00:00:00.000Z", gitCommit: null, models: {},
 *     inputSource: "d.jsonl", repeats: 1, concurrency: 1, maxCostUsd: null, seed: null,
 *   },
 * );
 * assert.deepEqual(JSON.parse(formatMetricsJson(result)), result);
 * ```
 */
export function formatMetricsJson(result: BenchmarkResult): string {
  const { runs, slowestRun, ...rest } = result;
  const head = JSON.stringify(rest, null, 2).slice(0, -2); // without the closing "\n}"
  const lines = runs.map((run) => "    " + JSON.stringify(run));
  const list = lines.length === 0 ? "" : `\n${lines.join(",\n")}\n  `;
  return `${head},\n  "slowestRun": ${JSON.stringify(slowestRun)},\n  "runs": [${list}]\n}\n`;
}

/** What the reports advise when waits are a material share of the latency: the CLI's flags. */
const WAIT_ADVICE = "lower --concurrency, or see --rpm and --tpm";

/**
 * The files {@linkcode writeBenchmarkFiles} writes into the output folder, as the CLI lists them.
 *
 * @example Usage
 * ```ts
 * import { REPORT_FILES } from "./report_files.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(REPORT_FILES, ["report.md", "report.html", "metrics.json"]);
 * ```
 */
export const REPORT_FILES: readonly string[] = ["report.md", "report.html", "metrics.json"];

/**
 * Builds the result and writes `metrics.json`, `report.md` and `report.html` into `out`, all
 * three or none (temporary files renamed into place together; `pending` lets an interrupt remove
 * those not yet renamed).
 *
 * @param out The output folder (it exists).
 * @param run What the runner returned (or the runs loaded from the store).
 * @param meta Facts about the benchmark.
 * @param daily The daily volume for the cost projection (in the run's unit), or null.
 * @param benchmark Where the runs are stored.
 * @param comparison The comparison with a baseline, shown in `report.html`, if any.
 * @param pending The temporary files being written, for an interrupt to remove.
 * @returns The result written.
 *
 * @example Usage
 * ```ts ignore
 * import { writeBenchmarkFiles } from "./report_files.ts";
 *
 * await writeBenchmarkFiles("reports/x", run, meta, 100_000, null);
 * ```
 */
export async function writeBenchmarkFiles(
  out: string,
  run: BenchmarkRun,
  meta: BenchmarkMeta,
  daily: DailyVolume | null,
  benchmark: StoredBenchmarkRef | null,
  comparison?: Comparison,
  pending: PendingFiles = new PendingFiles(),
): Promise<BenchmarkResult> {
  const keptIn = benchmark === null ? undefined : benchmark.db;
  const result = buildBenchmarkResult(run, meta, daily, benchmark);
  const html = await writeHtmlReport(run.records, {
    label: benchmark === null ? out : benchmark.label ?? benchmark.id,
    createdAt: meta.createdAt,
    gitCommit: meta.gitCommit,
    models: meta.models,
    waitAdvice: WAIT_ADVICE,
    passRules: meta.passRules,
    ...(meta.groupBy === undefined ? {} : { groupBy: meta.groupBy }),
  }, comparison);
  const files: [string, string][] = [
    ["metrics.json", formatMetricsJson(result)],
    ["report.md", writeBenchmarkReport(result, { waitAdvice: WAIT_ADVICE })],
    ["report.html", html],
  ];
  // A full or read-only disk is one line; the runs are already in the store.
  await pending.writeAll(
    files.map(([file, text]) => [`${out}/${file}`, text]),
    (temporary, text, path) =>
      fsStep(
        { action: "write", path, keptIn },
        rerunCommand([], out),
        () => Deno.writeTextFile(temporary, text),
      ),
  );
  return result;
}
