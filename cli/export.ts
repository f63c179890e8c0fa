/**
 * `deno task export <benchmark> [--table calls|scores|evaluations|paths] [--format jsonl|csv]
 * [--db FILE] [--out FILE]`: a benchmark's raw calls (or its evaluators' scores, what their own LLM
 * calls cost, or its node paths), one row per line, in run order, with the store's column names
 * (each call with its run's thread, attribution keys and input metadata, so exports can be grouped
 * as reports are); the calls end with those of its runs stopped in flight (`run_stopped` 1: paid
 * too). The calls are checked readable before the first line is written; `--out` is written whole
 * or not at all; a reader that closes the pipe early (`| head`) ends the export quietly.
 *
 * @module
 */
import { type CliIo, type CommandInput, defineCommand, processIo, runCommand } from "./command.ts";
import { fsStep } from "./errors.ts";
import { choiceFlag, pathFlag } from "./value_flags.ts";
import { openStoreForCli } from "./open_store.ts";
import { DB_FLAG } from "./shared_flags.ts";
import type { ResultsStore, Row } from "../store/mod.ts";

/** A benchmark's calls, its stopped runs' last, each with `run_stopped`. */
function* callRows(store: ResultsStore, id: string): Generator<Row> {
  for (const row of store.iterateCalls(id)) yield { ...row, run_stopped: 0 };
  for (const row of store.iterateStoppedCalls(id)) yield { ...row, run_stopped: 1 };
}

/** The tables export writes, and how each is read. */
const TABLES = {
  calls: callRows,
  scores: (store: ResultsStore, id: string) => store.iterateScores(id),
  evaluations: (store: ResultsStore, id: string) => store.iterateEvaluations(id),
  paths: (store: ResultsStore, id: string) => store.iteratePaths(id),
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

/** The flags of `deno task export`, in the order `--help` shows them. */
const EXPORT_FLAGS = {
  table: choiceFlag(
    ["calls", "scores", "evaluations", "paths"],
    "what to write: the LLM calls, the evaluators' scores (one per key and run, with their " +
      "comments and errors), the evaluations (what each evaluator's own LLM calls cost per run), " +
      "or the node paths (one per stage or node inside one, per run)",
    { default: "calls" },
  ),
  format: choiceFlag(["jsonl", "csv"], "the format of the rows", { default: "jsonl" }),
  db: DB_FLAG,
  out: pathFlag("FILE", "write the rows to FILE", { shown: "standard output" }),
};

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
    for (const row of TABLES[options.table](store, id)) {
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
    const what = options.table === "calls" ? "calls" : `${options.table} rows`;
    io.err(`export: ${count} ${what} of benchmark ${id}${to}\n`);
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
  about: "write a stored benchmark's calls (or scores, evaluations, paths) as JSONL or CSV",
  positionals: "<benchmark>",
  description: `Writes one table of a benchmark (one row per line, in run order, with the store's
column names) to --out or standard output: its LLM calls (the default; those of its runs stopped
in flight last, column run_stopped 1: they were paid too), its evaluators' scores, its evaluations,
or its node paths. <benchmark> is an id, a label, latest or latest~N (see deno task history).`,
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
