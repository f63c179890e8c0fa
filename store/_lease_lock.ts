/**
 * Whether the process holding a lease on this host is alive, told by the operating system: the
 * holder keeps an exclusive SQLite lock on a small file beside the store (`<db>.lease-<id>`),
 * and the kernel releases it when the process ends, however it ends (SIGKILL, a crash). Taking
 * that lock is how a new writer learns the old one is gone; no permission to signal or inspect
 * other processes is needed.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { existsSync, unlinkSync } from "node:fs";
import { isBusy } from "./_store_error.ts";

/**
 * The lock file of a benchmark's lease, or null for a store without a file (`:memory:`).
 *
 * @param dbPath The store's path.
 * @param benchmarkId The benchmark.
 * @returns The path.
 */
export function leaseLockPath(dbPath: string, benchmarkId: string): string | null {
  if (dbPath === "" || dbPath === ":memory:" || dbPath.startsWith("file:")) return null;
  return `${dbPath}.lease-${benchmarkId.replace(/[^\w.-]/g, "_")}`;
}

/** The lock a lease's holder keeps while it writes. */
export class LeaseLock {
  readonly #db: DatabaseSync;
  readonly #path: string;

  private constructor(db: DatabaseSync, path: string) {
    this.#db = db;
    this.#path = path;
  }

  /**
   * Takes the lock: a lock file left by a process that ended is taken over.
   *
   * @param path The lock file.
   * @param waitMs How long to wait for another process's brief check of it.
   * @returns The lock; `"held"` when a live process holds it; null when it cannot be told (no
   * permission to write the lock file).
   */
  static take(path: string, waitMs = 200): LeaseLock | "held" | null {
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path, { timeout: waitMs });
    } catch {
      return null;
    }
    try {
      db.exec("BEGIN EXCLUSIVE");
      return new LeaseLock(db, path);
    } catch (error) {
      db.close();
      return isBusy(error) ? "held" : null;
    }
  }

  /** Releases the lock and removes its file. */
  release(): void {
    if (!this.#db.isOpen) return;
    try {
      this.#db.exec("ROLLBACK");
    } finally {
      this.#db.close();
    }
    try {
      unlinkSync(this.#path);
    } catch {
      // Removed already, or no permission: the next holder takes the file over.
    }
  }
}

/**
 * Whether a live process holds the lock, checked by taking it for a moment (never removing its
 * file: a new holder may be about to take it).
 *
 * @param path The lock file.
 * @returns True while a process holds it, false when none does, null when it cannot be told
 * (no lock file, or no permission).
 */
export function lockHeld(path: string): boolean | null {
  try {
    if (!existsSync(path)) return null;
  } catch {
    return null;
  }
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { timeout: 0 });
  } catch {
    return null;
  }
  try {
    db.exec("BEGIN EXCLUSIVE");
    db.exec("ROLLBACK");
    return false;
  } catch (error) {
    return isBusy(error) ? true : null;
  } finally {
    db.close();
  }
}
