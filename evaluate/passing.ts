/**
 * Which runs pass, and what a passing run costs (pure). A run passes when every rule holds
 * (`correctness>=1`, `recall>=0.8`); without rules, when every boolean key passes. A run with no
 * score for a key a rule needs (not scored, or its evaluator failed) does not pass: cost per
 * passing run never flatters.
 *
 * @module
 */
import { z } from "zod";
import type { MetricsSchema } from "../telemetry/metrics.ts";
import type { SameKeys } from "../pricing/_same_keys.ts";
import type { ScoredRun, ScoreSummary } from "./score_summary.ts";

/** One rule of what passing means: a key's score at least a value. */
export interface PassRule {
  /** The key. */
  readonly key: string;
  /** The least score that passes. */
  readonly atLeast: number;
}

/** A pass rule that cannot be read: the message says what to write. */
export class PassRuleError extends Error {
  /** The error's name. */
  override name = "PassRuleError";
}

/**
 * Parses pass rules: comma-separated `KEY>=VALUE`.
 *
 * @param text The rules, e.g. `correctness>=1,topic_recall>=0.8`.
 * @returns The rules, in order.
 * @throws {PassRuleError} On a rule that is not `KEY>=NUMBER`.
 *
 * @example Usage
 * ```ts
 * import { parsePassRules } from "./passing.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parsePassRules("correctness>=1, recall>=0.8"), [
 *   { key: "correctness", atLeast: 1 },
 *   { key: "recall", atLeast: 0.8 },
 * ]);
 * assert.throws(() => parsePassRules("recall>0.8"), /write KEY>=VALUE/);
 * ```
 */
export function parsePassRules(text: string): PassRule[] {
  const parts = text.split(",").map((part) => part.trim()).filter((part) => part !== "");
  if (parts.length === 0) throw new PassRuleError(`no rule in "${text}"; e.g. "correctness>=1"`);
  return parts.map((part) => {
    const match = /^(.+?)\s*>=\s*(-?\d+(?:\.\d+)?)$/.exec(part);
    if (match === null || match[1].trim() === "") {
      throw new PassRuleError(`"${part}": write KEY>=VALUE, e.g. "correctness>=1"`);
    }
    return { key: match[1].trim(), atLeast: Number(match[2]) };
  });
}

/**
 * A rule as text: `key>=value`.
 *
 * @param rule The rule.
 * @returns Its text.
 *
 * @example Usage
 * ```ts
 * import { formatPassRule } from "./passing.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatPassRule({ key: "recall", atLeast: 0.8 }), "recall>=0.8");
 * ```
 */
export function formatPassRule(rule: PassRule): string {
  return `${rule.key}>=${rule.atLeast}`;
}

/** The zod schema of {@linkcode PassingSummary}. */
export const passingSummarySchema = z.object({
  rules: z.array(z.string()),
  evaluatedRuns: z.number().int().nonnegative(),
  passingRuns: z.number().int().nonnegative(),
  passRate: z.number().min(0).max(1).nullable(),
  costPerPassingRunUsd: z.number().nonnegative().nullable(),
});

/** The runs that pass, and the pipeline's cost per passing run. */
export interface PassingSummary {
  /** What passing meant, e.g. `["correctness>=1"]` (the boolean keys, without `--pass`). */
  readonly rules: readonly string[];
  /** The runs judged (the evaluated ones). */
  readonly evaluatedRuns: number;
  /** The runs that passed. */
  readonly passingRuns: number;
  /** `passingRuns / evaluatedRuns`, or null without evaluated runs. */
  readonly passRate: number | null;
  /**
   * The pipeline's cost of every judged run (failing ones cost too) divided by the passing runs;
   * null when none passed or the cost is unknown. Evaluation cost is not in it.
   */
  readonly costPerPassingRunUsd: number | null;
}

/**
 * Validates a passing summary.
 *
 * @example Usage
 * ```ts
 * import { PassingSummary } from "./passing.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(PassingSummary.safeParse({ rules: [] }).success, false);
 * ```
 */
export const PassingSummary: MetricsSchema<PassingSummary> = passingSummarySchema;

const _sameFields: SameKeys<PassingSummary, z.infer<typeof passingSummarySchema>> = true;

/**
 * The rules a benchmark passes by: the given ones, or else `key>=1` for every boolean key.
 *
 * @param given The `--pass` rules (empty for none).
 * @param summaries The benchmark's key summaries.
 * @returns The rules; empty when there are none to apply.
 *
 * @example Usage
 * ```ts
 * import { passRulesFor } from "./passing.ts";
 * import type { ScoreSummary } from "./score_summary.ts";
 * import assert from "node:assert/strict";
 *
 * const summaries = [
 *   { key: "correct", kind: "boolean", scoredRuns: 3 },
 *   { key: "recall", kind: "number", scoredRuns: 3 },
 * ];
 * assert.deepEqual(passRulesFor([], summaries as ScoreSummary[]), [{ key: "correct", atLeast: 1 }]);
 * ```
 */
export function passRulesFor(
  given: readonly PassRule[],
  summaries: readonly ScoreSummary[],
): PassRule[] {
  if (given.length > 0) return [...given];
  return summaries.filter((s) => s.kind === "boolean" && s.scoredRuns > 0)
    .map((s) => ({ key: s.key, atLeast: 1 }));
}

/**
 * Whether one run passes every rule (a missing or failed score does not pass).
 *
 * @param run The run.
 * @param rules The rules (at least one).
 * @returns True when it passes.
 *
 * @example Usage
 * ```ts
 * import { runPasses } from "./passing.ts";
 * import assert from "node:assert/strict";
 *
 * const run = {
 *   inputId: "a", repeat: 0,
 *   scores: [{ key: "recall", score: 0.9, kind: "number" as const, comment: null, error: null }],
 * };
 * assert.equal(runPasses(run, [{ key: "recall", atLeast: 0.8 }]), true);
 * assert.equal(runPasses(run, [{ key: "precision", atLeast: 0.8 }]), false);
 * ```
 */
export function runPasses(run: ScoredRun, rules: readonly PassRule[]): boolean {
  return rules.every((rule) => {
    const score = run.scores?.find((s) => s.key === rule.key)?.score ?? null;
    return score !== null && score >= rule.atLeast;
  });
}

/**
 * Which runs pass and the cost per passing run; null when there is no rule to pass by (no
 * `--pass` and no boolean key) or no run was evaluated.
 *
 * @param runs The successful runs, each with its pipeline cost (null when unpriced).
 * @param rules The rules, from {@linkcode passRulesFor}.
 * @returns The summary, or null.
 *
 * @example Usage
 * ```ts
 * import { summarizePassing } from "./passing.ts";
 * import assert from "node:assert/strict";
 *
 * const run = (inputId: string, score: number) => ({
 *   inputId, repeat: 0, costUsd: 0.01,
 *   scores: [{ key: "correct", score, kind: "boolean" as const, comment: null, error: null }],
 * });
 * const passing = summarizePassing([run("a", 1), run("b", 0)], [{ key: "correct", atLeast: 1 }]);
 * assert.equal(passing?.passingRuns, 1);
 * assert.equal(passing?.costPerPassingRunUsd, 0.02); // both runs cost, one passed
 * ```
 */
export function summarizePassing(
  runs: readonly (ScoredRun & { readonly costUsd: number | null })[],
  rules: readonly PassRule[],
): PassingSummary | null {
  const evaluated = runs.filter((run) => run.scores !== undefined);
  if (rules.length === 0 || evaluated.length === 0) return null;
  const passing = evaluated.filter((run) => runPasses(run, rules)).length;
  const costs = evaluated.map((run) => run.costUsd);
  const cost = costs.every((c) => c !== null)
    ? (costs as number[]).reduce((sum, c) => sum + c, 0)
    : null;
  return {
    rules: rules.map(formatPassRule),
    evaluatedRuns: evaluated.length,
    passingRuns: passing,
    passRate: passing / evaluated.length,
    costPerPassingRunUsd: cost === null || passing === 0 ? null : cost / passing,
  };
}
