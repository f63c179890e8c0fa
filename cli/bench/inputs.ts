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
} from "../../pricing/overrides.ts";
import { UsageError } from "../usage_error.ts";

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

/** The price a rate may not exceed, in US dollars per million tokens: above, it is a typo. */
export const MAX_RATE_PER_MTOK = 10_000;

/**
 * A transcript's text from its bytes: refused when it is binary or not UTF-8.
 *
 * @param bytes The file's bytes.
 * @param path The file, for the message.
 * @returns The text.
 * @throws {UsageError} When the bytes hold a NUL byte or are not valid UTF-8.
 *
 * @example Usage
 * ```ts
 * import { decodeTranscript } from "./inputs.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(decodeTranscript(new TextEncoder().encode("Grüße."), "a.txt"), "Grüße.");
 * assert.throws(() => decodeTranscript(new Uint8Array([0xff, 0xfe, 0]), "b.txt"), /not a text/);
 * ```
 */
export function decodeTranscript(bytes: Uint8Array, path: string): string {
  const refuse = (why: string): UsageError =>
    new UsageError(`--input ${path}: not a text transcript (${why}); give UTF-8 .txt files`);
  if (bytes.includes(0)) throw refuse("binary: it holds NUL bytes");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw refuse("not valid UTF-8");
  }
}

/**
 * Reads a `.txt` transcript, or every `.txt` transcript of a folder (sorted by name). Binary or
 * non-UTF-8 files are refused; empty ones (nothing but white space) are skipped with a warning.
 *
 * @param path The file or folder.
 * @param warn Called with a warning (an empty file skipped).
 * @returns The transcripts.
 * @throws {UsageError} When the path does not exist, is not a `.txt` file, holds none, holds
 *   a binary or non-UTF-8 file, or only empty ones.
 *
 * @example Usage
 * ```ts
 * import { readTranscripts } from "./inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/standup.txt`, "We ship on Friday.");
 * assert.deepEqual(await readTranscripts(dir), [{ id: "standup", text: "We ship on Friday." }]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readTranscripts(
  path: string,
  warn: (message: string) => void = () => {},
): Promise<TranscriptFile[]> {
  const all = await readTranscriptFiles(path);
  const transcripts = all.filter((t) => t.text.trim() !== "");
  if (transcripts.length === 0) {
    throw new UsageError(`--input ${path}: no transcript with any text in it`);
  }
  for (const empty of all.filter((t) => t.text.trim() === "")) {
    warn(`--input: ${empty.id}.txt is empty: skipped`);
  }
  return transcripts;
}

async function readText(path: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
      throw new UsageError(`--input ${path}: cannot read the file (permission denied)`);
    }
    throw error;
  }
  return decodeTranscript(bytes, path);
}

async function readTranscriptFiles(path: string): Promise<TranscriptFile[]> {
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
    return [{ id: idOf(name), text: await readText(path) }];
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
      text: await readText(`${path}/${name}`),
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
 * import { readPriceTable } from "./inputs.ts";
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
  let table: PriceOverrides;
  try {
    table = parsePriceOverridesJson(text, `--prices ${path}`);
  } catch (error) {
    if (!(error instanceof PriceOverridesError)) throw error;
    throw new UsageError(error.message.replace(/\s*\n\s*/g, " "));
  }
  for (const [model, price] of Object.entries(table)) {
    for (const [rate, value] of Object.entries(price)) {
      if (typeof value === "number" && value > MAX_RATE_PER_MTOK) {
        throw new UsageError(
          `--prices ${path}: "${model}".${rate} is $${value} per million tokens, above ` +
            `$${MAX_RATE_PER_MTOK.toLocaleString("en-US")}: a typo? Rates are US dollars per ` +
            "million tokens (e.g. 0.4)",
        );
      }
    }
  }
  return table;
}
