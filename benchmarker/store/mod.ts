/**
 * The SQLite results store: benchmarks, runs, stages and calls in one database.
 *
 * @example Usage
 * ```ts
 * import { openResultsStore } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * using store = openResultsStore(":memory:");
 * assert.deepEqual(store.listBenchmarks(), []);
 * ```
 *
 * @module
 */
export {
  type BenchmarkSummary,
  type NewBenchmark,
  openResultsStore,
  ResultsStore,
  type StoredBenchmark,
  type StoredRunTime,
  StoreError,
} from "./results_store.ts";
export { MIGRATIONS, SCHEMA_VERSION } from "./schema.ts";
export type { Row, SqlValue } from "./_rows.ts";
export type { RunLog, RunLogContents } from "../run_log.ts";
export type { RunRecord } from "../run_record.ts";
