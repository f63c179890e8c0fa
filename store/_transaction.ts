/**
 * One write transaction: `BEGIN IMMEDIATE` takes the write lock first (waiting out another
 * writer for the connection's busy timeout), so a transaction never fails half-way for a lock.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";

const STATEMENTS = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

/**
 * The database's prepared statement for `sql`, prepared once (preparing costs as much as running
 * a small statement: a run's append ran several).
 *
 * @param db The database.
 * @param sql The statement.
 * @returns The prepared statement.
 *
 * @example Usage
 * ```ts
 * import { DatabaseSync } from "node:sqlite";
 * import { statement } from "./_transaction.ts";
 * import assert from "node:assert/strict";
 *
 * const db = new DatabaseSync(":memory:");
 * assert.equal(statement(db, "SELECT 1"), statement(db, "SELECT 1"));
 * db.close();
 * ```
 */
export function statement(db: DatabaseSync, sql: string): StatementSync {
  let cache = STATEMENTS.get(db);
  if (cache === undefined) STATEMENTS.set(db, cache = new Map());
  let prepared = cache.get(sql);
  if (prepared === undefined) cache.set(sql, prepared = db.prepare(sql));
  return prepared;
}

/**
 * Runs `work` inside one write transaction: committed when it returns, rolled back when it
 * throws (a `BEGIN` that failed, e.g. on a busy store, leaves nothing to roll back).
 *
 * @param db The database.
 * @param work What to do inside the transaction.
 * @returns What `work` returned.
 *
 * @example Usage
 * ```ts
 * import { DatabaseSync } from "node:sqlite";
 * import { transaction } from "./_transaction.ts";
 * import assert from "node:assert/strict";
 *
 * const db = new DatabaseSync(":memory:");
 * db.exec("CREATE TABLE t (v)");
 * assert.throws(() => transaction(db, () => {
 *   db.exec("INSERT INTO t VALUES (1)");
 *   throw new Error("no");
 * }));
 * assert.equal((db.prepare("SELECT COUNT(*) AS n FROM t").get() as { n: number }).n, 0);
 * db.close();
 * ```
 */
export function transaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
