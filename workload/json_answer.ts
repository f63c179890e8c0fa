/**
 * Reads a chat model's answer as JSON of an expected shape, never throwing: an answer that is not
 * JSON or not of the shape is reported as a one-line error, which the stage records as an
 * invalid output.
 *
 * @module
 */
import type { z } from "zod";

/** The outcome of reading an answer: the value, or why it could not be read. */
export type JsonAnswer<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Parses a model's answer text as JSON and validates it with a zod schema. A Markdown code fence
 * around the JSON is tolerated (models add one despite being told not to).
 *
 * @param text The answer's text.
 * @param schema The expected shape.
 * @returns The parsed value, or a one-line error.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 * import { z } from "zod";
 * import { parseJsonAnswer } from "./json_answer.ts";
 *
 * const schema = z.object({ n: z.number() });
 * const fence = "`".repeat(3);
 * deepStrictEqual(parseJsonAnswer(`${fence}json\n{"n": 1}\n${fence}`, schema), { ok: true, value: { n: 1 } });
 * strictEqual(parseJsonAnswer('{"n": ', schema).ok, false);
 * strictEqual(parseJsonAnswer('{"n": "1"}', schema).ok, false);
 * ```
 */
export function parseJsonAnswer<T>(text: string, schema: z.ZodType<T>): JsonAnswer<T> {
  const fenced = text.trim().match(/^```[a-zA-Z]*\s*\n([\s\S]*?)\n?```$/);
  const body = fenced ? fenced[1] : text.trim();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const path = issue?.path.length ? issue.path.join(".") : "(root)";
  return { ok: false, error: `unexpected shape at ${path}: ${issue?.message ?? "invalid"}` };
}
