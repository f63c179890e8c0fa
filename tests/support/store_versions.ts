/**
 * Taking a results store back to an older schema version, for the migration tests: SQL that undoes
 * the later migrations' columns, and where each migration sits (the lead renumbers migrations when
 * branches merge, so tests find them by what they create).
 *
 * @module
 */
import { MIGRATIONS } from "../../store/schema.ts";
import type { RunRecord } from "../../benchmark/run_record.ts";

/** The schema version a migration brings a store to (its place in `MIGRATIONS`, from 1). */
export function versionOf(migrationCreating: string): number {
  const index = MIGRATIONS.findIndex((sql) => sql.includes(migrationCreating));
  if (index < 0) throw new Error(`no migration creates ${migrationCreating}`);
  return index + 1;
}

/** The schema version of the HTTP attempts' columns. */
export const ATTEMPTS_VERSION: number = versionOf("attempts_json");

/** A run record as a store without the attempts' columns reads it back: attempts unknown. */
export function withoutAttempts(record: RunRecord): RunRecord {
  const untracked = { trackedCalls: 0, httpAttempts: 0, rateLimitedAttempts: 0, waitMs: 0 };
  const { metrics } = record;
  return {
    ...record,
    metrics: {
      ...metrics,
      totals: { ...metrics.totals, ...untracked },
      stages: Object.fromEntries(
        Object.entries(metrics.stages).map(([name, stage]) => [name, { ...stage, ...untracked }]),
      ),
      calls: metrics.calls.map((call) => ({
        ...call,
        attempts: null,
        serviceLatencyMs: null,
        waitMs: null,
        rateLimit: null,
      })),
    },
  };
}

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

/** Drops `columns` of `table`. */
const dropColumns = (table: string, columns: string[]): string =>
  columns.map((column) => `ALTER TABLE ${table} DROP COLUMN ${column}; `).join("");

/** What undoes each later migration, found by what it creates (numbers move as branches merge). */
const UNDO_BY_MIGRATION: readonly { creates: string; undo: string }[] = [
  { creates: "pricing_notes_json", undo: dropColumns("runs", ["pricing_notes_json"]) },
  { creates: "CREATE TABLE scores", undo: "DROP TABLE scores; DROP TABLE evaluations; " },
  {
    // Node paths: no `paths` table, no `calls.path`, no critical path.
    creates: "CREATE TABLE paths",
    undo: "DROP TABLE paths; " + dropColumns("calls", ["path"]) +
      dropColumns("runs", ["critical_path_json"]),
  },
  {
    // Run attribution.
    creates: "ADD COLUMN attributes_json",
    undo: dropColumns("runs", ["thread_id", "attributes_json", "input_metadata_json"]),
  },
  {
    // One store, many processes: recorded counts, leases, stopped runs.
    creates: "CREATE TABLE leases",
    undo: "DROP TABLE leases; DROP TABLE stopped_runs; " +
      dropColumns("benchmarks", ["recorded_runs", "recorded_calls", "recorded_stopped"]),
  },
  {
    // HTTP attempts.
    creates: "attempts_json",
    undo:
      ["runs", "stages"].map((table) =>
        dropColumns(table, ["tracked_calls", "http_attempts", "rate_limited_attempts", "wait_ms"])
      ).join("") +
      dropColumns("calls", ["attempts_json", "service_latency_ms", "wait_ms", "rate_limit_json"]),
  },
];

/**
 * SQL that takes a store back to schema `version`: every migration after it (from pricing notes
 * on) undone, the last first, and `PRAGMA user_version` set.
 */
export function downgradeTo(version: number): string {
  const later = UNDO_BY_MIGRATION
    .map((migration) => ({ ...migration, version: versionOf(migration.creates) }))
    .filter((migration) => migration.version > version)
    .sort((a, b) => b.version - a.version);
  return later.map((migration) => migration.undo).join("") + `PRAGMA user_version = ${version};`;
}
