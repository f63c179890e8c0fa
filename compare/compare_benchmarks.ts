/**
 * Compares two benchmarks, in total, per stage and per node path inside the stages: each figure's
 * delta with a 95% bootstrap confidence interval (paired by run or by input when both sides ran
 * the same inputs; seeded, so deterministic) and a verdict in criterion.rs's manner: a change
 * counts only when the interval excludes zero.
 *
 * @module
 */
import { z } from "zod";
import type { MetricsSchema } from "../telemetry/metrics.ts";
import { isSuccessfulRun, runKey, type RunRecord } from "../benchmark/run_record.ts";
import { meanInterval } from "../evaluate/interval.ts";
import {
  type BootstrapInterval,
  type Cluster,
  pairedBootstrap,
  unpairedBootstrap,
} from "./_bootstrap.ts";
import {
  type Figure,
  figureMinimumRuns,
  FIGURES,
  figureStatistic,
  figureValue,
} from "./figures.ts";
import type { SameKeys } from "../pricing/_same_keys.ts";
import {
  compareQuality,
  type QualityComparison,
  qualityComparisonSchema,
} from "./quality_comparison.ts";

/** A figure's verdict: lower is better for every figure. */
export type Verdict =
  | "improved"
  | "regressed"
  | "no significant change"
  | "too few runs"
  | "not comparable";
const verdictSchema = z.enum(
  [
    "improved",
    "regressed",
    "no significant change",
    "too few runs",
    "not comparable",
  ] as const satisfies readonly Verdict[],
);

/** How the runs of the two sides were paired: by run, by input, or not at all. */
export type Pairing = "run" | "input" | "none";
const pairingSchema = z.enum(["run", "input", "none"] as const satisfies readonly Pairing[]);

/** One figure of one scope compared. */
export interface FigureComparison {
  /** The figure. */
  readonly figure: Figure;
  /** The baseline's statistic (mean per run, or percentile), null when no run counts. */
  readonly baseline: number | null;
  /** The candidate's statistic, null when no run counts. */
  readonly candidate: number | null;
  /** Candidate minus baseline, null when not comparable. */
  readonly delta: number | null;
  /** The delta relative to the baseline (0.05 = +5%), null when the baseline is 0 or absent. */
  readonly relativeDelta: number | null;
  /** The 95% interval of the delta: [low, high], null when not comparable. */
  readonly interval: readonly [number, number] | null;
  /** The verdict. */
  readonly verdict: Verdict;
}

/** One side of a comparison. */
export interface BenchmarkSide {
  /** The benchmark's name as given (label, id, or folder). */
  readonly label: string;
  /** Runs compared. */
  readonly runs: number;
  /** Runs that failed. */
  readonly failedRuns: number;
  /**
   * The mean cost per successful priced run with its own 95% t interval, US dollars (for the
   * quality-versus-cost picture); null without one.
   */
  readonly costPerRunUsd:
    | { readonly value: number; readonly low: number; readonly high: number }
    | null;
}

/** The figures of the whole pipeline, of one stage, or of one node path inside a stage. */
export interface ScopeComparison {
  /**
   * The stage, or a node path inside one (`research_agent/tools`, see `depth`), or null for the
   * whole pipeline.
   */
  readonly stage: string | null;
  /** For a node path inside a stage: its depth (2 for a node of a stage's subgraph, ...). */
  readonly depth?: number;
  /**
   * Each figure, in {@linkcode FIGURES} order (the whole pipeline has no `exclusive`, a node
   * inside a stage no service latency).
   */
  readonly figures: readonly FigureComparison[];
}

/** When one side's runs ran: its first run's start to its last run's end, epoch ms. */
export interface SideWindow {
  /** The first run's start, epoch ms; null without runs. */
  readonly startedAt: number | null;
  /** The last run's end, epoch ms; null without runs. */
  readonly endedAt: number | null;
}

/** When the two sides ran, and whether in one time window. */
export interface ComparisonTiming {
  /** The baseline's window. */
  readonly baseline: SideWindow;
  /** The candidate's window. */
  readonly candidate: SideWindow;
  /** Time between the two windows, ms: 0 when they overlap; null when a side has no runs. */
  readonly gapMs: number | null;
  /**
   * Whether the sides ran interleaved in one time window (their windows overlap by at least half
   * the shorter one): then machine and provider load were the same for both.
   */
  readonly interleaved: boolean;
}

/** Two benchmarks compared: the JSON of `--json`. */
export interface Comparison {
  /** The baseline. */
  readonly baseline: BenchmarkSide;
  /** The candidate. */
  readonly candidate: BenchmarkSide;
  /** How runs were paired. */
  readonly pairing: Pairing;
  /** Paired units (runs or inputs); 0 when unpaired. */
  readonly pairs: number;
  /** The confidence level of every interval. */
  readonly confidence: number;
  /** Bootstrap resamples per figure. */
  readonly resamples: number;
  /** The bootstrap's seed. */
  readonly seed: number;
  /**
   * The whole pipeline, then each stage in order of first appearance, then the node paths inside
   * the stages (parents first, at most {@linkcode MAX_COMPARED_PATHS}).
   */
  readonly scopes: readonly ScopeComparison[];
  /** When each side ran: latency verdicts between far-apart sides may be the weather. */
  readonly timing: ComparisonTiming;
  /**
   * Each evaluator key either side scored (empty without evaluators): its mean score compared,
   * runs paired by input; a lower score is a regression.
   */
  readonly quality: readonly QualityComparison[];
}

const nullableNumber = z.number().nullable();
const sideWindowSchema = z.object({ startedAt: nullableNumber, endedAt: nullableNumber });

/** The zod schema of {@linkcode Comparison}. */
const sideSchema = z.object({
  label: z.string(),
  runs: z.number().int(),
  failedRuns: z.number().int(),
  costPerRunUsd: z.object({ value: z.number(), low: z.number(), high: z.number() }).nullable()
    .default(null),
});
const comparisonSchema = z.object({
  baseline: sideSchema,
  candidate: sideSchema,
  pairing: pairingSchema,
  pairs: z.number().int().nonnegative(),
  confidence: z.number(),
  resamples: z.number().int().positive(),
  seed: z.number().int(),
  scopes: z.array(z.object({
    stage: z.string().nullable(),
    depth: z.number().int().min(2).optional(),
    figures: z.array(z.object({
      figure: z.enum(FIGURES),
      baseline: nullableNumber,
      candidate: nullableNumber,
      delta: nullableNumber,
      relativeDelta: nullableNumber,
      interval: z.tuple([z.number(), z.number()]).nullable(),
      verdict: verdictSchema,
    })),
  })),
  timing: z.object({
    baseline: sideWindowSchema,
    candidate: sideWindowSchema,
    gapMs: nullableNumber,
    interleaved: z.boolean(),
  }),
  // Absent in a comparison written before evaluators: no key was scored.
  quality: z.array(qualityComparisonSchema).default([]),
});

/**
 * Validates a comparison (what `--json` writes).
 *
 * @example Usage
 * ```ts
 * import { compareBenchmarks, Comparison } from "./compare_benchmarks.ts";
 * import assert from "node:assert/strict";
 *
 * const comparison = compareBenchmarks([], []);
 * assert.deepEqual(Comparison.parse(JSON.parse(JSON.stringify(comparison))), comparison);
 * assert.equal(Comparison.safeParse({ pairing: "run" }).success, false);
 * ```
 */
export const Comparison: MetricsSchema<Comparison> = comparisonSchema;

// The interfaces and the schema name the same fields (the assignment above checks the types).
type Parsed = z.infer<typeof comparisonSchema>;
const _sameFields: [
  SameKeys<Comparison, Parsed>,
  SameKeys<BenchmarkSide, Parsed["baseline"]>,
  SameKeys<ScopeComparison, Parsed["scopes"][number]>,
  SameKeys<FigureComparison, Parsed["scopes"][number]["figures"][number]>,
  SameKeys<ComparisonTiming, Parsed["timing"]>,
  SameKeys<SideWindow, Parsed["timing"]["baseline"]>,
  SameKeys<QualityComparison, Parsed["quality"][number]>,
] = [true, true, true, true, true, true, true];

/** Options of {@linkcode compareBenchmarks}. */
export interface CompareOptions {
  /** The baseline's name in reports; default `baseline`. */
  baselineLabel?: string;
  /** The candidate's name in reports; default `candidate`. */
  candidateLabel?: string;
  /** Bootstrap resamples per figure; default 2,000. */
  resamples?: number;
  /** The bootstrap's seed; default 1. */
  seed?: number;
}

/** How to pair the runs, and the units to resample. */
function pairUp(
  baseline: readonly RunRecord[],
  candidate: readonly RunRecord[],
): { pairing: Pairing; units: { baseline: RunRecord[]; candidate: RunRecord[] }[] } {
  for (
    const [pairing, key] of [
      ["run", (r: RunRecord) => runKey(r.inputId, r.repeat)],
      ["input", (r: RunRecord) => r.inputId],
    ] as const
  ) {
    const groups = new Map<string, { baseline: RunRecord[]; candidate: RunRecord[] }>();
    for (const record of baseline) {
      const group = groups.get(key(record)) ?? { baseline: [], candidate: [] };
      group.baseline.push(record);
      groups.set(key(record), group);
    }
    const candidateKeys = new Set(candidate.map(key));
    const same = candidateKeys.size === groups.size &&
      [...candidateKeys].every((k) => groups.has(k));
    if (!same || groups.size === 0) continue;
    for (const record of candidate) groups.get(key(record))!.candidate.push(record);
    return { pairing, units: [...groups.values()] };
  }
  return { pairing: "none", units: [] };
}

function windowOf(records: readonly RunRecord[]): SideWindow {
  let startedAt: number | null = null;
  let endedAt: number | null = null;
  for (const { metrics } of records) {
    startedAt = Math.min(startedAt ?? Infinity, metrics.startedAt);
    endedAt = Math.max(endedAt ?? -Infinity, metrics.startedAt + metrics.wallTimeMs);
  }
  return { startedAt, endedAt };
}

/** When each side ran, the gap between them, and whether they ran in one time window. */
function timingOf(
  baseline: readonly RunRecord[],
  candidate: readonly RunRecord[],
): ComparisonTiming {
  const [b, c] = [windowOf(baseline), windowOf(candidate)];
  if (b.startedAt === null || b.endedAt === null || c.startedAt === null || c.endedAt === null) {
    return { baseline: b, candidate: c, gapMs: null, interleaved: false };
  }
  const overlap = Math.min(b.endedAt, c.endedAt) - Math.max(b.startedAt, c.startedAt);
  const shorter = Math.min(b.endedAt - b.startedAt, c.endedAt - c.startedAt);
  return {
    baseline: b,
    candidate: c,
    gapMs: Math.max(0, -overlap),
    interleaved: overlap > 0 && overlap >= 0.5 * shorter,
  };
}

function stagesOf(records: readonly RunRecord[], into: Set<string>): void {
  for (const record of records) Object.keys(record.metrics.stages).forEach((s) => into.add(s));
}

/** Node paths inside the stages a comparison weighs at most (each costs a bootstrap a figure). */
export const MAX_COMPARED_PATHS = 200;

/** The node paths inside the stages (depth 2 and more), parents first, with their depth. */
function nestedPathsOf(records: readonly RunRecord[], into: Map<string, number>): void {
  for (const record of records) {
    for (const path of Object.values(record.metrics.paths ?? {})) {
      if (path.depth >= 2 && !into.has(path.path)) into.set(path.path, path.depth);
    }
  }
}

function values(records: readonly RunRecord[], figure: Figure, stage: string | null): number[] {
  return records
    .map((record) => figureValue(figure, record, stage))
    .filter((value): value is number => value !== null);
}

function verdictOf(result: BootstrapInterval, baseline: number, candidate: number): Verdict {
  // Sums of the same floating-point costs in another order may differ in the last bits.
  const tolerance = 1e-9 * Math.max(Math.abs(baseline), Math.abs(candidate), 1e-12);
  if (result.low > tolerance) return "regressed";
  if (result.high < -tolerance) return "improved";
  return "no significant change";
}

function compareFigure(
  figure: Figure,
  stage: string | null,
  sides: { baseline: readonly RunRecord[]; candidate: readonly RunRecord[] },
  paired: ReturnType<typeof pairUp>,
  resamples: number,
  seed: number,
): FigureComparison {
  const statistic = figureStatistic(figure);
  let result: BootstrapInterval | null = null;
  let fewestRuns: number;
  if (paired.pairing === "none") {
    const b = values(sides.baseline, figure, stage);
    const c = values(sides.candidate, figure, stage);
    fewestRuns = Math.min(b.length, c.length);
    if (b.length > 0 && c.length > 0) result = unpairedBootstrap(b, c, statistic, resamples, seed);
  } else {
    const clusters: Cluster[] = paired.units
      .map((unit) => ({
        baseline: values(unit.baseline, figure, stage),
        candidate: values(unit.candidate, figure, stage),
      }))
      .filter((cluster) => cluster.baseline.length > 0 && cluster.candidate.length > 0);
    // Percentiles need values, an interval needs at least two units to resample.
    const perSide = (["baseline", "candidate"] as const).map((side) =>
      clusters.reduce((sum, cluster) => sum + cluster[side].length, 0)
    );
    fewestRuns = clusters.length < 2 ? clusters.length : Math.min(...perSide);
    if (clusters.length > 0) result = pairedBootstrap(clusters, statistic, resamples, seed);
  }
  const whole = (records: readonly RunRecord[]) => {
    const v = values(records, figure, stage);
    return v.length === 0 ? null : statistic(Float64Array.from(v));
  };
  const baseline = whole(sides.baseline);
  const candidate = whole(sides.candidate);
  if (result === null || baseline === null || candidate === null) {
    return {
      figure,
      baseline,
      candidate,
      delta: null,
      relativeDelta: null,
      interval: null,
      verdict: "not comparable",
    };
  }
  return {
    figure,
    baseline,
    candidate,
    delta: result.delta,
    relativeDelta: baseline === 0 ? null : result.delta / baseline,
    interval: [result.low, result.high],
    verdict: fewestRuns < figureMinimumRuns(figure)
      ? "too few runs"
      : verdictOf(result, baseline, candidate),
  };
}

/**
 * Compares two benchmarks given as their runs. When both ran the same (input, repeat) pairs, runs
 * are paired one to one; when they ran the same inputs with other repeat counts, by input;
 * otherwise each side is resampled on its own. Point figures use every run that counts (a
 * paired interval uses the paired units).
 *
 * @param baseline The baseline's runs.
 * @param candidate The candidate's runs.
 * @param options Labels and bootstrap settings.
 * @returns Every figure of the whole pipeline, of each stage and of each node path inside the
 *   stages, with its verdict.
 *
 * @example Usage
 * ```ts
 * import { compareBenchmarks } from "./compare_benchmarks.ts";
 * import type { RunRecord } from "../benchmark/run_record.ts";
 * import assert from "node:assert/strict";
 *
 * const run = (inputId: string, costUsd: number) => ({
 *   inputId, repeat: 0, error: null,
 *   metrics: {
 *     status: "ok", wallTimeMs: 100, stages: {},
 *     totals: { costUsd, inputTokens: 10, outputTokens: 5, llmCalls: 1, errors: 0 },
 *   },
 * }) as unknown as RunRecord;
 * const baseline = [run("a", 1), run("b", 2), run("c", 3)];
 * const candidate = [run("a", 2), run("b", 4), run("c", 6)];
 * const comparison = compareBenchmarks(baseline, candidate);
 * const cost = comparison.scopes[0].figures.find((f) => f.figure === "cost")!;
 * assert.equal(comparison.pairing, "run");
 * assert.equal(cost.relativeDelta, 1);
 * assert.equal(cost.verdict, "regressed");
 * const tokens = comparison.scopes[0].figures.find((f) => f.figure === "tokens")!;
 * assert.equal(tokens.verdict, "no significant change");
 * ```
 */
export function compareBenchmarks(
  baseline: readonly RunRecord[],
  candidate: readonly RunRecord[],
  options: CompareOptions = {},
): Comparison {
  const resamples = options.resamples ?? 2000;
  const seed = options.seed ?? 1;
  const paired = pairUp(baseline, candidate);
  const stages = new Set<string>();
  stagesOf(baseline, stages);
  stagesOf(candidate, stages);
  const nested = new Map<string, number>();
  nestedPathsOf(baseline, nested);
  nestedPathsOf(candidate, nested);
  const sides = { baseline, candidate };
  const scopes = [
    ...[null, ...stages].map((stage) => ({ stage, depth: undefined })),
    ...[...nested].slice(0, MAX_COMPARED_PATHS).map(([stage, depth]) => ({ stage, depth })),
  ].map(({ stage, depth }, scopeIndex): ScopeComparison => ({
    stage,
    ...(depth === undefined ? {} : { depth }),
    // The whole pipeline has no exclusive time; a node inside a stage no service latency (its
    // calls' waits are summed per stage).
    figures: FIGURES.filter((figure) =>
      (stage !== null || figure !== "exclusive") &&
      (depth === undefined || (figure !== "serviceP50" && figure !== "serviceP95"))
    ).map(
      (figure, figureIndex) =>
        compareFigure(
          figure,
          stage,
          sides,
          paired,
          resamples,
          seed + 7919 * scopeIndex + figureIndex,
        ),
    ),
  }));
  const side = (label: string, records: readonly RunRecord[]): BenchmarkSide => {
    const costs = records.filter(isSuccessfulRun).map((r) => r.metrics.totals.costUsd)
      .filter((cost): cost is number => cost !== null);
    return {
      label,
      runs: records.length,
      failedRuns: records.filter((r) => r.error !== null || r.metrics.status !== "ok").length,
      costPerRunUsd: costs.length === 0 ? null : meanInterval(costs),
    };
  };
  return {
    baseline: side(options.baselineLabel ?? "baseline", baseline),
    candidate: side(options.candidateLabel ?? "candidate", candidate),
    pairing: paired.pairing,
    pairs: paired.units.length,
    confidence: 0.95,
    resamples,
    seed,
    scopes,
    timing: timingOf(baseline, candidate),
    quality: compareQuality(baseline, candidate, { resamples, seed }),
  };
}
