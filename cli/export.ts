/**
 * `deno task export <benchmark> [--format jsonl|csv] [--db FILE] [--out FILE]`: a benchmark's raw
 * calls, one per line, in run and call order, with the store's column names, then the calls of
 * its runs stopped in flight (`run_stopped` 1: paid too). The calls are checked readable before
 * the first line is written; `--out` is written whole or not at all; a reader that closes the
 * pipe early (`| head`) ends the export quietly.
 *
 * @module
 */
import type { Row } from "../store/mod.ts";
import { type CliIo, type CommandInput, defineCommand, processIo, runCommand } from "./command.ts";
import { fsStep } from "./errors.ts";
import { choiceFlag, pathFlag } from "./value_flags.ts";
import { openStoreForCli } from "./open_store.ts";
import { DB_FLAG } from "./shared_flags.ts";

/**
 * One CSV field: quoted when it holds a comma, a quote or a line break; null is empty.
 *
 * @param value The value.
 * @returns The field.
 *
 * @example Usage
 * ```ts
 * import { csvField } from "./export.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(csvField('say "hi", then'), '"say ""hi"", then"');
 * assert.equal(csvField(null), "");
 * ```
 */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The flags of `deno task export`, in the order `--help` shows them. */
const EXPORT_FLAGS = {
  format: choiceFlag(["jsonl", "csv"], "the format of the calls", { default: "jsonl" }),
  db: DB_FLAG,
  out: pathFlag("FILE", "write the calls to FILE", { shown: "standard output" }),
};

/** The calls of a benchmark, its stopped runs' last, each with `run_stopped`. */
function* exportedRows(calls: Iterable<Row>, stopped: Iterable<Row>): Generator<Row> {
  for (const row of calls) yield { ...row, run_stopped: 0 };
  for (const row of stopped) yield { ...row, run_stopped: 1 };
}

async function exportCalls(
  { options, positionals }: CommandInput<typeof EXPORT_FLAGS>,
  io: CliIo,
): Promise<number> {
  using store = await openStoreForCli(options.db, true);
  const id = store.resolveBenchmark(positionals[0]);
  // Every call row read once before the first line goes out: damage is found first.
  store.checkCallRows(id);
  const out = options.out;
  // Into a temporary file beside --out, renamed at the end: never a half-written file.
  const temporary = out === null ? null : `${out}.${crypto.randomUUID()}.tmp`;
  let file = temporary === null ? null : await fsStep(
    { action: "write", path: out! },
    `the command with --allow-write=${out}`,
    () => Deno.open(temporary, { write: true, createNew: true }),
  );
  try {
    const encoder = new TextEncoder();
    let buffer = "";
    const write = async (text: string, force = false): Promise<void> => {
      buffer += text;
      if (!force && buffer.length < 1 << 16) return;
      if (file === null) io.out(buffer);
      else await file.write(encoder.encode(buffer));
      buffer = "";
    };
    let header: string[] | null = null;
    let count = 0;
    for (const row of exportedRows(store.iterateCalls(id), store.iterateStoppedCalls(id))) {
      if (options.format === "csv") {
        header ??= Object.keys(row);
        if (count === 0) await write(header.join(",") + "\n");
        await write(header.map((column) => csvField(row[column])).join(",") + "\n");
      } else {
        await write(JSON.stringify(row) + "\n");
      }
      count++;
    }
    await write("", true);
    file?.close();
    file = null;
    if (temporary !== null) {
      await fsStep({ action: "write", path: out! }, "", () => Deno.rename(temporary, out!));
    }
    const to = options.out === null ? "" : ` to ${options.out}`;
    io.err(`export: ${count} calls of benchmark ${id}${to}\n`);
    return 0;
  } finally {
    file?.close();
    if (temporary !== null) await Deno.remove(temporary).catch(() => {});
  }
}

/**
 * `export`, declared.
 *
 * @example Usage
 * ```ts
 * import { exportCommand } from "./export.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(exportCommand.name, "export");
 * ```
 */
export const exportCommand = defineCommand({
  name: "export",
  about: "write a stored benchmark's calls as JSONL or CSV",
  positionals: "<benchmark>",
  description: `Writes a benchmark's calls (one per line, in run and call order, with the store's
column names) to --out or standard output: those of its runs, then those of its runs stopped in
flight (column run_stopped 1; they were paid too). <benchmark> is an id, a label, latest or
latest~N (see deno task history).`,
  flags: EXPORT_FLAGS,
  run: exportCalls,
});

/**
 * Runs `deno task export`.
 *
 * @param argv The arguments.
 * @param io Output streams (the calls go to `out` without `--out`).
 * @returns The exit code: 0, 2 on bad usage, 1 on a bug.
 *
 * @example Usage
 * ```ts
 * import { runExportCli } from "./export.ts";
 * import assert from "node:assert/strict";
 *
 * let err = "";
 * const io = { out: () => {}, err: (t: string) => (err += t) };
 * assert.equal(await runExportCli(["latest", "--format", "xml"], io), 2);
 * assert.match(err, /--format must be jsonl or csv/);
 * ```
 */
export function runExportCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(exportCommand, argv, io);
}

if (import.meta.main) Deno.exit(await runExportCli(Deno.args, processIo()));
