/**
 * Bringing a database to this code's schema, safe when several processes open a fresh store at
 * once: each migration runs in a write transaction that first reads the version again, so the
 * process that waited for the lock finds the work done instead of failing with "table
 * benchmarks already exists".
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { StoreError } from "./_store_error.ts";
import { transaction } from "./_transaction.ts";
import { MIGRATIONS, SCHEMA_VERSION } from "./schema.ts";

const versionOf = (db: DatabaseSync): number =>
  (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;

/**
 * Migrates the database to {@linkcode SCHEMA_VERSION}, one migration per transaction.
 *
 * @param db The database (its busy timeout set).
 * @param path Its path, for messages.
 * @throws {StoreError} When it is another application's database, or a newer store.
 */
export function migrate(db: DatabaseSync, path: string): void {
  const check = (version: number): void => {
    if (version === 0) {
      const { tables } = db.prepare(
        "SELECT COUNT(*) AS tables FROM sqlite_master WHERE type = 'table'",
      ).get() as { tables: number };
      if (tables > 0) {
        throw new StoreError(
          `${path} is a SQLite database but not a graphmeter results store`,
          "not-a-store",
        );
      }
    }
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        `${path} has schema version ${version}, newer than this graphmeter's ` +
          `${SCHEMA_VERSION}`,
        "newer-schema",
      );
    }
  };
  const version = versionOf(db);
  check(version);
  if (version === SCHEMA_VERSION) return;
  transaction(db, () => {
    // Again inside the lock: another process may have migrated meanwhile.
    const current = versionOf(db);
    check(current);
    for (let next = current; next < SCHEMA_VERSION; next++) {
      db.exec(MIGRATIONS[next]);
      db.exec(`PRAGMA user_version = ${next + 1}`);
    }
  });
}
