/**
 * The CLI's side of the results store: opening it with one-line errors, and starting a
 * benchmark or finding the one `--resume` continues (its stored settings must match).
 *
 * @module
 */
import type { BenchmarkMeta } from "../benchmark/result/benchmark_result.ts";
import { openResultsStore, type ResultsStore, StoreError } from "../store/mod.ts";
import { describeStoreError } from "./errors.ts";
import { UsageError } from "./usage_error.ts";
import { BenchSettings, settingsDifference } from "./bench/settings.ts";

/**
 * The results store every command uses unless `--db` names another.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_DB } from "./open_store.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_DB, "reports/graphmeter.db");
 * ```
 */
export const DEFAULT_DB = "reports/graphmeter.db";

/**
 * Opens the results store for a command, creating its folder when it writes.
 *
 * @param path The database (`--db`), or null for {@linkcode DEFAULT_DB}.
 * @param mustExist True for commands that only read: a missing file is a usage error.
 * @returns The store.
 * @throws {UsageError} When it is missing or Deno may not use it.
 * @throws {StoreError} When it is no results store this graphmeter can open.
 *
 * @example Usage
 * ```ts ignore
 * import { openStoreForCli } from "./open_store.ts";
 *
 * using store = await openStoreForCli(null, true);
 * ```
 */
export async function openStoreForCli(
  path: string | null,
  mustExist: boolean,
): Promise<ResultsStore> {
  const db = path ?? DEFAULT_DB;
  // SQLite writes the database (and its WAL) even to read it.
  for (const name of ["read", "write"] as const) {
    if ((await Deno.permissions.query({ name, path: db })).state !== "granted") {
      throw new UsageError(
        `no permission to ${name} ${db}: the deno tasks may write under reports/; ` +
          `elsewhere, run the script with --allow-read --allow-write=${db}`,
      );
    }
  }
  try {
    if (mustExist) {
      await Deno.stat(db);
    } else {
      const folder = db.includes("/") ? db.slice(0, db.lastIndexOf("/")) : ".";
      await Deno.mkdir(folder || "/", { recursive: true });
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`no results store at ${db}: run deno task bench first, or pass --db`);
    }
    throw error;
  }
  return openResultsStore(db);
}

/**
 * The benchmark `--resume` continues: the latest carrying the label, else the latest.
 *
 * @param store The results store.
 * @param label The `--label` given, or null.
 * @returns Its id.
 * @throws {UsageError} When there is none.
 *
 * @example Usage
 * ```ts
 * import { resumedBenchmark } from "./open_store.ts";
 * import { openResultsStore } from "../store/mod.ts";
 * import assert from "node:assert/strict";
 *
 * using store = openResultsStore(":memory:");
 * assert.throws(() => resumedBenchmark(store, null), /^UsageError: --resume: no benchmark "latest"/);
 * ```
 */
export function resumedBenchmark(store: ResultsStore, label: string | null): string {
  try {
    return store.resolveBenchmark(label ?? "latest");
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    throw new UsageError(`--resume: ${describeStoreError(error)}`);
  }
}

/** What `deno task bench` keeps in a benchmark's `meta_json`: what merge and reports need. */
export interface StoredBenchMeta {
  /** The report's facts. */
  meta: BenchmarkMeta;
  /** The daily volume for the cost projection, in words. */
  dailyWords: number;
  /** The unit cost is normalised by (the workload's `1,000 words`), or null/absent for none. */
  unitName?: string | null;
  /** Every input's id, in plan order (shards are put back in this order). */
  inputIds: string[];
}

/** What a benchmark is started (or resumed) with. */
export interface BenchmarkStart {
  /** Continue a stored benchmark instead of creating one. */
  resume: boolean;
  /** Its label (`--label`), or null. */
  label: string | null;
  /** What a resume must match. */
  settings: BenchSettings;
  /** Facts for the report. */
  meta: unknown;
  /** Runs planned (in this shard). */
  plannedRuns: number;
  /** `i/n`, or null. */
  shard: string | null;
  /** The git commit measured, or null. */
  gitCommit: string | null;
}

/**
 * Creates the benchmark, or finds the one to resume (the latest carrying `--label`, else the
 * latest) and checks that it was run with the same settings.
 *
 * @param store The results store.
 * @param start What it is started with.
 * @returns Its id and label.
 * @throws {UsageError} When there is nothing to resume or the settings differ.
 *
 * @example Usage
 * ```ts
 * import { startBenchmark } from "./open_store.ts";
 * import { openResultsStore } from "../store/mod.ts";
 * import assert from "node:assert/strict";
 *
 * using store = openResultsStore(":memory:");
 * const settings = {
 *   models: {}, seed: null, prices: null, input: { source: "d.jsonl", sha256: "x" },
 *   repeats: 1, baseUrl: null,
 * };
 * const start = {
 *   resume: false, label: "x", settings, meta: {}, plannedRuns: 1, shard: null, gitCommit: null,
 * };
 * const { id } = startBenchmark(store, start);
 * assert.equal(startBenchmark(store, { ...start, resume: true }).id, id);
 * ```
 */
export function startBenchmark(
  store: ResultsStore,
  start: BenchmarkStart,
): { id: string; label: string | null } {
  if (!start.resume) {
    const id = store.createBenchmark({
      label: start.label,
      startedAt: new Date().toISOString(),
      gitCommit: start.gitCommit,
      settings: start.settings,
      meta: start.meta,
      plannedRuns: start.plannedRuns,
      shard: start.shard,
    });
    return { id, label: start.label };
  }
  const id = resumedBenchmark(store, start.label);
  const stored = store.getBenchmark(id)!;
  const saved = BenchSettings.safeParse(stored.settings);
  if (!saved.success) {
    throw new UsageError(`--resume: benchmark ${id} has no bench settings; start a new one`);
  }
  const difference = settingsDifference(saved.data, start.settings);
  if (difference !== null) {
    throw new UsageError(
      `--resume: benchmark ${id} was run with ${difference}; resume with the same settings, ` +
        "or start a new benchmark (without --resume)",
    );
  }
  return { id, label: stored.label };
}
