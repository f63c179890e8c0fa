/**
 * The run log: where a benchmark appends each finished run as one JSON line the moment it ends, so
 * an interrupted benchmark loses nothing and can be resumed. This file is the runner's only I/O
 * edge: {@linkcode parseRunLog} and {@linkcode memoryRunLog} are pure, {@linkcode fileRunLog}
 * touches the disk.
 *
 * @module
 */
import { RunRecord } from "./run_record.ts";

/** What a run log held when it was loaded: the valid records and warnings about what was dropped. */
export interface RunLogContents {
  /** The records, in file order. */
  records: RunRecord[];
  /** Human-readable warnings (e.g. a truncated last line that was ignored). */
  warnings: string[];
}

/** Where a benchmark's finished runs go, one record at a time. */
export interface RunLog {
  /** Starts an empty log; fails when the log already holds runs (resume instead). */
  create(): Promise<void>;
  /** Reads the runs logged so far, for a resume; repairs a truncated last line. */
  load(): Promise<RunLogContents>;
  /** Appends one finished run; resolves once it is written. */
  append(record: RunRecord): Promise<void>;
}

/** The result of {@linkcode parseRunLog}: the contents plus the text of the valid lines. */
export interface ParsedRunLog extends RunLogContents {
  /** The valid prefix of the text (every complete, valid line, each ending in a newline). */
  validText: string;
}

/**
 * Parses the text of a JSONL run log, validating each line. A last line that is cut short (no
 * trailing newline and not valid) is ignored with a warning, since a crash mid-write leaves one;
 * any other invalid line is an error.
 *
 * @param text The log's text.
 * @param source A name for the log in messages (e.g. its path).
 * @returns The valid records, the warnings and the valid prefix of the text.
 * @throws {Error} When a complete line is not a valid run record.
 *
 * @example Usage
 * ```ts
 * import { parseRunLog } from "./run_log.ts";
 * import assert from "node:assert/strict";
 *
 * const parsed = parseRunLog('{"inputId": "a", "rep', "runs.jsonl");
 * assert.equal(parsed.records.length, 0);
 * assert.equal(parsed.warnings.length, 1);
 * ```
 */
export function parseRunLog(text: string, source = "run log"): ParsedRunLog {
  const records: RunRecord[] = [];
  const warnings: string[] = [];
  const lines = text.split("\n");
  const tail = lines.pop() ?? "";
  let validText = "";
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const record = parseLine(line);
    if (record === null) {
      throw new Error(`${source}: line ${index + 1} is not a valid run record`);
    }
    records.push(record);
    validText += line + "\n";
  });
  if (tail.trim() !== "") {
    const record = parseLine(tail);
    if (record === null) {
      warnings.push(`${source}: ignored a truncated last line (line ${lines.length + 1})`);
    } else {
      records.push(record);
      validText += tail + "\n";
    }
  }
  return { records, warnings, validText };
}

function parseLine(line: string): RunRecord | null {
  try {
    const parsed = RunRecord.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * A run log kept in memory, for tests and for benchmarks that need no file.
 *
 * @param initial Records the log starts with (as if loaded from an earlier run).
 * @returns The log; its `lines` array holds each appended record's JSON line.
 *
 * @example Usage
 * ```ts
 * import { memoryRunLog } from "./run_log.ts";
 * import assert from "node:assert/strict";
 *
 * const log = memoryRunLog();
 * await log.create();
 * assert.deepEqual((await log.load()).records, []);
 * ```
 */
export function memoryRunLog(initial: RunRecord[] = []): RunLog & { lines: string[] } {
  const lines = initial.map((record) => JSON.stringify(record));
  return {
    lines,
    create(): Promise<void> {
      if (lines.length > 0) return Promise.reject(new Error("the run log already holds runs"));
      return Promise.resolve();
    },
    load(): Promise<RunLogContents> {
      const { records, warnings } = parseRunLog(lines.map((line) => line + "\n").join(""));
      return Promise.resolve({ records, warnings });
    },
    append(record: RunRecord): Promise<void> {
      lines.push(JSON.stringify(record));
      return Promise.resolve();
    },
  };
}

/**
 * A run log in a JSONL file. Appends are serialized, one line each, written as soon as a run ends.
 *
 * @param path The file's path (e.g. `reports/<timestamp>/runs.jsonl`).
 * @returns The log.
 *
 * @example Usage
 * ```ts ignore
 * import { fileRunLog } from "./run_log.ts";
 *
 * const log = fileRunLog("reports/today/runs.jsonl");
 * await log.create();
 * ```
 */
export function fileRunLog(path: string): RunLog {
  let pending: Promise<void> = Promise.resolve();
  return {
    async create(): Promise<void> {
      const existing = await readIfExists(path);
      if (existing !== null && existing.trim() !== "") {
        throw new Error(`${path} already holds runs: resume it or choose another path`);
      }
      await Deno.writeTextFile(path, "");
    },
    async load(): Promise<RunLogContents> {
      const text = await readIfExists(path) ?? "";
      const { records, warnings, validText } = parseRunLog(text, path);
      if (validText !== text) await Deno.writeTextFile(path, validText);
      return { records, warnings };
    },
    append(record: RunRecord): Promise<void> {
      const line = JSON.stringify(RunRecord.parse(record)) + "\n";
      pending = pending.then(() => Deno.writeTextFile(path, line, { append: true }));
      return pending;
    },
  };
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
