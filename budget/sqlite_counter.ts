/**
 * Budget counters in a SQLite file (Deno's and Node's built-in `node:sqlite`), shared by the
 * processes of one machine: each reservation is one `BEGIN IMMEDIATE` transaction, so two processes
 * never both take the last dollar. Its own import (`@graphmeter/graphmeter/budget/sqlite`), so the
 * rest of graphmeter never loads `node:sqlite`.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { BudgetCounter, BudgetCounterEntry, BudgetReservation } from "./counter.ts";

// The types this entry point's signatures use, so its documentation is complete.
export type { BudgetCounter, BudgetCounterEntry, BudgetReservation } from "./counter.ts";

/** Options of {@linkcode SqliteBudgetCounter}. */
export interface SqliteBudgetCounterOptions {
  /** The database file (created when missing); every process sharing budgets opens the same one. */
  path: string;
  /**
   * How long an operation waits for another process's transaction at most, ms (then it fails, and
   * the guard's `failOpen` policy applies). Default 500. The wait blocks this process's event loop
   * (`node:sqlite` is synchronous), so keep it short.
   */
  busyTimeoutMs?: number;
  /** The clock counters expire by, epoch ms (default `Date.now`). */
  now?: () => number;
}

/** Writes between two sweeps of expired counters. */
const SWEEP_EVERY = 1000;

/**
 * Budget counters shared through a SQLite file. Synchronous, like the in-memory counter: a guard
 * over it answers before the call goes on, without a promise.
 *
 * @example Usage
 * ```ts
 * import { SqliteBudgetCounter } from "./sqlite_counter.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const counter = new SqliteBudgetCounter({ path: `${dir}/budget.db` });
 * const entries = [{ key: "user:u1", maxNanoUsd: 100, ttlMs: 60_000 }];
 * assert.deepEqual(counter.reserve(entries, 60), { granted: true });
 * assert.equal(counter.reserve(entries, 60).granted, false);
 * assert.deepEqual(counter.add(entries, -60), [0]);
 * counter.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class SqliteBudgetCounter implements BudgetCounter {
  readonly #db: DatabaseSync;
  readonly #now: () => number;
  readonly #read: StatementSync;
  readonly #add: StatementSync;
  readonly #sweep: StatementSync;
  #writes = 0;

  /**
   * Opens (or creates) the counters' file.
   *
   * @param options The file and how long to wait for another process.
   */
  constructor(options: SqliteBudgetCounterOptions) {
    this.#now = options.now ?? Date.now;
    this.#db = new DatabaseSync(options.path);
    // The busy timeout first: with several processes opening the file at once, the WAL switch and
    // the table's creation would otherwise fail as "locked".
    this.#db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 500))}`);
    this.#db.exec("PRAGMA journal_mode = WAL");
    this.#db.exec(
      "CREATE TABLE IF NOT EXISTS budget_counters " +
        "(key TEXT PRIMARY KEY, nano_usd INTEGER NOT NULL, expires_at INTEGER)",
    );
    this.#read = this.#db.prepare(
      "SELECT nano_usd FROM budget_counters WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)",
    );
    // A counter past its expiry starts again from the amount (its window is over).
    this.#add = this.#db.prepare(
      `INSERT INTO budget_counters (key, nano_usd, expires_at) VALUES (:key, :amount, :expires)
       ON CONFLICT (key) DO UPDATE SET
         nano_usd = CASE WHEN expires_at IS NOT NULL AND expires_at <= :now
           THEN excluded.nano_usd ELSE nano_usd + excluded.nano_usd END,
         expires_at = CASE WHEN expires_at IS NOT NULL AND expires_at <= :now
           THEN excluded.expires_at ELSE expires_at END
       RETURNING nano_usd`,
    );
    this.#sweep = this.#db.prepare(
      "DELETE FROM budget_counters WHERE expires_at IS NOT NULL AND expires_at <= ?",
    );
  }

  /** See {@linkcode BudgetCounter.reserve}: one `BEGIN IMMEDIATE` transaction. */
  reserve(entries: readonly BudgetCounterEntry[], amountNanoUsd: number): BudgetReservation {
    return this.#transaction((now) => {
      for (let index = 0; index < entries.length; index++) {
        const row = this.#read.get(entries[index].key, now) as { nano_usd: number } | undefined;
        const spent = row?.nano_usd ?? 0;
        if (spent + amountNanoUsd > entries[index].maxNanoUsd) {
          return { granted: false, index, spentNanoUsd: spent };
        }
      }
      this.#addAll(entries, amountNanoUsd, now);
      return { granted: true };
    });
  }

  /** See {@linkcode BudgetCounter.add}. */
  add(entries: readonly BudgetCounterEntry[], amountNanoUsd: number): number[] {
    return this.#transaction((now) => this.#addAll(entries, amountNanoUsd, now));
  }

  /** Closes the file. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  #addAll(entries: readonly BudgetCounterEntry[], amountNanoUsd: number, now: number): number[] {
    return entries.map((entry) => {
      const row = this.#add.get({
        key: entry.key,
        amount: amountNanoUsd,
        expires: entry.ttlMs === null ? null : now + entry.ttlMs,
        now,
      }) as { nano_usd: number };
      return row.nano_usd;
    });
  }

  #transaction<T>(work: (now: number) => T): T {
    const now = this.#now();
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = work(now);
      if (++this.#writes % SWEEP_EVERY === 0) this.#sweep.run(now);
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw error;
    }
  }
}
