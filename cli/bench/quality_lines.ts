/**
 * The lines `deno task bench` prints about quality: the evaluator errors (never silent), naming
 * key and input.
 *
 * @module
 */
import type { ScoreSummary } from "../../evaluate/score_summary.ts";

/**
 * One line naming every key whose evaluator failed, how often, and its first failure.
 *
 * @param scores The benchmark's key summaries.
 * @returns The line (without a line break), or null when no evaluator failed.
 *
 * @example Usage
 * ```ts
 * import { formatEvaluatorErrors } from "./quality_lines.ts";
 * import type { ScoreSummary } from "../../evaluate/score_summary.ts";
 * import assert from "node:assert/strict";
 *
 * const summary = {
 *   key: "exact", errorRuns: 1,
 *   errors: [{ inputId: "q-weather", repeat: 0, error: "Error: boom" }],
 * } as unknown as ScoreSummary;
 * assert.equal(
 *   formatEvaluatorErrors([summary]),
 *   "evaluator errors (the runs stay ok): exact failed on 1 run (first: q-weather#0: Error: boom)",
 * );
 * assert.equal(formatEvaluatorErrors([]), null);
 * ```
 */
export function formatEvaluatorErrors(scores: readonly ScoreSummary[]): string | null {
  const failing = scores.filter((s) => s.errorRuns > 0);
  if (failing.length === 0) return null;
  const parts = failing.map((s) => {
    const [first] = s.errors;
    const runs = `${s.errorRuns} run${s.errorRuns === 1 ? "" : "s"}`;
    return `${s.key} failed on ${runs} (first: ${first.inputId}#${first.repeat}: ${first.error})`;
  });
  return `evaluator errors (the runs stay ok): ${parts.join("; ")}`;
}
