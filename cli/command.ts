/**
 * A command of the command line, declared once with {@linkcode defineCommand}: its name, what it
 * does, its positional arguments and its flags (see `flags.ts`). {@linkcode runCommand} is the
 * one path every command takes: parse the flags, answer `--help`, check the positional
 * arguments, run, and end every failure the same way (a usage error: one line, exit 2; a bug:
 * one line, exit 1, and its stack trace with `--debug`).
 *
 * @module
 */
import { describeFailure } from "./errors.ts";
import { formatFlagHelp, HELP_WIDTH, wrapWords } from "./flag_help.ts";
import { type Flags, type FlagValues, switchFlag } from "./flags.ts";
import { parseFlags } from "./parse_flags.ts";
import { UsageError } from "./usage_error.ts";

/** Where a command reads its environment and writes its output. */
export interface CliIo {
  /** Writes to standard output. */
  out: (text: string) => void;
  /** Writes to standard error. */
  err: (text: string) => void;
  /** Whether standard error is a terminal (a progress bar instead of lines); default false. */
  errIsTerminal?: boolean;
  /** Reads an environment variable (API keys); default: none is set. */
  env?: (name: string) => string | undefined;
}

/** The flags every command has, after its own. */
export const COMMON_FLAGS = {
  debug: switchFlag(
    "print a bug's stack trace (a mistake you can fix is always one line, exit status 2)",
  ),
  help: switchFlag("show this help", { short: "h" }),
} as const;

/** The flags every command has. */
export type CommonFlags = typeof COMMON_FLAGS;

/**
 * How many positional arguments a usage takes: each `<name>` one (`[<name>]` optional), and a
 * last one ending in `…` any number more.
 *
 * @param usage The positional arguments as the usage line shows them, e.g. `<shard.db>…`.
 * @returns The fewest and the most (`Infinity`: no limit).
 *
 * @example Usage
 * ```ts
 * import { positionalCount } from "./command.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(positionalCount("<baseline> <candidate>"), { min: 2, max: 2 });
 * assert.deepEqual(positionalCount("<shard.db>…"), { min: 1, max: Infinity });
 * assert.deepEqual(positionalCount(""), { min: 0, max: 0 });
 * ```
 */
export function positionalCount(usage: string): { min: number; max: number } {
  const names = usage.split(/\s+/).filter((name) => name !== "");
  const min = names.filter((name) => name.startsWith("<")).length;
  return { min, max: names.at(-1)?.endsWith("…") ? Infinity : names.length };
}

/** A command line as a command receives it, parsed and checked. */
export interface CommandInput<F extends Flags> {
  /** Each flag's value, by option name (its own flags', `debug`'s and `help`'s). */
  options: FlagValues<F & CommonFlags>;
  /** The positional arguments. */
  positionals: string[];
  /** The flags given, by name without dashes (e.g. `max-cost`). */
  given: ReadonlySet<string>;
  /** The arguments as given. */
  argv: readonly string[];
}

/** A command: what it is called, what it does, what it takes, and what it runs. */
export interface Command<F extends Flags = Flags> {
  /** Its name (`graphmeter <name>`, `deno task <name>`). */
  name: string;
  /** What it does, in one line of the commands' list. */
  about: string;
  /** What it does, under its usage line: paragraphs apart by a blank line (help wraps them). */
  description: string;
  /**
   * Its positional arguments as its usage line shows them (`<baseline> <candidate>`; `[<x>]` is
   * optional, a last `<x>…` repeatable), when it takes any: how many it takes follows.
   */
  positionals?: string;
  /** Its flags, in the order help shows them. */
  flags: F;
  /** What its help says after the flags (keys, exit status), as paragraphs, when anything. */
  notes?: string;
  /**
   * Does the command's work.
   *
   * @param input The parsed command line.
   * @param io Where to write.
   * @returns The exit status.
   */
  run(input: CommandInput<F>, io: CliIo): Promise<number>;
}

/**
 * Declares a command (an identity, so that its flags' types reach its `run`).
 *
 * @param command The command.
 * @returns The command.
 *
 * @example Usage
 * ```ts
 * import { defineCommand, runCommand } from "./command.ts";
 * import { intFlag } from "./value_flags.ts";
 * import assert from "node:assert/strict";
 *
 * const hello = defineCommand({
 *   name: "hello",
 *   about: "greets",
 *   description: "Greets the world.",
 *   flags: { times: intFlag("N", "how many times", { default: 1, min: 1 }) },
 *   run: ({ options }, io) => {
 *     io.out("hello\n".repeat(options.times));
 *     return Promise.resolve(0);
 *   },
 * });
 * let out = "";
 * assert.equal(await runCommand(hello, ["--times", "2"], { out: (t) => (out += t), err: () => {} }), 0);
 * assert.equal(out, "hello\nhello\n");
 * ```
 */
export function defineCommand<F extends Flags>(command: Command<F>): Command<F> {
  return command;
}

/** What parsing a command line needs of a command: its flags and positional arguments. */
export type CommandLine<F extends Flags> = Pick<Command<F>, "flags" | "positionals">;

/**
 * The flags of a command, its own then the common ones.
 *
 * @param command The command.
 * @returns The flags.
 *
 * @example Usage
 * ```ts
 * import { commandFlags } from "./command.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(Object.keys(commandFlags({ flags: {} })), ["debug", "help"]);
 * ```
 */
export function commandFlags<F extends Flags>(command: CommandLine<F>): F & CommonFlags {
  return { ...command.flags, ...COMMON_FLAGS };
}

/**
 * The usage line of a command, e.g. `deno task compare <baseline> <candidate> [options]`.
 *
 * @param command The command.
 * @returns The line, without `Usage: `.
 *
 * @example Usage
 * ```ts
 * import { commandUsage, defineCommand } from "./command.ts";
 * import assert from "node:assert/strict";
 *
 * const command = defineCommand({
 *   name: "merge", about: "", description: "", flags: {},
 *   positionals: "<shard.db>…",
 *   run: () => Promise.resolve(0),
 * });
 * assert.equal(commandUsage(command), "deno task merge <shard.db>… [options]");
 * ```
 */
export function commandUsage(command: Command): string {
  const positionals = command.positionals === undefined ? "" : ` ${command.positionals}`;
  return `deno task ${command.name}${positionals} [options]`;
}

/**
 * The `--help` text of a command: usage, description, flags, notes.
 *
 * @param command The command.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import { defineCommand, formatCommandHelp } from "./command.ts";
 * import assert from "node:assert/strict";
 *
 * const command = defineCommand({
 *   name: "history", about: "", description: "Shows the benchmarks.", flags: {},
 *   run: () => Promise.resolve(0),
 * });
 * assert.match(formatCommandHelp(command), /^Usage: deno task history \[options\]\n\nShows/);
 * assert.match(formatCommandHelp(command), /^ {2}-h, --help +show this help$/m);
 * ```
 */
export function formatCommandHelp(command: Command): string {
  const notes = command.notes === undefined ? "" : `\n${paragraphs(command.notes)}`;
  return `Usage: ${commandUsage(command)}\n\n${paragraphs(command.description)}\n` +
    `Options:\n${formatFlagHelp(commandFlags(command))}${notes}`;
}

/**
 * Paragraphs (apart by a blank line) wrapped for `--help`, each line ending in a line break and
 * the paragraphs apart by a blank line.
 */
function paragraphs(text: string): string {
  return text.trim().split(/\n\s*\n/)
    .map((paragraph) => wrapWords(paragraph, HELP_WIDTH).map((line) => `${line}\n`).join(""))
    .join("\n");
}

/**
 * Parses a command line by the command's flags; `--help` aside, checks its positional arguments.
 *
 * @param command The command.
 * @param argv The arguments.
 * @returns The parsed command line.
 * @throws {UsageError} On an unknown flag, a bad value, or too few or too many positionals.
 *
 * @example Usage
 * ```ts
 * import { parseCommandLine } from "./command.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseCommandLine({ flags: {} }, ["--help", "x"]).options.help, true);
 * assert.throws(() => parseCommandLine({ flags: {} }, ["x"]), /unexpected argument "x"/);
 * ```
 */
export function parseCommandLine<F extends Flags>(
  command: CommandLine<F>,
  argv: readonly string[],
): CommandInput<F> {
  const { values, positionals, given } = parseFlags(commandFlags(command), argv);
  if (!values.help) checkPositionals(command.positionals ?? "", positionals);
  return { options: values, positionals, given, argv };
}

/** Too few or too many positional arguments for the usage is one line that shows the usage. */
function checkPositionals(usage: string, positionals: readonly string[]): void {
  const { min, max } = positionalCount(usage);
  const takes = usage === "" ? "this command takes no positional arguments" : `give ${usage}`;
  if (positionals.length > max) {
    throw new UsageError(`unexpected argument "${positionals[max]}": ${takes} (see --help)`);
  }
  if (positionals.length < min) throw new UsageError(`${takes} (see --help)`);
}

/**
 * Runs a command: parses its command line, answers `--help`, runs it, and ends a failure as one
 * line on `err` (a usage error: exit 2; a bug: exit 1, with its stack trace when `--debug` is
 * given).
 *
 * @param command The command.
 * @param argv The arguments.
 * @param io Where to write.
 * @returns The exit status.
 *
 * @example Usage
 * ```ts
 * import { defineCommand, runCommand } from "./command.ts";
 * import assert from "node:assert/strict";
 *
 * const broken = defineCommand({
 *   name: "broken", about: "", description: "", flags: {},
 *   run: () => Promise.reject(new TypeError("x is undefined")),
 * });
 * let err = "";
 * const io = { out: () => {}, err: (t: string) => (err += t) };
 * assert.equal(await runCommand(broken, [], io), 1);
 * assert.equal(err, "broken: unexpected error (a bug): TypeError: x is undefined; add --debug for the stack trace\n");
 * err = "";
 * assert.equal(await runCommand(broken, ["--debug"], io), 1);
 * assert.match(err, /\n {4}at /);
 * err = "";
 * assert.equal(await runCommand(broken, ["--nope"], io), 2);
 * assert.match(err, /^broken: Unknown option '--nope'/);
 * ```
 */
export async function runCommand<F extends Flags>(
  command: Command<F>,
  argv: readonly string[],
  io: CliIo,
): Promise<number> {
  try {
    const input = parseCommandLine(command, argv);
    if (input.options.help) {
      io.out(formatCommandHelp(command));
      return 0;
    }
    return await command.run(input, io);
  } catch (error) {
    // Output to a pipe its reader closed (`export | head`): the reader has what it wanted.
    if (error instanceof Deno.errors.BrokenPipe) return 0;
    const { text, exitCode } = describeFailure(command.name, error, argv.includes("--debug"));
    io.err(text);
    return exitCode;
  }
}

/**
 * The process's own standard streams and environment.
 *
 * @returns The IO.
 *
 * @example Usage
 * ```ts
 * import { processIo } from "./command.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(typeof processIo().errIsTerminal, "boolean");
 * ```
 */
export function processIo(): Required<CliIo> {
  const encoder = new TextEncoder();
  return {
    out: (text) => void Deno.stdout.writeSync(encoder.encode(text)),
    err: (text) => void Deno.stderr.writeSync(encoder.encode(text)),
    errIsTerminal: Deno.stderr.isTerminal(),
    env: (name) => Deno.env.get(name),
  };
}
