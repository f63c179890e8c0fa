/**
 * What a failure says on the command line, for every command: a failure a user can cause or meet
 * (a bad flag, a missing or unwritable path, `--out` naming a file, a read-only or full disk, a
 * missing permission, a store or price file that cannot be used) becomes one line that says what
 * to do, with exit status 2; anything else is a bug: one line too, and the stack trace only with
 * `--debug`. The libraries' errors state facts; the advice that names a flag or a command is
 * added here.
 *
 * @module
 */
import { CatalogDataError } from "../pricing/catalog.ts";
import { StoreError, type StoreProblem } from "../store/mod.ts";
import { UsageError } from "./usage_error.ts";
import { shellQuote } from "./shell_quote.ts";

/** The exit status of a usage or input error (a bad flag, a bad file, a full disk). */
export const EXIT_USAGE = 2;
/** The exit status when some runs failed (the report is still written), or of a bug. */
export const EXIT_FAILED = 1;
/** The exit status after Ctrl-C (SIGINT); other signals end with 128 + their number. */
export const EXIT_INTERRUPTED = 130;

/** Where a file-system error happened: what the CLI was doing and to which path. */
export interface FsContext {
  /** What was being done, e.g. `create the output folder`. */
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
 * Writes a file a flag names (`--json FILE`); a file that cannot be written is one line naming the
 * flag.
 *
 * @param flag The flag, e.g. `--json`.
 * @param path The file.
 * @param text What to write.
 * @throws {UsageError} When the file cannot be written.
 *
 * @example Usage
 * ```ts
 * import { writeFileForFlag } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(
 *   writeFileForFlag("--json", "/nonexistent/folder/c.json", "{}"),
 *   /^UsageError: --json \/nonexistent\/folder\/c\.json: cannot write \(/,
 * );
 * ```
 */
export async function writeFileForFlag(flag: string, path: string, text: string): Promise<void> {
  try {
    await Deno.writeTextFile(path, text);
  } catch (error) {
    throw new UsageError(`${flag} ${path}: cannot write (${(error as Error).message})`);
  }
}

/**
 * What to do about each problem of the results store, in the CLI's words (the store's own
 * message already says it where no flag or command is named).
 */
const STORE_ADVICE: Record<StoreProblem, (path: string) => string> = {
  unopenable: () => "; choose another --db",
  "not-a-store": () => "; choose another --db",
  "newer-schema": () => "; upgrade graphmeter or choose another --db",
  "unreadable-benchmark": () => "; start a new benchmark (without --resume)",
  "unreadable-runs": () => "",
  "no-such-benchmark": () => "; see deno task history",
  "holds-runs": () => "",
  damaged: (path) =>
    `; deno task check-store --db ${shellQuote(path)} lists the damage; restore the store ` +
    "from a backup, or choose another --db (nothing was written)",
  busy: () => "; run again once it is done",
  unwritable: () => "; make it writable (or free some space), or choose another --db",
  leased: () => "; wait for it to finish, or start a new benchmark",
  "lease-lost": () => "",
};

/**
 * A results store's error as the CLI says it: the store's fact, then what to do.
 *
 * @param error The store's error.
 * @returns The line.
 *
 * @example Usage
 * ```ts
 * import { describeStoreError } from "./errors.ts";
 * import { openResultsStore, StoreError } from "../store/mod.ts";
 * import assert from "node:assert/strict";
 *
 * using store = openResultsStore(":memory:");
 * assert.throws(() => store.resolveBenchmark("nightly"), (error) => {
 *   assert.ok(error instanceof StoreError);
 *   assert.match(describeStoreError(error), /"nightly" in :memory:; see deno task history$/);
 *   return true;
 * });
 * ```
 */
export function describeStoreError(error: StoreError): string {
  return error.message + STORE_ADVICE[error.problem](error.path ?? "reports/graphmeter.db");
}

/**
 * The one line of an error a user can fix, or null when it is none (a bug, or a file-system
 * error: see {@linkcode fsUsageError}).
 *
 * @param error What was thrown.
 * @returns The line, without the command's name.
 *
 * @example Usage
 * ```ts
 * import { userErrorLine } from "./errors.ts";
 * import { UsageError } from "./usage_error.ts";
import { shellQuote } from "./shell_quote.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(userErrorLine(new UsageError("--runs must be ≥ 1")), "--runs must be ≥ 1");
 * assert.equal(userErrorLine(new TypeError("x is undefined")), null);
 * ```
 */
export function userErrorLine(error: unknown): string | null {
  if (error instanceof UsageError) return error.message;
  if (error instanceof StoreError) return describeStoreError(error);
  if (error instanceof CatalogDataError) {
    return `${error.message}; run \`deno task prices --update\` again or delete the file`;
  }
  return null;
}

/**
 * The one line (and exit status) of an error that reached the top of a command.
 *
 * @param command The command's name, which starts the line.
 * @param error What was thrown.
 * @param debug Whether `--debug` was given: then a bug's stack trace follows its line.
 * @returns The text to print on stderr and the exit status.
 *
 * @example Usage
 * ```ts
 * import { describeFailure } from "./errors.ts";
 * import { UsageError } from "./usage_error.ts";
import { shellQuote } from "./shell_quote.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(describeFailure("bench", new UsageError("--runs must be ≥ 1"), false), {
 *   text: "bench: --runs must be ≥ 1\n",
 *   exitCode: 2,
 * });
 * const bug = describeFailure("export", new TypeError("x is undefined"), false);
 * assert.equal(bug.text.split("\n").length, 2);
 * assert.equal(bug.exitCode, 1);
 * ```
 */
export function describeFailure(
  command: string,
  error: unknown,
  debug: boolean,
): { text: string; exitCode: number } {
  const line = userErrorLine(error);
  if (line !== null) return { text: `${command}: ${line}\n`, exitCode: EXIT_USAGE };
  const fixable = fsUsageError(error, { action: "use", path: "a file" }, "");
  if (fixable !== null && !(error instanceof Deno.errors.NotFound)) {
    const detail = error instanceof Error ? ` (${error.message.split("\n")[0]})` : "";
    return { text: `${command}: ${fixable.message}${detail}\n`, exitCode: EXIT_USAGE };
  }
  const message = error instanceof Error
    ? `${error.name}: ${error.message.split("\n")[0]}`
    : String(error);
  if (debug) {
    const stack = error instanceof Error && error.stack ? error.stack : message;
    return {
      text: `${command}: unexpected error (a bug): ${message}\n${stack}\n`,
      exitCode: EXIT_FAILED,
    };
  }
  return {
    text: `${command}: unexpected error (a bug): ${message}; add --debug for the stack trace\n`,
    exitCode: EXIT_FAILED,
  };
}
