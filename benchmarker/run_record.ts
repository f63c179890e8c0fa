/**
 * The record of one finished benchmark run: one line of `runs.jsonl`, validated with zod when read
 * back.
 *
 * @module
 */
import { z } from "zod";
import { type PipelineMetrics, pipelineMetricsSchema } from "../telemetry/metrics.ts";

/**
 * Named numeric quality measures of one run's output (e.g. nodes created, invalid outputs).
 *
 * @example Usage
 * ```ts
 * import { QualityRecord } from "./run_record.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(QualityRecord.parse({ nodesCreated: 3 }), { nodesCreated: 3 });
 * ```
 */
export const QualityRecord: z.ZodRecord<z.ZodString, z.ZodNumber> = z.record(
  z.string(),
  z.number(),
);
/** Named numeric quality measures of one run's output (e.g. nodes created, invalid outputs). */
export type QualityRecord = z.infer<typeof QualityRecord>;

/** The shape of {@linkcode RunRecord}. */
type RunRecordShape = {
  inputId: z.ZodString;
  repeat: z.ZodNumber;
  inputAmount: z.ZodNullable<z.ZodNumber>;
  outputSummary: z.ZodNullable<z.ZodString>;
  metrics: z.ZodType<PipelineMetrics>;
  quality: z.ZodNullable<typeof QualityRecord>;
  error: z.ZodNullable<z.ZodString>;
};

/**
 * One finished run of a benchmark: which input, which repeat, what it measured, how it ended.
 *
 * @example Usage
 * ```ts
 * import { RunRecord } from "./run_record.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(RunRecord.safeParse({ inputId: "a", repeat: 0 }).success, false);
 * ```
 */
export const RunRecord: z.ZodObject<RunRecordShape> = z.object({
  /** The input's id (e.g. the transcript's file name without `.txt`). */
  inputId: z.string(),
  /** Which repeat of the input this run was, from 0. */
  repeat: z.number().int().nonnegative(),
  /**
   * How many of the benchmark's normalisation units the input holds (e.g. 1.2 for 1,200 words
   * when the unit is "1,000 words"), or null without a unit.
   */
  inputAmount: z.number().nonnegative().nullable(),
  /** A short text summary of the graph's output, or null when there was none. */
  outputSummary: z.string().nullable(),
  /** What the run measured; partial when the run failed. */
  metrics: pipelineMetricsSchema as z.ZodType<PipelineMetrics>,
  /** Quality measures of the output, or null when there is no quality function or no output. */
  quality: QualityRecord.nullable(),
  /** Null, or the message of the error that ended the run. */
  error: z.string().nullable(),
});
/** One finished run of a benchmark: which input, which repeat, what it measured, how it ended. */
export type RunRecord = z.infer<typeof RunRecord>;

/**
 * The key that identifies a run within a benchmark: its input id and repeat.
 *
 * @param inputId The input's id.
 * @param repeat The repeat, from 0.
 * @returns A string unique per (input, repeat).
 *
 * @example Usage
 * ```ts
 * import { runKey } from "./run_record.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(runKey("meeting", 2), "meeting#2");
 * ```
 */
export function runKey(inputId: string, repeat: number): string {
  return `${inputId}#${repeat}`;
}

/**
 * Whether a recorded run succeeded: no error and its metrics say `ok`.
 *
 * @param record The run's record.
 * @returns True when the run ended without error.
 *
 * @example Usage
 * ```ts
 * import { isSuccessfulRun, type RunRecord } from "./run_record.ts";
 * import assert from "node:assert/strict";
 *
 * const record = { error: "boom", metrics: { status: "error" } } as RunRecord;
 * assert.equal(isSuccessfulRun(record), false);
 * ```
 */
export function isSuccessfulRun(record: RunRecord): boolean {
  return record.error === null && record.metrics.status === "ok";
}
