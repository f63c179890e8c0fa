/**
 * Leases: the process writing a benchmark holds its lease (process id, host, heartbeat), so a
 * second writer of that benchmark is refused, naming the holder. On this host the holder also
 * keeps a lock file's lock (`_lease_lock.ts`): a process gone (killed, crashed) has released it,
 * so its lease is taken over at once, and a live one is never taken over. A lease held from
 * another host (a store on a shared disk) is stale when its heartbeat is older than the stale
 * time. A writer checks its lease in the same transaction as each run it stores, so a process
 * whose lease was taken over stops instead of writing beside the new holder.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { hostname } from "node:os";
import process from "node:process";
import { StoreError } from "./_store_error.ts";
import { statement, transaction } from "./_transaction.ts";
import { LeaseLock, lockHeld } from "./_lease_lock.ts";

/** How long without a heartbeat makes a lease stale, by default: 30 s. */
export const LEASE_STALE_MS = 30_000;

/** A lease as stored: who holds it, since when, and its last heartbeat. */
export interface LeaseInfo {
  /** The benchmark it is the lease of. */
  benchmarkId: string;
  /** The holder's process id. */
  pid: number;
  /** The holder's host name. */
  host: string;
  /** What the holder is doing (e.g. `bench`). */
  command: string;
  /** When it was taken, ISO 8601. */
  acquiredAt: string;
  /** Its last heartbeat, milliseconds since the epoch. */
  heartbeatAt: number;
}

/**
 * A benchmark another live process holds the lease of.
 *
 * @example Usage
 * ```ts
 * import { BenchmarkLeasedError } from "./_leases.ts";
 * import { openResultsStore } from "./results_store.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * using store = openResultsStore(`${dir}/g.db`);
 * const { id, lease } = store.createLeasedBenchmark({
 *   label: null, startedAt: "2026-01-01T00:00:00.000Z", gitCommit: null, settings: {}, meta: {},
 *   plannedRuns: 1, shard: null,
 * }, "bench");
 * assert.throws(() => store.acquireLease(id, "bench --resume"), BenchmarkLeasedError);
 * lease.release();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class BenchmarkLeasedError extends StoreError {
  /** The error's name. */
  override name = "BenchmarkLeasedError";
  /** The lease held. */
  readonly lease: LeaseInfo;
  /**
   * The refusal of a benchmark whose lease is held.
   *
   * @param lease The lease held.
   * @param now The time of the refusal, milliseconds since the epoch.
   */
  constructor(lease: LeaseInfo, now: number) {
    super(
      `benchmark ${lease.benchmarkId} is being written by ${describeHolder(lease, now)}`,
      "leased",
    );
    this.lease = lease;
  }
}

/**
 * A lease this process held that another process took over (it found it stale).
 *
 * @example Usage
 * ```ts
 * import { LeaseLostError } from "./_leases.ts";
 * import { StoreError } from "./_store_error.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new LeaseLostError("taken over").problem, "lease-lost");
 * assert.ok(new LeaseLostError("taken over") instanceof StoreError);
 * ```
 */
export class LeaseLostError extends StoreError {
  /** The error's name. */
  override name = "LeaseLostError";
  /**
   * Creates the error.
   *
   * @param message Who took it over, in one line.
   */
  constructor(message: string) {
    super(message, "lease-lost");
  }
}

/**
 * The holder of a lease in words: `process 1234 on build-7 (bench, heartbeat 2 s ago)`.
 *
 * @param lease The lease.
 * @param now Now, milliseconds since the epoch.
 * @returns The words.
 *
 * @example Usage
 * ```ts
 * import { describeHolder } from "./_leases.ts";
 * import assert from "node:assert/strict";
 *
 * const lease = {
 *   benchmarkId: "x", pid: 1234, host: "build-7", command: "bench",
 *   acquiredAt: "2026-01-01T00:00:00.000Z", heartbeatAt: 10_000,
 * };
 * assert.equal(describeHolder(lease, 12_400), "process 1234 on build-7 (bench, heartbeat 2 s ago)");
 * ```
 */
export function describeHolder(lease: LeaseInfo, now: number): string {
  const ago = Math.max(0, Math.round((now - lease.heartbeatAt) / 1000));
  return `process ${lease.pid} on ${lease.host} (${lease.command}, heartbeat ${ago} s ago)`;
}

/**
 * Whether a process of this host is alive, by `kill(pid, 0)`; null when this process may not
 * signal others (Deno without `--allow-run`).
 */
export function processAlive(pid: number): boolean | null {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ESRCH") return false;
    if (code === "EPERM") return true;
    return null;
  }
}

/** This process's host name ("unknown" when the runtime may not read it). */
function thisHost(): string {
  try {
    return hostname();
  } catch {
    return "unknown";
  }
}

/**
 * Whether a lease still holds. On this host: while its holder keeps the lock file's lock (or,
 * without one, while its process is alive and its heartbeat recent). From another host: while
 * its heartbeat is recent.
 *
 * @param lease The lease.
 * @param now Now, milliseconds since the epoch.
 * @param staleAfterMs How long without a heartbeat makes it stale.
 * @param lockPath The lease's lock file, or null for a store without a file.
 * @returns True while it holds.
 */
export function leaseIsLive(
  lease: LeaseInfo,
  now: number,
  staleAfterMs: number,
  lockPath: string | null,
): boolean {
  if (lease.host === thisHost()) {
    const held = lockPath === null ? null : lockHeld(lockPath);
    if (held !== null) return held;
    if (processAlive(lease.pid) === false) return false;
  }
  return now - lease.heartbeatAt <= staleAfterMs;
}

/** Reads a benchmark's lease row, live or not. */
export function readLease(db: DatabaseSync, benchmarkId: string): LeaseInfo | null {
  const row = db.prepare("SELECT * FROM leases WHERE benchmark_id = ?").get(benchmarkId) as
    | Record<string, string | number>
    | undefined;
  if (row === undefined) return null;
  return {
    benchmarkId,
    pid: Number(row.pid),
    host: String(row.host),
    command: String(row.command),
    acquiredAt: String(row.acquired_at),
    heartbeatAt: Number(row.heartbeat_at),
  };
}

/** What taking a lease needs: the database, the benchmark, who takes it, and the stale time. */
export interface LeaseRequest {
  /** The benchmark. */
  benchmarkId: string;
  /** The holder's token (unique per lease taken). */
  holder: string;
  /** What the holder does, e.g. `bench`. */
  command: string;
  /** How long without a heartbeat makes a lease stale. */
  staleAfterMs: number;
  /** The lease's lock file, or null for a store without a file. */
  lockPath: string | null;
}

/**
 * Takes a benchmark's lease inside the caller's transaction, replacing a stale one: on this host
 * by taking its lock file's lock first (in the same transaction, so no other process can find
 * the new lease unlocked).
 *
 * @param db The database, inside a write transaction.
 * @param request Who takes which lease.
 * @returns The lock file's lock, or null when there is none (a store without a file, or no
 * permission to write beside it): then only the heartbeat tells.
 * @throws {BenchmarkLeasedError} When another live process holds it.
 */
export function takeLease(db: DatabaseSync, request: LeaseRequest): LeaseLock | null {
  const now = Date.now();
  const held = readLease(db, request.benchmarkId);
  const remote = held !== null && held.host !== thisHost();
  if (remote && now - held.heartbeatAt <= request.staleAfterMs) {
    throw new BenchmarkLeasedError(held, now);
  }
  const lock = request.lockPath === null ? null : LeaseLock.take(request.lockPath);
  if (lock === "held") {
    throw new BenchmarkLeasedError(held ?? unknownHolder(request.benchmarkId, now), now);
  }
  if (lock === null && held !== null && !remote) {
    if (leaseIsLive(held, now, request.staleAfterMs, null)) {
      throw new BenchmarkLeasedError(held, now);
    }
  }
  db.prepare(
    `INSERT OR REPLACE INTO leases (benchmark_id, holder, pid, host, command, acquired_at,
      heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    request.benchmarkId,
    request.holder,
    process.pid,
    thisHost(),
    request.command,
    new Date(now).toISOString(),
    now,
  );
  return lock;
}

/** A lock held without a lease row (its row deleted by a SQL client): a process of this host. */
function unknownHolder(benchmarkId: string, now: number): LeaseInfo {
  return {
    benchmarkId,
    pid: 0,
    host: thisHost(),
    command: "unknown",
    acquiredAt: new Date(now).toISOString(),
    heartbeatAt: now,
  };
}

/**
 * Checks, inside the caller's transaction, that a lease is still this holder's, and beats its
 * heartbeat.
 *
 * @param db The database, inside a write transaction.
 * @param benchmarkId The benchmark.
 * @param holder The holder's token.
 * @throws {LeaseLostError} When another process took the lease over.
 */
export function confirmLease(db: DatabaseSync, benchmarkId: string, holder: string): void {
  const now = Date.now();
  const { changes } = statement(
    db,
    "UPDATE leases SET heartbeat_at = ? WHERE benchmark_id = ? AND holder = ?",
  ).run(now, benchmarkId, holder);
  if (changes === 1) return;
  const held = readLease(db, benchmarkId);
  throw new LeaseLostError(
    held === null
      ? `benchmark ${benchmarkId}: this process's lease was released by another`
      : `benchmark ${benchmarkId} was taken over by ${describeHolder(held, now)} while this ` +
        "process stalled",
  );
}

/**
 * A lease this process holds: beat it while writing, release it when done.
 *
 * @example Usage
 * ```ts
 * import { openResultsStore } from "./results_store.ts";
 * import assert from "node:assert/strict";
 *
 * using store = openResultsStore(":memory:");
 * const id = store.createBenchmark({
 *   label: null, startedAt: "2026-01-01T00:00:00.000Z", gitCommit: null, settings: {}, meta: {},
 *   plannedRuns: 1, shard: null,
 * });
 * const lease = store.acquireLease(id, "bench");
 * assert.equal(lease.renew(), true);
 * assert.equal(store.liveLease(id)?.command, "bench");
 * lease.release();
 * assert.equal(store.liveLease(id), null);
 * ```
 */
export class Lease implements Disposable {
  readonly #db: DatabaseSync;
  readonly #lock: LeaseLock | null;
  #released = false;
  /** The benchmark. */
  readonly benchmarkId: string;
  /** This lease's token (unique per lease taken). */
  readonly holder: string;

  /**
   * A lease taken (by `ResultsStore.acquireLease` or `createLeasedBenchmark`).
   *
   * @param db The database.
   * @param benchmarkId The benchmark.
   * @param holder This lease's token.
   * @param lock The lock file's lock it holds, if any.
   */
  constructor(db: DatabaseSync, benchmarkId: string, holder: string, lock: LeaseLock | null) {
    this.#db = db;
    this.#lock = lock;
    this.benchmarkId = benchmarkId;
    this.holder = holder;
  }

  /**
   * Beats the heartbeat (one try: a busy store skips a beat).
   *
   * @returns False when another process took the lease over.
   */
  renew(): boolean {
    if (this.#released || !this.#db.isOpen) return true;
    try {
      transaction(this.#db, () => confirmLease(this.#db, this.benchmarkId, this.holder));
      return true;
    } catch (error) {
      if (error instanceof LeaseLostError) return false;
      return true; // busy or closed: the next beat (or the next stored run) tries again
    }
  }

  /** Releases the lease (when still this holder's); one left behind goes stale with its process. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    try {
      if (this.#db.isOpen) {
        this.#db.prepare("DELETE FROM leases WHERE benchmark_id = ? AND holder = ?")
          .run(this.benchmarkId, this.holder);
      }
    } catch {
      // A busy or read-only store: the lease goes stale once this process has exited.
    } finally {
      this.#lock?.release();
    }
  }

  /** Releases the lease (for `using`). */
  [Symbol.dispose](): void {
    this.release();
  }
}
