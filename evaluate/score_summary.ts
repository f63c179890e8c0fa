/**
 * One benchmark's scores summarized key by key (pure): on how many runs each key was scored, its
 * mean with a 95% interval (a pass rate with Wilson's interval for boolean keys), the
 * worst-scored runs and the runs where its evaluator failed.
 *
 * @module
 */
import { z } from "zod";
import type { MetricsSchema } from "../telemetry/metrics.ts";
import type { SameKeys } from "../pricing/_same_keys.ts";
import { meanInterval, passRateInterval } from "./interval.ts";
import type { ScoreRecord } from "./score_record.ts";

/** A run as the summaries see it: which one, and its scores (none when it was not evaluated). */
export interface ScoredRun {
  /** The input's id. */
  readonly inputId: string;
  /** The repeat, from 0. */
  readonly repeat: number;
  /** Its scores; undefined when the run was not evaluated. */
  readonly scores: readonly ScoreRecord[] | undefined;
}

/** How many worst-scored runs and evaluator errors a summary names. */
export const SUMMARY_EXAMPLES = 5;

const runRef = { inputId: z.string(), repeat: z.number().int().nonnegative() };

/** The zod schema of {@linkcode ScoreSummary}. */
export const scoreSummarySchema = z.object({
  key: z.string(),
  kind: z.enum(["boolean", "number"]),
  evaluatedRuns: z.number().int().nonnegative(),
  scoredRuns: z.number().int().nonnegative(),
  errorRuns: z.number().int().nonnegative(),
  mean: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  worst: z.array(z.object({ ...runRef, score: z.number(), comment: z.string().nullable() })),
  errors: z.array(z.object({ ...runRef, error: z.string() })),
});

/** One key over a benchmark's evaluated runs. */
export interface ScoreSummary {
  /** The key. */
  readonly key: string;
  /** `boolean` when every score of the key was a boolean (its mean is a pass rate). */
  readonly kind: "boolean" | "number";
  /** Runs that were evaluated (the successful ones, when evaluators ran). */
  readonly evaluatedRuns: number;
  /** Of those, the runs with a score for the key. */
  readonly scoredRuns: number;
  /** Of those, the runs where the key recorded an error. */
  readonly errorRuns: number;
  /** The mean score (the pass rate of a boolean key); null when no run was scored. */
  readonly mean: number | null;
  /** The 95% interval's lower bound (t interval; Wilson's for a boolean key), or null. */
  readonly low: number | null;
  /** The 95% interval's upper bound, or null. */
  readonly high: number | null;
  /** The lowest score, or null. */
  readonly min: number | null;
  /** The highest score, or null. */
  readonly max: number | null;
  /** The lowest-scored runs, lowest first (at most {@linkcode SUMMARY_EXAMPLES}). */
  readonly worst: readonly {
    readonly inputId: string;
    readonly repeat: number;
    readonly score: number;
    readonly comment: string | null;
  }[];
  /** The first runs where the key recorded an error (at most {@linkcode SUMMARY_EXAMPLES}). */
  readonly errors: readonly {
    readonly inputId: string;
    readonly repeat: number;
    readonly error: string;
  }[];
}

/**
 * Validates one key's summary.
 *
 * @example Usage
 * ```ts
 * import { ScoreSummary, summarizeScores } from "./score_summary.ts";
 * import assert from "node:assert/strict";
 *
 * const [summary] = summarizeScores([{
 *   inputId: "a", repeat: 0,
 *   scores: [{ key: "k", score: 1, kind: "number", comment: null, error: null }],
 * }]);
 * assert.deepEqual(ScoreSummary.parse(summary), summary);
 * ```
 */
export const ScoreSummary: MetricsSchema<ScoreSummary> = scoreSummarySchema;

const _sameFields: SameKeys<ScoreSummary, z.infer<typeof scoreSummarySchema>> = true;

/**
 * Summarizes the scores of a benchmark's runs key by key, keys in the order they first appear.
 * A run that was evaluated but has no record of a key counts as not scored on it.
 *
 * @param runs The runs (typically the successful ones), in plan order.
 * @returns One summary per key.
 *
 * @example Usage
 * ```ts
 * import { summarizeScores } from "./score_summary.ts";
 * import assert from "node:assert/strict";
 *
 * const score = (key: string, score: number | null, error: string | null = null) =>
 *   ({ key, score, kind: "boolean" as const, comment: null, error });
 * const [correct] = summarizeScores([
 *   { inputId: "a", repeat: 0, scores: [score("correct", 1)] },
 *   { inputId: "b", repeat: 0, scores: [score("correct", 0)] },
 *   { inputId: "c", repeat: 0, scores: [score("correct", null, "Error: boom")] },
 * ]);
 * assert.equal(correct.kind, "boolean");
 * assert.deepEqual([correct.evaluatedRuns, correct.scoredRuns, correct.errorRuns], [3, 2, 1]);
 * assert.equal(correct.mean, 0.5);
 * assert.deepEqual(correct.worst.map((w) => w.inputId), ["b", "a"]);
 * assert.deepEqual(correct.errors, [{ inputId: "c", repeat: 0, error: "Error: boom" }]);
 * ```
 */
export function summarizeScores(runs: readonly ScoredRun[]): ScoreSummary[] {
  const evaluated = runs.filter((run) => run.scores !== undefined);
  const keys = [...new Set(evaluated.flatMap((run) => run.scores!.map((s) => s.key)))];
  return keys.map((key) => {
    const scored: { run: ScoredRun; record: ScoreRecord; score: number }[] = [];
    const errors: ScoreSummary["errors"][number][] = [];
    for (const run of evaluated) {
      const record = run.scores!.find((s) => s.key === key);
      if (record === undefined) continue;
      if (record.error !== null) {
        errors.push({ inputId: run.inputId, repeat: run.repeat, error: record.error });
      } else if (record.score !== null && Number.isFinite(record.score)) {
        scored.push({ run, record, score: record.score });
      }
    }
    const kind = scored.length > 0 && scored.every((s) => s.record.kind === "boolean")
      ? "boolean"
      : "number";
    const values = scored.map((s) => s.score);
    const interval = values.length === 0
      ? null
      : kind === "boolean"
      ? passRateInterval(values.filter((v) => v === 1).length, values.length)
      : meanInterval(values);
    // Stable: equal scores keep plan order.
    const worst = scored.map((s, order) => ({ ...s, order }))
      .sort((a, b) => a.score - b.score || a.order - b.order)
      .slice(0, SUMMARY_EXAMPLES)
      .map(({ run, record, score }) => ({
        inputId: run.inputId,
        repeat: run.repeat,
        score,
        comment: record.comment,
      }));
    return {
      key,
      kind,
      evaluatedRuns: evaluated.length,
      scoredRuns: scored.length,
      errorRuns: errors.length,
      mean: interval?.value ?? null,
      low: interval?.low ?? null,
      high: interval?.high ?? null,
      min: values.length === 0 ? null : values.reduce((a, b) => Math.min(a, b)),
      max: values.length === 0 ? null : values.reduce((a, b) => Math.max(a, b)),
      worst,
      errors: errors.slice(0, SUMMARY_EXAMPLES),
    };
  });
}
