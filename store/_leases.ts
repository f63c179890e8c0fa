/**
 * Leases: the process writing a benchmark holds its lease (process id, host, heartbeat), so a
 * second writer of that benchmark is refused, naming the holder. A lease is stale when its
 * heartbeat is older than the stale time, or when its process is gone from this host (a killed
 * process): then it is taken over. A writer checks its lease in the same transaction as each run
 * it stores, so a process whose lease was taken over (it stalled past the stale time) stops
 * instead of writing beside the new holder.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { hostname } from "node:os";
import process from "node:process";
import { existsSync } from "node:fs";
import { StoreError } from "./_store_error.ts";
import { transaction } from "./_transaction.ts";

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

/** A benchmark another live process holds the lease of. */
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
    super(`benchmark ${lease.benchmarkId} is being written by ${describeHolder(lease, now)}`);
    this.lease = lease;
  }
}

/** A lease this process held that another process took over (it found it stale). */
export class LeaseLostError extends StoreError {
  /** The error's name. */
  override name = "LeaseLostError";
}

/**
 * The holder of a lease in words: `process 1234 on build-7 (bench, heartbeat 2 s ago)`.
 *
 * @param lease The lease.
 * @param now Now, milliseconds since the epoch.
 * @returns The words.
 */
export function describeHolder(lease: LeaseInfo, now: number): string {
  const ago = Math.max(0, Math.round((now - lease.heartbeatAt) / 1000));
  return `process ${lease.pid} on ${lease.host} (${lease.command}, heartbeat ${ago} s ago)`;
}

/**
 * Whether a process of this host is alive: `kill(pid, 0)`, or `/proc/<pid>` when Deno may not
 * signal other processes; null when neither can tell.
 */
export function processAlive(pid: number): boolean | null {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ESRCH") return false;
    if (code === "EPERM") return true;
  }
  try {
    if (existsSync("/proc/self")) return existsSync(`/proc/${pid}`);
  } catch {
    // No permission to read /proc either.
  }
  return null;
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
 * Whether a lease still holds: a recent heartbeat, and (on this host) a process alive.
 *
 * @param lease The lease.
 * @param now Now, milliseconds since the epoch.
 * @param staleAfterMs How long without a heartbeat makes it stale.
 * @returns True while it holds.
 */
export function leaseIsLive(lease: LeaseInfo, now: number, staleAfterMs: number): boolean {
  if (now - lease.heartbeatAt > staleAfterMs) return false;
  if (lease.host === thisHost() && processAlive(lease.pid) === false) return false;
  return true;
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
}

/**
 * Takes a benchmark's lease inside the caller's transaction, replacing a stale one.
 *
 * @param db The database, inside a write transaction.
 * @param request Who takes which lease.
 * @throws {BenchmarkLeasedError} When another live process holds it.
 */
export function takeLease(db: DatabaseSync, request: LeaseRequest): void {
  const now = Date.now();
  const held = readLease(db, request.benchmarkId);
  if (held !== null && leaseIsLive(held, now, request.staleAfterMs)) {
    throw new BenchmarkLeasedError(held, now);
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
  const { changes } = db.prepare(
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

/** A lease this process holds: beat it while writing, release it when done. */
export class Lease implements Disposable {
  readonly #db: DatabaseSync;
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
   */
  constructor(db: DatabaseSync, benchmarkId: string, holder: string) {
    this.#db = db;
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
    if (this.#released || !this.#db.isOpen) return;
    this.#released = true;
    try {
      this.#db.prepare("DELETE FROM leases WHERE benchmark_id = ? AND holder = ?")
        .run(this.benchmarkId, this.holder);
    } catch {
      // A busy or read-only store: the lease goes stale once this process has exited.
    }
  }

  /** Releases the lease (for `using`). */
  [Symbol.dispose](): void {
    this.release();
  }
}
