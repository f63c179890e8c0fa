/**
 * Reading many rows a page at a time, each page with `all()`. `node:sqlite`'s `iterate()` ends
 * without a word when SQLite fails part-way (a damaged page: "database disk image is malformed"),
 * so a damaged store read through it looked like a store with fewer rows (an export of 0 calls
 * out of 518, costs summed over what was left). `all()` throws; pages keep the memory of a
 * 100,000-run read bounded, as `iterate()` did.
 *
 * @module
 */
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import type { Row } from "./_rows.ts";

/** What to read: a table, the rows it holds for `where`, in the order of `keys`. */
export interface PagedQuery {
  /** The table. */
  table: string;
  /** The condition (e.g. `benchmark_id = ?`). */
  where: string;
  /** Its parameters. */
  params: readonly SQLInputValue[];
  /**
   * Columns of the table that order the rows and tell them apart (an index's leading columns, so
   * each page is a range of it).
   */
  keys: readonly string[];
  /** Rows per page; default 1,000. */
  pageSize?: number;
}

/**
 * The rows of a query, one page at a time; an error of SQLite's is thrown, never swallowed.
 *
 * @param db The database.
 * @param query What to read.
 * @returns The rows, in key order.
 *
 * @example Usage
 * ```ts
 * import { DatabaseSync } from "node:sqlite";
 * import { pagedRows } from "./_paged_rows.ts";
 * import assert from "node:assert/strict";
 *
 * const db = new DatabaseSync(":memory:");
 * db.exec("CREATE TABLE t (k INTEGER, v TEXT); INSERT INTO t VALUES (2, 'b'), (1, 'a'), (3, 'c')");
 * const rows = [...pagedRows(db, { table: "t", where: "1", params: [], keys: ["k"], pageSize: 2 })];
 * assert.deepEqual(rows.map((row) => row.v), ["a", "b", "c"]);
 * db.close();
 * ```
 */
export function* pagedRows(db: DatabaseSync, query: PagedQuery): Generator<Row> {
  const { table, where, params, keys } = query;
  const pageSize = query.pageSize ?? 1000;
  const order = `ORDER BY ${keys.join(", ")} LIMIT ${pageSize}`;
  const first = db.prepare(`SELECT * FROM ${table} WHERE ${where} ${order}`);
  const next = db.prepare(
    `SELECT * FROM ${table} WHERE ${where} AND (${keys.join(", ")}) > (${
      keys.map(() => "?").join(", ")
    }) ${order}`,
  );
  let page = first.all(...params) as Row[];
  while (page.length > 0) {
    yield* page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1];
    page = next.all(...params, ...keys.map((key) => last[key])) as Row[];
  }
}
