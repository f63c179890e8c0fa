/**
 * Turns what LangChain hands a callback (messages, results, errors: class instances) into plain,
 * JSON-safe data that keeps every field a reader looks at: own enumerable properties, minus
 * functions and LangChain's serialization bookkeeping (`lc_*`). Errors keep their name, message
 * and LangGraph's `is_bubble_up` flag, tagged so the other side can make them errors again.
 *
 * @module
 */

/**
 * The tag of a plain error: `{ [ERROR_TAG]: true, name, message, is_bubble_up? }`.
 *
 * @example Usage
 * ```ts
 * import { ERROR_TAG, toPlain } from "./plain.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal((toPlain(new Error("x")) as Record<string, unknown>)[ERROR_TAG], true);
 * ```
 */
export const ERROR_TAG = "__graphmeter_error__";

/**
 * The tag of a non-finite number (`NaN`, `Infinity`) that {@linkcode toPlain} keeps:
 * `{ [NUMBER_TAG]: "NaN" }`.
 *
 * @example Usage
 * ```ts
 * import { NUMBER_TAG, toPlain } from "./plain.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toPlain({ score: NaN }, { keepNonFinite: true }), { score: { [NUMBER_TAG]: "NaN" } });
 * ```
 */
export const NUMBER_TAG = "__graphmeter_number__";

const MAX_DEPTH = 24;

/** How {@linkcode toPlain} copies. */
export interface PlainOptions {
  /** Keep non-finite numbers, tagged (default: they become null, as JSON makes them). */
  keepNonFinite?: boolean;
}

/**
 * A plain, JSON-safe copy of a value (cycles and depth past 24 become null).
 *
 * @param value Anything.
 * @param options Whether non-finite numbers are kept (tagged).
 * @returns Its plain copy.
 *
 * @example Usage
 * ```ts
 * import { toPlain } from "./plain.ts";
 * import assert from "node:assert/strict";
 *
 * class Message {
 *   lc_kwargs = { content: "hi" };
 *   content = "hi";
 *   usage_metadata = { input_tokens: 3 };
 *   text(): string { return this.content; }
 * }
 * assert.deepEqual(toPlain({ message: new Message(), n: 1n }), {
 *   message: { content: "hi", usage_metadata: { input_tokens: 3 } },
 *   n: "1",
 * });
 * ```
 */
export function toPlain(value: unknown, options: PlainOptions = {}): unknown {
  return copy(value, new Set(), 0, options.keepNonFinite === true);
}

function copy(value: unknown, seen: Set<object>, depth: number, keepNonFinite: boolean): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    return keepNonFinite ? { [NUMBER_TAG]: String(value) } : null;
  }
  if (typeof value === "bigint") return String(value);
  if (typeof value !== "object") return undefined; // functions, symbols, undefined
  if (seen.has(value) || depth > MAX_DEPTH) return null;
  seen.add(value);
  try {
    if (value instanceof Error) return plainError(value);
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) {
      return value.map((item) => copy(item, seen, depth + 1, keepNonFinite) ?? null);
    }
    if (value instanceof Map) {
      return Object.fromEntries(
        [...value].map(([key, item]) => [String(key), copy(item, seen, depth + 1, keepNonFinite)]),
      );
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (key.startsWith("lc_")) continue;
      let item: unknown;
      try {
        item = (value as Record<string, unknown>)[key];
      } catch {
        continue; // a throwing getter
      }
      const plain = copy(item, seen, depth + 1, keepNonFinite);
      if (plain !== undefined) out[key] = plain;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * A plain copy of an error (name, message, LangGraph's `is_bubble_up`).
 *
 * @param error Anything thrown.
 * @returns The tagged plain error.
 *
 * @example Usage
 * ```ts
 * import { ERROR_TAG, plainError } from "./plain.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(plainError(new TypeError("bad")), {
 *   [ERROR_TAG]: true,
 *   name: "TypeError",
 *   message: "bad",
 * });
 * ```
 */
export function plainError(error: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { [ERROR_TAG]: true };
  if (error instanceof Error) {
    out.name = error.name;
    out.message = error.message;
  } else {
    out.name = "Error";
    out.message = String(error);
  }
  if ((error as { is_bubble_up?: unknown } | null)?.is_bubble_up === true) out.is_bubble_up = true;
  return out;
}

/**
 * Makes the tagged plain errors inside a value errors again (other values are returned as is).
 *
 * @param value A value that came through {@linkcode toPlain}.
 * @returns The value, with its plain errors as `Error`s.
 *
 * @example Usage
 * ```ts
 * import { fromPlain, plainError } from "./plain.ts";
 * import assert from "node:assert/strict";
 *
 * const [error] = fromPlain([plainError(new RangeError("no"))]) as [Error];
 * assert.ok(error instanceof Error);
 * assert.equal(`${error.name}: ${error.message}`, "RangeError: no");
 * ```
 */
export function fromPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromPlain);
  const dict = value as Record<string, unknown> | null;
  if (dict !== null && typeof dict === "object" && dict[ERROR_TAG] === true) {
    const error = new Error(String(dict.message ?? ""));
    error.name = String(dict.name ?? "Error");
    if (dict.is_bubble_up === true) Object.assign(error, { is_bubble_up: true });
    return error;
  }
  return value;
}

/**
 * Makes a value that came through {@linkcode toPlain} whole again, at every depth: its tagged
 * errors `Error`s, its tagged non-finite numbers numbers.
 *
 * @param value The plain value.
 * @returns The value revived.
 *
 * @example Usage
 * ```ts
 * import { revivePlain, toPlain } from "./plain.ts";
 * import assert from "node:assert/strict";
 *
 * const revived = revivePlain(toPlain([{ key: "k", score: NaN }], { keepNonFinite: true }));
 * assert.ok(Number.isNaN((revived as { score: number }[])[0].score));
 * ```
 */
export function revivePlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revivePlain);
  if (value === null || typeof value !== "object") return value;
  const dict = value as Record<string, unknown>;
  if (dict[ERROR_TAG] === true) return fromPlain(dict);
  if (typeof dict[NUMBER_TAG] === "string" && Object.keys(dict).length === 1) {
    return Number(dict[NUMBER_TAG]);
  }
  return Object.fromEntries(Object.entries(dict).map(([key, item]) => [key, revivePlain(item)]));
}
