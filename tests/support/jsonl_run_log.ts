/**
 * A run log in a JSON-lines file, for the runner's tests: it shows that the runner takes any
 * `RunLog` and resumes from what a log holds (a record cut short, a garbled line). The package
 * keeps its runs in the results store; this file-backed log is not part of it.
 *
 * @module
 */
import { parseRunLog, type RunLog, type RunLogContents } from "../../benchmark/run_log.ts";
import { RunRecord } from "../../benchmark/run_record.ts";

/**
 * A run log in a JSONL file. Appends are serialized, one line each, written as soon as a run ends.
 *
 * @param path The file's path (e.g. `reports/<timestamp>/runs.jsonl`).
 * @returns The log.
 *
 * @example Usage
 * ```ts ignore
 * import { jsonlRunLog } from "./jsonl_run_log.ts";
 *
 * const log = jsonlRunLog("reports/today/runs.jsonl");
 * await log.create();
 * ```
 */
export function jsonlRunLog(path: string): RunLog {
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
      // A last line cut short stays (nothing recorded is deleted) but gets its line break, so the
      // next record starts on a line of its own.
      if (text !== "" && !text.endsWith("\n")) {
        await Deno.writeTextFile(path, "\n", { append: true });
      }
      return parseRunLog(text, path);
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
