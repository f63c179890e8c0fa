/**
 * `deno task check-store [--db FILE]`: the full check of a results store, on request: SQLite's
 * integrity check of every page and index, the foreign keys, each benchmark's stored runs, calls
 * and stopped runs against what it recorded, and every run read back against its schema. Every
 * command already runs the cheap part (the counts) before it writes or shows anything.
 *
 * @module
 */
import { openResultsStore, StoreError } from "../store/mod.ts";
import { UsageError } from "./bench/args.ts";
import { DEFAULT_DB } from "./open_store.ts";
import { type CommandIo, parseFlags, processIo, runCommand } from "./_store_command.ts";

const HELP = `Usage: deno task check-store [--db FILE]

Checks the whole results store (default reports/graphmeter.db): SQLite's integrity check, the
foreign keys, each benchmark's runs and calls against the counts it recorded, and every run read
back. Prints each problem found on standard output. Exit status: 0 whole, 2 damaged (or not a
results store).
`;

const count = (n: number, one: string, many: string): string =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

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
export function runCheckStoreCli(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand("check-store", io, async () => {
    const { values, positionals } = parseFlags(argv, {
      db: { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected "${positionals[0]}" (see --help)`);
    const db = (values.db as string | undefined) ?? DEFAULT_DB;
    try {
      await Deno.stat(db);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new UsageError(`no results store at ${db}: pass --db`);
      }
      throw error;
    }
    let store;
    try {
      store = openResultsStore(db);
    } catch (error) {
      if (error instanceof StoreError) throw new UsageError(error.message);
      throw error;
    }
    using _store = store;
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
  });
}

if (import.meta.main) Deno.exit(await runCheckStoreCli(Deno.args, processIo()));
