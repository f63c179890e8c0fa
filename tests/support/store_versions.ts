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

/** SQL that drops the HTTP attempts' columns (what the attempts migration added). */
export function dropAttemptColumns(): string {
  const totals = ["tracked_calls", "http_attempts", "rate_limited_attempts", "wait_ms"];
  const calls = ["attempts_json", "service_latency_ms", "wait_ms", "rate_limit_json"];
  return [
    ...["runs", "stages"].flatMap((table) =>
      totals.map((column) => `ALTER TABLE ${table} DROP COLUMN ${column};`)
    ),
    ...calls.map((column) => `ALTER TABLE calls DROP COLUMN ${column};`),
  ].join("");
}

/** The same, when the attempts migration comes after `version` (else nothing to undo). */
export function dropAttemptColumnsAfter(version: number): string {
  return ATTEMPTS_VERSION > version ? dropAttemptColumns() : "";
}

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

/** What undoes each later migration, found by what it creates (numbers move as branches merge). */
const UNDO_BY_MIGRATION: readonly { creates: string; undo: () => string }[] = [
  {
    creates: "pricing_notes_json",
    undo: () => "ALTER TABLE runs DROP COLUMN pricing_notes_json; ",
  },
  { creates: "CREATE TABLE scores", undo: () => "DROP TABLE scores; DROP TABLE evaluations; " },
  { creates: "CREATE TABLE paths", undo: () => UNDO_PATHS_MIGRATION + " " },
  { creates: "ADD COLUMN attributes_json", undo: () => UNDO_ATTRIBUTION_MIGRATION + " " },
  { creates: "CREATE TABLE leases", undo: () => UNDO_SHARED_STORE_MIGRATION + " " },
  { creates: "attempts_json", undo: dropAttemptColumns },
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
  return later.map((migration) => migration.undo()).join("") + `PRAGMA user_version = ${version};`;
}
