/** Stores as older graphmeters wrote them: what a later migration added, taken away again. */
import type { RunRecord } from "../../benchmark/run_record.ts";

/** Undoes migration 7 (node paths): no `paths` table, no `calls.path`, no critical path. */
export const UNDO_PATHS_MIGRATION = "DROP TABLE paths; ALTER TABLE calls DROP COLUMN path; " +
  "ALTER TABLE runs DROP COLUMN critical_path_json;";

/** Undoes migration 8 (run attribution): no `thread_id`, `attributes_json`, `input_metadata_json`. */
export const UNDO_ATTRIBUTION_MIGRATION = "ALTER TABLE runs DROP COLUMN thread_id; " +
  "ALTER TABLE runs DROP COLUMN attributes_json; ALTER TABLE runs DROP COLUMN input_metadata_json;";

/**
 * SQL that undoes the shared-store migration (recorded counts, leases, stopped runs), for tests
 * that rebuild an older store.
 */
export const UNDO_SHARED_STORE_MIGRATION =
  "DROP TABLE leases; DROP TABLE stopped_runs; ALTER TABLE benchmarks DROP COLUMN recorded_runs; " +
  "ALTER TABLE benchmarks DROP COLUMN recorded_calls; " +
  "ALTER TABLE benchmarks DROP COLUMN recorded_stopped;";

/**
 * A run record as a store without node paths gives it back: no paths, no critical path, calls
 * without their path.
 */
export function withoutPaths(record: RunRecord): RunRecord {
  const { metrics } = record;
  return {
    ...record,
    metrics: {
      ...metrics,
      paths: {},
      criticalPath: [],
      calls: metrics.calls.map(({ path: _path, ...call }) => call),
    },
  };
}
