/**
 * `deno task history [--db FILE] [--html FILE] [--svg FILE]`: the benchmarks in the results
 * store, oldest first: id, label, date, commit, runs, cost per run, p95 wall time and each
 * evaluator key's mean score, then the same over time as a Markdown table with text bars; `--html` writes a page with the chart and
 * `--svg` the chart alone. The p95 comes from the run rows alone (no stage or call is loaded).
 *
 * @module
 */
import { percentile } from "../benchmark/result/aggregate_runs.ts";
import { formatHistoryMarkdown, historyChartSvg } from "../compare/history_points.ts";
import { formatHistoryPage, type HistoryPageRow } from "../compare/html/history_page.ts";
import type { BenchmarkSummary, ResultsStore, StoredScoreMean } from "../store/mod.ts";
import { formatMs, formatUsd } from "../report/format.ts";
import { type CliIo, type CommandInput, defineCommand, processIo, runCommand } from "./command.ts";
import { writeFileForFlag } from "./errors.ts";
import { pathFlag } from "./value_flags.ts";
import { DEFAULT_DB, openStoreForCli } from "./open_store.ts";
import { DB_FLAG } from "./shared_flags.ts";
import { UsageError } from "./usage_error.ts";

/** A benchmark in the history: its summary and the p95 wall time of its successful runs. */
export interface HistoryRow extends BenchmarkSummary {
  /** p95 wall time of the successful runs (nearest rank), milliseconds; 0 without one. */
  p95Ms: number;
  /** Each evaluator key's mean score over its successful runs (none without evaluators). */
  quality?: readonly StoredScoreMean[];
}

/**
 * Reads the history of a results store: every benchmark with the p95 wall time of its successful
 * runs, from the run rows alone.
 *
 * @param store The results store.
 * @returns The benchmarks, oldest first.
 *
 * @example Usage
 * ```ts
 * import { readHistory } from "./history.ts";
 * import { openResultsStore } from "../store/mod.ts";
 * import assert from "node:assert/strict";
 *
 * using store = openResultsStore(":memory:");
 * assert.deepEqual(readHistory(store), []);
 * ```
 */
export function readHistory(store: ResultsStore): HistoryRow[] {
  return store.listBenchmarks().map((benchmark) => {
    const wallTimes = store.loadRunWallTimes(benchmark.id).filter((run) => run.ok)
      .map((run) => run.wallTimeMs);
    return {
      ...benchmark,
      p95Ms: percentile(wallTimes, 0.95),
      quality: store.scoreMeans(benchmark.id),
    };
  });
}

/** A benchmark's name in the history: its label (and shard), or its id. */
function nameOf(row: HistoryRow): string {
  return (row.label ?? row.id) + (row.shard === null ? "" : ` [shard ${row.shard}]`);
}

/**
 * The history's points, for {@linkcode formatHistoryMarkdown}, {@linkcode historyChartSvg} and
 * {@linkcode formatHistoryPage}.
 *
 * @param rows The benchmarks.
 * @returns One point per benchmark.
 *
 * @example Usage
 * ```ts
 * import { historyPoints } from "./history.ts";
 * import assert from "node:assert/strict";
 *
 * const [point] = historyPoints([{
 *   id: "20260101-000000-ab12", label: null, startedAt: "2026-01-01T00:00:00.000Z",
 *   gitCommit: null, plannedRuns: 1, runs: 1, failedRuns: 0, costPerRunUsd: 0.5, shard: null,
 *   p95Ms: 900,
 * }]);
 * assert.equal(point.label, "20260101-000000-ab12");
 * assert.equal(point.p95Ms, 900);
 * ```
 */
export function historyPoints(rows: readonly HistoryRow[]): HistoryPageRow[] {
  return rows.map((row) => ({
    id: row.id,
    runs: row.runs,
    plannedRuns: row.plannedRuns,
    label: nameOf(row),
    commit: row.gitCommit,
    date: row.startedAt,
    costPerRunUsd: row.costPerRunUsd,
    p95Ms: row.p95Ms,
    quality: Object.fromEntries((row.quality ?? []).map((q) => [q.key, q.mean])),
  }));
}

/** The evaluator keys of a history, in the order they first appear (at most `limit`). */
function historyKeys(rows: readonly HistoryRow[], limit = 4): string[] {
  return [...new Set(rows.flatMap((row) => (row.quality ?? []).map((q) => q.key)))].slice(0, limit);
}

/** A mean score as the history prints it: three decimals, `-` for none. */
function scoreText(row: HistoryRow, key: string): string {
  const mean = row.quality?.find((q) => q.key === key)?.mean;
  return mean === undefined || mean === null ? "-" : mean.toFixed(3);
}

/**
 * The history as a plain-text table (ids to give compare, export and `--baseline`).
 *
 * @param rows The benchmarks, oldest first.
 * @returns The table, one line per benchmark.
 *
 * @example Usage
 * ```ts
 * import { formatHistory } from "./history.ts";
 * import assert from "node:assert/strict";
 *
 * const text = formatHistory([{
 *   id: "20260101-000000-ab12", label: "nightly", startedAt: "2026-01-01T00:00:00.000Z",
 *   gitCommit: "abc123", plannedRuns: 2, runs: 2, failedRuns: 0, costPerRunUsd: 0.0012,
 *   shard: null, p95Ms: 1234,
 * }]);
 * assert.match(
 *   text,
 *   /20260101-000000-ab12 +nightly +2026-01-01 00:00 +abc123 +2\/2 +0 +\$0.0012 +1,234 ms/,
 * );
 * ```
 */
export function formatHistory(rows: readonly HistoryRow[]): string {
  if (rows.length === 0) return "no benchmarks yet: run deno task bench\n";
  const keys = historyKeys(rows);
  const table = [
    ["id", "label", "date (UTC)", "commit", "runs", "failed", "cost/run", "p95 wall", ...keys],
    ...rows.map((b) => [
      b.id,
      (b.label ?? "-") + (b.shard === null ? "" : ` [shard ${b.shard}]`),
      b.startedAt.slice(0, 16).replace("T", " "),
      b.gitCommit ?? "-",
      `${b.runs}/${b.plannedRuns}`,
      String(b.failedRuns),
      formatUsd(b.costPerRunUsd),
      formatMs(b.p95Ms),
      ...keys.map((key) => scoreText(b, key)),
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  return table.map((row) => row.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd())
    .join("\n") + "\n";
}

/** The flags of `deno task history`, in the order `--help` shows them. */
const HISTORY_FLAGS = {
  db: DB_FLAG,
  html: pathFlag("FILE", "also write the table and the chart as one self-contained HTML page"),
  svg: pathFlag("FILE", "also write the chart as an SVG image"),
};

async function history(
  { options }: CommandInput<typeof HISTORY_FLAGS>,
  io: CliIo,
): Promise<number> {
  let rows: HistoryRow[];
  {
    using store = await openStoreForCli(options.db, true);
    rows = readHistory(store);
  }
  io.out(formatHistory(rows));
  if (rows.length > 0) io.out(`\n${formatHistoryMarkdown(historyPoints(rows))}`);
  if (options.html !== null) {
    const page = await formatHistoryPage(historyPoints(rows), options.db ?? DEFAULT_DB);
    await writeFileForFlag("--html", options.html, page);
  }
  if (options.svg !== null) {
    if (rows.length === 0) throw new UsageError("--svg: no benchmarks to chart yet");
    await writeFileForFlag("--svg", options.svg, await historyChartSvg(historyPoints(rows)));
  }
  return 0;
}

/**
 * `history`, declared.
 *
 * @example Usage
 * ```ts
 * import { historyCommand } from "./history.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(historyCommand.positionals, undefined);
 * ```
 */
export const historyCommand = defineCommand({
  name: "history",
  about: "cost per run, p95 wall time and quality of every stored benchmark over time",
  description:
    `Shows the benchmarks in the results store (default reports/graphmeter.db), oldest first: their
cost per successful run, p95 wall time and each evaluator key's mean score over time, as a table
and a chart.`,
  flags: HISTORY_FLAGS,
  run: history,
});

/**
 * Runs `deno task history`.
 *
 * @param argv The arguments.
 * @param io Output streams.
 * @returns The exit code: 0, 2 on bad usage, 1 on a bug.
 *
 * @example Usage
 * ```ts
 * import { runHistoryCli } from "./history.ts";
 * import assert from "node:assert/strict";
 *
 * let err = "";
 * const io = { out: () => {}, err: (t: string) => (err += t) };
 * assert.equal(await runHistoryCli(["--nope"], io), 2);
 * ```
 */
export function runHistoryCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(historyCommand, argv, io);
}

if (import.meta.main) Deno.exit(await runHistoryCli(Deno.args, processIo()));
