/**
 * What a search returns (and `tune.json` holds): the configurations it ran with their figures,
 * the frontier, the recommended configuration with compare's verdicts against the baseline, what
 * was spent against what a grid would have cost. Readonly interfaces generated from the zod
 * schemas (the single source of truth), with validators of the same name.
 *
 * @module
 */
import { z } from "zod";
import type { MetricsSchema } from "../telemetry/metrics.ts";
import type { SameKeys } from "../pricing/_same_keys.ts";
import { Comparison } from "../compare/compare_benchmarks.ts";
import type { KnobValue } from "./knobs.ts";

/** The zod schema of a knob's value (`KnobValue`, in `knobs.ts`). */
export const knobValueSchema = z.union([z.string(), z.number(), z.boolean()]);

/** The zod schema of a `configurable` value: anything the run config held. */
export const configurableValueSchema = z.unknown();

/** The zod schema of {@linkcode Estimate}. */
export const estimateSchema = z.object({
  value: z.number().describe("The mean."),
  low: z.number().describe("The lower bound of its 95% interval (Student's t over the inputs)."),
  high: z.number().describe("The upper bound of its 95% interval."),
}).describe("A mean over a configuration's inputs with its 95% interval.");

/** The zod schema of {@linkcode KeyEstimate}. */
export const keyEstimateSchema = z.object({
  key: z.string().describe("The evaluator key."),
  mean: z.number().nullable().describe("Its mean score over the inputs, or null if none scored."),
  low: z.number().nullable().describe("The lower bound of the mean's 95% interval, or null."),
  high: z.number().nullable().describe("The upper bound, or null."),
}).describe("One evaluator key's mean score in a configuration.");

/** The zod schema of {@linkcode ConfigurationResult}. */
export const configurationResultSchema = z.object({
  name: z.string().describe("The configuration as one line, `key=value, ...` in knob order."),
  configuration: z.record(z.string(), knobValueSchema).describe(
    "Its value for each knob searched, by `configurable` key.",
  ),
  anchor: z.boolean().describe(
    "Whether it is an anchor: the baseline, or the baseline with one knob changed (run on every " +
      "input: each value's effect).",
  ),
  status: z.enum(["frontier", "dominated"]).describe(
    "`frontier`: no configuration run dominates it significantly; `dominated`: one does.",
  ),
  dominatedBy: z.string().nullable().describe(
    "The configuration that dominated it significantly (quality at least as high, cost at least " +
      "as low, one strictly, by the paired bootstrap at the elimination confidence), or null.",
  ),
  dominatedOnInputs: z.number().int().nonnegative().nullable().describe(
    "On how many inputs it was dominated, or null.",
  ),
  stoppedBecause: z.string().nullable().describe(
    "Why it stopped before every input (it cannot be the goal's answer), or null.",
  ),
  inputs: z.number().int().nonnegative().describe("Inputs it ran (the first ones, in order)."),
  runs: z.number().int().nonnegative().describe("Its runs (inputs x repeats)."),
  failedRuns: z.number().int().nonnegative().describe("Of those, runs that failed (scored 0)."),
  quality: estimateSchema.nullable().describe(
    "Its quality: the mean of the goal's keys per run, over its inputs; null if none scored.",
  ),
  keys: z.array(keyEstimateSchema).describe("Each of the goal's keys."),
  costPerRunUsd: estimateSchema.nullable().describe(
    "Its pipeline's cost per run in US dollars (evaluators' calls apart); null when unpriced.",
  ),
  p95WallTimeMs: z.number().nullable().describe(
    "The p95 wall time of its successful runs (nearest rank), or null without one.",
  ),
  goal: z.enum(["meets", "misses", "undecided"]).describe(
    "Whether it meets the goal's constraints at 95%: established (`meets`), significantly not " +
      "(`misses`), or neither yet.",
  ),
  spentUsd: z.number().nonnegative().describe(
    "What its runs cost in all, evaluators' calls included (reused runs too).",
  ),
}).describe("One configuration the search ran, with its figures and where it ended.");

/** The zod schema of {@linkcode UnreadKnob}. */
export const unreadKnobSchema = z.object({
  key: z.string().describe("The `configurable` key."),
  values: z.array(knobValueSchema).describe("The values given for it."),
  evidence: z.string().describe("Why it is taken as never read, in words."),
}).describe("A knob left out of the search: the graph never reads it.");

/** The zod schema of {@linkcode Recommendation}. */
export const recommendationSchema = z.object({
  name: z.string().describe("The configuration recommended (one of `configurations`)."),
  configurable: z.record(z.string(), configurableValueSchema).describe(
    "The `configurable` to paste: the run config's own values with the configuration's.",
  ),
  why: z.string().describe("Why it is the goal's answer, in words."),
  comparison: (Comparison as unknown as z.ZodType<Comparison>).describe(
    "compare's verdicts of the recommended configuration (candidate) against the baseline.",
  ),
}).describe("The goal's answer among the configurations run.");

/** The zod schema of {@linkcode SearchSpend}. */
export const searchSpendSchema = z.object({
  runs: z.number().int().nonnegative().describe(
    "Runs the search made (in any session; reused runs apart).",
  ),
  reusedRuns: z.number().int().nonnegative().describe(
    "Runs taken from benchmarks made before (a plain bench, or another search).",
  ),
  runsNow: z.number().int().nonnegative().describe(
    "Of `runs`, those this call made: a search continued makes only the runs it lacks.",
  ),
  costUsd: z.number().nonnegative().describe(
    "What the search's runs cost, evaluators' calls included (reused runs apart), US dollars.",
  ),
  gridRuns: z.number().int().nonnegative().describe(
    "Runs a grid would make: every configuration of the knobs searched on every input, as " +
      "many times.",
  ),
  gridCostUsd: z.number().nonnegative().nullable().describe(
    "What that grid would cost, estimated: each configuration's cost per run predicted from the " +
      "anchors, plus the evaluators' mean cost per run; null when unpriced.",
  ),
}).describe("What the search spent, and what a grid at the same precision would have.");

/** The zod schema of {@linkcode RoundResult}. */
export const roundResultSchema = z.object({
  round: z.number().int().nonnegative().describe("The round, from 0."),
  inputs: z.number().int().nonnegative().describe("The inputs racing configurations ran."),
  racing: z.number().int().nonnegative().describe("Configurations racing in it."),
  joined: z.number().int().nonnegative().describe(
    "Configurations it started running on their predictions.",
  ),
  eliminated: z.number().int().nonnegative().describe("Configurations it eliminated."),
  stopped: z.number().int().nonnegative().describe(
    "Configurations it stopped: they cannot be the goal's answer.",
  ),
}).describe("One round of the search.");

/** The zod schema of {@linkcode GoalResult}. */
export const goalResultSchema = z.object({
  kind: z.enum(["cheapest", "quality"]).describe(
    "`cheapest`: the cheapest configuration that keeps quality; `quality`: the best quality.",
  ),
  keys: z.array(z.string()).describe("The evaluator keys quality is the mean of."),
  maxDrop: z.number().nonnegative().describe(
    "How far below the baseline's each key's mean may be (`cheapest`).",
  ),
  maxCostPerRunUsd: z.number().positive().nullable().describe(
    "The most a run may cost, US dollars, or null.",
  ),
  maxP95Ms: z.number().positive().nullable().describe(
    "The most the p95 wall time may be, milliseconds, or null.",
  ),
  description: z.string().describe("The goal in words."),
}).describe("The goal of a search and its constraints.");

/** The zod schema of {@linkcode KnobResult}. */
export const knobResultSchema = z.object({
  key: z.string().describe("The `configurable` key."),
  values: z.array(knobValueSchema).describe("Its values, in the order given."),
}).describe("A knob searched.");

/** The zod schema of {@linkcode MisfitResult}. */
export const misfitResultSchema = z.object({
  quality: z.number().nonnegative().describe(
    "The largest significant gap between a measured quality and its additive prediction, per " +
      "knob changed beyond the first (0: the knobs' effects added up).",
  ),
  costUsd: z.number().nonnegative().describe("The same for the cost per run, US dollars."),
  checked: z.number().int().nonnegative().describe(
    "How many measured configurations (two knobs changed or more) checked the predictions.",
  ),
}).describe("How well the knobs' effects added up: the predictions' misfit.");

/** The zod schema of {@linkcode TuneResult}. */
export const tuneResultSchema = z.object({
  schemaVersion: z.literal(1).describe("The version of this schema."),
  goal: goalResultSchema.describe("The goal and its constraints, and the goal in words."),
  knobs: z.array(knobResultSchema).describe(
    "The knobs searched (the graph reads them): `configurable` keys and their values, the " +
      "baseline's first, as given.",
  ),
  unreadKnobs: z.array(unreadKnobSchema).describe("Knobs left out: the graph never reads them."),
  baseline: z.string().describe("The baseline configuration's name."),
  inputs: z.number().int().nonnegative().describe("The inputs of the search."),
  repeats: z.number().int().positive().describe("Runs per input."),
  configurations: z.array(configurationResultSchema).describe(
    "Every configuration run, in the order each was first run.",
  ),
  frontier: z.array(z.string()).describe(
    "The frontier: the configurations no other dominates significantly, cheapest first.",
  ),
  recommended: recommendationSchema.nullable().describe(
    "The goal's answer, or null when no configuration was run on every input.",
  ),
  spend: searchSpendSchema.describe("What the search spent, against a grid."),
  rounds: z.array(roundResultSchema).describe("Each round."),
  misfit: misfitResultSchema.describe("How well the knobs' effects added up."),
  stoppedReason: z.string().nullable().describe(
    "Null, or why the search stopped before it was done (the budget).",
  ),
}).describe("What a search returns: the frontier, the recommended configuration, the spend.");

// ---- Generated by `deno task types` from the schemas' descriptions: edit those. ----
/** A mean over a configuration's inputs with its 95% interval. */
export interface Estimate {
  /** The mean. */
  readonly value: number;
  /** The lower bound of its 95% interval (Student's t over the inputs). */
  readonly low: number;
  /** The upper bound of its 95% interval. */
  readonly high: number;
}

/** One evaluator key's mean score in a configuration. */
export interface KeyEstimate {
  /** The evaluator key. */
  readonly key: string;
  /** Its mean score over the inputs, or null if none scored. */
  readonly mean: number | null;
  /** The lower bound of the mean's 95% interval, or null. */
  readonly low: number | null;
  /** The upper bound, or null. */
  readonly high: number | null;
}

/** One configuration the search ran, with its figures and where it ended. */
export interface ConfigurationResult {
  /** The configuration as one line, `key=value, ...` in knob order. */
  readonly name: string;
  /** Its value for each knob searched, by `configurable` key. */
  readonly configuration: Readonly<Record<string, KnobValue>>;
  /**
   * Whether it is an anchor: the baseline, or the baseline with one knob changed (run on every
   * input: each value's effect).
   */
  readonly anchor: boolean;
  /** `frontier`: no configuration run dominates it significantly; `dominated`: one does. */
  readonly status: "frontier" | "dominated";
  /**
   * The configuration that dominated it significantly (quality at least as high, cost at least as
   * low, one strictly, by the paired bootstrap at the elimination confidence), or null.
   */
  readonly dominatedBy: string | null;
  /** On how many inputs it was dominated, or null. */
  readonly dominatedOnInputs: number | null;
  /** Why it stopped before every input (it cannot be the goal's answer), or null. */
  readonly stoppedBecause: string | null;
  /** Inputs it ran (the first ones, in order). */
  readonly inputs: number;
  /** Its runs (inputs x repeats). */
  readonly runs: number;
  /** Of those, runs that failed (scored 0). */
  readonly failedRuns: number;
  /** Its quality: the mean of the goal's keys per run, over its inputs; null if none scored. */
  readonly quality: Estimate | null;
  /** Each of the goal's keys. */
  readonly keys: readonly KeyEstimate[];
  /** Its pipeline's cost per run in US dollars (evaluators' calls apart); null when unpriced. */
  readonly costPerRunUsd: Estimate | null;
  /** The p95 wall time of its successful runs (nearest rank), or null without one. */
  readonly p95WallTimeMs: number | null;
  /**
   * Whether it meets the goal's constraints at 95%: established (`meets`), significantly not
   * (`misses`), or neither yet.
   */
  readonly goal: "meets" | "misses" | "undecided";
  /** What its runs cost in all, evaluators' calls included (reused runs too). */
  readonly spentUsd: number;
}

/** A knob left out of the search: the graph never reads it. */
export interface UnreadKnob {
  /** The `configurable` key. */
  readonly key: string;
  /** The values given for it. */
  readonly values: readonly KnobValue[];
  /** Why it is taken as never read, in words. */
  readonly evidence: string;
}

/** The goal's answer among the configurations run. */
export interface Recommendation {
  /** The configuration recommended (one of `configurations`). */
  readonly name: string;
  /** The `configurable` to paste: the run config's own values with the configuration's. */
  readonly configurable: Readonly<Record<string, unknown>>;
  /** Why it is the goal's answer, in words. */
  readonly why: string;
  /** compare's verdicts of the recommended configuration (candidate) against the baseline. */
  readonly comparison: Comparison;
}

/** What the search spent, and what a grid at the same precision would have. */
export interface SearchSpend {
  /** Runs the search made (in any session; reused runs apart). */
  readonly runs: number;
  /** Runs taken from benchmarks made before (a plain bench, or another search). */
  readonly reusedRuns: number;
  /** Of `runs`, those this call made: a search continued makes only the runs it lacks. */
  readonly runsNow: number;
  /** What the search's runs cost, evaluators' calls included (reused runs apart), US dollars. */
  readonly costUsd: number;
  /**
   * Runs a grid would make: every configuration of the knobs searched on every input, as many
   * times.
   */
  readonly gridRuns: number;
  /**
   * What that grid would cost, estimated: each configuration's cost per run predicted from the
   * anchors, plus the evaluators' mean cost per run; null when unpriced.
   */
  readonly gridCostUsd: number | null;
}

/** One round of the search. */
export interface RoundResult {
  /** The round, from 0. */
  readonly round: number;
  /** The inputs racing configurations ran. */
  readonly inputs: number;
  /** Configurations racing in it. */
  readonly racing: number;
  /** Configurations it started running on their predictions. */
  readonly joined: number;
  /** Configurations it eliminated. */
  readonly eliminated: number;
  /** Configurations it stopped: they cannot be the goal's answer. */
  readonly stopped: number;
}

/** The goal of a search and its constraints. */
export interface GoalResult {
  /** `cheapest`: the cheapest configuration that keeps quality; `quality`: the best quality. */
  readonly kind: "cheapest" | "quality";
  /** The evaluator keys quality is the mean of. */
  readonly keys: readonly string[];
  /** How far below the baseline's each key's mean may be (`cheapest`). */
  readonly maxDrop: number;
  /** The most a run may cost, US dollars, or null. */
  readonly maxCostPerRunUsd: number | null;
  /** The most the p95 wall time may be, milliseconds, or null. */
  readonly maxP95Ms: number | null;
  /** The goal in words. */
  readonly description: string;
}

/** A knob searched. */
export interface KnobResult {
  /** The `configurable` key. */
  readonly key: string;
  /** Its values, in the order given. */
  readonly values: readonly KnobValue[];
}

/** How well the knobs' effects added up: the predictions' misfit. */
export interface MisfitResult {
  /**
   * The largest significant gap between a measured quality and its additive prediction, per knob
   * changed beyond the first (0: the knobs' effects added up).
   */
  readonly quality: number;
  /** The same for the cost per run, US dollars. */
  readonly costUsd: number;
  /** How many measured configurations (two knobs changed or more) checked the predictions. */
  readonly checked: number;
}

/** What a search returns: the frontier, the recommended configuration, the spend. */
export interface TuneResult {
  /** The version of this schema. */
  readonly schemaVersion: 1;
  /** The goal and its constraints, and the goal in words. */
  readonly goal: GoalResult;
  /**
   * The knobs searched (the graph reads them): `configurable` keys and their values, the baseline's
   * first, as given.
   */
  readonly knobs: readonly KnobResult[];
  /** Knobs left out: the graph never reads them. */
  readonly unreadKnobs: readonly UnreadKnob[];
  /** The baseline configuration's name. */
  readonly baseline: string;
  /** The inputs of the search. */
  readonly inputs: number;
  /** Runs per input. */
  readonly repeats: number;
  /** Every configuration run, in the order each was first run. */
  readonly configurations: readonly ConfigurationResult[];
  /** The frontier: the configurations no other dominates significantly, cheapest first. */
  readonly frontier: readonly string[];
  /** The goal's answer, or null when no configuration was run on every input. */
  readonly recommended: Recommendation | null;
  /** What the search spent, against a grid. */
  readonly spend: SearchSpend;
  /** Each round. */
  readonly rounds: readonly RoundResult[];
  /** How well the knobs' effects added up. */
  readonly misfit: MisfitResult;
  /** Null, or why the search stopped before it was done (the budget). */
  readonly stoppedReason: string | null;
}
// ---- End of generated interfaces. ----

/**
 * Validates what a search returned (e.g. a `tune.json` read back).
 *
 * @example Usage
 * ```ts
 * import { TuneResult } from "./result.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(TuneResult.safeParse({ schemaVersion: 1 }).success, false);
 * ```
 */
export const TuneResult: MetricsSchema<TuneResult> = tuneResultSchema;

// The interfaces and the schemas name the same fields (the assignment above checks the types).
type Parsed = z.infer<typeof tuneResultSchema>;
const _sameFields: [
  SameKeys<TuneResult, Parsed>,
  SameKeys<ConfigurationResult, Parsed["configurations"][number]>,
  SameKeys<Recommendation, NonNullable<Parsed["recommended"]>>,
  SameKeys<SearchSpend, Parsed["spend"]>,
  SameKeys<GoalResult, Parsed["goal"]>,
] = [true, true, true, true, true];
