/**
 * The CLI's side of the results store: opening it with one-line errors, and starting a
 * benchmark or finding the one `--resume` continues (its stored settings must match).
 *
 * @module
 */
import type { BenchmarkMeta } from "../benchmark/result/benchmark_result.ts";
import {
  BenchmarkLeasedError,
  type Lease,
  openResultsStore,
  type ResultsStore,
  StoreError,
} from "../store/mod.ts";
import { describeStoreError } from "./errors.ts";
import { UsageError } from "./usage_error.ts";
import { BenchSettings, settingsDifference } from "./bench/settings.ts";
import { shellQuote } from "./shell_quote.ts";

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

/** How a command opens the store. */
export interface OpenOptions {
  /** The command line that would work with write access to the given paths (comma-separated). */
  rerun?: (writePaths: string) => string;
}

/**
 * Opens the results store for a command, creating its folder when it writes, and checks it:
 * each benchmark's counts against what it recorded, and SQLite's quick check of every page
 * (together 0.3–0.5 s on a 168 MB store of 260,000 calls). A damaged store is one line before
 * anything is written or shown.
 *
 * @param path The database (`--db`), or null for {@linkcode DEFAULT_DB}.
 * @param mustExist True for commands that only read: a missing file is a usage error.
 * @param options The command line that works when Deno may not write the store.
 * @returns The store.
 * @throws {UsageError} When it is missing or Deno may not use it.
 * @throws {StoreError} When it is no results store this graphmeter can open, or is damaged.
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
  options: OpenOptions = {},
): Promise<ResultsStore> {
  const db = path ?? DEFAULT_DB;
  // SQLite writes the database (and its WAL) even to read it.
  for (const name of ["read", "write"] as const) {
    if ((await Deno.permissions.query({ name, path: db })).state !== "granted") {
      throw new UsageError(
        `no permission to ${name} ${db}: the deno tasks may write under reports/; run ` +
          (options.rerun?.(`reports,${db}`) ??
            `the script with --allow-read --allow-write=${shellQuote(db)}`),
      );
    }
  }
  try {
    if (mustExist) {
      await Deno.stat(db);
    } else {
      const folder = db.includes("/") ? db.slice(0, db.lastIndexOf("/")) || "/" : ".";
      // Only a missing folder is made: an existing one needs no write access of its own.
      if (!await exists(folder)) await Deno.mkdir(folder, { recursive: true });
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`no results store at ${db}: run deno task bench first, or pass --db`);
    }
    throw error;
  }
  const store = openResultsStore(db);
  try {
    store.checkCounts();
    store.checkPages();
    return store;
  } catch (error) {
    store.close();
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
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
  /** The benchmark to continue (an id, a label); default the latest carrying `label`, else the latest. */
  resumeRef?: string | null;
  /** The new benchmark's id (made before, e.g. for its output folder); default a new one. */
  id?: string;
  /** What the process writing it does, for a second writer's refusal; default `bench`. */
  command?: string;
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
 * Creates the benchmark, or finds the one to resume (`--resume REF`, else the latest carrying
 * `--label`, else the latest) and checks that it was run with the same settings; either way takes
 * its lease, so no other process writes it meanwhile.
 *
 * @param store The results store.
 * @param start What it is started with.
 * @returns Its id, label and lease (release it when done).
 * @throws {UsageError} When there is nothing to resume, the settings differ, or another process
 * is writing it.
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
 * const first = startBenchmark(store, start);
 * // Another process (or this one) cannot resume it while its lease is held.
 * assert.throws(() => startBenchmark(store, { ...start, resume: true }), /is being written by/);
 * first.lease.release();
 * const resumed = startBenchmark(store, { ...start, resume: true });
 * assert.equal(resumed.id, first.id);
 * resumed.lease.release();
 * ```
 */
export function startBenchmark(
  store: ResultsStore,
  start: BenchmarkStart,
): { id: string; label: string | null; lease: Lease } {
  const command = start.command ?? "bench";
  if (!start.resume) {
    const { id, lease } = store.createLeasedBenchmark({
      id: start.id,
      label: start.label,
      startedAt: new Date().toISOString(),
      gitCommit: start.gitCommit,
      settings: start.settings,
      meta: start.meta,
      plannedRuns: start.plannedRuns,
      shard: start.shard,
    }, command);
    return { id, label: start.label, lease };
  }
  const id = resumedBenchmark(store, start.resumeRef ?? start.label);
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
  try {
    return { id, label: stored.label, lease: store.acquireLease(id, `${command} --resume`) };
  } catch (error) {
    if (error instanceof BenchmarkLeasedError) {
      throw new UsageError(`--resume: ${describeStoreError(error)}`);
    }
    throw error;
  }
}
