/**
 * A command's flags, declared once. A flag is one entry (its value, default, help and check), and
 * the rest comes from that entry: the parser (`parseFlags`, `parse_flags.ts`), the `--help` lines
 * and the rows of `docs/cli.md` (`formatFlagHelp`, `formatFlagTable`, `flag_help.ts`) and the
 * type of the parsed options ({@linkcode FlagValues}), so they cannot drift apart.
 *
 * To add a flag, add one entry to the command's flags (`BENCH_FLAGS` in `cli/bench/args.ts`,
 * `COMPARE_FLAGS` in `cli/compare.ts`, …), then run `deno task docs` (a test fails until
 * `docs/cli.md` is regenerated):
 *
 * ```ts ignore
 * rpm: intFlag("N", "requests per minute at most, per provider", { default: null, min: 1 }),
 * ```
 *
 * - The key is the option's name in the parsed value (`options.rpm`); on the command line the
 *   flag is the key in kebab case (`dailyWords` is `--daily-words`) unless `name` says otherwise.
 * - The builder is the kind of value: {@linkcode switchFlag} (none), `textFlag` or `pathFlag`,
 *   `intFlag`, `numberFlag`, `choiceFlag` (in `value_flags.ts`), {@linkcode listFlag}
 *   (repeatable), or {@linkcode valueFlag} with a `parse` of your own. A bad value is a
 *   `UsageError` that names the flag; checks across flags belong to the command.
 *
 * @module
 */

/** One flag: its value, default, help and how the text given becomes the value. */
export interface Flag<T> {
  /** The flag without its dashes, when it is not the key in kebab case. */
  readonly name?: string;
  /** A one-letter alias (`h` for `-h`). */
  readonly short?: string;
  /** The value's name in help (`N`, `FILE`), or null for a switch, which takes none. */
  readonly value: string | null;
  /** What the flag does, as `--help` and the docs say it. */
  readonly help: string;
  /** The value when the flag is not given. */
  readonly default: T;
  /** The default as `--help` and the docs show it, or null to show none. */
  readonly shown: string | null;
  /** Whether it may be given more than once, each value kept. */
  readonly repeatable: boolean;
  /**
   * The value from the texts given (one per time the flag was given; none for a switch).
   *
   * @throws {UsageError} When a text is not a valid value; the message names the flag.
   */
  readonly read: (texts: readonly string[], flag: string) => T;
}

/** A command's flags, by option name. */
export type Flags = Readonly<Record<string, Flag<unknown>>>;

/** The parsed options of a command with these flags: each flag's value, by option name. */
export type FlagValues<F extends Flags> = { -readonly [K in keyof F]: F[K]["default"] };

/** What every builder takes besides the value and help. */
export interface FlagNaming {
  /** The flag without its dashes, when it is not the key in kebab case. */
  name?: string;
  /** A one-letter alias. */
  short?: string;
}

/** What a flag that takes a value is built with. */
export interface ValueFlagOptions<T, D> extends FlagNaming {
  /** The value when the flag is not given. */
  default: D;
  /** The default as help shows it (default: the value itself; null shows none). */
  shown?: string | null;
  /** The value from the text given; a bad text is a `UsageError` naming `flag`. */
  parse: (text: string, flag: string) => T;
}

/** The default as help shows it, unless told otherwise. */
function shownDefault(value: unknown): string | null {
  if (value === null || value === undefined || value === false) return null;
  if (Array.isArray(value)) return value.length === 0 ? null : value.join(", ");
  return String(value);
}

/**
 * A flag that takes one value, parsed by `parse` (given twice, the last one counts).
 *
 * @param value The value's name in help, e.g. `I/N`.
 * @param help What the flag does.
 * @param options Its default and parser.
 * @returns The flag.
 *
 * @example Usage
 * ```ts
 * import { valueFlag } from "./flags.ts";
 * import { parseFlags } from "./parse_flags.ts";
 * import assert from "node:assert/strict";
 *
 * const flags = { ratio: valueFlag("A:B", "a ratio", { default: null, parse: (t) => t.split(":") }) };
 * assert.deepEqual(parseFlags(flags, ["--ratio", "1:2"]).values.ratio, ["1", "2"]);
 * ```
 */
export function valueFlag<T, D = T>(
  value: string,
  help: string,
  options: ValueFlagOptions<T, D>,
): Flag<T | D> {
  const { parse, shown, default: fallback, ...naming } = options;
  return {
    ...naming,
    value,
    help,
    default: fallback,
    shown: shown === undefined ? shownDefault(fallback) : shown,
    repeatable: false,
    read: (texts, flag) => parse(texts[texts.length - 1], flag),
  };
}

/**
 * A switch: false unless given.
 *
 * @param help What it does.
 * @param naming Its name or short alias, when not the key's.
 * @returns The flag.
 *
 * @example Usage
 * ```ts
 * import { switchFlag } from "./flags.ts";
 * import { parseFlags } from "./parse_flags.ts";
 * import assert from "node:assert/strict";
 *
 * const flags = { resume: switchFlag("continue the latest benchmark") };
 * assert.equal(parseFlags(flags, ["--resume"]).values.resume, true);
 * assert.equal(parseFlags(flags, []).values.resume, false);
 * ```
 */
export function switchFlag(help: string, naming: FlagNaming = {}): Flag<boolean> {
  return {
    ...naming,
    value: null,
    help,
    default: false,
    shown: null,
    repeatable: false,
    read: () => true,
  };
}

/** What a text flag is built with. */
/**
 * A flag that may be given more than once: every value, each parsed by `parse`, in order.
 *
 * @param value The value's name in help, e.g. `SPEC`.
 * @param help What the flag does.
 * @param parse The value from one text (default: the text).
 * @param naming Its name or short alias, when not the key's.
 * @returns The flag; its default is no values.
 *
 * @example Usage
 * ```ts
 * import { listFlag } from "./flags.ts";
 * import { parseFlags } from "./parse_flags.ts";
 * import assert from "node:assert/strict";
 *
 * const flags = { model: listFlag("SPEC", "a model; repeatable") };
 * assert.deepEqual(parseFlags(flags, ["--model", "a", "--model", "b"]).values.model, ["a", "b"]);
 * ```
 */
export function listFlag<E = string>(
  value: string,
  help: string,
  parse: (text: string, flag: string) => E = (text) => text as E,
  naming: FlagNaming = {},
): Flag<E[]> {
  return {
    ...naming,
    value,
    help,
    default: [],
    shown: null,
    repeatable: true,
    read: (texts, flag) => texts.map((text) => parse(text, flag)),
  };
}

/**
 * The flag's name on the command line, without dashes: its `name`, else the key in kebab case.
 *
 * @param key The option's name.
 * @param flag The flag.
 * @returns The name, e.g. `daily-words`.
 *
 * @example Usage
 * ```ts
 * import { flagName, switchFlag } from "./flags.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(flagName("dailyWords", switchFlag("")), "daily-words");
 * assert.equal(flagName("maxCostUsd", { ...switchFlag(""), name: "max-cost" }), "max-cost");
 * ```
 */
export function flagName(key: string, flag: Flag<unknown>): string {
  return flag.name ?? key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** What a command line holds once parsed: each flag's value and the positional arguments. */
