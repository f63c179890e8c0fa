/**
 * Reads the files the command line names: the transcripts of `--input` (one `.txt` file, or every
 * `.txt` file of a folder) and the price table of `--prices`.
 *
 * @module
 */
import {
  parsePriceOverridesJson,
  type PriceOverrides,
  PriceOverridesError,
} from "../pricing/overrides.ts";
import { UsageError } from "./bench_args.ts";

/** A transcript read from disk. */
export interface TranscriptFile {
  /** The file name without `.txt`. */
  id: string;
  /** The transcript's text. */
  text: string;
}

function idOf(name: string): string {
  return name.replace(/\.txt$/i, "");
}

/**
 * Reads a `.txt` transcript, or every `.txt` transcript of a folder (sorted by name).
 *
 * @param path The file or folder.
 * @returns The transcripts.
 * @throws {UsageError} When the path does not exist, is not a `.txt` file, or holds none.
 *
 * @example Usage
 * ```ts
 * import { readTranscripts } from "./bench_inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/standup.txt`, "We ship on Friday.");
 * assert.deepEqual(await readTranscripts(dir), [{ id: "standup", text: "We ship on Friday." }]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readTranscripts(path: string): Promise<TranscriptFile[]> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`--input ${path}: no such file or folder`);
    }
    throw error;
  }
  if (info.isFile) {
    if (!/\.txt$/i.test(path)) throw new UsageError(`--input ${path}: expected a .txt file`);
    const name = path.split(/[\\/]/).pop() ?? path;
    return [{ id: idOf(name), text: await Deno.readTextFile(path) }];
  }
  const names: string[] = [];
  for await (const entry of Deno.readDir(path)) {
    if (entry.isFile && /\.txt$/i.test(entry.name)) names.push(entry.name);
  }
  if (names.length === 0) throw new UsageError(`--input ${path}: the folder holds no .txt file`);
  names.sort();
  return await Promise.all(
    names.map(async (name) => ({
      id: idOf(name),
      text: await Deno.readTextFile(`${path}/${name}`),
    })),
  );
}

/**
 * Reads and validates the JSON price table of `--prices`.
 *
 * @param path The file.
 * @returns The validated table.
 * @throws {UsageError} When the file cannot be read, is not JSON, or is not a valid price table.
 *
 * @example Usage
 * ```ts
 * import { readPriceTable } from "./bench_inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/prices.json`, '{"m": {"inputPerMTok": 1, "outputPerMTok": 2}}');
 * assert.equal((await readPriceTable(`${dir}/prices.json`)).m.outputPerMTok, 2);
 * await assert.rejects(() => readPriceTable(`${dir}/none.json`), /no such file/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readPriceTable(path: string): Promise<PriceOverrides> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`--prices ${path}: no such file`);
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new UsageError(`--prices ${path}: expected a JSON file, got a folder`);
    }
    if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
      throw new UsageError(`--prices ${path}: cannot read the file (permission denied)`);
    }
    throw error;
  }
  try {
    return parsePriceOverridesJson(text, `--prices ${path}`);
  } catch (error) {
    if (!(error instanceof PriceOverridesError)) throw error;
    throw new UsageError(error.message.replace(/\s*\n\s*/g, " "));
  }
}
