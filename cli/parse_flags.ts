/**
 * Parses a command line by its flags' declarations (node's `parseArgs` underneath): an unknown
 * flag or a bad value is one line; a flag not given takes its default.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { flagName, type Flags, type FlagValues } from "./flags.ts";
import { UsageError } from "./usage_error.ts";

export interface ParsedFlags<F extends Flags> {
  /** Each flag's value (its default when not given), by option name. */
  values: FlagValues<F>;
  /** The arguments that are no flag, in order. */
  positionals: string[];
  /** The flags given, by name without dashes (e.g. `max-cost`). */
  given: ReadonlySet<string>;
}

type ParseConfig = Record<
  string,
  { type: "string" | "boolean"; multiple: boolean; short?: string }
>;

/**
 * Writes `--flag -4` as `--flag=-4` for flags that take a value: node's parseArgs takes a value
 * that starts with a dash for a flag and calls it ambiguous, so `--seed -4` would fail and
 * `--max-cost -1` would not reach the check that says what is wrong with it.
 */
function joinNegativeNumbers(argv: readonly string[], config: ParseConfig): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith("--") ? argv[i].slice(2) : null;
    const takesValue = name !== null && config[name]?.type === "string";
    if (takesValue && /^-\.?\d/.test(argv[i + 1] ?? "")) {
      args.push(`${argv[i]}=${argv[++i]}`);
    } else {
      args.push(argv[i]);
    }
  }
  return args;
}

/**
 * Parses a command line by the flags declared: an unknown flag or a bad value is a
 * {@linkcode UsageError} in one line; flags not given take their defaults.
 *
 * @param flags The command's flags.
 * @param argv The arguments.
 * @returns The values, the positional arguments and the flags given.
 * @throws {UsageError} On an unknown flag, a missing value or a bad one.
 *
 * @example Usage
 * ```ts
 * import { switchFlag } from "./flags.ts";
 * import { intFlag } from "./value_flags.ts";
 * import { parseFlags } from "./parse_flags.ts";
 * import assert from "node:assert/strict";
 *
 * const flags = {
 *   seed: intFlag("N", "the seed", { default: null }),
 *   resume: switchFlag("continue"),
 * };
 * const { values, positionals, given } = parseFlags(flags, ["a.db", "--seed", "-4"]);
 * assert.deepEqual(values, { seed: -4, resume: false });
 * assert.deepEqual(positionals, ["a.db"]);
 * assert.deepEqual([...given], ["seed"]);
 * assert.throws(() => parseFlags(flags, ["--nope"]), /Unknown option '--nope'/);
 * ```
 */
export function parseFlags<F extends Flags>(flags: F, argv: readonly string[]): ParsedFlags<F> {
  const config: ParseConfig = {};
  for (const [key, flag] of Object.entries(flags)) {
    config[flagName(key, flag)] = {
      type: flag.value === null ? "boolean" : "string",
      multiple: flag.repeatable,
      ...(flag.short === undefined ? {} : { short: flag.short }),
    };
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeNumbers(argv, config),
      options: config,
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    // parseArgs's first sentence says what is wrong ("Unknown option '--nope'"); the rest is
    // about positional arguments that start with a dash.
    const message = error instanceof Error ? error.message.split(/\.\s|\n/)[0] : String(error);
    throw new UsageError(`${message} (see --help)`);
  }
  const values: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const [key, flag] of Object.entries(flags)) {
    const name = flagName(key, flag);
    const raw = parsed.values[name];
    if (raw === undefined) {
      values[key] = flag.default;
      continue;
    }
    given.add(name);
    const texts = typeof raw === "boolean" ? [] : (Array.isArray(raw) ? raw : [raw]).map(String);
    values[key] = flag.read(texts, `--${name}`);
  }
  return { values: values as FlagValues<F>, positionals: parsed.positionals, given };
}

/** Where a flag's help starts on its line. */
