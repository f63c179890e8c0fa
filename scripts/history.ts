/**
 * `deno task history [--db FILE]`: the benchmarks in the results store, oldest first: id, label,
 * date, commit, runs and cost per run.
 *
 * @module
 */
import type { BenchmarkSummary } from "../benchmarker/store/mod.ts";
import { formatUsd } from "../report/format.ts";
import { openStoreForCli } from "./bench_store.ts";
import { type CommandIo, parseFlags, processIo, runCommand } from "./_cli.ts";

const HELP = `Usage: deno task history [--db FILE]

Lists the benchmarks in the results store (default reports/graphmeter.db), oldest first.
`;

/**
 * The history as a plain-text table.
 *
 * @param benchmarks The benchmarks, oldest first.
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
 *   shard: null,
 * }]);
 * assert.match(text, /20260101-000000-ab12 +nightly +2026-01-01 00:00 +abc123 +2\/2 +0 +\$0.0012/);
 * ```
 */
export function formatHistory(benchmarks: readonly BenchmarkSummary[]): string {
  if (benchmarks.length === 0) return "no benchmarks yet: run deno task bench\n";
  const rows = [
    ["id", "label", "date (UTC)", "commit", "runs", "failed", "cost/run"],
    ...benchmarks.map((b) => [
      b.id,
      (b.label ?? "-") + (b.shard === null ? "" : ` [shard ${b.shard}]`),
      b.startedAt.slice(0, 16).replace("T", " "),
      b.gitCommit ?? "-",
      `${b.runs}/${b.plannedRuns}`,
      String(b.failedRuns),
      formatUsd(b.costPerRunUsd),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd())
    .join("\n") + "\n";
}

/**
 * Runs `deno task history`.
 *
 * @param argv The arguments.
 * @param io Output streams.
 * @returns The exit code: 0, or 2 on bad usage.
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
export function runHistoryCli(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand("history", io, async () => {
    const { values } = parseFlags(argv, {
      db: { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    using store = await openStoreForCli((values.db as string | undefined) ?? null, true);
    io.out(formatHistory(store.listBenchmarks()));
    return 0;
  });
}

if (import.meta.main) Deno.exit(await runHistoryCli(Deno.args, processIo()));
