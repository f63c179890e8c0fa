/**
 * `deno task check-store [--db FILE]`: the full check of a results store, on request: SQLite's
 * integrity check of every page and index, the foreign keys, each benchmark's stored runs, calls
 * and stopped runs against what it recorded, and every run read back against its schema. Every
 * command already runs the cheap part (the counts, and SQLite's quick check) before it writes or
 * shows anything.
 *
 * @module
 */
import { openResultsStore } from "../store/mod.ts";
import { type CliIo, type CommandInput, defineCommand, processIo, runCommand } from "./command.ts";
import { DEFAULT_DB } from "./open_store.ts";
import { DB_FLAG } from "./shared_flags.ts";
import { UsageError } from "./usage_error.ts";

const count = (n: number, one: string, many: string): string =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** The flags of `deno task check-store`. */
const CHECK_STORE_FLAGS = { db: DB_FLAG };

async function checkStore(
  { options }: CommandInput<typeof CHECK_STORE_FLAGS>,
  io: CliIo,
): Promise<number> {
  const db = options.db ?? DEFAULT_DB;
  try {
    await Deno.stat(db);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`no results store at ${db}: pass --db`);
    }
    throw error;
  }
  using store = openResultsStore(db);
  const check = store.check();
  if (check.problems.length === 0) {
    io.err(
      `check-store: ${db} is whole: ${count(check.benchmarks, "benchmark", "benchmarks")}, ` +
        `${count(check.runs, "run", "runs")}, ${count(check.calls, "call", "calls")}, ` +
        `${count(check.stoppedRuns, "run", "runs")} stopped in flight\n`,
    );
    return 0;
  }
  io.out(check.problems.map((problem) => `${problem}\n`).join(""));
  io.err(
    `check-store: ${db} is damaged: ${count(check.problems.length, "problem", "problems")}, ` +
      `the first: ${check.problems[0]}; restore it from a backup, or start a new store\n`,
  );
  return 2;
}

/**
 * `check-store`, declared.
 *
 * @example Usage
 * ```ts
 * import { checkStoreCommand } from "./check_store.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(checkStoreCommand.name, "check-store");
 * ```
 */
export const checkStoreCommand = defineCommand({
  name: "check-store",
  about: "check the whole results store (pages, counts, every run read back)",
  description: `Checks the whole results store: SQLite's integrity check, the foreign keys, each
benchmark's runs, calls and stopped runs against the counts it recorded, and every run read back.
Prints each problem found on standard output.`,
  flags: CHECK_STORE_FLAGS,
  notes: "Exit status: 0 whole, 2 damaged (or not a results store).",
  run: checkStore,
});

/**
 * Runs `deno task check-store`.
 *
 * @param argv The arguments.
 * @param io Output streams.
 * @returns 0 when the store is whole, 2 when it is damaged (or on bad usage).
 *
 * @example Usage
 * ```ts
 * import { runCheckStoreCli } from "./check_store.ts";
 * import { openResultsStore } from "../store/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * openResultsStore(`${dir}/g.db`).close();
 * let err = "";
 * const io = { out: () => {}, err: (t: string) => (err += t) };
 * assert.equal(await runCheckStoreCli(["--db", `${dir}/g.db`], io), 0);
 * assert.match(err, /is whole: 0 benchmarks/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function runCheckStoreCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(checkStoreCommand, argv, io);
}

if (import.meta.main) Deno.exit(await runCheckStoreCli(Deno.args, processIo()));
