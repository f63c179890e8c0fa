/**
 * What evaluating one run records: a score (or an error) per key, and what each evaluator's own
 * LLM calls cost, kept apart from the pipeline's. Readonly interfaces held by the compiler to
 * their zod schemas (the single source of truth), with validators of the same name.
 *
 * @module
 */
import { z } from "zod";
import {
  type LLMCallMetrics,
  llmCallMetricsSchema,
  type MetricsSchema,
  type StageTotals,
  stageTotalsSchema,
} from "../telemetry/metrics.ts";
import type { SameKeys } from "../pricing/_same_keys.ts";

/** How a key was scored: a boolean (pass or fail) or a number. */
export type ScoreKind = "boolean" | "number";

/** The zod schema of {@linkcode ScoreRecord}. */
export const scoreRecordSchema = z.object({
  key: z.string().min(1),
  score: z.number().nullable(),
  kind: z.enum(["boolean", "number"]),
  comment: z.string().nullable(),
  error: z.string().nullable(),
});

/** One key's score on one run. */
export interface ScoreRecord {
  /** The key (e.g. `correctness`), or the evaluator's name for an error it raised. */
  readonly key: string;
  /** The score (a boolean as 1 or 0); null when not scored (an error, or the evaluator's null). */
  readonly score: number | null;
  /** Whether the evaluator returned a boolean (pass rates are shown for those) or a number. */
  readonly kind: ScoreKind;
  /** The evaluator's comment, or null. */
  readonly comment: string | null;
  /** Null, or why there is no score: the evaluator threw, timed out or returned a malformed result. */
  readonly error: string | null;
}

/** The zod schema of {@linkcode EvaluatorCost}. */
export const evaluatorCostSchema = z.object({
  evaluator: z.string(),
  totals: stageTotalsSchema as z.ZodType<StageTotals>,
  calls: z.array(llmCallMetricsSchema as z.ZodType<LLMCallMetrics>),
});

/** The LLM calls one evaluator made on one run (an LLM-as-judge's), priced like the pipeline's. */
export interface EvaluatorCost {
  /** The evaluator's name. */
  readonly evaluator: string;
  /** Its calls' sums: tokens, calls, cost (null when calls were made and none was priced). */
  readonly totals: StageTotals;
  /** Its calls, in start order (their `stage` is where the handler saw them: `(unattributed)`). */
  readonly calls: readonly LLMCallMetrics[];
}

/** The zod schema of {@linkcode EvaluationRecord}. */
export const evaluationRecordSchema = z.object({
  scores: z.array(scoreRecordSchema),
  costs: z.array(evaluatorCostSchema),
});

/** What evaluating one run recorded. */
export interface EvaluationRecord {
  /** One record per key, in the order the evaluators returned them (errors included). */
  readonly scores: readonly ScoreRecord[];
  /** The evaluators that made LLM calls, with their cost; empty when none did. */
  readonly costs: readonly EvaluatorCost[];
}

/**
 * Validates one score.
 *
 * @example Usage
 * ```ts
 * import { ScoreRecord } from "./score_record.ts";
 * import assert from "node:assert/strict";
 *
 * const score = { key: "correct", score: 1, kind: "boolean", comment: null, error: null };
 * assert.deepEqual(ScoreRecord.parse(score), score);
 * assert.equal(ScoreRecord.safeParse({ ...score, score: "1" }).success, false);
 * ```
 */
export const ScoreRecord: MetricsSchema<ScoreRecord> = scoreRecordSchema;

/**
 * Validates one evaluator's cost on one run.
 *
 * @example Usage
 * ```ts
 * import { EvaluatorCost } from "./score_record.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(EvaluatorCost.safeParse({ evaluator: "judge" }).success, false);
 * ```
 */
export const EvaluatorCost: MetricsSchema<EvaluatorCost> = evaluatorCostSchema;

/**
 * Validates what evaluating one run recorded.
 *
 * @example Usage
 * ```ts
 * import { EvaluationRecord } from "./score_record.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(EvaluationRecord.parse({ scores: [], costs: [] }), { scores: [], costs: [] });
 * ```
 */
export const EvaluationRecord: MetricsSchema<EvaluationRecord> = evaluationRecordSchema;

// The compiler holds each interface to its schema (the assignments above check the types; these
// check that neither side has a field the other lacks).
const _sameFields: [
  SameKeys<ScoreRecord, z.infer<typeof scoreRecordSchema>>,
  SameKeys<EvaluatorCost, z.infer<typeof evaluatorCostSchema>>,
  SameKeys<EvaluationRecord, z.infer<typeof evaluationRecordSchema>>,
] = [true, true, true];
