/**
 * One write transaction: `BEGIN IMMEDIATE` takes the write lock first (waiting out another
 * writer for the connection's busy timeout), so a transaction never fails half-way for a lock.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";

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
