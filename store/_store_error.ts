/**
 * The store's errors: each a store that cannot be opened or used as asked, in one line of facts
 * (the caller adds what to type). SQLite's own failures are sorted into them by
 * {@linkcode storeErrorOf}: a damaged file, a store another process holds locked past the wait, a
 * read-only file, a full disk.
 *
 * @module
 */

/**
 * What is wrong with a store or what was asked of it:
 * - `unopenable`: the file cannot be opened as a SQLite database;
 * - `not-a-store`: it is a SQLite database of another application;
 * - `newer-schema`: a newer graphmeter wrote it;
 * - `unreadable-benchmark`: a benchmark's own row cannot be read back;
 * - `unreadable-runs`: some runs' rows cannot be read back;
 * - `no-such-benchmark`: no benchmark goes by the name asked for;
 * - `holds-runs`: a benchmark to start afresh already holds runs;
 * - `damaged`: SQLite found a damaged page, or the rows disagree with what was recorded;
 * - `busy`: another process kept the store locked longer than this one waits;
 * - `unwritable`: the file is read-only, or its disk is full;
 * - `leased`: another live process is writing the benchmark;
 * - `lease-lost`: another process took over the benchmark this one was writing.
 */
export type StoreProblem =
  | "unopenable"
  | "not-a-store"
  | "newer-schema"
  | "unreadable-benchmark"
  | "unreadable-runs"
  | "no-such-benchmark"
  | "holds-runs"
  | "damaged"
  | "busy"
  | "unwritable"
  | "leased"
  | "lease-lost";

/**
 * A store that cannot be opened or used as asked (not a database, a newer schema, an unknown
 * benchmark): its message states what is wrong in one line, and `problem` says which kind of
 * problem it is, so a caller can add what to do in its own words.
 *
 * @example Usage
 * ```ts
 * import { StoreError } from "./_store_error.ts";
 * import { openResultsStore } from "./results_store.ts";
 * import assert from "node:assert/strict";
 *
 * using store = openResultsStore(":memory:");
 * assert.throws(() => store.resolveBenchmark("latest"), (error) => {
 *   assert.ok(error instanceof StoreError);
 *   assert.equal(error.problem, "no-such-benchmark");
 *   return true;
 * });
 * ```
 */
export class StoreError extends Error {
  /** The error's name. */
  override name = "StoreError";
  /** Which kind of problem it is. */
  readonly problem: StoreProblem;
  /** The store's path, when the problem is the store's own (damaged, busy, unwritable). */
  readonly path: string | null;

  /**
   * Creates the error.
   *
   * @param message What is wrong, in one line.
   * @param problem Which kind of problem it is.
   * @param path The store's path, when the problem is the store's own.
   */
  constructor(message: string, problem: StoreProblem, path: string | null = null) {
    super(message);
    this.problem = problem;
    this.path = path;
  }
}

/**
 * A damaged store: SQLite found bad pages, or the rows stored disagree with what the benchmarks
 * recorded (rows missing or left over).
 *
 * @example Usage
 * ```ts
 * import { StoreDamagedError, StoreError } from "./_store_error.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(new StoreDamagedError("x", "g.db") instanceof StoreError);
 * ```
 */
export class StoreDamagedError extends StoreError {
  /** The error's name. */
  override name = "StoreDamagedError";
  /**
   * Creates the error.
   *
   * @param message What is damaged, in one line.
   * @param path The store's path.
   */
  constructor(message: string, path: string) {
    super(message, "damaged", path);
  }
}

/**
 * A store another process kept locked for longer than this one would wait.
 *
 * @example Usage
 * ```ts
 * import { StoreBusyError, StoreError } from "./_store_error.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(new StoreBusyError("x", "g.db") instanceof StoreError);
 * ```
 */
export class StoreBusyError extends StoreError {
  /** The error's name. */
  override name = "StoreBusyError";
  /**
   * Creates the error.
   *
   * @param message How long it stayed locked, in one line.
   * @param path The store's path.
   */
  constructor(message: string, path: string) {
    super(message, "busy", path);
  }
}

/**
 * A store that cannot be written: a read-only file or folder, or a full disk.
 *
 * @example Usage
 * ```ts
 * import { StoreError, StoreWriteError } from "./_store_error.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(new StoreWriteError("x", "g.db") instanceof StoreError);
 * ```
 */
export class StoreWriteError extends StoreError {
  /** The error's name. */
  override name = "StoreWriteError";
  /**
   * Creates the error.
   *
   * @param message Why it cannot be written, in one line.
   * @param path The store's path.
   */
  constructor(message: string, path: string) {
    super(message, "unwritable", path);
  }
}

/** SQLite's primary result codes the store sorts (https://sqlite.org/rescode.html, 2026-12-06). */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;

/**
 * SQLite's messages for those codes (`sqlite3_errstr`): `exec()` of `node:sqlite` throws with the
 * message alone, no `errcode`.
 */
const MESSAGES: readonly [RegExp, number][] = [
  [/^database is locked/, SQLITE_BUSY],
  [/^database (table|schema) is locked/, SQLITE_LOCKED],
  [/^attempt to write a readonly database/, SQLITE_READONLY],
  [/^disk I\/O error/, SQLITE_IOERR],
  [/^database disk image is malformed/, SQLITE_CORRUPT],
  [/^database or disk is full/, SQLITE_FULL],
];

/** The primary result code of a `node:sqlite` error (its `errcode` holds the extended one). */
function primaryCode(error: unknown): number | null {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof code === "number") return code & 0xff;
  if ((error as { code?: unknown } | null)?.code !== "ERR_SQLITE_ERROR") return null;
  const message = error instanceof Error ? error.message : "";
  return MESSAGES.find(([pattern]) => pattern.test(message))?.[1] ?? null;
}

/**
 * Whether an error is SQLite saying another connection holds the lock it needs.
 *
 * @param error What was thrown.
 * @returns True for `SQLITE_BUSY` and `SQLITE_LOCKED`.
 *
 * @example Usage
 * ```ts
 * import { isBusy } from "./_store_error.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isBusy(Object.assign(new Error("database is locked"), { errcode: 5 })), true);
 * assert.equal(isBusy(new Error("other")), false);
 * ```
 */
export function isBusy(error: unknown): boolean {
  const code = primaryCode(error);
  return code === SQLITE_BUSY || code === SQLITE_LOCKED;
}

/**
 * The store error a SQLite failure stands for, or null when it is none of those a user meets
 * (then it is a bug, and is thrown as it is; a file that is no database at all is told when it
 * is opened).
 *
 * @param error What SQLite threw.
 * @param path The database's path, for the message.
 * @returns The error to throw instead, or null.
 *
 * @example Usage
 * ```ts
 * import { StoreDamagedError, storeErrorOf } from "./_store_error.ts";
 * import assert from "node:assert/strict";
 *
 * const malformed = Object.assign(new Error("database disk image is malformed"), { errcode: 11 });
 * assert.ok(storeErrorOf(malformed, "g.db") instanceof StoreDamagedError);
 * ```
 */
export function storeErrorOf(error: unknown, path: string): StoreError | null {
  if (error instanceof StoreError) return error;
  const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
  switch (primaryCode(error)) {
    case SQLITE_CORRUPT:
      return new StoreDamagedError(
        `the results store ${path} is damaged (SQLite: ${reason})`,
        path,
      );
    case SQLITE_READONLY:
      return new StoreWriteError(
        `the results store ${path} is read-only (SQLite: ${reason})`,
        path,
      );
    case SQLITE_FULL:
      return new StoreWriteError(`the results store ${path} cannot grow: the disk is full`, path);
    case SQLITE_IOERR:
      return new StoreWriteError(
        `the results store ${path} cannot be read or written (${reason})`,
        path,
      );
    default:
      return null;
  }
}
