/**
 * The record of one finished benchmark run, as a run log keeps it (the results store's rows, or a
 * line of an older `runs.jsonl`), validated with zod when read back.
 *
 * @module
 */
import { z } from "zod";
import {
  type MetricsSchema,
  type PipelineMetrics,
  pipelineMetricsSchema,
} from "../telemetry/metrics.ts";

/** The zod schema of {@linkcode QualityRecord}. */
export const qualityRecordSchema = z.record(z.string(), z.number());

/** Named numeric quality measures of one run's output (e.g. nodes created, invalid outputs). */
export type QualityRecord = Readonly<Record<string, number>>;

/**
 * Validates a run's quality measures.
 *
 * @example Usage
 * ```ts
 * import { QualityRecord } from "./run_record.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(QualityRecord.parse({ nodesCreated: 3 }), { nodesCreated: 3 });
 * assert.equal(QualityRecord.safeParse({ nodesCreated: "3" }).success, false);
 * ```
 */
export const QualityRecord: MetricsSchema<QualityRecord> = qualityRecordSchema;

/** The zod schema of {@linkcode RunRecord}. */
export const runRecordSchema = z.object({
  inputId: z.string(),
  repeat: z.number().int().nonnegative(),
  inputAmount: z.number().nonnegative().nullable(),
  outputSummary: z.string().nullable(),
  metrics: pipelineMetricsSchema as z.ZodType<PipelineMetrics>,
  quality: qualityRecordSchema.nullable(),
  error: z.string().nullable(),
});

/** One finished run of a benchmark: which input, which repeat, what it measured, how it ended. */
export interface RunRecord {
  /** The input's id (e.g. the transcript's file name without `.txt`). */
  readonly inputId: string;
  /** Which repeat of the input this run was, from 0. */
  readonly repeat: number;
  /**
   * How many of the benchmark's normalisation units the input holds (e.g. 1.2 for 1,200 words
   * when the unit is "1,000 words"), or null without a unit.
   */
  readonly inputAmount: number | null;
  /** A short text summary of the graph's output, or null when there was none. */
  readonly outputSummary: string | null;
  /** What the run measured; partial when the run failed. */
  readonly metrics: PipelineMetrics;
  /** Quality measures of the output, or null when there is no quality function or no output. */
  readonly quality: QualityRecord | null;
  /** Null, or the message of the error that ended the run. */
  readonly error: string | null;
}

/**
 * Validates one finished run's record (e.g. one read back from the results store).
 *
 * @example Usage
 * ```ts
 * import { RunRecord } from "./run_record.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(RunRecord.safeParse({ inputId: "a", repeat: 0 }).success, false);
 * ```
 */
export const RunRecord: MetricsSchema<RunRecord> = runRecordSchema;

// The interface and the schema name the same fields (the assignment above checks their types).
const _sameFields: [keyof RunRecord] extends [keyof z.infer<typeof runRecordSchema>]
  ? [keyof z.infer<typeof runRecordSchema>] extends [keyof RunRecord] ? true : false
  : false = true;

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
