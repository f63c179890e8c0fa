/**
 * The errors that cross from the worker to the CLI: a graph or an evaluator the worker could not
 * load (a mistake in the project, one line for the user), and what ended a run or an evaluation
 * inside the worker (its stack kept for `--debug`).
 *
 * @module
 */
import type { RemoteError } from "./protocol.ts";

/**
 * The worker could not load the graph or an evaluator (a mistake in the project: one line, for the user).
 *
 * @example Usage
 * ```ts
 * import { WorkerLoadError } from "./remote_errors.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new WorkerLoadError("--graph agent: not a graph", null);
 * assert.equal(error.remoteStack, null);
 * ```
 */
export class WorkerLoadError extends Error {
  override name = "WorkerLoadError";
  /** The stack of the error inside the worker, when it was not a plain mistake. */
  readonly remoteStack: string | null;
  /**
   * @param message What went wrong.
   * @param remoteStack The worker's stack trace, if any.
   */
  constructor(message: string, remoteStack: string | null = null) {
    super(message);
    this.remoteStack = remoteStack;
  }
}

/**
 * An error that ended a run or an evaluation in the worker, with the worker's stack trace.
 *
 * @example Usage
 * ```ts
 * import { RemoteRunError } from "./remote_errors.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new RemoteRunError({ name: "RangeError", message: "no", stack: "RangeError: no" });
 * assert.equal(`${error.name}: ${error.message}`, "RangeError: no");
 * ```
 */
export class RemoteRunError extends Error {
  /** The stack trace inside the worker, or null. */
  readonly remoteStack: string | null;
  /** @param error The error as the worker sent it. */
  constructor(error: RemoteError) {
    super(error.message);
    this.name = error.name;
    this.remoteStack = error.stack;
  }
}
