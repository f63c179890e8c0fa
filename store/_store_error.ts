/**
 * The store's one error: a store that cannot be opened or used as asked, in one line.
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
 * - `holds-runs`: a benchmark to start afresh already holds runs.
 */
export type StoreProblem =
  | "unopenable"
  | "not-a-store"
  | "newer-schema"
  | "unreadable-benchmark"
  | "unreadable-runs"
  | "no-such-benchmark"
  | "holds-runs";

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

  /**
   * Creates the error.
   *
   * @param message What is wrong, in one line.
   * @param problem Which kind of problem it is.
   */
  constructor(message: string, problem: StoreProblem) {
    super(message);
    this.problem = problem;
  }
}
