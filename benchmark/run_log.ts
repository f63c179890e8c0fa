/**
 * The run log: where the runner puts each finished run the moment it ends, so an interrupted
 * benchmark loses nothing and can be resumed. The results store keeps one per benchmark
 * (`store.runLog(id)`, in `store/`); {@linkcode memoryRunLog} keeps one in memory, the runner's
 * default; {@linkcode parseRunLog} reads the JSON-lines form (the `runs.jsonl` of report folders
 * written before the results store), which `compare` and `reprice` still accept. All pure.
 *
 * @module
 */
import { RunRecord } from "./run_record.ts";

/** A record a run log could not read back: where it was and why (its run is made again). */
export interface SkippedRecord {
  /** Where the record was, e.g. `runs.jsonl line 3`. */
  location: string;
  /** Why it was skipped, e.g. `not JSON` or `cut short (the last line)`. */
  reason: string;
}

/** What a run log held when it was loaded: the valid records and what was skipped. */
export interface RunLogContents {
  /** The records, in log order. */
  records: RunRecord[];
  /**
   * Records that could not be read (corrupt, cut short): a resume makes their runs again. The
   * log keeps them as they are (nothing recorded is deleted).
   */
  skipped: SkippedRecord[];
  /**
   * Runs stopped in flight before (their calls were paid; a resume makes them again), for what
   * has been spent; none when the log keeps no such runs.
   */
  stopped?: RunRecord[];
}

/** Where a benchmark's finished runs go, one record at a time. */
export interface RunLog {
  /** Starts an empty log; fails when the log already holds runs (resume instead). */
  create(): Promise<void>;
  /** Reads the runs logged so far, for a resume, skipping (and reporting) unreadable records. */
  load(): Promise<RunLogContents>;
  /** Appends one finished run; resolves once it is written. */
  append(record: RunRecord): Promise<void>;
  /**
   * Keeps a run stopped in flight (its finished calls were paid), apart from the finished runs:
   * a resume makes it again. Optional: without it, such runs are only returned by the runner.
   */
  appendStopped?(record: RunRecord, reason: string): Promise<void>;
}

/**
 * Parses the text of a JSONL run log, validating each line. A line that is not a valid run record
 * (a crash mid-write cuts the last one short; a disk or an editor can garble any) is skipped and
 * reported, never fatal: its run is simply not done.
 *
 * @param text The log's text.
 * @param source A name for the log in messages (e.g. its path).
 * @returns The valid records and the skipped ones.
 *
 * @example Usage
 * ```ts
 * import { parseRunLog } from "./run_log.ts";
 * import assert from "node:assert/strict";
 *
 * const parsed = parseRunLog('garbage\n{"inputId": "a", "rep', "runs.jsonl");
 * assert.equal(parsed.records.length, 0);
 * assert.deepEqual(parsed.skipped.map((s) => s.location), ["runs.jsonl line 1", "runs.jsonl line 2"]);
 * ```
 */
export function parseRunLog(text: string, source = "run log"): RunLogContents {
  const records: RunRecord[] = [];
  const skipped: SkippedRecord[] = [];
  const lines = text.split("\n");
  const tail = lines.pop() ?? "";
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const parsed = parseLine(line);
    if (typeof parsed === "string") {
      skipped.push({ location: `${source} line ${index + 1}`, reason: parsed });
    } else records.push(parsed);
  });
  if (tail.trim() !== "") {
    const parsed = parseLine(tail);
    if (typeof parsed === "string") {
      skipped.push({
        location: `${source} line ${lines.length + 1}`,
        reason: "cut short (the last line, no line break)",
      });
    } else records.push(parsed);
  }
  return { records, skipped };
}

/** The record of a line, or why it is not one. */
function parseLine(line: string): RunRecord | string {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return "not JSON";
  }
  const parsed = RunRecord.safeParse(json);
  return parsed.success ? parsed.data : "not a run record";
}

/**
 * A run log kept in memory, for tests and for benchmarks that need no file.
 *
 * @param initial Records the log starts with (as if loaded from an earlier run).
 * @returns The log; its `lines` array holds each appended record's JSON line, `stopped` the runs
 * stopped in flight.
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
export function memoryRunLog(
  initial: RunRecord[] = [],
): RunLog & { lines: string[]; stopped: RunRecord[] } {
  const lines = initial.map((record) => JSON.stringify(record));
  const stopped: RunRecord[] = [];
  return {
    lines,
    stopped,
    create(): Promise<void> {
      if (lines.length > 0) return Promise.reject(new Error("the run log already holds runs"));
      return Promise.resolve();
    },
    load(): Promise<RunLogContents> {
      const contents = parseRunLog(lines.map((line) => line + "\n").join(""));
      return Promise.resolve({ ...contents, stopped: [...stopped] });
    },
    append(record: RunRecord): Promise<void> {
      lines.push(JSON.stringify(record));
      return Promise.resolve();
    },
    appendStopped(record: RunRecord): Promise<void> {
      stopped.push(record);
      return Promise.resolve();
    },
  };
}
