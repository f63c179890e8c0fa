/**
 * A run's node paths as `paths` rows and back (private to the store). Columns are the
 * {@linkcode PathMetrics} schema's fields in snake case; the `exclusive` and `inclusive` figures
 * are flattened with their side as a prefix (`inclusive_cost_usd`), and an object or list field is
 * JSON text in a `*_json` column (`exclusive_tools_json`, `execution_spans_json`).
 *
 * @module
 */
import {
  pathFiguresSchema,
  type PathMetrics,
  pathMetricsSchema,
} from "../telemetry/path_metrics.ts";
import type { Row, SqlValue } from "./_rows.ts";
import { ColumnError } from "./_rows.ts";

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const SIDES = ["exclusive", "inclusive"] as const;
const FIGURE_FIELDS = Object.keys(
  pathFiguresSchema.shape,
) as (keyof typeof pathFiguresSchema.shape)[];
/** Figures fields that are objects (JSON text). */
const JSON_FIGURES: ReadonlySet<string> = new Set(["tools"]);
/** Path fields that are lists (JSON text). */
const JSON_PATH_FIELDS: ReadonlySet<string> = new Set(["executionSpans", "toolSpans"]);
const PLAIN_FIELDS = (Object.keys(pathMetricsSchema.shape) as (keyof PathMetrics)[])
  .filter((field) => field !== "exclusive" && field !== "inclusive");

const figureColumn = (side: string, field: string) =>
  `${side}_${snake(field)}${JSON_FIGURES.has(field) ? "_json" : ""}`;
const plainColumn = (field: string) =>
  `${snake(field)}${JSON_PATH_FIELDS.has(field) ? "_json" : ""}`;

/**
 * The column of a path field, as the store names it: `inclusive.costUsd` ->
 * `inclusive_cost_usd`, `executionSpans` -> `execution_spans_json`.
 *
 * @param field The field (`exclusive.<figure>` or `inclusive.<figure>` for a figure).
 * @returns The column.
 */
export function pathColumn(field: string): string {
  const [side, figure] = field.split(".");
  return figure === undefined ? plainColumn(side) : figureColumn(side, figure);
}

/** The columns of `paths`, after the run key and the position. */
export const PATH_FIELD_COLUMNS: readonly string[] = [
  ...PLAIN_FIELDS.filter((field) => !JSON_PATH_FIELDS.has(field)).map(plainColumn),
  ...SIDES.flatMap((side) => FIGURE_FIELDS.map((field) => figureColumn(side, field))),
  ...PLAIN_FIELDS.filter((field) => JSON_PATH_FIELDS.has(field)).map(plainColumn),
];

/**
 * One path as a `paths` row.
 *
 * @param key The run's key columns.
 * @param position The path's place in the run's order.
 * @param path The path.
 * @returns The row.
 */
export function pathRow(key: Row, position: number, path: PathMetrics): Row {
  const row: Row = { ...key, position };
  for (const field of PLAIN_FIELDS) {
    const value = path[field];
    row[plainColumn(field)] = JSON_PATH_FIELDS.has(field)
      ? JSON.stringify(value)
      : value as SqlValue;
  }
  for (const side of SIDES) {
    for (const field of FIGURE_FIELDS) {
      const value = path[side][field];
      row[figureColumn(side, field)] = JSON_FIGURES.has(field)
        ? JSON.stringify(value)
        : value as SqlValue;
    }
  }
  return row;
}

function parseJson(column: string, value: SqlValue): unknown {
  if (typeof value !== "string") throw new ColumnError(column, `not JSON text (a ${typeof value})`);
  try {
    return JSON.parse(value);
  } catch {
    throw new ColumnError(column, "not JSON");
  }
}

/**
 * One `paths` row as the path's metrics (checked later against the run record's schema).
 *
 * @param row The row.
 * @returns The path.
 * @throws {ColumnError} When a JSON column holds no JSON.
 */
export function pathOfRow(row: Row): PathMetrics {
  const path: Record<string, unknown> = {};
  for (const field of PLAIN_FIELDS) {
    const column = plainColumn(field);
    path[field] = JSON_PATH_FIELDS.has(field) ? parseJson(column, row[column]) : row[column];
  }
  for (const side of SIDES) {
    const figures: Record<string, unknown> = {};
    for (const field of FIGURE_FIELDS) {
      const column = figureColumn(side, field);
      figures[field] = JSON_FIGURES.has(field) ? parseJson(column, row[column]) : row[column];
    }
    path[side] = figures;
  }
  return path as unknown as PathMetrics;
}
