/**
 * The store's one error: a store that cannot be opened or used as asked, in one line.
 *
 * @module
 */

/**
 * A store that cannot be opened or used as asked (not a database, a newer schema, an unknown
 * benchmark): its message is one line that says what to do.
 *
 * @example Usage
 * ```ts
 * import { StoreError } from "./_store_error.ts";
 * import { openResultsStore } from "./results_store.ts";
 * import assert from "node:assert/strict";
 *
 * using store = openResultsStore(":memory:");
 * assert.throws(() => store.resolveBenchmark("latest"), StoreError);
 * ```
 */
export class StoreError extends Error {
  /** The error's name. */
  override name = "StoreError";
}
