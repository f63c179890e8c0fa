/**
 * Finds the runs of a benchmark named on the command line: a report folder (its `runs.jsonl`), a
 * run log file, or (through the results store, when one is given) a benchmark id, a label,
 * `latest` or `latest~N`.
 *
 * @module
 */
import { parseRunLog } from "../benchmarker/run_log.ts";
import type { RunRecord } from "../benchmarker/run_record.ts";
import { UsageError } from "./bench_args.ts";

/** A benchmark's runs, and the name it goes by in reports. */
export interface BenchmarkRuns {
  /** The name in reports (the label, the id, or the folder). */
  label: string;
  /** Its runs. */
  runs: RunRecord[];
}

/**
 * What the results store offers to resolve a reference (`openResultsStore(path)` of
 * benchmarker/store/ fits it): an id, a label, `latest` or `latest~N` to a benchmark, and its
 * runs.
 */
export interface BenchmarkLookup {
  /** The benchmark a reference names, or null when none. */
  resolveBenchmark(ref: string): { id: string | number; label?: string | null } | null;
  /** The runs of a benchmark. */
  loadRuns(id: string | number): RunRecord[];
}

async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/**
 * Reads the runs of a benchmark reference: a report folder holding `runs.jsonl`, a `.jsonl` run
 * log, or, when a store is given, anything the store resolves.
 *
 * @param ref The reference as typed.
 * @param store The results store, when one is open.
 * @returns The runs and the name to show.
 * @throws {UsageError} When nothing is found under that name, or the log is invalid.
 *
 * @example Usage
 * ```ts
 * import { readBenchmarkRuns } from "./benchmark_source.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/runs.jsonl`, "");
 * assert.deepEqual(await readBenchmarkRuns(dir), { label: dir, runs: [] });
 * await assert.rejects(readBenchmarkRuns(`${dir}/nope`), /no report folder/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readBenchmarkRuns(
  ref: string,
  store?: BenchmarkLookup,
): Promise<BenchmarkRuns> {
  const info = await statOrNull(ref);
  if (info !== null) {
    const path = info.isDirectory ? `${ref.replace(/[\\/]+$/, "")}/runs.jsonl` : ref;
    const text = await statOrNull(path) === null ? null : await Deno.readTextFile(path);
    if (text === null) throw new UsageError(`${ref}: no runs.jsonl in this folder`);
    try {
      return { label: ref, runs: parseRunLog(text, path).records };
    } catch (error) {
      throw new UsageError(`${(error as Error).message}; is it a graphmeter run log?`);
    }
  }
  const found = store?.resolveBenchmark(ref) ?? null;
  if (found !== null && store !== undefined) {
    return { label: found.label ?? String(found.id), runs: store.loadRuns(found.id) };
  }
  throw new UsageError(
    store === undefined
      ? `"${ref}": no report folder or run log of that name (benchmark ids, labels and ` +
        "latest~N need the results store)"
      : `"${ref}": no report folder, and no benchmark of that id or label in the store`,
  );
}
