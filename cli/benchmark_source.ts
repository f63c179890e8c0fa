/**
 * Finds the runs of a benchmark named on the command line: a report folder (the stored benchmark
 * its `metrics.json` points to, or an older folder's `runs.jsonl`), a run log file, or a
 * benchmark id, a label, `latest` or `latest~N` in the results store.
 *
 * @module
 */
import { parseRunLog } from "../benchmark/run_log.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { describeHolder, type ResultsStore } from "../store/mod.ts";
import { UsageError } from "./usage_error.ts";
import { DEFAULT_DB, openStoreForCli } from "./open_store.ts";

/** A benchmark's runs, and the name it goes by in reports. */
export interface BenchmarkRuns {
  /** The name in reports (the label, the id, or the folder). */
  label: string;
  /** Its runs. */
  runs: RunRecord[];
  /** Its id in the results store, or null for a run log. */
  id: string | null;
  /** When it started (ISO 8601), when the store knows. */
  startedAt: string | null;
  /** Its git commit, when the store knows. */
  gitCommit: string | null;
  /** The settings `deno task bench` stored with it (what a resume matches), when the store knows. */
  settings?: unknown;
  /**
   * Null, or (a benchmark another process is still writing) who, and how many of its planned
   * runs are stored so far: its figures will change.
   */
  running?: string | null;
}

async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

async function fromRunLog(ref: string, path: string): Promise<BenchmarkRuns> {
  let parsed;
  try {
    parsed = parseRunLog(await Deno.readTextFile(path), path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw error;
    throw new UsageError(`${(error as Error).message}; is it a graphmeter run log?`);
  }
  // A comparison over a log with unreadable records would compare partial data: refuse it.
  const [first] = parsed.skipped;
  if (first !== undefined) {
    throw new UsageError(
      `${first.location} is not a valid run record (${first.reason}); is it a graphmeter run log?`,
    );
  }
  return { label: ref, runs: parsed.records, id: null, startedAt: null, gitCommit: null };
}

function fromStore(store: ResultsStore, ref: string, label?: string): BenchmarkRuns {
  const id = store.resolveBenchmark(ref);
  // A stored run that cannot be read back is one line naming the run and the column.
  const runs = store.loadRuns(id);
  const summary = store.listBenchmarks().find((b) => b.id === id);
  const lease = store.liveLease(id);
  return {
    label: label ?? summary?.label ?? id,
    runs,
    id,
    startedAt: summary?.startedAt ?? null,
    gitCommit: summary?.gitCommit ?? null,
    settings: store.getBenchmark(id)?.settings ?? null,
    running: lease === null ? null : `${runs.length} of ${summary?.plannedRuns ?? "?"} runs ` +
      `stored so far; ${describeHolder(lease, Date.now())} is still running it`,
  };
}

/** The stored benchmark a report folder's `metrics.json` names, or null. */
async function storedRefOf(folder: string): Promise<{ id: string; db: string } | null> {
  const path = `${folder}/metrics.json`;
  if (await statOrNull(path) === null) return null;
  try {
    const benchmark = JSON.parse(await Deno.readTextFile(path))?.benchmark;
    return typeof benchmark?.id === "string" && typeof benchmark?.db === "string"
      ? { id: benchmark.id, db: benchmark.db }
      : null;
  } catch {
    throw new UsageError(`${path}: not valid JSON; is it a graphmeter report folder?`);
  }
}

/**
 * Reads the runs of a benchmark reference. A path on disk is a report folder (the stored
 * benchmark its `metrics.json` names, else its `runs.jsonl`) or a `.jsonl` run log; anything
 * else is resolved in the results store at `db` (default `reports/graphmeter.db`).
 *
 * @param ref The reference as typed.
 * @param db The results store's path (`--db`), or null for the default.
 * @returns The runs and the name to show.
 * @throws {UsageError} When nothing is found under that name, or a file is invalid.
 * @throws {StoreError} When the store cannot be opened, has no such benchmark, or a run in it
 *   cannot be read back.
 *
 * @example Usage
 * ```ts
 * import { readBenchmarkRuns } from "./benchmark_source.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/runs.jsonl`, "");
 * assert.deepEqual((await readBenchmarkRuns(dir, null)).runs, []);
 * await assert.rejects(readBenchmarkRuns("nightly", `${dir}/none.db`), /no results store/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readBenchmarkRuns(ref: string, db: string | null): Promise<BenchmarkRuns> {
  const info = await statOrNull(ref);
  if (info?.isFile) return await fromRunLog(ref, ref);
  if (info?.isDirectory) {
    const folder = ref.replace(/[\\/]+$/, "");
    const stored = await storedRefOf(folder);
    if (stored !== null) {
      using store = await openStoreForCli(db ?? stored.db, true);
      return fromStore(store, stored.id);
    }
    if (await statOrNull(`${folder}/runs.jsonl`) !== null) {
      return await fromRunLog(ref, `${folder}/runs.jsonl`);
    }
    throw new UsageError(`${ref}: neither a metrics.json naming a stored benchmark nor runs.jsonl`);
  }
  if (db === null && await statOrNull(DEFAULT_DB) === null) {
    throw new UsageError(
      `"${ref}": no report folder or run log of that name, and no results store at ` +
        `${DEFAULT_DB} (pass --db)`,
    );
  }
  using store = await openStoreForCli(db, true);
  return fromStore(store, ref);
}
