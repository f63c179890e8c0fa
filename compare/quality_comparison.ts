/**
 * Quality in a comparison: each evaluator key judged like the other figures — per benchmark (a
 * score is a property of a whole run's output), the delta of the mean score with a paired
 * bootstrap 95% interval (the same bootstrap as cost and latency), and a verdict that knows the
 * direction: a lower score is a regression. Runs are paired by input: every run of an input, on
 * each side, is one unit, so what an input's difficulty adds cancels out and repeats of one input
 * are not counted as independent evidence.
 *
 * @module
 */
import { z } from "zod";
import { isSuccessfulRun, type RunRecord } from "../benchmark/run_record.ts";
import { type Cluster, mean, pairedBootstrap, unpairedBootstrap } from "./_bootstrap.ts";
import { meanInterval, passRateInterval } from "../evaluate/interval.ts";

/** A quality verdict: higher scores are better. */
export type QualityVerdict =
  | "improved"
  | "regressed"
  | "no significant change"
  | "too few runs"
  | "not comparable";

/** The fewest scored runs a side needs before a key gets a verdict. */
export const QUALITY_MINIMUM_RUNS = 5;

/** The zod schema of {@linkcode QualityComparison}. */
export const qualityComparisonSchema = z.object({
  key: z.string(),
  kind: z.enum(["boolean", "number"]),
  baseline: z.number().nullable(),
  candidate: z.number().nullable(),
  baselineScored: z.number().int().nonnegative(),
  candidateScored: z.number().int().nonnegative(),
  baselineInterval: z.tuple([z.number(), z.number()]).nullable(),
  candidateInterval: z.tuple([z.number(), z.number()]).nullable(),
  delta: z.number().nullable(),
  relativeDelta: z.number().nullable(),
  interval: z.tuple([z.number(), z.number()]).nullable(),
  verdict: z.enum(
    [
      "improved",
      "regressed",
      "no significant change",
      "too few runs",
      "not comparable",
    ] as const satisfies readonly QualityVerdict[],
  ),
});

/** One evaluator key compared. */
export interface QualityComparison {
  /** The key. */
  readonly key: string;
  /** `boolean` when both sides scored it true or false only (the means are pass rates). */
  readonly kind: "boolean" | "number";
  /** The baseline's mean score over its scored successful runs, or null. */
  readonly baseline: number | null;
  /** The candidate's mean score, or null. */
  readonly candidate: number | null;
  /** Successful runs of the baseline with a score for the key. */
  readonly baselineScored: number;
  /** Successful runs of the candidate with a score for the key. */
  readonly candidateScored: number;
  /** The 95% interval of the baseline's own mean (Wilson's for a pass rate), or null. */
  readonly baselineInterval: readonly [number, number] | null;
  /** The 95% interval of the candidate's own mean, or null. */
  readonly candidateInterval: readonly [number, number] | null;
  /** Candidate minus baseline, null when not comparable. */
  readonly delta: number | null;
  /** The delta relative to the baseline (−0.1 = −10%), null when the baseline is 0 or absent. */
  readonly relativeDelta: number | null;
  /** The 95% interval of the delta: [low, high], null when not comparable. */
  readonly interval: readonly [number, number] | null;
  /** The verdict: `regressed` when the interval is wholly below zero. */
  readonly verdict: QualityVerdict;
}

/** A run's score for a key, or null (not evaluated, not scored, its evaluator failed). */
function scoreOf(record: RunRecord, key: string): number | null {
  if (!isSuccessfulRun(record)) return null;
  const score = record.evaluation?.scores.find((s) => s.key === key);
  return score === undefined || score.error !== null ? null : score.score;
}

function kindOf(records: readonly RunRecord[], key: string): "boolean" | "number" {
  const kinds = records.flatMap((r) =>
    r.evaluation?.scores.filter((s) => s.key === key && s.score !== null).map((s) => s.kind) ?? []
  );
  return kinds.length > 0 && kinds.every((k) => k === "boolean") ? "boolean" : "number";
}

/** Each input's scores on one side, by input id. */
function byInput(records: readonly RunRecord[], key: string): Map<string, number[]> {
  const scores = new Map<string, number[]>();
  for (const record of records) {
    const score = scoreOf(record, key);
    if (score === null) continue;
    scores.set(record.inputId, [...(scores.get(record.inputId) ?? []), score]);
  }
  return scores;
}

/** A side's own 95% interval of its mean score (t, or Wilson's for a pass rate). */
function sideInterval(
  values: readonly number[],
  kind: "boolean" | "number",
): readonly [number, number] | null {
  if (values.length === 0) return null;
  const { low, high } = kind === "boolean"
    ? passRateInterval(values.filter((v) => v === 1).length, values.length)
    : meanInterval(values);
  return [low, high];
}

function sameInputs(baseline: readonly RunRecord[], candidate: readonly RunRecord[]): boolean {
  const b = new Set(baseline.map((r) => r.inputId));
  const c = new Set(candidate.map((r) => r.inputId));
  return b.size > 0 && b.size === c.size && [...b].every((id) => c.has(id));
}

/**
 * Compares every evaluator key either benchmark scored, keys in the order they first appear
 * (the baseline's first).
 *
 * @param baseline The baseline's runs.
 * @param candidate The candidate's runs.
 * @param options The bootstrap's resamples and seed (one seed per key is derived from it).
 * @returns One comparison per key.
 *
 * @example Usage
 * ```ts
 * import { compareQuality } from "./quality_comparison.ts";
 * import type { RunRecord } from "../benchmark/run_record.ts";
 * import assert from "node:assert/strict";
 *
 * const run = (inputId: string, score: number) => ({
 *   inputId, repeat: 0, error: null, metrics: { status: "ok" },
 *   evaluation: { scores: [{ key: "recall", score, kind: "number", comment: null, error: null }], costs: [] },
 * }) as unknown as RunRecord;
 * const ids = ["a", "b", "c", "d", "e", "f"];
 * const [recall] = compareQuality(
 *   ids.map((id, i) => run(id, 0.8 + i / 100)),
 *   ids.map((id, i) => run(id, 0.6 + i / 100)),
 *   { resamples: 500, seed: 1 },
 * );
 * assert.ok(Math.abs(recall.delta! + 0.2) < 1e-12);
 * assert.equal(recall.verdict, "regressed"); // lower is worse
 * ```
 */
export function compareQuality(
  baseline: readonly RunRecord[],
  candidate: readonly RunRecord[],
  options: { resamples: number; seed: number },
): QualityComparison[] {
  const keys = [
    ...new Set(
      [...baseline, ...candidate].flatMap((r) => r.evaluation?.scores.map((s) => s.key) ?? []),
    ),
  ];
  const paired = sameInputs(baseline, candidate);
  return keys.map((key, index) => {
    const seed = options.seed + 104_729 * (index + 1);
    const b = byInput(baseline, key);
    const c = byInput(candidate, key);
    const bValues = [...b.values()].flat();
    const cValues = [...c.values()].flat();
    const kind = kindOf(baseline, key) === "boolean" && kindOf(candidate, key) === "boolean"
      ? "boolean"
      : "number";
    const base = {
      key,
      kind,
      baseline: bValues.length === 0 ? null : mean(Float64Array.from(bValues)),
      candidate: cValues.length === 0 ? null : mean(Float64Array.from(cValues)),
      baselineScored: bValues.length,
      candidateScored: cValues.length,
      baselineInterval: sideInterval(bValues, kind),
      candidateInterval: sideInterval(cValues, kind),
    } as const;
    let result: { delta: number; low: number; high: number } | null = null;
    let units = 0;
    if (paired) {
      const clusters: Cluster[] = [...b].filter(([id]) => c.has(id))
        .map(([id, values]) => ({ baseline: values, candidate: c.get(id)! }));
      units = clusters.length;
      if (clusters.length > 0) {
        result = pairedBootstrap(clusters, mean, options.resamples, seed);
      }
    } else if (bValues.length > 0 && cValues.length > 0) {
      units = Math.min(bValues.length, cValues.length);
      result = unpairedBootstrap(bValues, cValues, mean, options.resamples, seed);
    }
    if (result === null || base.baseline === null || base.candidate === null) {
      return {
        ...base,
        delta: null,
        relativeDelta: null,
        interval: null,
        verdict: "not comparable",
      };
    }
    const enough = Math.min(bValues.length, cValues.length) >= QUALITY_MINIMUM_RUNS && units >= 2;
    const tolerance = 1e-9 * Math.max(Math.abs(base.baseline), Math.abs(base.candidate), 1e-12);
    return {
      ...base,
      delta: result.delta,
      relativeDelta: base.baseline === 0 ? null : result.delta / base.baseline,
      interval: [result.low, result.high] as const,
      verdict: !enough
        ? "too few runs"
        : result.high < -tolerance
        ? "regressed"
        : result.low > tolerance
        ? "improved"
        : "no significant change",
    };
  });
}
