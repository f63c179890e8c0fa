/**
 * Runs stopped in flight (a budget crossed, an interrupt): not finished, so a resume makes them
 * again, but their calls were made and paid. Each is kept in `stopped_runs` as its whole record
 * (JSON, checked against the run record schema when read), with its cost and call count in
 * columns for SQL readers; a run stopped again on a later resume is another attempt.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { type RunRecord, runRecordSchema, runSpend } from "../benchmark/run_record.ts";
import { pagedRows } from "./_paged_rows.ts";

/** A run stopped in flight, as stored. */
export interface StoppedRun {
  /** Its record when it was stopped (its finished calls included). */
  record: RunRecord;
  /** Why it was stopped, in words. */
  reason: string;
  /** Which stop of this run it was, from 1. */
  attempt: number;
  /** When it was stopped, ISO 8601. */
  stoppedAt: string;
}

/** The stopped runs of a benchmark as read back, and those that cannot be. */
export interface StoredStoppedRuns {
  /** The readable ones, in the order they were stopped. */
  runs: StoppedRun[];
  /** Those whose record cannot be read back: which run and why. */
  unreadable: { inputId: string; repeat: number; attempt: number; reason: string }[];
}

/**
 * Stores a stopped run inside the caller's transaction; returns its attempt number.
 *
 * @param db The database, inside a write transaction.
 * @param benchmarkId The benchmark.
 * @param record The run's record when it was stopped.
 * @param reason Why it was stopped.
 * @returns Which stop of this run it was, from 1.
 */
export function insertStoppedRun(
  db: DatabaseSync,
  benchmarkId: string,
  record: RunRecord,
  reason: string,
): number {
  // What it spent: its graph's calls and its evaluators' (an LLM judge is paid too).
  const spend = runSpend(record);
  const { attempt } = db.prepare(
    `SELECT COALESCE(MAX(attempt), 0) + 1 AS attempt FROM stopped_runs
     WHERE benchmark_id = ? AND input_id = ? AND repeat = ?`,
  ).get(benchmarkId, record.inputId, record.repeat) as { attempt: number };
  db.prepare(
    `INSERT INTO stopped_runs (benchmark_id, input_id, repeat, attempt, stopped_at, reason,
      llm_calls, cost_usd, record_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    benchmarkId,
    record.inputId,
    record.repeat,
    attempt,
    new Date().toISOString(),
    reason,
    spend.pricedCalls + spend.unpricedCalls,
    spend.costUsd,
    JSON.stringify(record),
  );
  return attempt;
}

/**
 * Every stopped run of a benchmark, checked against the run record schema.
 *
 * @param db The database.
 * @param benchmarkId The benchmark.
 * @returns The readable ones and the unreadable ones.
 */
export function readStoppedRuns(db: DatabaseSync, benchmarkId: string): StoredStoppedRuns {
  const result: StoredStoppedRuns = { runs: [], unreadable: [] };
  const rows = pagedRows(db, {
    table: "stopped_runs",
    where: "benchmark_id = ?",
    params: [benchmarkId],
    keys: ["stopped_at", "input_id", "repeat", "attempt"],
  });
  for (const row of rows) {
    const where = {
      inputId: String(row.input_id),
      repeat: Number(row.repeat),
      attempt: Number(row.attempt),
    };
    let json: unknown;
    try {
      json = JSON.parse(String(row.record_json));
    } catch {
      result.unreadable.push({ ...where, reason: "stopped_runs.record_json: not JSON" });
      continue;
    }
    const parsed = runRecordSchema.safeParse(json);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      result.unreadable.push({
        ...where,
        reason: `stopped_runs.record_json at ${issue.path.join(".")}: ${issue.message}`,
      });
      continue;
    }
    result.runs.push({
      record: parsed.data as RunRecord,
      reason: String(row.reason),
      attempt: where.attempt,
      stoppedAt: String(row.stopped_at),
    });
  }
  return result;
}
