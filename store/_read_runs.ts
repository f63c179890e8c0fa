/**
 * Reading a benchmark's runs back from the store's rows. Records are built as rows are read, a
 * page at a time (holding every row first doubled the memory), then each is checked against the
 * {@linkcode RunRecord} schema: a run whose rows cannot be read back (text that is not JSON in a
 * `*_json` column, a value of the wrong type, a status outside the enum) is set aside with the
 * column to blame, never fatal.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { LLMCallMetrics, StageMetrics } from "../telemetry/metrics.ts";
import { type RunRecord, runRecordSchema } from "../benchmark/run_record.ts";
import { pagedRows } from "./_paged_rows.ts";
import {
  callColumn,
  callOf,
  ColumnError,
  evaluationOf,
  type Row,
  rowsToRecord,
  scoreOf,
  type SqlValue,
  stageOf,
  totalsColumn,
} from "./_rows.ts";
import { pathColumn, pathOfRow } from "./_path_rows.ts";
import type { PathMetrics } from "../telemetry/path_metrics.ts";
import type { EvaluationRecord } from "../evaluate/score_record.ts";

/** A stored run whose rows cannot be read back: which run, which column, and why. */
export interface UnreadableRun {
  /** Its input id, as stored. */
  inputId: SqlValue;
  /** Its repeat, as stored. */
  repeat: SqlValue;
  /** The table and column to blame, e.g. `calls.cost_breakdown_json of call 2`. */
  column: string;
  /** What is wrong with it, e.g. `not JSON`. */
  reason: string;
}

/** A benchmark's runs as read back: the readable records and the unreadable runs. */
export interface StoredRuns {
  /** The records, in finishing order. */
  records: RunRecord[];
  /** The runs that could not be read back (at most one entry per run: its first bad column). */
  unreadable: UnreadableRun[];
}

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The `runs` columns of a record's own fields (the rest are their names in snake case). */
const RECORD_COLUMNS: Record<string, string> = {
  quality: "quality_json",
  error: "error",
};

/**
 * The table and column a schema issue's path points at, e.g. `["metrics", "calls", 2,
 * "costUsd"]` -> `calls.cost_usd of call 2`.
 */
function columnOfPath(path: readonly PropertyKey[]): string {
  const [top, part, key, field] = path.map(String);
  if (top === "evaluation") {
    if (part === "costs") return `evaluations.totals_json or calls_json of evaluator ${key}`;
    return field === undefined
      ? `scores of score ${key}`
      : `scores.${snake(field)} of score ${key}`;
  }
  if (top !== "metrics") return `runs.${RECORD_COLUMNS[top] ?? snake(top)}`;
  switch (part) {
    case "totals":
      return `runs.${totalsColumn(key)}`;
    case "pricing":
      return `runs.pricing_${snake(key)}`;
    case "criticalPath":
      return "runs.critical_path_json";
    case "error":
      return "runs.metrics_error";
    case "stages": {
      const name = field === undefined
        ? "stage"
        : field === "executionSpans"
        ? "execution_spans_json"
        : field === "name"
        ? "stage"
        : totalsColumn(field);
      return `stages.${name} of stage ${key}`;
    }
    case "paths": {
      const figure = path[4] === undefined ? undefined : String(path[4]);
      const side = field === "exclusive" || field === "inclusive";
      const name = field === undefined
        ? "path"
        : pathColumn(side && figure !== undefined ? `${field}.${figure}` : field);
      return `paths.${name} of path ${key}`;
    }
    case "calls":
      return field === undefined
        ? `calls of call ${key}`
        : `calls.${callColumn(field)} of call ${key}`;
    default:
      return `runs.${snake(part)}`;
  }
}

/**
 * Every stored run of a benchmark, in finishing order, checked against the run record schema.
 *
 * @param db The database.
 * @param benchmarkId The benchmark.
 * @returns The readable records and the unreadable runs.
 */
export function readRuns(db: DatabaseSync, benchmarkId: string): StoredRuns {
  const byKey = new Map<string, RunRecord>();
  const unreadable = new Map<string, UnreadableRun>();
  const keyOf = (row: Row): string => `${row.input_id}\u0000${row.repeat}`;
  const setAside = (row: Row, where: (column: string) => string, error: unknown): void => {
    if (!(error instanceof ColumnError)) throw error;
    const key = keyOf(row);
    byKey.delete(key);
    if (!unreadable.has(key)) {
      unreadable.set(key, {
        inputId: row.input_id,
        repeat: row.repeat,
        column: where(error.column),
        reason: error.message,
      });
    }
  };
  // A page at a time with all(): iterate() ends without a word on a damaged page.
  const select = (table: string, keys: string[]): Iterable<Row> =>
    pagedRows(db, { table, where: "benchmark_id = ?", params: [benchmarkId], keys });

  for (const run of select("runs", ["seq", "input_id", "repeat"])) {
    try {
      byKey.set(keyOf(run), rowsToRecord({ run, stages: [], calls: [], paths: [] }));
    } catch (error) {
      setAside(run, (column) => `runs.${column}`, error);
    }
  }
  /** Rows of a run with no `runs` row (a plain SQL client deleted it without foreign keys). */
  const orphan = (row: Row, table: string): void => {
    const key = keyOf(row);
    if (unreadable.has(key)) return;
    unreadable.set(key, {
      inputId: row.input_id,
      repeat: row.repeat,
      column: "runs",
      reason: `no row, yet ${table} rows are left`,
    });
  };
  const order = ["input_id", "repeat", "position"];
  for (const row of select("stages", order)) {
    const metrics = byKey.get(keyOf(row))?.metrics;
    if (!metrics) {
      orphan(row, "stages");
      continue;
    }
    try {
      (metrics.stages as Record<string, StageMetrics>)[row.stage as string] = stageOf(row);
    } catch (error) {
      setAside(row, (column) => `stages.${column} of stage ${row.stage}`, error);
    }
  }
  for (const row of select("calls", order)) {
    const calls = byKey.get(keyOf(row))?.metrics.calls as LLMCallMetrics[] | undefined;
    if (!calls) {
      orphan(row, "calls");
      continue;
    }
    try {
      calls.push(callOf(row));
    } catch (error) {
      setAside(row, (column) => `calls.${column} of call ${row.position}`, error);
    }
  }
  for (const row of select("paths", order)) {
    const paths = byKey.get(keyOf(row))?.metrics.paths as Record<string, PathMetrics> | undefined;
    if (!paths) {
      orphan(row, "paths");
      continue;
    }
    try {
      paths[row.path as string] = pathOfRow(row);
    } catch (error) {
      setAside(row, (column) => `paths.${column} of path ${row.path}`, error);
    }
  }
  /** The run's evaluation record, made on its first score or evaluator row. */
  const evaluationOfRow = (row: Row, table: string): EvaluationRecord | undefined => {
    const record = byKey.get(keyOf(row)) as { evaluation?: EvaluationRecord } | undefined;
    if (record === undefined) {
      orphan(row, table);
      return undefined;
    }
    record.evaluation ??= { scores: [], costs: [] };
    return record.evaluation;
  };
  for (const row of select("scores", order)) {
    (evaluationOfRow(row, "scores")?.scores as unknown[] | undefined)?.push(scoreOf(row));
  }
  for (const row of select("evaluations", order)) {
    const evaluation = evaluationOfRow(row, "evaluations");
    if (evaluation === undefined) continue;
    try {
      (evaluation.costs as unknown[]).push(evaluationOf(row));
    } catch (error) {
      setAside(row, (column) => `evaluations.${column} of evaluator ${row.evaluator}`, error);
    }
  }
  for (const [key, record] of byKey) {
    const checked = runRecordSchema.safeParse(record);
    if (checked.success) continue;
    const [issue] = checked.error.issues;
    byKey.delete(key);
    unreadable.set(key, {
      inputId: record.inputId,
      repeat: record.repeat,
      column: columnOfPath(issue.path),
      reason: issue.message,
    });
  }
  return { records: [...byKey.values()], unreadable: [...unreadable.values()] };
}
