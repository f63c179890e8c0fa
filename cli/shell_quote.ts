/**
 * Words of a command line written as a POSIX shell (and `deno task`) reads them back: the hints
 * the CLI prints are pasted into one.
 *
 * @module
 */

/**
 * One word of a command line as a POSIX shell reads it: as it is when it holds only safe
 * characters, else in single quotes (a quote inside written `'\''`).
 *
 * @param word The word.
 * @returns The word, quoted when it must be.
 *
 * @example Usage
 * ```ts
 * import { shellQuote } from "./shell_quote.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(shellQuote("reports/x.db"), "reports/x.db");
 * assert.equal(shellQuote("prompt v2"), "'prompt v2'");
 * assert.equal(shellQuote("it's"), "'it'\\''s'");
 * ```
 */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
