/**
 * The one error a user of the command line can cause and fix: a bad flag or value, a missing
 * file, a benchmark that is not there. Every command ends on it the same way: one line that says
 * what to do, and exit status 2.
 *
 * @module
 */

/**
 * A mistake on the command line or in what it names: its message is one line saying what to do.
 *
 * @example Usage
 * ```ts
 * import { UsageError } from "./usage_error.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new UsageError("--runs must be a whole number ≥ 1, got \"0\"");
 * assert.equal(error.name, "UsageError");
 * assert.ok(error instanceof Error);
 * ```
 */
export class UsageError extends Error {
  /** The error's name. */
  override name = "UsageError";
}
