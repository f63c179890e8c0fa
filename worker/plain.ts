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

const MAX_DEPTH = 24;

/**
 * A plain, JSON-safe copy of a value (cycles and depth past 24 become null).
 *
 * @param value Anything.
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
export function toPlain(value: unknown): unknown {
  return copy(value, new Set(), 0);
}

function copy(value: unknown, seen: Set<object>, depth: number): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "bigint") return String(value);
  if (typeof value !== "object") return undefined; // functions, symbols, undefined
  if (seen.has(value) || depth > MAX_DEPTH) return null;
  seen.add(value);
  try {
    if (value instanceof Error) return plainError(value);
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) {
      return value.map((item) => copy(item, seen, depth + 1) ?? null);
    }
    if (value instanceof Map) {
      return Object.fromEntries(
        [...value].map(([key, item]) => [String(key), copy(item, seen, depth + 1)]),
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
      const plain = copy(item, seen, depth + 1);
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
