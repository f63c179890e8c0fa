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
  type StoreCheck,
  type StoredBenchmark,
  type StoredRunTime,
  type StoredScoreMean,
  StoreError,
  type StoreOptions,
  type StoreProblem,
  type WriteOptions,
} from "./results_store.ts";
export { StoreBusyError, StoreDamagedError, StoreWriteError } from "./_store_error.ts";
export {
  BenchmarkLeasedError,
  describeHolder,
  Lease,
  type LeaseInfo,
  LeaseLostError,
} from "./_leases.ts";
export type { StoppedRun, StoredStoppedRuns } from "./_stopped_runs.ts";
export { reservedLabel } from "./_benchmark_rows.ts";
export { MIGRATIONS, SCHEMA_VERSION } from "./schema.ts";
export type { Row, SqlValue } from "./_rows.ts";
export type { StoredRuns, UnreadableRun } from "./_read_runs.ts";
export type { RunLog, RunLogContents, SkippedRecord } from "../benchmark/run_log.ts";
export type { QualityRecord, RunRecord } from "../benchmark/run_record.ts";
export type {
  EvaluationRecord,
  EvaluatorCost,
  ScoreKind,
  ScoreRecord,
} from "../evaluate/score_record.ts";
// The metric types the stored records hold (the same as the root's).
export type * from "../telemetry/metric_types.ts";
