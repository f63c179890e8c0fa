/**
 * What the store commands (history, export, merge) share: their output streams, flag parsing
 * with one-line errors, and the exit codes (0 done, 2 bad usage).
 *
 * @module
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { UsageError } from "./bench/args.ts";
import { StoreError } from "../store/mod.ts";

/** Where a command writes. */
export interface CommandIo {
  /** Writes to standard output. */
  out: (text: string) => void;
  /** Writes to standard error. */
  err: (text: string) => void;
}

/** Parses flags strictly, typed by `options`; a bad one is a {@linkcode UsageError}. */
export function parseFlags<T extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  options: T,
): ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>
> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UsageError(`${message} (see --help)`);
  }
}

/**
 * Runs a command: a usage mistake (or a store that is damaged, read-only or locked) is one line
 * on `err` and exit 2; output to a pipe its reader closed (`| head`) ends quietly; a bug throws.
 */
export async function runCommand(
  name: string,
  io: CommandIo,
  command: () => Promise<number> | number,
): Promise<number> {
  try {
    return await command();
  } catch (error) {
    if (error instanceof Deno.errors.BrokenPipe) return 0;
    if (!(error instanceof UsageError || error instanceof StoreError)) throw error;
    io.err(`${name}: ${error.message}\n`);
    return 2;
  }
}

/** The real standard streams. */
export function processIo(): CommandIo {
  const encoder = new TextEncoder();
  return {
    out: (text) => void Deno.stdout.writeSync(encoder.encode(text)),
    err: (text) => void Deno.stderr.writeSync(encoder.encode(text)),
  };
}
