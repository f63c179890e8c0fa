/**
 * Flags as people read them: the lines of `--help` ({@linkcode formatFlagHelp}) and the table of
 * `docs/cli.md` ({@linkcode formatFlagTable}), both from the flags' declarations.
 *
 * @module
 */
import { type Flag, flagName, type Flags } from "./flags.ts";

const HELP_INDENT = 23;
/** How wide a line of `--help` may be. */
export const HELP_WIDTH = 96;

/**
 * Text as lines of at most `width` characters, broken between words (white space folded).
 *
 * @param text The text.
 * @param width The widest line (a longer word stands alone).
 * @returns The lines.
 *
 * @example Usage
 * ```ts
 * import { wrapWords } from "./flag_help.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(wrapWords("a bb  ccc\ndd", 5), ["a bb", "ccc", "dd"]);
 * ```
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  return line === "" ? lines : [...lines, line];
}

/**
 * A flag as its usage shows it, e.g. `--runs N` or `-h, --help`.
 *
 * @param key The option's name.
 * @param flag The flag.
 * @returns The usage.
 *
 * @example Usage
 * ```ts
 * import { flagUsage } from "./flag_help.ts";
 * import { intFlag } from "./value_flags.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(flagUsage("maxWindows", intFlag("N", "", { default: null })), "--max-windows N");
 * ```
 */
export function flagUsage(key: string, flag: Flag<unknown>): string {
  const short = flag.short === undefined ? "" : `-${flag.short}, `;
  return `${short}--${flagName(key, flag)}${flag.value === null ? "" : ` ${flag.value}`}`;
}

/** A flag's help with its default, as one sentence. */
function helpWithDefault(flag: Flag<unknown>): string {
  return flag.shown === null ? flag.help : `${flag.help} (default ${flag.shown})`;
}

/**
 * The flags' lines of a `--help` text: each flag's usage, then its help (wrapped) and default.
 *
 * @param flags The flags, in the order to show them.
 * @returns The lines, each ending in a line break.
 *
 * @example Usage
 * ```ts
 * import { formatFlagHelp } from "./flag_help.ts";
 * import { intFlag } from "./value_flags.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   formatFlagHelp({ runs: intFlag("N", "repeats per input", { default: 1, min: 1 }) }),
 *   "  --runs N             repeats per input (default 1)\n",
 * );
 * ```
 */
export function formatFlagHelp(flags: Flags): string {
  const indent = " ".repeat(HELP_INDENT);
  return Object.entries(flags).map(([key, flag]) => {
    const usage = `  ${flagUsage(key, flag)}`;
    const lines = wrapWords(helpWithDefault(flag), HELP_WIDTH - HELP_INDENT);
    const first = usage.length < HELP_INDENT - 1
      ? [usage.padEnd(HELP_INDENT) + (lines.shift() ?? "")]
      : [usage];
    return [...first, ...lines.map((line) => indent + line)].map((line) => `${line}\n`).join("");
  }).join("");
}

/** Text for a Markdown table cell: `|`, `<`, `*` and backslashes escaped. */
function markdownCell(text: string): string {
  return text.replace(/[\\|<*]/g, (char) => `\\${char}`);
}

/**
 * The flags as a Markdown table (flag, default, what it does), as the docs show them.
 *
 * @param flags The flags, in order.
 * @returns The table, one row per flag.
 *
 * @example Usage
 * ```ts
 * import { formatFlagTable } from "./flag_help.ts";
 * import { pathFlag } from "./value_flags.ts";
 * import assert from "node:assert/strict";
 *
 * const table = formatFlagTable({ out: pathFlag("DIR", "the output folder", { shown: "reports/<id>/" }) });
 * assert.equal(table.split("\n")[2], "| `--out DIR` | `reports/<id>/` | the output folder |");
 * ```
 */
export function formatFlagTable(flags: Flags): string {
  const rows = Object.entries(flags).map(([key, flag]) => flagTableRow(key, flag));
  return ["| Flag | Default | What it does |", "| --- | --- | --- |", ...rows].join("\n") + "\n";
}

/**
 * One flag's row of {@linkcode formatFlagTable}.
 *
 * @param key The option's name.
 * @param flag The flag.
 * @returns The row.
 *
 * @example Usage
 * ```ts
 * import { flagTableRow } from "./flag_help.ts";
 * import { switchFlag } from "./flags.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(flagTableRow("resume", switchFlag("continue")), "| `--resume` |  | continue |");
 * ```
 */
export function flagTableRow(key: string, flag: Flag<unknown>): string {
  const code = (text: string) => `\`${text.replaceAll("|", "\\|")}\``;
  const shown = flag.shown === null ? "" : code(flag.shown);
  return `| ${code(flagUsage(key, flag))} | ${shown} | ${markdownCell(flag.help)} |`;
}
