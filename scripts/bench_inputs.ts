/**
 * Reads the transcripts named by `--input`: one `.txt` file, or every `.txt` file of a folder.
 *
 * @module
 */
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
