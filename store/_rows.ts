/**
 * A run record as table rows and back (private to the store). Column names are the schema's
 * field names in snake case, so the field lists are the zod schemas'; a few columns are renamed
 * for SQL readers (`call_run_id`, `ttft_ms`).
 *
 * @module
 */
import type { PathMetrics } from "../telemetry/path_metrics.ts";
import {
  llmCallMetricsSchema,
  type PipelineMetrics,
  type StageMetrics,
  type StageTotals,
  stageTotalsSchema,
} from "../telemetry/metrics.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { PATH_FIELD_COLUMNS, pathOfRow, pathRow } from "./_path_rows.ts";
import type { EvaluatorCost, ScoreRecord } from "../evaluate/score_record.ts";

/** A value SQLite stores. */
export type SqlValue = string | number | null;
/** One table row, by column. */
export type Row = Record<string, SqlValue>;

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Whether a schema field holds an object or a list (stored as JSON text in a `*_json` column). */
function isJsonField(field: unknown): boolean {
  let def = (field as { _zod?: { def?: { type?: string; innerType?: unknown } } })._zod?.def;
  while (def?.type === "nullable" || def?.type === "optional" || def?.type === "default") {
    def = (def.innerType as { _zod?: { def?: { type?: string; innerType?: unknown } } })._zod?.def;
  }
  return def?.type === "object" || def?.type === "array" || def?.type === "record";
}

const TOTAL_FIELDS = Object.keys(stageTotalsSchema.shape) as (keyof StageTotals & string)[];
const JSON_FIELDS: ReadonlySet<string> = new Set(
  [...Object.entries(stageTotalsSchema.shape), ...Object.entries(llmCallMetricsSchema.shape)]
    .filter(([, field]) => isJsonField(field)).map(([name]) => name),
);
const CALL_RENAMES: Record<string, string> = {
  runId: "call_run_id",
  timeToFirstTokenMs: "ttft_ms",
};
const CALL_FIELDS = Object.keys(
  llmCallMetricsSchema.shape,
) as (keyof typeof llmCallMetricsSchema.shape & string)[];
const column = (field: string): string =>
  CALL_RENAMES[field] ?? (JSON_FIELDS.has(field) ? `${snake(field)}_json` : snake(field));
/** The column of a totals field (`costUsd` -> `cost_usd`, `costBreakdown` -> `cost_breakdown_json`). */
export const totalsColumn: (field: string) => string = column;
/** The column of a call field (`runId` -> `call_run_id`, `timeToFirstTokenMs` -> `ttft_ms`). */
export const callColumn: (field: string) => string = column;

/** A column whose value cannot be read back (e.g. text that is not JSON in a `*_json` column). */
export class ColumnError extends Error {
  /** The error's name. */
  override name = "ColumnError";
  /**
   * @param column The column, e.g. `cost_breakdown_json`.
   * @param reason What is wrong with its value, e.g. `not JSON`.
   */
  constructor(readonly column: string, reason: string) {
    super(reason);
  }
}

/** The value of a `*_json` column, or a {@linkcode ColumnError} naming it. */
function parseJson(column: string, value: SqlValue): unknown {
  if (typeof value !== "string") throw new ColumnError(column, `not JSON text (a ${typeof value})`);
  try {
    return JSON.parse(value);
  } catch {
    throw new ColumnError(column, "not JSON");
  }
}

/** A field's value as SQLite stores it: objects and lists as JSON, booleans as 0 or 1. */
function toSql(field: string, value: unknown): SqlValue {
  if (JSON_FIELDS.has(field)) return value === null ? null : JSON.stringify(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return value as SqlValue;
}

type Defaults = ReadonlyMap<string, unknown>;

/**
 * What a NULL JSON column reads as, per schema: the field's default. Rows written before the
 * column existed (a database from schema version 1, migrated) hold NULL where the schema now has
 * a non-null default (a stage's `costBreakdown`), and null there made aggregation throw.
 */
function jsonDefaults(shape: Record<string, unknown>): Defaults {
  return new Map(
    Object.entries(shape).filter(([name]) => JSON_FIELDS.has(name)).map(([name, field]) => [
      name,
      (field as { safeParse(v: unknown): { data?: unknown } }).safeParse(undefined).data ?? null,
    ]),
  );
}
const TOTAL_DEFAULTS = jsonDefaults(stageTotalsSchema.shape);
const CALL_DEFAULTS = jsonDefaults(llmCallMetricsSchema.shape);

/** The inverse of {@linkcode toSql} (booleans are restored by the caller, which knows them). */
function fromSql(field: string, value: SqlValue, defaults: Defaults): unknown {
  if (JSON_FIELDS.has(field)) {
    return value === null
      ? structuredClone(defaults.get(field) ?? null)
      : parseJson(column(field), value);
  }
  return value;
}

/** The columns of the run key, shared by every table but `benchmarks`. */
export const KEY_COLUMNS: readonly string[] = ["benchmark_id", "input_id", "repeat"];
/** The columns of `runs`. */
export const RUN_COLUMNS: readonly string[] = [
  ...KEY_COLUMNS,
  "seq",
  "run_id",
  "run_count",
  "started_at",
  "wall_time_ms",
  "status",
  "error",
  "metrics_error",
  "handler_errors",
  "pricing_catalog",
  "pricing_version",
  "pricing_override_models",
  "pricing_data_date",
  "pricing_notes_json",
  "critical_path_json",
  "thread_id",
  "attributes_json",
  "input_metadata_json",
  "input_amount",
  "output_summary",
  "quality_json",
  ...TOTAL_FIELDS.map(column),
];
/** The columns of `stages`. */
export const STAGE_COLUMNS: readonly string[] = [
  ...KEY_COLUMNS,
  "position",
  "stage",
  "execution_spans_json",
  ...TOTAL_FIELDS.map(column),
];
/** The columns of `calls`. */
export const CALL_COLUMNS: readonly string[] = [
  ...KEY_COLUMNS,
  "position",
  ...CALL_FIELDS.map(callColumn),
];
/** The columns of `paths`. */
export const PATH_COLUMNS: readonly string[] = [...KEY_COLUMNS, "position", ...PATH_FIELD_COLUMNS];

function totalsRow(totals: StageTotals): Row {
  return Object.fromEntries(TOTAL_FIELDS.map((f) => [column(f), toSql(f, totals[f])]));
}

function totalsOf(row: Row): StageTotals {
  return Object.fromEntries(
    TOTAL_FIELDS.map((f) => [f, fromSql(f, row[column(f)], TOTAL_DEFAULTS)]),
  ) as unknown as StageTotals;
}

/** The columns of `scores`. */
export const SCORE_COLUMNS: readonly string[] = [
  ...KEY_COLUMNS,
  "key",
  "position",
  "score",
  "kind",
  "comment",
  "error",
];
/** The columns of `evaluations`. */
export const EVALUATION_COLUMNS: readonly string[] = [
  ...KEY_COLUMNS,
  "position",
  "evaluator",
  "llm_calls",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "totals_json",
  "calls_json",
];

/** The rows of one finished run, for the `runs`, `stages`, `calls`, `scores` and `evaluations` tables. */
export interface RunRows {
  /** Its `runs` row. */
  run: Row;
  /** Its `stages` rows, in the order the stages appeared. */
  stages: Row[];
  /** Its `calls` rows, in call order. */
  calls: Row[];
  /** Its `paths` rows, parents first (none for runs stored before paths). */
  paths: Row[];
  /** Its `scores` rows, in the order the evaluators returned them (none when not evaluated). */
  scores?: Row[];
  /** Its `evaluations` rows: the evaluators that made LLM calls. */
  evaluations?: Row[];
}

/**
 * One `scores` row as the score.
 *
 * @param row The row.
 * @returns The score.
 */
export function scoreOf(row: Row): ScoreRecord {
  return {
    key: row.key as string,
    score: row.score as number | null,
    kind: row.kind as ScoreRecord["kind"],
    comment: row.comment as string | null,
    error: row.error as string | null,
  };
}

/**
 * One `evaluations` row as the evaluator's cost.
 *
 * @param row The row.
 * @returns The evaluator's cost on the run.
 */
export function evaluationOf(row: Row): EvaluatorCost {
  return {
    evaluator: row.evaluator as string,
    totals: parseJson("totals_json", row.totals_json) as EvaluatorCost["totals"],
    calls: parseJson("calls_json", row.calls_json) as EvaluatorCost["calls"],
  };
}

/**
 * One `stages` row as the stage's metrics.
 *
 * @param row The row.
 * @returns The stage.
 */
export function stageOf(row: Row): StageMetrics {
  return {
    name: row.stage as string,
    ...totalsOf(row),
    executionSpans: parseJson("execution_spans_json", row.execution_spans_json) as StageMetrics[
      "executionSpans"
    ],
  };
}

/**
 * One `calls` row as the call's metrics.
 *
 * @param row The row.
 * @returns The call.
 */
export function callOf(row: Row): PipelineMetrics["calls"][number] {
  const call: Record<string, unknown> = {};
  for (const field of CALL_FIELDS) {
    call[field] = fromSql(field, row[callColumn(field)], CALL_DEFAULTS);
  }
  call.usageReported = call.usageReported === 1;
  // Calls stored before paths have none (the schema's field is optional, not nullable).
  if (call.path === null) delete call.path;
  return call as unknown as PipelineMetrics["calls"][number];
}

/**
 * Splits a run record into rows.
 *
 * @param benchmarkId The benchmark the run belongs to.
 * @param seq The run's place in finishing order.
 * @param record The run.
 * @returns Its rows.
 */
export function recordToRows(benchmarkId: string, seq: number, record: RunRecord): RunRows {
  const key = { benchmark_id: benchmarkId, input_id: record.inputId, repeat: record.repeat };
  const m = record.metrics;
  const run: Row = {
    ...key,
    seq,
    run_id: m.runId,
    run_count: m.runCount,
    started_at: m.startedAt,
    wall_time_ms: m.wallTimeMs,
    status: m.status,
    error: record.error,
    metrics_error: m.error,
    handler_errors: m.handlerErrors,
    pricing_catalog: m.pricing.catalog,
    pricing_version: m.pricing.version,
    pricing_override_models: m.pricing.overrideModels,
    pricing_data_date: m.pricing.dataDate,
    pricing_notes_json: JSON.stringify(m.pricing.notes ?? []),
    critical_path_json: JSON.stringify(m.criticalPath ?? []),
    thread_id: m.threadId ?? null,
    attributes_json: JSON.stringify(m.attributes ?? {}),
    input_metadata_json: record.inputMetadata ? JSON.stringify(record.inputMetadata) : null,
    input_amount: record.inputAmount,
    output_summary: record.outputSummary,
    quality_json: record.quality === null ? null : JSON.stringify(record.quality),
    ...totalsRow(m.totals),
  };
  const stages = Object.values(m.stages).map((stage, position): Row => ({
    ...key,
    position,
    stage: stage.name,
    execution_spans_json: JSON.stringify(stage.executionSpans),
    ...totalsRow(stage),
  }));
  const calls = m.calls.map((call, position): Row => {
    const row: Row = { ...key, position };
    for (const field of CALL_FIELDS) row[callColumn(field)] = toSql(field, call[field] ?? null);
    return row;
  });
  const paths = Object.values(m.paths ?? {}).map((path, position) => pathRow(key, position, path));
  const scores = (record.evaluation?.scores ?? []).map((score, position): Row => ({
    ...key,
    key: score.key,
    position,
    score: score.score,
    kind: score.kind,
    comment: score.comment,
    error: score.error,
  }));
  const evaluations = (record.evaluation?.costs ?? []).map((cost, position): Row => ({
    ...key,
    position,
    evaluator: cost.evaluator,
    llm_calls: cost.totals.llmCalls,
    input_tokens: cost.totals.inputTokens,
    output_tokens: cost.totals.outputTokens,
    cost_usd: cost.totals.costUsd,
    totals_json: JSON.stringify(cost.totals),
    calls_json: JSON.stringify(cost.calls),
  }));
  return { run, stages, calls, paths, scores, evaluations };
}

/** A run's critical path (stores from before migration 7 have the column's default, `[]`). */
function criticalPathOf(value: SqlValue): string[] {
  const paths = value === null || value === undefined ? [] : parseJson("critical_path_json", value);
  if (!Array.isArray(paths) || !paths.every((path) => typeof path === "string")) {
    throw new ColumnError("critical_path_json", "not a list of strings");
  }
  return paths;
}

/** A run's pricing notes (stores from before migration 5 have the column's default, `[]`). */
function notesOf(value: SqlValue): string[] {
  const notes = value === null || value === undefined ? [] : parseJson("pricing_notes_json", value);
  if (!Array.isArray(notes) || !notes.every((note) => typeof note === "string")) {
    throw new ColumnError("pricing_notes_json", "not a list of strings");
  }
  return notes;
}

/** A run's attribution keys (stores from before migration 8 have the column's default, `{}`). */
function attributesOf(value: SqlValue): Record<string, string> {
  const attributes = value === null || value === undefined
    ? {}
    : parseJson("attributes_json", value);
  if (
    typeof attributes !== "object" || attributes === null || Array.isArray(attributes) ||
    !Object.values(attributes).every((v) => typeof v === "string")
  ) {
    throw new ColumnError("attributes_json", "not an object of strings");
  }
  return attributes as Record<string, string>;
}

/** An input's metadata, or null for none (stores from before migration 8 have none). */
function inputMetadataOf(value: SqlValue): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  const metadata = parseJson("input_metadata_json", value);
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
    throw new ColumnError("input_metadata_json", "not an object");
  }
  return metadata as Record<string, unknown>;
}

/**
 * Joins a run's rows back into its record (the inverse of {@linkcode recordToRows}).
 *
 * @param rows The run's rows; stages and calls in position order.
 * @returns The record.
 */
export function rowsToRecord(rows: RunRows): RunRecord {
  const { run } = rows;
  const stages: Record<string, StageMetrics> = {};
  for (const row of rows.stages) stages[row.stage as string] = stageOf(row);
  const calls = rows.calls.map(callOf);
  const paths: Record<string, PathMetrics> = {};
  for (const row of rows.paths) paths[row.path as string] = pathOfRow(row);
  const metrics: PipelineMetrics = {
    runId: run.run_id as string,
    runCount: run.run_count as number,
    startedAt: run.started_at as number,
    wallTimeMs: run.wall_time_ms as number,
    status: run.status as PipelineMetrics["status"],
    error: run.metrics_error as string | null,
    stages,
    calls,
    totals: totalsOf(run),
    paths,
    criticalPath: criticalPathOf(run.critical_path_json),
    pricing: {
      catalog: run.pricing_catalog as string,
      version: run.pricing_version as string,
      overrideModels: run.pricing_override_models as number,
      dataDate: run.pricing_data_date as string | null,
      notes: notesOf(run.pricing_notes_json),
    },
    handlerErrors: run.handler_errors as number,
    threadId: (run.thread_id as string | null | undefined) ?? null,
    attributes: attributesOf(run.attributes_json),
  };
  const inputMetadata = inputMetadataOf(run.input_metadata_json);
  const scores = rows.scores ?? [];
  const evaluations = rows.evaluations ?? [];
  return {
    inputId: run.input_id as string,
    repeat: run.repeat as number,
    inputAmount: run.input_amount as number | null,
    outputSummary: run.output_summary as string | null,
    metrics,
    quality: run.quality_json === null
      ? null
      : parseJson("quality_json", run.quality_json) as RunRecord["quality"],
    ...(scores.length === 0 && evaluations.length === 0 ? {} : {
      evaluation: { scores: scores.map(scoreOf), costs: evaluations.map(evaluationOf) },
    }),
    error: run.error as string | null,
    ...(inputMetadata === null ? {} : { inputMetadata }),
  };
}
