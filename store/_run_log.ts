/**
 * The runner's run log on the results store: `create` refuses a benchmark that holds runs, `load`
 * reads the runs back (reporting those whose rows cannot be read), `append` commits a run, and
 * replaces the rows of a run `load` found unreadable when it is made again.
 *
 * @module
 */
import type { RunLog, RunLogContents } from "../benchmark/run_log.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import type { ResultsStore } from "./results_store.ts";
import { StoreError } from "./_store_error.ts";

/** The key of a run as stored (its input id and repeat, whatever their types). */
const storedKey = (inputId: unknown, repeat: unknown): string => `${inputId}\u0000${repeat}`;

/**
 * The run log of one benchmark in a store.
 *
 * @param store The store.
 * @param benchmarkId The benchmark.
 * @returns The log.
 */
export function storeRunLog(store: ResultsStore, benchmarkId: string): RunLog {
  // Runs `load` found unreadable: their rows are replaced when the run is made again.
  const redo = new Set<string>();
  const attempt = <T>(work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return {
    create: (): Promise<void> =>
      attempt(() => {
        if (store.countRuns(benchmarkId) > 0) {
          throw new StoreError(
            `benchmark ${benchmarkId} already holds runs: resume it instead`,
            "holds-runs",
          );
        }
      }),
    load: (): Promise<RunLogContents> =>
      attempt(() => {
        const { records, unreadable } = store.readRuns(benchmarkId);
        for (const run of unreadable) redo.add(storedKey(run.inputId, run.repeat));
        const skipped = unreadable.map((run) => ({
          location: `${store.path} run ${run.inputId}#${run.repeat}`,
          reason: `${run.column}: ${run.reason}`,
        }));
        return { records, skipped };
      }),
    append: (record: RunRecord): Promise<void> =>
      attempt(() => {
        const key = storedKey(record.inputId, record.repeat);
        if (redo.has(key)) {
          store.replaceRun(benchmarkId, record);
          redo.delete(key);
        } else store.appendRun(benchmarkId, record);
      }),
  };
}
