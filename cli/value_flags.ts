/**
 * Flags that take a value of a common kind, each checked as it is read: any text but a blank one
 * ({@linkcode textFlag}), a path ({@linkcode pathFlag}), a whole number ({@linkcode intFlag}), a
 * number ({@linkcode numberFlag}) or one of a few words ({@linkcode choiceFlag}). A bad value is
 * one line naming the flag.
 *
 * @module
 */
import { type Flag, type FlagNaming, valueFlag } from "./flags.ts";
import { UsageError } from "./usage_error.ts";

export interface TextFlagOptions<D> extends FlagNaming {
  /** The value when the flag is not given (default null). */
  default?: D;
  /** The default as help shows it (default: the value itself; null shows none). */
  shown?: string | null;
  /** What a blank value lacks, for its message: `--label needs a name` (default `a value`). */
  needs?: string;
}

/**
 * A flag that takes any text but a blank one.
 *
 * @param value The value's name in help, e.g. `NAME`.
 * @param help What the flag does.
 * @param options Its default, and what a blank value lacks.
 * @returns The flag.
 *
 * @example Usage
 * ```ts
 * import { textFlag } from "./value_flags.ts";
 * import { parseFlags } from "./parse_flags.ts";
 * import assert from "node:assert/strict";
 *
 * const flags = { label: textFlag("NAME", "name the benchmark", { needs: "a name" }) };
 * assert.equal(parseFlags(flags, ["--label", "nightly"]).values.label, "nightly");
 * assert.equal(parseFlags(flags, []).values.label, null);
 * assert.throws(() => parseFlags(flags, ["--label", " "]), /^UsageError: --label needs a name$/);
 * ```
 */
export function textFlag<D extends string | null = null>(
  value: string,
  help: string,
  options: TextFlagOptions<D> = {},
): Flag<string | D> {
  const { needs = "a value", default: fallback = null as D, ...rest } = options;
  return valueFlag(value, help, {
    ...rest,
    default: fallback,
    parse: (text, flag) => {
      if (text.trim() === "") throw new UsageError(`${flag} needs ${needs}`);
      return text;
    },
  });
}

/**
 * A flag that names a file or folder: any text but a blank one (`--out needs a path`).
 *
 * @param value The value's name in help, e.g. `FILE`.
 * @param help What the flag does.
 * @param options Its default.
 * @returns The flag.
 *
 * @example Usage
 * ```ts
 * import { pathFlag } from "./value_flags.ts";
 * import { parseFlags } from "./parse_flags.ts";
 * import assert from "node:assert/strict";
 *
 * const flags = { out: pathFlag("DIR", "the output folder", { shown: "reports/<id>/" }) };
 * assert.throws(() => parseFlags(flags, ["--out", ""]), /--out needs a path/);
 * ```
 */
export function pathFlag<D extends string | null = null>(
  value: string,
  help: string,
  options: Omit<TextFlagOptions<D>, "needs"> = {},
): Flag<string | D> {
  return textFlag(value, help, { ...options, needs: "a path" });
}

/** What a whole-number flag is built with. */
export interface IntFlagOptions<D> extends FlagNaming {
  /** The value when the flag is not given. */
  default: D;
  /** The smallest value allowed. */
  min?: number;
  /** The largest value allowed. */
  max?: number;
  /** The default as help shows it (default: the value itself; null shows none). */
  shown?: string | null;
}

/**
 * A flag that takes a whole number, within `min` and `max` when given.
 *
 * @param value The value's name in help, e.g. `N`.
 * @param help What the flag does.
 * @param options Its default and bounds.
 * @returns The flag.
 *
 * @example Usage
 * ```ts
 * import { intFlag } from "./value_flags.ts";
 * import { parseFlags } from "./parse_flags.ts";
 * import assert from "node:assert/strict";
 *
 * const flags = { runs: intFlag("N", "repeats per input", { default: 1, min: 1 }) };
 * assert.equal(parseFlags(flags, ["--runs", "3"]).values.runs, 3);
 * assert.throws(
 *   () => parseFlags(flags, ["--runs", "-2"]),
 *   /^UsageError: --runs must be a whole number ≥ 1, got "-2"$/,
 * );
 * ```
 */
export function intFlag<D extends number | null>(
  value: string,
  help: string,
  options: IntFlagOptions<D>,
): Flag<number | D> {
  const { min = -Infinity, max = Infinity, ...rest } = options;
  const range = min > -Infinity && max < Infinity
    ? ` from ${min} to ${max}`
    : min > -Infinity
    ? ` ≥ ${min}`
    : max < Infinity
    ? ` ≤ ${max}`
    : "";
  return numberFlag(value, help, {
    ...rest,
    must: `a whole number${range}`,
    check: (number, text) =>
      /^-?\d+$/.test(text.trim()) && Number.isSafeInteger(number) && number >= min &&
      number <= max,
  });
}

/** What a number flag is built with. */
export interface NumberFlagOptions<D> extends FlagNaming {
  /** The value when the flag is not given. */
  default: D;
  /** Whether a (finite) number is allowed, given as `text`. */
  check: (value: number, text: string) => boolean;
  /** What a value must be, for the message: `a number ≥ 0`. */
  must: string;
  /** The default as help shows it (default: the value itself; null shows none). */
  shown?: string | null;
}

/**
 * A flag that takes a finite number that `check` allows.
 *
 * @param value The value's name in help, e.g. `USD`.
 * @param help What the flag does.
 * @param options Its default, check and what a value must be.
 * @returns The flag.
 *
 * @example Usage
 * ```ts
 * import { numberFlag } from "./value_flags.ts";
 * import { parseFlags } from "./parse_flags.ts";
 * import assert from "node:assert/strict";
 *
 * const flags = {
 *   scale: numberFlag("X", "latency scale", { default: 1, check: (x) => x >= 0, must: "a number ≥ 0" }),
 * };
 * assert.equal(parseFlags(flags, ["--scale", "0.5"]).values.scale, 0.5);
 * assert.throws(() => parseFlags(flags, ["--scale", ""]), /--scale must be a number ≥ 0, got ""/);
 * ```
 */
export function numberFlag<D extends number | null>(
  value: string,
  help: string,
  options: NumberFlagOptions<D>,
): Flag<number | D> {
  const { check, must, ...rest } = options;
  return valueFlag(value, help, {
    ...rest,
    parse: (text, flag) => {
      const number = Number(text);
      if (text.trim() === "" || !Number.isFinite(number) || !check(number, text)) {
        throw new UsageError(`${flag} must be ${must}, got "${text}"`);
      }
      return number;
    },
  });
}

/**
 * A flag that takes one of a few words.
 *
 * @param choices The words allowed.
 * @param help What the flag does.
 * @param options Its default.
 * @returns The flag; its value in help is the words joined by `|`.
 *
 * @example Usage
 * ```ts
 * import { choiceFlag } from "./value_flags.ts";
 * import { parseFlags } from "./parse_flags.ts";
 * import assert from "node:assert/strict";
 *
 * const flags = { format: choiceFlag(["jsonl", "csv"], "the format", { default: "jsonl" }) };
 * assert.equal(parseFlags(flags, ["--format", "csv"]).values.format, "csv");
 * assert.throws(() => parseFlags(flags, ["--format", "xml"]), /must be jsonl or csv, got "xml"/);
 * ```
 */
export function choiceFlag<const C extends string>(
  choices: readonly C[],
  help: string,
  options: FlagNaming & { default: C },
): Flag<C> {
  const words = choices.length > 1
    ? `${choices.slice(0, -1).join(", ")} or ${choices[choices.length - 1]}`
    : choices.join("");
  return valueFlag(choices.join("|"), help, {
    ...options,
    parse: (text, flag) => {
      if (!(choices as readonly string[]).includes(text)) {
        throw new UsageError(`${flag} must be ${words}, got "${text}"`);
      }
      return text as C;
    },
  });
}
