/**
 * What the user wants from a search: one goal — the cheapest configuration whose quality is not
 * below the baseline's by more than a margin, or the best quality — under constraints (cost per
 * run, p95 wall time). With no flag: the cheapest configuration at most 0.02 below the baseline on
 * every evaluator key. Pure.
 *
 * @module
 */

/** The goal's kind: the cheapest that keeps quality, or the best quality within the limits. */
export type GoalKind = "cheapest" | "quality";

/** One goal and its constraints. */
export interface TuneGoal {
  /** `cheapest` (default) or `quality`. */
  readonly kind: GoalKind;
  /**
   * The evaluator keys quality is judged on (the frontier's quality is their mean per run);
   * default every key the evaluators score.
   */
  readonly keys?: readonly string[];
  /**
   * How far below the baseline each key's mean may be (an amount of score), established at 95%
   * by the paired bootstrap; default 0.02. For `cheapest` only.
   */
  readonly maxDrop?: number;
  /** The most a run may cost on average, US dollars; default no limit. */
  readonly maxCostPerRunUsd?: number;
  /** The most the p95 wall time may be, milliseconds; default no limit. */
  readonly maxP95Ms?: number;
}

/** The goal with no flag: the cheapest configuration at most 0.02 below the baseline on every key. */
export const DEFAULT_GOAL: TuneGoal = Object.freeze({ kind: "cheapest", maxDrop: 0.02 });

/** The default of {@linkcode TuneGoal.maxDrop}. */
export const DEFAULT_MAX_DROP = 0.02;

/**
 * The goal in one line, as reports say it.
 *
 * @param goal The goal.
 * @param keys The keys quality is judged on.
 * @returns The line.
 *
 * @example Usage
 * ```ts
 * import { describeGoal } from "./goal.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   describeGoal({ kind: "cheapest" }, ["correct"]),
 *   "the cheapest configuration whose correct is not below the baseline's by more than 0.02",
 * );
 * assert.equal(
 *   describeGoal({ kind: "quality", maxCostPerRunUsd: 0.01, maxP95Ms: 20_000 }, ["a", "b"]),
 *   "the best quality (the mean of a and b) at ≤ $0.01 per run and p95 ≤ 20 s",
 * );
 * ```
 */
export function describeGoal(goal: TuneGoal, keys: readonly string[]): string {
  const limits = [
    goal.maxCostPerRunUsd === undefined ? null : `≤ $${goal.maxCostPerRunUsd} per run`,
    goal.maxP95Ms === undefined ? null : `p95 ≤ ${goal.maxP95Ms / 1000} s`,
  ].filter((limit) => limit !== null);
  const within = limits.length === 0 ? "" : ` at ${limits.join(" and ")}`;
  if (goal.kind === "quality") {
    const quality = keys.length === 1
      ? keys[0]
      : `quality (the mean of ${keys.slice(0, -1).join(", ")} and ${keys.at(-1)})`;
    return `the best ${keys.length === 1 ? quality : quality}${within}`;
  }
  const named = keys.length === 1
    ? `${keys[0]} is`
    : `${keys.slice(0, -1).join(", ")} and ${keys.at(-1)} are each`;
  return `the cheapest configuration whose ${named} not below the baseline's by more than ` +
    `${goal.maxDrop ?? DEFAULT_MAX_DROP}${within}`;
}
