/**
 * The one small interface every budget counter store implements (in memory, SQLite, Redis, or
 * yours), and the in-memory one. Counters hold whole nano-dollars (1e-9 US dollars): integers add
 * exactly, in JavaScript, SQLite and Redis alike.
 *
 * @module
 */

/** One counter a call touches: its key, its limit, how long it lives. */
export interface BudgetCounterEntry {
  /** The counter's key (unique per limit, value and window). */
  readonly key: string;
  /** The most the counter may hold after a reservation, nano-dollars. */
  readonly maxNanoUsd: number;
  /** How long the counter lives after it is created, ms; null: for ever. */
  readonly ttlMs: number | null;
}

/** What a reservation got: all of it, or refused at one counter (nothing was added then). */
export type BudgetReservation =
  | { readonly granted: true }
  | {
    readonly granted: false;
    /** The entry whose counter could not take the amount. */
    readonly index: number;
    /** What that counter held, nano-dollars. */
    readonly spentNanoUsd: number;
  };

/**
 * A store of spend counters. Both operations are atomic over all their entries: two processes
 * reserving at once never both get the last dollar. A store that answers later returns promises;
 * the guard bounds how long it waits.
 */
export interface BudgetCounter {
  /**
   * Adds `amountNanoUsd` to every entry's counter if each stays at or under its `maxNanoUsd`;
   * else adds nothing and says which counter refused.
   */
  reserve(
    entries: readonly BudgetCounterEntry[],
    amountNanoUsd: number,
  ): BudgetReservation | Promise<BudgetReservation>;
  /**
   * Adds `amountNanoUsd` (negative to give back) to every entry's counter, with no limit.
   *
   * @returns Each counter's new value, nano-dollars, in entry order.
   */
  add(
    entries: readonly BudgetCounterEntry[],
    amountNanoUsd: number,
  ): readonly number[] | Promise<readonly number[]>;
  /** Releases the store's resources (a connection, a file). */
  close?(): void | Promise<void>;
}

const GRANTED: BudgetReservation = Object.freeze({ granted: true });

interface Cell {
  nanoUsd: number;
  expiresAt: number | null;
}

/** Options of {@linkcode MemoryBudgetCounter}. */
export interface MemoryBudgetCounterOptions {
  /** Counters kept at most (the oldest is forgotten first). Default 100,000. */
  maxCounters?: number;
  /** The clock counters expire by, epoch ms (default `Date.now`). */
  now?: () => number;
}

/**
 * Counters in this process's memory: the default, for one process (a fleet shares a SQLite or
 * Redis counter instead). Synchronous, so a guard over it adds no wait to a call. Bounded: an expired
 * counter is dropped when next touched, and beyond `maxCounters` the oldest goes.
 *
 * @example Usage
 * ```ts
 * import { MemoryBudgetCounter } from "./counter.ts";
 * import assert from "node:assert/strict";
 *
 * const counter = new MemoryBudgetCounter();
 * const entries = [{ key: "user:u1", maxNanoUsd: 100, ttlMs: null }];
 * assert.deepEqual(counter.reserve(entries, 60), { granted: true });
 * assert.deepEqual(counter.reserve(entries, 60), { granted: false, index: 0, spentNanoUsd: 60 });
 * assert.deepEqual(counter.add(entries, -10), [50]);
 * ```
 */
export class MemoryBudgetCounter implements BudgetCounter {
  readonly #cells = new Map<string, Cell>();
  readonly #maxCounters: number;
  readonly #now: () => number;

  /**
   * Creates an empty set of counters.
   *
   * @param options How many counters to keep, and the clock.
   */
  constructor(options: MemoryBudgetCounterOptions = {}) {
    this.#maxCounters = options.maxCounters ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  /** How many counters are held. */
  get size(): number {
    return this.#cells.size;
  }

  /** See {@linkcode BudgetCounter.reserve}. */
  reserve(entries: readonly BudgetCounterEntry[], amountNanoUsd: number): BudgetReservation {
    const now = this.#now();
    for (let index = 0; index < entries.length; index++) {
      const spent = this.#value(entries[index].key, now);
      if (spent + amountNanoUsd > entries[index].maxNanoUsd) {
        return { granted: false, index, spentNanoUsd: spent };
      }
    }
    for (const entry of entries) this.#bump(entry, amountNanoUsd, now);
    return GRANTED;
  }

  /** See {@linkcode BudgetCounter.add}. */
  add(entries: readonly BudgetCounterEntry[], amountNanoUsd: number): number[] {
    return this.#addAll(entries, amountNanoUsd, this.#now());
  }

  /** Forgets counters (a run's, once it ended). */
  forget(keys: Iterable<string>): void {
    for (const key of keys) this.#cells.delete(key);
  }

  #value(key: string, now: number): number {
    const cell = this.#cells.get(key);
    if (!cell) return 0;
    if (cell.expiresAt !== null && cell.expiresAt <= now) {
      this.#cells.delete(key);
      return 0;
    }
    return cell.nanoUsd;
  }

  #addAll(entries: readonly BudgetCounterEntry[], amountNanoUsd: number, now: number): number[] {
    return entries.map((entry) => this.#bump(entry, amountNanoUsd, now));
  }

  /** Adds to one counter (created when missing or expired); returns its new value. */
  #bump(entry: BudgetCounterEntry, amountNanoUsd: number, now: number): number {
    let cell = this.#cells.get(entry.key);
    if (cell && cell.expiresAt !== null && cell.expiresAt <= now) {
      this.#cells.delete(entry.key);
      cell = undefined;
    }
    if (!cell) {
      cell = { nanoUsd: 0, expiresAt: entry.ttlMs === null ? null : now + entry.ttlMs };
      this.#cells.set(entry.key, cell);
      // The oldest counter goes first (windowed ones are mostly expired by then).
      if (this.#cells.size > this.#maxCounters) {
        this.#cells.delete(this.#cells.keys().next().value as string);
      }
    }
    cell.nanoUsd += amountNanoUsd;
    return cell.nanoUsd;
  }
}
