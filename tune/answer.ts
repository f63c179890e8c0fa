/**
 * The answer of a search, from what its configurations measured: each configuration's figures
 * (quality and cost per run with 95% intervals, p95), the frontier cheapest first, the goal's
 * answer with compare's verdicts against the baseline, and what was spent against a grid. Pure.
 *
 * @module
 */
import type { RunRecord } from "../benchmark/run_record.ts";
import type { BenchmarkStop } from "../benchmark/options.ts";
import { percentile } from "../benchmark/result/aggregate_runs.ts";
import { compareBenchmarks } from "../compare/compare_benchmarks.ts";
import { meanInterval } from "../evaluate/interval.ts";
import { formatUsd } from "../report/format.ts";
import { type Configuration, configurationCount, formatConfiguration, type Knob } from "./knobs.ts";
import { DEFAULT_MAX_DROP, describeGoal, type TuneGoal } from "./goal.ts";
import type { InputObservation } from "./observations.ts";
import { knownMean } from "./paired.ts";
import { vectorsOf } from "./predict.ts";
import { feasibility } from "./goal_status.ts";
import type { SearchOutcome } from "./search.ts";
import type {
  ConfigurationResult,
  Estimate,
  Recommendation,
  TuneResult,
  UnreadKnob,
} from "./result.ts";

/** What the answer is assembled from. */
export interface AnswerInputs {
  /** Every knob given. */
  readonly knobs: readonly Knob[];
  /** The knobs searched (the graph reads them). */
  readonly searched: readonly Knob[];
  /** The knobs left out. */
  readonly unreadKnobs: readonly UnreadKnob[];
  /** The baseline, every knob's value. */
  readonly baseConfiguration: Configuration;
  /** The goal. */
  readonly goal: TuneGoal;
  /** The keys quality is the mean of. */
  readonly keys: readonly string[];
  /** The inputs of the search. */
  readonly inputCount: number;
  /** Runs per input. */
  readonly repeats: number;
  /** The search, or null when nothing was searched (no knob read, or the budget). */
  readonly outcome: SearchOutcome | null;
  /** A configuration's runs. */
  readonly recordsOf: (configuration: Configuration) => readonly RunRecord[];
  /** The configuration (every knob) of the searched knobs' value indices. */
  readonly fullConfiguration: (choices: readonly number[]) => Configuration;
  /** The `configurable` to paste for a configuration. */
  readonly configurableOf: (configuration: Configuration) => Record<string, unknown>;
  /** Runs made, reused, and what the search spent. */
  readonly spend: { runs: number; reusedRuns: number; runsNow: number; costUsd: number };
  /** Why the benchmarks stopped (the budget), or null. */
  readonly stop: BenchmarkStop | null;
  /** Bootstrap resamples; default 2,000. */
  readonly resamples?: number;
  /** The bootstrap's seed; default 1. */
  readonly seed?: number;
}

function estimate(values: readonly number[]): Estimate | null {
  const known = values.filter((value) => Number.isFinite(value));
  if (known.length === 0) return null;
  const { value, low, high } = meanInterval(known);
  return { value, low, high };
}

function qualityOf(observation: InputObservation, keys: readonly string[]): number {
  const scores = keys.map((key) => observation.scores[key]).filter((s) => s !== undefined);
  return scores.length === 0 ? NaN : scores.reduce((a, b) => a + b, 0) / scores.length;
}

/** Why the search stopped, in words: its budget, or an interrupt. */
function stopWords(stop: BenchmarkStop): string {
  switch (stop.kind) {
    case "budget-would-pass":
      return `the budget of ${formatUsd(stop.budgetUsd)}: ${formatUsd(stop.spentUsd)} spent, and ` +
        `one more run (up to ${formatUsd(stop.dearestRunUsd)}) would pass it`;
    case "budget-crossed":
      return `the budget of ${formatUsd(stop.budgetUsd)} was reached (${
        formatUsd(stop.spentUsd)
      } spent)`;
    case "unpriced-call":
      return `a call to ${stop.provider}:${stop.model} could not be priced, so the budget of ` +
        `${formatUsd(stop.budgetUsd)} could not be held`;
    case "interrupted":
      return `it was interrupted (${stop.reason})`;
  }
}

/**
 * Assembles the answer of a search (see the module doc).
 *
 * @param inputs The search and what it is about.
 * @returns The result, as `tune()` returns it.
 */
export function buildTuneResult(inputs: AnswerInputs): TuneResult {
  const { knobs, goal, keys, outcome, inputCount } = inputs;
  const resamples = inputs.resamples ?? 2000;
  const seed = inputs.seed ?? 1;
  const nameOf = (configuration: Configuration) => formatConfiguration(knobs, configuration);
  const baseName = nameOf(inputs.baseConfiguration);
  const searchGoal = {
    kind: goal.kind,
    maxDrop: goal.maxDrop ?? DEFAULT_MAX_DROP,
    maxCostPerRunUsd: goal.maxCostPerRunUsd,
  };
  const configurations = outcome?.configurations ?? [];
  const fullOf = new Map(configurations.map((c) => [c.index, inputs.fullConfiguration(c.choices)]));
  const base = configurations.find((c) => nameOf(fullOf.get(c.index)!) === baseName);
  const baseVectors = base === undefined ? null : {
    index: base.index,
    vectors: vectorsOf(base.observations, keys, inputCount),
    depth: base.observations.length,
  };

  const results: ConfigurationResult[] = configurations.map((c) => {
    const configuration = fullOf.get(c.index)!;
    const observations = c.observations;
    const wallTimes = observations.flatMap((o) => o.wallTimesMs);
    const p95 = wallTimes.length === 0 ? null : percentile(wallTimes, 0.95);
    const standing = baseVectors === null ? null : feasibility(
      {
        index: c.index,
        vectors: vectorsOf(observations, keys, inputCount),
        depth: observations.length,
      },
      baseVectors,
      searchGoal,
      keys,
      { resamples, seed: seed + c.index, confidence: 0.95 },
    );
    const slowMiss = goal.maxP95Ms !== undefined && p95 !== null && p95 > goal.maxP95Ms;
    const status = standing === null
      ? "undecided"
      : standing.missed !== null || slowMiss
      ? "misses"
      : standing.established && (goal.maxP95Ms === undefined || p95 !== null)
      ? "meets"
      : "undecided";
    const by = c.dominatedBy === null ? null : fullOf.get(c.dominatedBy.index);
    return {
      name: nameOf(configuration),
      configuration: Object.fromEntries(inputs.searched.map((k) => [k.key, configuration[k.key]])),
      anchor: c.anchor,
      status: c.status,
      dominatedBy: by === undefined || by === null ? null : nameOf(by),
      dominatedOnInputs: c.dominatedBy?.inputs ?? null,
      stoppedBecause: c.stoppedBecause,
      inputs: observations.length,
      runs: observations.reduce((sum, o) => sum + o.runs, 0),
      failedRuns: observations.reduce((sum, o) => sum + o.failedRuns, 0),
      quality: estimate(observations.map((o) => qualityOf(o, keys))),
      keys: keys.map((key) => {
        const e = estimate(observations.map((o) => o.scores[key] ?? NaN));
        return { key, mean: e?.value ?? null, low: e?.low ?? null, high: e?.high ?? null };
      }),
      costPerRunUsd: estimate(observations.map((o) => o.costUsd)),
      p95WallTimeMs: p95,
      goal: status,
      spentUsd: observations.reduce((sum, o) => sum + o.spentUsd, 0),
    };
  });

  const cost = (r: ConfigurationResult) => r.costPerRunUsd?.value ?? Infinity;
  const quality = (r: ConfigurationResult) => r.quality?.value ?? -Infinity;
  const frontier = results.filter((r) => r.status === "frontier")
    .sort((a, b) => cost(a) - cost(b) || quality(b) - quality(a));
  const eligible = results.filter((r) => r.goal === "meets" && r.inputs === inputCount);
  const best =
    [...eligible].sort((a, b) =>
      goal.kind === "cheapest"
        ? cost(a) - cost(b) || quality(b) - quality(a)
        : quality(b) - quality(a) || cost(a) - cost(b)
    )[0];
  const baseResult = results.find((r) => r.name === baseName);
  let recommended: Recommendation | null = null;
  if (best !== undefined && baseResult !== undefined) {
    const configuration = fullOf.get(configurations[results.indexOf(best)].index)!;
    const comparison = compareBenchmarks(
      inputs.recordsOf(inputs.baseConfiguration),
      inputs.recordsOf(configuration),
      { baselineLabel: baseName, candidateLabel: best.name, resamples, seed },
    );
    recommended = {
      name: best.name,
      configurable: inputs.configurableOf(configuration),
      why: whyRecommended(best, baseResult, eligible.length, goal, keys),
      comparison,
    };
  }

  // The grid of the knobs the graph reads (an unread knob would only repeat its configurations).
  const gridRuns = configurationCount(inputs.searched) * inputCount * inputs.repeats;
  return {
    schemaVersion: 1,
    goal: {
      kind: goal.kind,
      keys: [...keys],
      maxDrop: goal.maxDrop ?? DEFAULT_MAX_DROP,
      maxCostPerRunUsd: goal.maxCostPerRunUsd ?? null,
      maxP95Ms: goal.maxP95Ms ?? null,
      description: describeGoal(goal, keys),
    },
    knobs: inputs.searched.map((knob) => ({ key: knob.key, values: [...knob.values] })),
    unreadKnobs: [...inputs.unreadKnobs],
    baseline: baseName,
    inputs: inputCount,
    repeats: inputs.repeats,
    configurations: results,
    frontier: frontier.map((r) => r.name),
    recommended,
    spend: {
      ...inputs.spend,
      gridRuns,
      gridCostUsd: gridCost(inputs, gridRuns),
    },
    rounds: outcome?.rounds.map((round) => ({ ...round })) ?? [],
    misfit: outcome?.misfit ?? { quality: 0, costUsd: 0, checked: 0 },
    stoppedReason: inputs.stop === null ? null : stopWords(inputs.stop),
  };
}

function whyRecommended(
  best: ConfigurationResult,
  base: ConfigurationResult,
  eligible: number,
  goal: TuneGoal,
  keys: readonly string[],
): string {
  const bestCost = best.costPerRunUsd?.value ?? null;
  const baseCost = base.costPerRunUsd?.value ?? null;
  const costs = bestCost === null || baseCost === null
    ? ""
    : `: ${formatUsd(bestCost)} per run against the baseline's ${formatUsd(baseCost)}` +
      (baseCost > 0 ? ` (${((bestCost / baseCost - 1) * 100).toFixed(1)}%)` : "");
  if (best.name === base.name) {
    return `No configuration run on every input meets the goal ${
      goal.kind === "cheapest" ? "more cheaply than" : "better than"
    } the baseline ` +
      `(${eligible} meet${eligible === 1 ? "s" : ""} it)${costs}`;
  }
  const kept = goal.kind === "cheapest"
    ? `${keys.length === 1 ? keys[0] : "every key"} established within ${
      goal.maxDrop ?? DEFAULT_MAX_DROP
    } of the baseline at 95%`
    : "the highest mean quality";
  return `The ${goal.kind === "cheapest" ? "cheapest" : "best"} of ${eligible} configurations ` +
    `that meet the goal (${kept})${costs}`;
}

/**
 * What the grid would cost: every configuration's cost per run predicted from the anchors (the
 * baseline's plus each knob's change), times its runs, plus the evaluators' mean cost per run.
 */
function gridCost(inputs: AnswerInputs, gridRuns: number): number | null {
  const outcome = inputs.outcome;
  if (outcome === null) return null;
  const meanCost = (observations: readonly InputObservation[]) =>
    knownMean(Float64Array.from(observations, (o) => o.costUsd), observations.length);
  // The search runs the baseline first, then the other anchors.
  const anchors = outcome.configurations.filter((c) => c.anchor);
  const base = anchors[0];
  if (base === undefined) return null;
  const baseCost = meanCost(base.observations);
  const effect = new Map<string, number>();
  for (const anchor of anchors) {
    const k = anchor.choices.findIndex((v, i) => v !== base.choices[i]);
    if (k >= 0) effect.set(`${k}:${anchor.choices[k]}`, meanCost(anchor.observations) - baseCost);
  }
  let sum = 0;
  const searched = inputs.searched;
  const total = searched.reduce((product, knob) => product * knob.values.length, 1);
  for (let index = 0; index < total; index++) {
    let rest = index;
    let predicted = baseCost;
    for (let k = searched.length - 1; k >= 0; k--) {
      const v = rest % searched[k].values.length;
      rest = Math.floor(rest / searched[k].values.length);
      if (v !== base.choices[k]) predicted += effect.get(`${k}:${v}`) ?? NaN;
    }
    sum += predicted;
  }
  const all = outcome.configurations.flatMap((c) => c.observations);
  const runs = all.reduce((s, o) => s + o.runs, 0);
  const evaluationPerRun = runs === 0 ? 0 : (all.reduce((s, o) => s + o.spentUsd, 0) -
    all.reduce((s, o) => s + (Number.isFinite(o.costUsd) ? o.costUsd * o.runs : NaN), 0)) / runs;
  const pipeline = (sum / total) * gridRuns;
  const result = pipeline + Math.max(0, evaluationPerRun) * gridRuns;
  return Number.isFinite(result) ? result : null;
}
