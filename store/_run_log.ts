/**
 * The runner's run log on the results store: `create` refuses a benchmark that holds runs, `load`
 * reads the runs back (reporting those whose rows cannot be read) with what the runs stopped in
 * flight cost, `append` commits a run and replaces the rows of a run `load` found unreadable when
 * it is made again, `appendStopped` keeps a run stopped in flight. A store another process holds
 * locked is waited for between tries (the event loop runs meanwhile: signals, heartbeats), up to
 * the store's lock wait.
 *
 * @module
 */
import type { RunLog, RunLogContents } from "../benchmark/run_log.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import type { ResultsStore } from "./results_store.ts";
import type { Lease } from "./_leases.ts";
import { StoreBusyError, StoreError } from "./_store_error.ts";

/** The key of a run as stored (its input id and repeat, whatever their types). */
const storedKey = (inputId: unknown, repeat: unknown): string => `${inputId}\u0000${repeat}`;

/** Milliseconds between tries on a locked store. */
const RETRY_MS = 100;

/**
 * The run log of one benchmark in a store.
 *
 * @param store The store.
 * @param benchmarkId The benchmark.
 * @param lease The lease its writes need, if any.
 * @returns The log.
 */
export function storeRunLog(store: ResultsStore, benchmarkId: string, lease?: Lease): RunLog {
  // Runs `load` found unreadable: their rows are replaced when the run is made again.
  const redo = new Set<string>();
  const attempt = <T>(work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  /** One write, tried again (without blocking the event loop) while the store is locked. */
  const write = async (work: () => void): Promise<void> => {
    const started = Date.now();
    for (;;) {
      try {
        return work();
      } catch (error) {
        if (!(error instanceof StoreBusyError)) throw error;
        const waited = Date.now() - started;
        if (waited >= store.lockWaitMs) {
          throw new StoreBusyError(
            `the results store ${store.path} stayed locked by another process for ` +
              `${Math.round(waited / 1000)} s`,
            store.path,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  };
  const options = { wait: false, lease };
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
        const stopped = store.readStoppedRuns(benchmarkId).runs.map((run) => run.record);
        return { records, skipped, stopped };
      }),
    append: (record: RunRecord): Promise<void> =>
      write(() => {
        const key = storedKey(record.inputId, record.repeat);
        if (redo.has(key)) {
          store.replaceRun(benchmarkId, record, options);
          redo.delete(key);
        } else store.appendRun(benchmarkId, record, options);
      }),
    appendStopped: (record: RunRecord, reason: string): Promise<void> =>
      write(() => store.appendStoppedRun(benchmarkId, record, reason, options)),
  };
}
