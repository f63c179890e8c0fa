/**
 * `deno task merge <db>… [--db TARGET] [--out DIR] [--label NAME]`: combines the shard databases
 * of one benchmark (`deno task bench --shard i/n --db shard-i.db`) into one benchmark in the
 * target store, in the order of the whole plan, and writes its `report.md`, `report.html` and
 * `metrics.json`: the same runs, tokens and costs as one unsharded benchmark (Playwright's
 * merge-reports). The merged benchmark is stored in one transaction and its report written whole
 * or not at all; a signal (SIGINT, SIGTERM, SIGHUP) at any point leaves nothing merged.
 *
 * @module
 */
import { dailyVolume } from "./bench/unit.ts";
import { describeHolder, type ResultsStore, StoreError } from "../store/mod.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { runKey } from "../benchmark/run_record.ts";
import { planRuns } from "../benchmark/schedule.ts";
import { BenchSettings, settingsDifference } from "./bench/settings.ts";
import { REPORT_FILES, writeBenchmarkFiles } from "./bench/report_files.ts";
import { type CliIo, type CommandInput, defineCommand, processIo, runCommand } from "./command.ts";
import { describeStoreError } from "./errors.ts";
import { pathFlag, textFlag } from "./value_flags.ts";
import { DEFAULT_DB, openStoreForCli, type StoredBenchMeta } from "./open_store.ts";
import { DB_FLAG } from "./shared_flags.ts";
import { UsageError } from "./usage_error.ts";
import { PendingFiles } from "./bench/pending_files.ts";
import { Interrupts, signalExitCode } from "./interrupts.ts";

/** One shard read from its database. */
interface ShardRuns {
  path: string;
  index: number;
  count: number;
  label: string | null;
  gitCommit: string | null;
  settings: BenchSettings;
  stored: StoredBenchMeta;
  records: RunRecord[];
}

async function readShard(path: string): Promise<ShardRuns> {
  using store = await openStoreForCli(path, true);
  const benchmarks = store.listBenchmarks();
  const latest = benchmarks.at(-1);
  if (latest === undefined) throw new UsageError(`${path} holds no benchmark`);
  const stored = store.getBenchmark(latest.id)!;
  const running = store.liveLease(latest.id);
  if (running !== null) {
    throw new UsageError(
      `${path}: shard ${stored.shard ?? "?"} is still being run by ` +
        `${describeHolder(running, Date.now())}; merge once it is done`,
    );
  }
  const match = /^(\d+)\/(\d+)$/.exec(stored.shard ?? "");
  if (match === null) {
    throw new UsageError(`${path}: benchmark ${latest.id} is not a shard (run with --shard i/n)`);
  }
  const settings = BenchSettings.safeParse(stored.settings);
  const meta = stored.meta as Partial<StoredBenchMeta>;
  if (!settings.success || !Array.isArray(meta.inputIds) || meta.meta === undefined) {
    throw new UsageError(`${path}: benchmark ${latest.id} was not written by deno task bench`);
  }
  return {
    path,
    index: Number(match[1]),
    count: Number(match[2]),
    label: stored.label,
    gitCommit: stored.gitCommit,
    settings: settings.data,
    stored: meta as StoredBenchMeta,
    records: readableRuns(store, latest.id, path),
  };
}

/** A shard's runs; one that cannot be read back is one line naming the run and the column. */
function readableRuns(store: ResultsStore, id: string, path: string): RunRecord[] {
  try {
    return store.loadRuns(id);
  } catch (error) {
    if (error instanceof StoreError) throw new UsageError(`${path}: ${describeStoreError(error)}`);
    throw error;
  }
}

/**
 * Checks that the shards are every slice of one benchmark, and returns them by index.
 *
 * @param shards The shards read.
 * @returns The shards, ordered by index.
 * @throws {UsageError} When one is missing, repeated, or run with other settings.
 */
function checkShards(shards: ShardRuns[]): ShardRuns[] {
  const [first] = shards;
  const sorted = [...shards].sort((a, b) => a.index - b.index);
  for (const shard of sorted) {
    if (shard.count !== first.count) {
      throw new UsageError(
        `${shard.path} is shard ${shard.index}/${shard.count}, ` +
          `${first.path} one of ${first.count}: merge shards of one benchmark`,
      );
    }
    const difference = settingsDifference(
      { ...first.settings, shard: null },
      { ...shard.settings, shard: null },
    );
    if (difference !== null) {
      throw new UsageError(
        `shards of other benchmarks: ${first.path} was run with ${difference} (${shard.path})`,
      );
    }
  }
  for (let index = 1; index <= first.count; index++) {
    const found = sorted.filter((shard) => shard.index === index);
    if (found.length === 0) throw new UsageError(`shard ${index}/${first.count} is missing`);
    if (found.length > 1) {
      throw new UsageError(
        `shard ${index}/${first.count} is given twice (${found[0].path}, ` +
          `${found[1].path})`,
      );
    }
  }
  return sorted;
}

/** The flags of `deno task merge`, in the order `--help` shows them. */
const MERGE_FLAGS = {
  db: { ...DB_FLAG, help: "the results store the merged benchmark goes to" },
  out: pathFlag("DIR", "where report.md, report.html and metrics.json go", {
    shown: "reports/<benchmark id>/",
  }),
  label: textFlag("NAME", "the merged benchmark's label", {
    shown: "the shards' label",
    needs: "a name",
  }),
};

async function merge(
  { options, positionals }: CommandInput<typeof MERGE_FLAGS>,
  io: CliIo,
): Promise<number> {
  // Undone by a signal: the merged benchmark (once stored) and the report's temporary files.
  let undo = (): void => {};
  const pending = new PendingFiles();
  using interrupts = new Interrupts((signal) => {
    // The report's temporary files: the write in flight settled first, then removed.
    void pending.abandon().finally(() => {
      undo();
      io.err(`merge: interrupted (${signal}): nothing was merged; run the same command again\n`);
      Deno.exit(signalExitCode(signal));
    });
  });
  const shards = checkShards(await Promise.all(positionals.map(readShard)));
  const [first] = shards;
  // Put the runs back in the order of the whole plan, as one unsharded benchmark has them.
  const byKey = new Map<string, RunRecord>();
  for (const shard of shards) {
    for (const record of shard.records) byKey.set(runKey(record.inputId, record.repeat), record);
  }
  const plan = planRuns(first.stored.inputIds, first.settings.repeats);
  const records = plan.map((run) => byKey.get(runKey(run.inputId, run.repeat)))
    .filter((record): record is RunRecord => record !== undefined);
  const db = options.db ?? DEFAULT_DB;
  using store = await openStoreForCli(db, false);
  const label = options.label ?? first.label;
  const meta = { ...first.stored.meta, createdAt: new Date().toISOString() };
  // One transaction: the merged benchmark is stored whole, never half.
  const id = store.createBenchmarkWithRuns({
    label,
    startedAt: meta.createdAt,
    gitCommit: first.gitCommit,
    settings: { ...first.settings, shard: null },
    meta: { ...first.stored, meta } satisfies StoredBenchMeta,
    plannedRuns: plan.length,
    shard: null,
  }, records);
  undo = () => store.deleteBenchmark(id);
  const out = (options.out ?? `reports/${id}`).replace(/\/+$/, "");
  await Deno.mkdir(out, { recursive: true });
  const notRun = plan.length - records.length;
  const result = await writeBenchmarkFiles(
    out,
    {
      records,
      total: plan.length,
      resumed: 0,
      notRun,
      stoppedReason: notRun > 0
        ? `${notRun} of ${plan.length} runs were not run by the shards`
        : null,
      unitName: first.stored.unitName ?? null,
    },
    meta,
    first.stored.unitName ? dailyVolume(first.stored.dailyWords) : null,
    { id, label, db },
    undefined,
    pending,
  );
  // Merged and reported: a signal from now on lets the command end as it would.
  undo = () => {};
  interrupts.setPhase(() => {});
  io.err(`merged ${shards.length} shards: benchmark ${id}, ${records.length} runs in ${db}\n`);
  io.out(REPORT_FILES.map((file) => `${out}/${file}\n`).join(""));
  return result.aggregates.failedRuns > 0 ? 1 : 0;
}

/**
 * `merge`, declared.
 *
 * @example Usage
 * ```ts
 * import { mergeCommand } from "./merge.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(mergeCommand.positionals, "<shard.db>…");
 * ```
 */
export const mergeCommand = defineCommand({
  name: "merge",
  about: "merge the shard databases of one benchmark and report it",
  positionals: "<shard.db>…",
  description: `Combines the shards of one benchmark (each the latest benchmark of its database,
made with deno task bench --shard i/n) into one benchmark in --db and writes report.md,
report.html and metrics.json to --out: the same runs, tokens and costs as one unsharded
benchmark. Every shard 1/n … n/n must be given, none still running. The merged benchmark is
stored in one transaction; a signal (Ctrl-C, SIGTERM, SIGHUP) leaves nothing merged.`,
  flags: MERGE_FLAGS,
  run: merge,
});

/**
 * Runs `deno task merge`.
 *
 * @param argv The arguments.
 * @param io Output streams.
 * @returns The exit code: 0, 1 when some runs failed (or on a bug), 2 on bad usage.
 *
 * @example Usage
 * ```ts
 * import { runMergeCli } from "./merge.ts";
 * import assert from "node:assert/strict";
 *
 * let err = "";
 * const io = { out: () => {}, err: (t: string) => (err += t) };
 * assert.equal(await runMergeCli([], io), 2);
 * assert.match(err, /^merge: give <shard.db>… \(see --help\)$/m);
 * ```
 */
export function runMergeCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(mergeCommand, argv, io);
}

if (import.meta.main) Deno.exit(await runMergeCli(Deno.args, processIo()));
