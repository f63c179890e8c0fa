/**
 * The CLI's one error path: every failure a user can cause or meet (a bad flag, a missing or
 * unwritable path, `--out` naming a file, a read-only or full disk, a missing permission) becomes
 * one line that says what to do, with exit status 2; anything else is a bug: one line too, and the
 * stack trace only with `--debug`.
 *
 * @module
 */
import { UsageError } from "./bench/args.ts";
import { StoreError } from "../store/mod.ts";

/** The exit status of a usage or input error (a bad flag, a bad file, a full disk). */
export const EXIT_USAGE = 2;
/** The exit status when some runs failed (the report is still written), or of a bug. */
export const EXIT_FAILED = 1;
/** The exit status after Ctrl-C (SIGINT); other signals end with 128 + their number. */
export const EXIT_INTERRUPTED = 130;

/** Where a file-system error happened: what the CLI was doing and to which path. */
export interface FsContext {
  /** What was being done, e.g. `write the run log`. */
  action: string;
  /** The path. */
  path: string;
  /** Where what was already recorded is kept (e.g. the results store), for the message. */
  keptIn?: string;
}

/** The OS error code a Deno error message carries, e.g. 28 for `(os error 28)`. */
function osError(error: Error): number | null {
  const match = /\(os error (\d+)\)/.exec(error.message);
  return match ? Number(match[1]) : null;
}

/**
 * Turns a file-system error into a {@linkcode UsageError} with one line that says what to do,
 * or returns null when it is not one the user can fix.
 *
 * @param error The error thrown by a `Deno.*` file call.
 * @param context What was being done, to which path.
 * @param rerun The exact command that would work when a permission is missing.
 * @returns The usage error, or null.
 *
 * @example Usage
 * ```ts
 * import { fsUsageError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * const full = new Error("No space left on device (os error 28)");
 * const context = { action: "write", path: "r/metrics.json", keptIn: "r/graphmeter.db" };
 * const error = fsUsageError(full, context, "");
 * assert.match(error?.message ?? "", /^cannot write r\/metrics.json: the disk is full/);
 * ```
 */
export function fsUsageError(error: unknown, context: FsContext, rerun: string): UsageError | null {
  if (!(error instanceof Error)) return null;
  const { action, path } = context;
  const kept = context.keptIn === undefined
    ? ""
    : `; what was already recorded is kept in ${context.keptIn}`;
  if (error instanceof Deno.errors.NotCapable) {
    return new UsageError(`cannot ${action} ${path}: Deno was not allowed to; run ${rerun}`);
  }
  const code = osError(error);
  if (code === 28) {
    return new UsageError(
      `cannot ${action} ${path}: the disk is full; free some space and run again${kept}`,
    );
  }
  if (code === 30) {
    return new UsageError(
      `cannot ${action} ${path}: the file system is read-only; choose a writable --out${kept}`,
    );
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new UsageError(
      `cannot ${action} ${path}: permission denied; choose a folder you can write (--out)${kept}`,
    );
  }
  if (error instanceof Deno.errors.AlreadyExists || error instanceof Deno.errors.NotADirectory) {
    return new UsageError(
      `cannot ${action} ${path}: a file is in the way (is --out a file?); choose a folder for --out`,
    );
  }
  if (error instanceof Deno.errors.IsADirectory) {
    return new UsageError(`cannot ${action} ${path}: it is a folder; move it away or change --out`);
  }
  if (error instanceof Deno.errors.NotFound) {
    return new UsageError(`cannot ${action} ${path}: no such file or folder`);
  }
  return null;
}

/**
 * Runs an async file-system step, turning the errors a user can fix into one-line
 * {@linkcode UsageError}s.
 *
 * @param context What is being done, to which path.
 * @param rerun The exact command that would work when a permission is missing.
 * @param step The step.
 * @returns What the step returned.
 * @throws {UsageError} For a fixable file-system error; rethrows any other.
 *
 * @example Usage
 * ```ts
 * import { fsStep } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/file`, "");
 * await assert.rejects(
 *   () => fsStep({ action: "create", path: `${dir}/file/out` }, "", () => Deno.mkdir(`${dir}/file/out`)),
 *   /a file is in the way/,
 * );
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function fsStep<T>(
  context: FsContext,
  rerun: string,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw fsUsageError(error, context, rerun) ?? error;
  }
}

/**
 * The one line (and exit status) of an error that reached the top of the CLI.
 *
 * @param error What was thrown.
 * @param debug Whether `--debug` was given: then a bug's stack trace follows its line.
 * @returns The text to print on stderr and the exit status.
 *
 * @example Usage
 * ```ts
 * import { describeFailure } from "./errors.ts";
 * import { UsageError } from "./bench/args.ts";
import { StoreError } from "../store/mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(describeFailure(new UsageError("--runs must be ≥ 1"), false), {
 *   text: "bench: --runs must be ≥ 1\n",
 *   exitCode: 2,
 * });
 * assert.equal(describeFailure(new TypeError("x is undefined"), false).text.split("\n").length, 2);
 * ```
 */
export function describeFailure(
  error: unknown,
  debug: boolean,
): { text: string; exitCode: number } {
  // A store that is damaged, read-only, locked or written by another process: not a bug.
  if (error instanceof UsageError || error instanceof StoreError) {
    return { text: `bench: ${error.message}\n`, exitCode: EXIT_USAGE };
  }
  const fixable = fsUsageError(error, { action: "use", path: "a file" }, "");
  if (fixable !== null && !(error instanceof Deno.errors.NotFound)) {
    const detail = error instanceof Error ? ` (${error.message.split("\n")[0]})` : "";
    return { text: `bench: ${fixable.message}${detail}\n`, exitCode: EXIT_USAGE };
  }
  const message = error instanceof Error
    ? `${error.name}: ${error.message.split("\n")[0]}`
    : String(error);
  if (debug) {
    const stack = error instanceof Error && error.stack ? error.stack : message;
    return {
      text: `bench: unexpected error (a bug): ${message}\n${stack}\n`,
      exitCode: EXIT_FAILED,
    };
  }
  return {
    text: `bench: unexpected error (a bug): ${message}; add --debug for the stack trace\n`,
    exitCode: EXIT_FAILED,
  };
}
