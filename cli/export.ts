/**
 * `deno task export <benchmark> [--table calls|scores|evaluations] [--format jsonl|csv] [--db FILE]
 * [--out FILE]`: a benchmark's raw calls (or its evaluators' scores, or what their own LLM calls
 * cost), one per line, in run order, with the store's column names.
 *
 * @module
 */
import { openStoreForCli } from "./open_store.ts";
import { UsageError } from "./bench/args.ts";
import { type CommandIo, parseFlags, processIo, runCommand } from "./_store_command.ts";
import { type ResultsStore, StoreError } from "../store/mod.ts";

const HELP = `Usage: deno task export <benchmark> [--table calls|scores|evaluations]
                        [--format jsonl|csv] [--db FILE] [--out FILE]

Writes one table of a benchmark (one row per line, with the store's column names) to --out or
standard output: its LLM calls (the default), its evaluators' scores (one per key and run, with
their comments and errors), or its evaluations (what each evaluator's own LLM calls cost per
run). <benchmark> is an id, a label, latest or latest~N (see deno task history).
`;

/** The tables export writes, and how each is read. */
const TABLES = {
  calls: (store: ResultsStore, id: string) => store.iterateCalls(id),
  scores: (store: ResultsStore, id: string) => store.iterateScores(id),
  evaluations: (store: ResultsStore, id: string) => store.iterateEvaluations(id),
} as const;

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
      table: { type: "string" },
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
    const table = (values.table as string | undefined) ?? "calls";
    if (!(table in TABLES)) {
      throw new UsageError(`--table must be calls, scores or evaluations, got "${table}"`);
    }
    if (positionals.length !== 1) {
      throw new UsageError("name one benchmark: an id, a label, latest or latest~N");
    }
    using store = await openStoreForCli((values.db as string | undefined) ?? null, true);
    let id: string;
    try {
      id = store.resolveBenchmark(positionals[0]);
    } catch (error) {
      if (error instanceof StoreError) throw new UsageError(error.message);
      throw error;
    }
    const outPath = values.out as string | undefined;
    const file = outPath === undefined ? null : await Deno.open(outPath, {
      write: true,
      create: true,
      truncate: true,
    });
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
    for (const row of TABLES[table as keyof typeof TABLES](store, id)) {
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
    const what = table === "calls" ? "calls" : `${table} rows`;
    io.err(`export: ${count} ${what} of benchmark ${id}${outPath ? ` to ${outPath}` : ""}\n`);
    return 0;
  });
}

if (import.meta.main) Deno.exit(await runExportCli(Deno.args, processIo()));
