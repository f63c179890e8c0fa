/**
 * `deno task export <benchmark> [--format jsonl|csv] [--db FILE] [--out FILE]`: a benchmark's raw
 * calls, one per line, in run and call order, with the store's column names, then the calls of
 * its runs stopped in flight (`run_stopped` 1: paid too). The calls are checked readable before
 * the first line is written; `--out` is written whole or not at all; a reader that closes the
 * pipe early (`| head`) ends the export quietly.
 *
 * @module
 */
import { openStoreForCli, storeErrorLine } from "./open_store.ts";
import { UsageError } from "./bench/args.ts";
import { type CommandIo, parseFlags, processIo, runCommand } from "./_store_command.ts";
import { type Row, StoreError } from "../store/mod.ts";
import { fsUsageError } from "./errors.ts";

const HELP = `Usage: deno task export <benchmark> [--format jsonl|csv] [--db FILE] [--out FILE]

Writes a benchmark's calls (one per line, with the store's column names) to --out or standard
output: those of its runs, then those of its runs stopped in flight (column run_stopped 1; they
were paid too). <benchmark> is an id, a label, latest or latest~N (see deno task history).
`;

/** The calls of a benchmark, its stopped runs' last, each with `run_stopped`. */
function* exportedRows(calls: Iterable<Row>, stopped: Iterable<Row>): Generator<Row> {
  for (const row of calls) yield { ...row, run_stopped: 0 };
  for (const row of stopped) yield { ...row, run_stopped: 1 };
}

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

/**
 * Runs `deno task export`.
 *
 * @param argv The arguments.
 * @param io Output streams (the calls go to `out` without `--out`).
 * @returns The exit code: 0, or 2 on bad usage.
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
export function runExportCli(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand("export", io, async () => {
    const { values, positionals } = parseFlags(argv, {
      db: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const format = (values.format as string | undefined) ?? "jsonl";
    if (format !== "jsonl" && format !== "csv") {
      throw new UsageError(`--format must be jsonl or csv, got "${format}"`);
    }
    if (positionals.length !== 1) {
      throw new UsageError("name one benchmark: an id, a label, latest or latest~N");
    }
    const db = (values.db as string | undefined) ?? null;
    using store = await openStoreForCli(db, true);
    let id: string;
    try {
      id = store.resolveBenchmark(positionals[0]);
      // Every call row read once before the first line goes out: damage is found first.
      store.checkCallRows(id);
    } catch (error) {
      if (error instanceof StoreError) {
        throw new UsageError(storeErrorLine(error, db ?? store.path));
      }
      throw error;
    }
    const outPath = values.out as string | undefined;
    // Into a temporary file beside --out, renamed at the end: never a half-written file.
    const temporary = outPath === undefined ? null : `${outPath}.${crypto.randomUUID()}.tmp`;
    let file: Deno.FsFile | null = null;
    if (temporary !== null) {
      try {
        file = await Deno.open(temporary, { write: true, createNew: true });
      } catch (error) {
        const fixable = fsUsageError(error, { action: "write", path: outPath! }, "");
        if (fixable === null) throw error;
        throw fixable;
      }
    }
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
        if (format === "csv") {
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
      if (temporary !== null) await Deno.rename(temporary, outPath!);
      io.err(`export: ${count} calls of benchmark ${id}${outPath ? ` to ${outPath}` : ""}\n`);
      return 0;
    } catch (error) {
      if (error instanceof StoreError) {
        throw new UsageError(storeErrorLine(error, db ?? store.path));
      }
      const fixable = outPath === undefined
        ? null
        : fsUsageError(error, { action: "write", path: outPath }, "");
      if (fixable !== null) throw new UsageError(fixable.message);
      throw error;
    } finally {
      file?.close();
      if (temporary !== null) await Deno.remove(temporary).catch(() => {});
    }
  });
}

if (import.meta.main) Deno.exit(await runExportCli(Deno.args, processIo()));
