/**
 * What a configuration's runs measured, input by input: the search compares configurations on
 * the same inputs (paired), so each input's runs (its repeats) are one unit — their mean score per
 * evaluator key, mean cost, and their wall times. A failed run scores 0 on every key: it delivered
 * nothing. Pure.
 *
 * @module
 */
import { isSuccessfulRun, type RunRecord, runSpend } from "../benchmark/run_record.ts";

/** One input's runs of one configuration, summed up. */
export interface InputObservation {
  /** The input's id. */
  readonly inputId: string;
  /**
   * Each evaluator key's mean score over the input's runs (a failed run counts 0); a key no run
   * scored is absent.
   */
  readonly scores: Readonly<Record<string, number>>;
  /** The mean cost per run of the graph's calls in US dollars; NaN when a run was unpriced. */
  readonly costUsd: number;
  /** The wall times of the input's successful runs, milliseconds. */
  readonly wallTimesMs: readonly number[];
  /** Runs of the input. */
  readonly runs: number;
  /** Of those, the runs that failed. */
  readonly failedRuns: number;
  /** What its runs spent in all (the evaluators' calls too), US dollars. */
  readonly spentUsd: number;
}

/**
 * Sums up each input's runs, inputs in the order given (repeats averaged): the unit the search
 * pairs configurations on.
 *
 * @param inputIds The inputs, in the search's order.
 * @param records The configuration's runs (any order; runs of other inputs are ignored).
 * @param keys The evaluator keys to sum up; default every key some run scored.
 * @returns One observation per input in `inputIds` that has runs, in order, stopping at the
 *   first input without any (the search measures inputs in order).
 *
 * @example Usage
 * ```ts
 * import { observeInputs } from "./observations.ts";
 * import type { RunRecord } from "../benchmark/run_record.ts";
 * import assert from "node:assert/strict";
 *
 * const run = (inputId: string, repeat: number, score: number, costUsd: number) => ({
 *   inputId, repeat, error: null,
 *   metrics: { status: "ok", wallTimeMs: 10, totals: { costUsd, llmCalls: 1, unpricedCalls: 0 } },
 *   evaluation: { scores: [{ key: "correct", score, kind: "number", comment: null, error: null }], costs: [] },
 * }) as unknown as RunRecord;
 * const [a, b] = observeInputs(["a", "b"], [run("a", 0, 1, 0.02), run("a", 1, 0, 0.04), run("b", 0, 1, 0.01)]);
 * assert.deepEqual(a.scores, { correct: 0.5 });
 * assert.ok(Math.abs(a.costUsd - 0.03) < 1e-15);
 * assert.equal(b.runs, 1);
 * ```
 */
export function observeInputs(
  inputIds: readonly string[],
  records: readonly RunRecord[],
  keys: readonly string[] = scoredKeys(records),
): InputObservation[] {
  const byInput = new Map<string, RunRecord[]>();
  for (const record of records) {
    const list = byInput.get(record.inputId) ?? [];
    list.push(record);
    byInput.set(record.inputId, list);
  }
  const observations: InputObservation[] = [];
  for (const inputId of inputIds) {
    const runs = byInput.get(inputId);
    if (runs === undefined || runs.length === 0) break;
    observations.push(observeInput(inputId, runs, keys));
  }
  return observations;
}

/**
 * Every evaluator key the runs scored, in the order they first appear.
 *
 * @param records The runs.
 * @returns The keys.
 *
 * @example Usage
 * ```ts
 * import { scoredKeys } from "./observations.ts";
 * import type { RunRecord } from "../benchmark/run_record.ts";
 * import assert from "node:assert/strict";
 *
 * const run = { evaluation: { scores: [{ key: "a" }, { key: "b" }] } } as unknown as RunRecord;
 * assert.deepEqual(scoredKeys([run, run]), ["a", "b"]);
 * ```
 */
export function scoredKeys(records: readonly RunRecord[]): string[] {
  const keys = new Set<string>();
  for (const run of records) for (const score of run.evaluation?.scores ?? []) keys.add(score.key);
  return [...keys];
}

function observeInput(
  inputId: string,
  runs: readonly RunRecord[],
  keys: readonly string[],
): InputObservation {
  const scores: Record<string, number> = {};
  for (const key of keys) {
    const values = runs.flatMap((run): number[] => {
      if (!isSuccessfulRun(run)) return [0];
      const score = run.evaluation?.scores.find((s) => s.key === key);
      return score === undefined || score.error !== null || score.score === null
        ? []
        : [score.score];
    });
    if (values.length > 0) scores[key] = values.reduce((a, b) => a + b, 0) / values.length;
  }
  const costs = runs.map((run) => run.metrics.totals.costUsd);
  return {
    inputId,
    scores,
    costUsd: costs.some((cost) => cost === null)
      ? NaN
      : (costs as number[]).reduce((a, b) => a + b, 0) / costs.length,
    wallTimesMs: runs.filter(isSuccessfulRun).map((run) => run.metrics.wallTimeMs),
    runs: runs.length,
    failedRuns: runs.filter((run) => !isSuccessfulRun(run)).length,
    spentUsd: runs.reduce((sum, run) => sum + runSpend(run).costUsd, 0),
  };
}
