/**
 * Is the store whole? The cheap check (every command, ~20 ms at 500 benchmarks and 260,000
 * calls) compares each benchmark's stored run, call and stopped-run counts with the counts it
 * recorded as it stored them (in the same transactions), and the rows of every table with the
 * benchmarks that own them: a damaged index or table page makes a count fail or disagree, rows
 * deleted or left behind make them disagree. The full check adds SQLite's own
 * `PRAGMA integrity_check`, the foreign keys, and reading every run back.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { readRuns } from "./_read_runs.ts";
import { readStoppedRuns } from "./_stopped_runs.ts";

/** What the counts of one benchmark say. */
interface CountRow {
  id: string;
  recorded_runs: number;
  recorded_calls: number;
  recorded_stopped: number;
  runs: number;
  calls: number;
  stopped: number;
}

/**
 * The problems the cheap check finds, one line each (empty when the counts agree).
 *
 * @param db The database.
 * @returns The problems.
 */
export function countProblems(db: DatabaseSync): string[] {
  return inOneSnapshot(db, () => countsOf(db));
}

/**
 * Runs `read` in one read transaction (unless one is open already): its statements see the store
 * at one moment, not a benchmark another process stores between two of them (seen as its rows
 * "of no stored benchmark" while three benchmarks and a merge wrote at once).
 */
function inOneSnapshot<T>(db: DatabaseSync, read: () => T): T {
  if (db.isTransaction) return read();
  db.exec("BEGIN");
  try {
    return read();
  } finally {
    db.exec("COMMIT");
  }
}

function countsOf(db: DatabaseSync): string[] {
  const rows = db.prepare(
    `SELECT b.id, b.recorded_runs, b.recorded_calls, b.recorded_stopped,
       (SELECT COUNT(*) FROM runs r WHERE r.benchmark_id = b.id) AS runs,
       (SELECT COUNT(*) FROM calls c WHERE c.benchmark_id = b.id) AS calls,
       (SELECT COUNT(*) FROM stopped_runs s WHERE s.benchmark_id = b.id) AS stopped
     FROM benchmarks b`,
  ).all() as unknown as CountRow[];
  const problems: string[] = [];
  const totals = { runs: 0, calls: 0, stopped: 0 };
  for (const row of rows) {
    for (
      const [what, recorded, stored] of [
        ["runs", row.recorded_runs, row.runs],
        ["calls", row.recorded_calls, row.calls],
        ["stopped runs", row.recorded_stopped, row.stopped],
      ] as const
    ) {
      if (recorded !== stored) {
        problems.push(`benchmark ${row.id} recorded ${recorded} ${what}, ${stored} are stored`);
      }
    }
    totals.runs += row.runs;
    totals.calls += row.calls;
    totals.stopped += row.stopped;
  }
  for (
    const [table, owned] of [
      ["runs", totals.runs],
      ["stages", null],
      ["calls", totals.calls],
      ["stopped_runs", totals.stopped],
    ] as const
  ) {
    const orphans = owned === null
      ? (db.prepare(
        `SELECT COUNT(*) AS n FROM ${table} WHERE benchmark_id NOT IN (SELECT id FROM benchmarks)`,
      ).get() as { n: number }).n
      : (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n - owned;
    if (orphans !== 0) {
      problems.push(`${table} holds ${orphans} row(s) of no stored benchmark`);
    }
  }
  return problems;
}

/** What the full check found. */
export interface StoreCheck {
  /** Benchmarks stored. */
  benchmarks: number;
  /** Runs stored. */
  runs: number;
  /** Calls stored (of finished runs). */
  calls: number;
  /** Runs stopped in flight stored. */
  stoppedRuns: number;
  /** Every problem found, one line each; empty when the store is whole. */
  problems: string[];
}

/**
 * The full check: SQLite's integrity check, the foreign keys, the counts, and every run read
 * back against its schema.
 *
 * @param db The database.
 * @returns What it found.
 */
export function fullCheck(db: DatabaseSync): StoreCheck {
  return inOneSnapshot(db, () => fullCheckOf(db));
}

function fullCheckOf(db: DatabaseSync): StoreCheck {
  const problems: string[] = [];
  const integrity = (db.prepare("PRAGMA integrity_check").all() as { integrity_check: string }[])
    .flatMap((row) => row.integrity_check.split("\n"))
    .filter((line) => line !== "ok" && !line.startsWith("***"));
  problems.push(...integrity.map((line) => `SQLite: ${line}`));
  if (integrity.length > 0) {
    return { benchmarks: 0, runs: 0, calls: 0, stoppedRuns: 0, problems };
  }
  const keys = db.prepare("PRAGMA foreign_key_check").all() as { table: string; parent: string }[];
  for (const row of keys) {
    problems.push(`${row.table} holds a row whose ${row.parent} row is missing`);
  }
  problems.push(...countsOf(db));
  const ids = (db.prepare("SELECT id FROM benchmarks ORDER BY rowid").all() as { id: string }[])
    .map((row) => row.id);
  const check: StoreCheck = { benchmarks: ids.length, runs: 0, calls: 0, stoppedRuns: 0, problems };
  for (const id of ids) {
    const { records, unreadable } = readRuns(db, id);
    check.runs += records.length + unreadable.length;
    check.calls += records.reduce((sum, record) => sum + record.metrics.calls.length, 0);
    for (const run of unreadable) {
      problems.push(
        `benchmark ${id}: run ${run.inputId}#${run.repeat} cannot be read back ` +
          `(${run.column}: ${run.reason})`,
      );
    }
    const stopped = readStoppedRuns(db, id);
    check.stoppedRuns += stopped.runs.length + stopped.unreadable.length;
    for (const run of stopped.unreadable) {
      problems.push(
        `benchmark ${id}: stopped run ${run.inputId}#${run.repeat} (attempt ${run.attempt}) ` +
          `cannot be read back (${run.reason})`,
      );
    }
  }
  return check;
}
