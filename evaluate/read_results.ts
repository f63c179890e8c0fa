/**
 * Reads what an evaluator returned into score records, never throwing: a result that is not
 * `{ key, score, comment? }` (score a number, a boolean or null) is recorded as an error under
 * the evaluator's name, so nothing is dropped silently.
 *
 * @module
 */
import { z } from "zod";
import type { ScoreRecord } from "./score_record.ts";

const result = z.object({
  key: z.string().trim().min(1),
  score: z.union([z.number().refine(Number.isFinite, "not a finite number"), z.boolean()])
    .nullable(),
  comment: z.unknown().optional(),
});

/** A one-line description of a value that is not a result, for the error. */
function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** A comment as text: strings as they are, anything else (an object, a number) as JSON. */
function commentText(comment: unknown): string | null {
  if (comment === undefined || comment === null) return null;
  if (typeof comment === "string") return comment;
  return describe(comment);
}

/**
 * An error score under a key.
 *
 * @param key The key (the evaluator's name).
 * @param error Why there is no score.
 * @returns The record.
 *
 * @example Usage
 * ```ts
 * import { errorScore } from "./read_results.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(errorScore("judge", "timed out after 60 s").score, null);
 * ```
 */
export function errorScore(key: string, error: string): ScoreRecord {
  return { key, score: null, kind: "number", comment: null, error };
}

/**
 * Reads an evaluator's return value: one result, a list, or `{ results: [...] }`. Each valid
 * result becomes a score (a boolean as 1 or 0, kind `boolean`); a malformed one, or an empty
 * list, becomes one error under the evaluator's name naming what was wrong.
 *
 * @param returned What the evaluator returned (awaited).
 * @param evaluator The evaluator's name.
 * @returns The score records, in the order returned (an error last).
 *
 * @example Usage
 * ```ts
 * import { readEvaluatorResults } from "./read_results.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(readEvaluatorResults({ key: "correct", score: true, comment: "ok" }, "judge"), [
 *   { key: "correct", score: 1, kind: "boolean", comment: "ok", error: null },
 * ]);
 * const [bad] = readEvaluatorResults({ score: 0.5 }, "judge");
 * assert.equal(bad.key, "judge");
 * assert.match(bad.error ?? "", /^returned a malformed result/);
 * ```
 */
export function readEvaluatorResults(returned: unknown, evaluator: string): ScoreRecord[] {
  const list: unknown[] = Array.isArray(returned)
    ? returned
    : returned !== null && typeof returned === "object" && "results" in returned &&
        Array.isArray((returned as { results: unknown }).results)
    ? (returned as { results: unknown[] }).results
    : [returned];
  if (list.length === 0) {
    return [errorScore(evaluator, "returned no result: return { key, score }")];
  }
  const scores: ScoreRecord[] = [];
  const malformed: string[] = [];
  list.forEach((item, index) => {
    const parsed = result.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` (${issue.path.join(".")}: ${issue.message})` : "";
      const which = list.length > 1 ? ` ${index + 1} of ${list.length}` : "";
      malformed.push(`result${which} ${describe(item)}${where}`);
      return;
    }
    const { key, score, comment } = parsed.data;
    scores.push({
      key,
      score: typeof score === "boolean" ? (score ? 1 : 0) : score,
      kind: typeof score === "boolean" ? "boolean" : "number",
      comment: commentText(comment),
      error: null,
    });
  });
  if (malformed.length > 0) {
    scores.push(errorScore(
      evaluator,
      `returned a malformed result, not { key, score (number, boolean or null), comment? }: ` +
        malformed.join("; "),
    ));
  }
  return scores;
}
