/**
 * Knobs and configurations: a knob is a `configurable` key with its candidate values (the first
 * is the baseline's unless told otherwise), a configuration is one value per knob. Configurations
 * are numbered in mixed radix (the first knob varies slowest), so a search can hold thousands of
 * them as integers. Pure.
 *
 * @module
 */

/** A knob's value: what `configurable[key]` is set to (JSON scalars). */
export type KnobValue = string | number | boolean;

/** One knob: a `configurable` key and the values to try, in order. */
export interface Knob {
  /** The `configurable` key (e.g. `model`, or a stage's name for the bundled workload). */
  readonly key: string;
  /** The values to try; at least one, no two alike. */
  readonly values: readonly KnobValue[];
}

/** One choice for each knob, by key. */
export type Configuration = Readonly<Record<string, KnobValue>>;

/** The most configurations a search takes (a grid larger than this needs fewer values). */
export const MAX_CONFIGURATIONS = 20_000;

/** A knob list that cannot be searched, with what to do about it. */
export class KnobError extends Error {
  /** The error's name. */
  override name = "KnobError";
}

/**
 * Checks a knob list: at least one knob, keys unique and non-empty, each with values, none
 * repeated, and not more than {@linkcode MAX_CONFIGURATIONS} configurations in all.
 *
 * @param knobs The knobs.
 * @returns The knobs, as given.
 * @throws {KnobError} When they cannot be searched.
 *
 * @example Usage
 * ```ts
 * import { checkKnobs } from "./knobs.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => checkKnobs([{ key: "model", values: ["a", "a"] }]), /"a" twice/);
 * ```
 */
export function checkKnobs(knobs: readonly Knob[]): readonly Knob[] {
  if (knobs.length === 0) throw new KnobError("no knob to search: give one with its values");
  const keys = new Set<string>();
  for (const knob of knobs) {
    if (knob.key === "") throw new KnobError("a knob's key is empty");
    if (keys.has(knob.key)) throw new KnobError(`knob "${knob.key}" is given twice`);
    keys.add(knob.key);
    if (knob.values.length === 0) throw new KnobError(`knob "${knob.key}" has no value`);
    const seen = new Set<string>();
    for (const value of knob.values) {
      const text = formatKnobValue(value);
      if (seen.has(text)) throw new KnobError(`knob "${knob.key}" has "${text}" twice`);
      seen.add(text);
    }
  }
  const count = configurationCount(knobs);
  if (count > MAX_CONFIGURATIONS) {
    throw new KnobError(
      `the knobs make ${count.toLocaleString("en-US")} configurations, more than ` +
        `${MAX_CONFIGURATIONS.toLocaleString("en-US")}: try fewer values`,
    );
  }
  return knobs;
}

/**
 * How many configurations the knobs make: the product of their value counts.
 *
 * @param knobs The knobs.
 * @returns The count.
 *
 * @example Usage
 * ```ts
 * import { configurationCount } from "./knobs.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(configurationCount([{ key: "a", values: [1, 2] }, { key: "b", values: [1, 2, 3] }]), 6);
 * ```
 */
export function configurationCount(knobs: readonly Knob[]): number {
  return knobs.reduce((product, knob) => product * knob.values.length, 1);
}

/**
 * The value indices (one per knob) of configuration number `index`.
 *
 * @param knobs The knobs.
 * @param index The configuration's number, from 0.
 * @returns Each knob's value index.
 *
 * @example Usage
 * ```ts
 * import { choicesOf } from "./knobs.ts";
 * import assert from "node:assert/strict";
 *
 * const knobs = [{ key: "a", values: [1, 2] }, { key: "b", values: [1, 2, 3] }];
 * assert.deepEqual(choicesOf(knobs, 4), [1, 1]);
 * ```
 */
export function choicesOf(knobs: readonly Knob[], index: number): number[] {
  const choices = new Array<number>(knobs.length);
  for (let k = knobs.length - 1; k >= 0; k--) {
    const size = knobs[k].values.length;
    choices[k] = index % size;
    index = Math.floor(index / size);
  }
  return choices;
}

/**
 * The number of the configuration with these value indices.
 *
 * @param knobs The knobs.
 * @param choices Each knob's value index.
 * @returns The configuration's number.
 *
 * @example Usage
 * ```ts
 * import { indexOf } from "./knobs.ts";
 * import assert from "node:assert/strict";
 *
 * const knobs = [{ key: "a", values: [1, 2] }, { key: "b", values: [1, 2, 3] }];
 * assert.equal(indexOf(knobs, [1, 1]), 4);
 * ```
 */
export function indexOf(knobs: readonly Knob[], choices: readonly number[]): number {
  let index = 0;
  for (let k = 0; k < knobs.length; k++) index = index * knobs[k].values.length + choices[k];
  return index;
}

/**
 * The configuration with these value indices, by key.
 *
 * @param knobs The knobs.
 * @param choices Each knob's value index.
 * @returns The configuration.
 *
 * @example Usage
 * ```ts
 * import { configurationOf } from "./knobs.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(configurationOf([{ key: "t", values: [0, 0.7] }], [1]), { t: 0.7 });
 * ```
 */
export function configurationOf(knobs: readonly Knob[], choices: readonly number[]): Configuration {
  return Object.fromEntries(knobs.map((knob, k) => [knob.key, knob.values[choices[k]]]));
}

/**
 * The value indices of a configuration given by key (every knob's key must be in it).
 *
 * @param knobs The knobs.
 * @param configuration The configuration.
 * @returns Each knob's value index.
 * @throws {KnobError} When a knob's value is missing or not among its values.
 *
 * @example Usage
 * ```ts
 * import { choicesFor } from "./knobs.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(choicesFor([{ key: "t", values: [0, 0.7] }], { t: 0.7 }), [1]);
 * ```
 */
export function choicesFor(knobs: readonly Knob[], configuration: Configuration): number[] {
  return knobs.map((knob) => {
    const value = configuration[knob.key];
    const index = value === undefined
      ? -1
      : knob.values.findIndex((v) => formatKnobValue(v) === formatKnobValue(value));
    if (index < 0) {
      throw new KnobError(
        `the baseline's ${knob.key} (${
          value === undefined ? "none" : formatKnobValue(value)
        }) is not one of its values: ${knob.values.map(formatKnobValue).join(", ")}`,
      );
    }
    return index;
  });
}

/**
 * A knob value as text: a string as it is, a number or boolean as JSON.
 *
 * @param value The value.
 * @returns Its text.
 *
 * @example Usage
 * ```ts
 * import { formatKnobValue } from "./knobs.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatKnobValue("openai:gpt-4.1-mini"), "openai:gpt-4.1-mini");
 * assert.equal(formatKnobValue(0.7), "0.7");
 * ```
 */
export function formatKnobValue(value: KnobValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * A configuration as one line, `key=value` joined by `, `, in knob order: its name in labels,
 * tables and pictures.
 *
 * @param knobs The knobs (their order).
 * @param configuration The configuration.
 * @returns The line.
 *
 * @example Usage
 * ```ts
 * import { formatConfiguration } from "./knobs.ts";
 * import assert from "node:assert/strict";
 *
 * const knobs = [{ key: "model", values: ["a", "b"] }, { key: "temperature", values: [0, 0.7] }];
 * assert.equal(formatConfiguration(knobs, { temperature: 0.7, model: "b" }), "model=b, temperature=0.7");
 * ```
 */
export function formatConfiguration(knobs: readonly Knob[], configuration: Configuration): string {
  return knobs.map((knob) => `${knob.key}=${formatKnobValue(configuration[knob.key])}`).join(", ");
}

/**
 * Parses a knob's values as `--try key=v1,v2` gives them: each value is a JSON number, `true`
 * or `false` when it reads as one, else the text itself (trimmed).
 *
 * @param text `key=v1,v2,...`.
 * @returns The knob.
 * @throws {KnobError} When there is no `=`, the key is empty, or a value is empty.
 *
 * @example Usage
 * ```ts
 * import { parseKnob } from "./knobs.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseKnob("temperature=0, 0.7"), { key: "temperature", values: [0, 0.7] });
 * assert.deepEqual(parseKnob("model=openai:gpt-4.1-mini,anthropic:claude-haiku-4-5").values, [
 *   "openai:gpt-4.1-mini",
 *   "anthropic:claude-haiku-4-5",
 * ]);
 * ```
 */
export function parseKnob(text: string): Knob {
  const equals = text.indexOf("=");
  if (equals < 0) throw new KnobError(`"${text}": write key=value1,value2`);
  const key = text.slice(0, equals).trim();
  if (key === "") throw new KnobError(`"${text}": the key before "=" is empty`);
  const values = text.slice(equals + 1).split(",").map((part) => part.trim());
  if (values.some((value) => value === "")) {
    throw new KnobError(`"${text}": a value is empty (values are separated by commas)`);
  }
  return { key, values: values.map(readScalar) };
}

function readScalar(text: string): KnobValue {
  if (text === "true") return true;
  if (text === "false") return false;
  if (/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text)) return Number(text);
  return text;
}
