/**
 * The search itself, apart from how runs are made: configurations race over the inputs in rounds
 * (successive halving's doubling), every one on the same inputs so each comparison is paired,
 * stage by stage where the structure allows.
 *
 * 1. The anchors — the baseline, and the baseline with one knob changed — run on every input:
 *    each value's effect, input by input (`predict.ts`).
 * 2. Each round, the configurations not run yet are predicted from them; one joins the race only
 *    when no configuration on the predicted frontier, or already run, dominates its prediction
 *    significantly (`newcomers.ts`). Predictions are made again each round, beyond the misfit the
 *    configurations run so far show.
 * 3. Every racing configuration is brought to the round's inputs, then one is eliminated only
 *    when another dominates it significantly on the inputs both ran (`dominance.ts`: compare's
 *    paired bootstrap at 99%). One that can no longer be the goal's answer stops running
 *    (`goal_status.ts`) but stays unless dominated. The next round has twice the inputs.
 *
 * What is left is the frontier: no configuration in it is significantly dominated by one that
 * was run. Pure, but for the `measure` callback that makes the runs.
 *
 * @module
 */
import type { InputObservation } from "./observations.ts";
import { indexOf, type Knob } from "./knobs.ts";
import { knownMean } from "./paired.ts";
import { type Anchors, measureMisfit, type Misfit, type Vectors, vectorsOf } from "./predict.ts";
import { type DominanceRule, dominates, NO_MARGINS } from "./dominance.ts";
import { predictedNewcomers } from "./newcomers.ts";
import { feasibility, type GoalCandidate, offGoal, type SearchGoal } from "./goal_status.ts";

/** The elimination confidence unless told otherwise. */
export const DEFAULT_ELIMINATION_CONFIDENCE = 0.99;

/** Quality differences up to this count as ties unless told otherwise (a score). */
export const DEFAULT_QUALITY_TIE = 0.01;

/**
 * Brings a configuration to `inputs` measured inputs (the first ones, in the search's order) and
 * returns every observation it has, in order; fewer than asked when the search must stop (its
 * budget).
 */
export type Measure = (config: number, inputs: number) => Promise<readonly InputObservation[]>;

/** How to search. */
export interface SearchOptions {
  /** The knobs (configurations are numbered over them, see `knobs.ts`). */
  readonly knobs: readonly Knob[];
  /** The baseline's value indices. */
  readonly baseline: readonly number[];
  /** How many inputs there are in all. */
  readonly inputCount: number;
  /** The keys quality is the mean of; default every key the baseline's runs scored. */
  readonly keys?: readonly string[];
  /** The goal; default none: the whole frontier is raced to every input. */
  readonly goal?: SearchGoal;
  /** Inputs of the first round; default an eighth of them, at least 10 (all, when fewer). */
  readonly firstRoundInputs?: number;
  /**
   * Quality differences up to this count as ties: a dearer configuration stays on the frontier
   * only when it is better by more; default 0.01.
   */
  readonly qualityTie?: number;
  /** The confidence an elimination needs; default 0.99. */
  readonly eliminationConfidence?: number;
  /** Bootstrap resamples per comparison; default 2,000. */
  readonly resamples?: number;
  /** The bootstrap's seed; default 1. */
  readonly seed?: number;
  /** Makes the runs. */
  readonly measure: Measure;
  /** Told when a round is done. */
  readonly onRound?: (round: RoundSummary) => void;
}

/** What a round did. */
export interface RoundSummary {
  /** The round, from 0. */
  readonly round: number;
  /** The inputs every configuration still racing was brought to. */
  readonly inputs: number;
  /** Configurations racing in it. */
  readonly racing: number;
  /** Configurations it started running on their predictions. */
  readonly joined: number;
  /** Configurations it eliminated as dominated. */
  readonly eliminated: number;
  /** Configurations it stopped: they can no longer be the goal's answer. */
  readonly stopped: number;
}

/** A configuration that was run, and where it ended. */
export interface SearchedConfiguration {
  /** Its number (see `knobs.ts`). */
  readonly index: number;
  /** Its value indices. */
  readonly choices: readonly number[];
  /** On the frontier, or eliminated as dominated. */
  readonly status: "frontier" | "dominated";
  /** Whether it is an anchor (the baseline, or one knob changed). */
  readonly anchor: boolean;
  /** What its runs measured, input by input. */
  readonly observations: readonly InputObservation[];
  /** The configuration that dominated it, and on how many inputs, when dominated. */
  readonly dominatedBy: { readonly index: number; readonly inputs: number } | null;
  /** Why it stopped running before every input (it cannot be the goal's answer), or null. */
  readonly stoppedBecause: string | null;
}

/** How a search ended. */
export interface SearchOutcome {
  /** The keys quality is the mean of. */
  readonly keys: readonly string[];
  /** Every configuration that was run, in the order each was first run. */
  readonly configurations: readonly SearchedConfiguration[];
  /** Each round. */
  readonly rounds: readonly RoundSummary[];
  /** True when `measure` gave fewer inputs than asked (the budget): the search stopped there. */
  readonly stopped: boolean;
  /** The additive prediction's misfit as last measured. */
  readonly misfit: Misfit;
}

interface State {
  index: number;
  choices: number[];
  anchor: boolean;
  observations: readonly InputObservation[];
  status: "racing" | "stopped" | "dominated";
  dominatedBy: { index: number; inputs: number } | null;
  stoppedBecause: string | null;
  vectors: Vectors | null;
  vectorDepth: number;
}

/**
 * The inputs of each round: the first round's, then twice as many each round, up to all.
 *
 * @param inputCount How many inputs there are.
 * @param first The first round's; default an eighth, at least 10.
 * @returns The sizes, increasing, the last `inputCount`.
 *
 * @example Usage
 * ```ts
 * import { roundSizes } from "./search.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(roundSizes(200), [25, 50, 100, 200]);
 * assert.deepEqual(roundSizes(7), [7]);
 * ```
 */
export function roundSizes(inputCount: number, first?: number): number[] {
  let size = Math.min(inputCount, first ?? Math.max(10, Math.ceil(inputCount / 8)));
  const sizes = [size];
  while (size < inputCount) {
    size = Math.min(inputCount, size * 2);
    sizes.push(size);
  }
  return sizes;
}

/** A deterministic seed per comparison, so a search's verdicts do not depend on their order. */
function seedFor(seed: number, ...values: number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const v of values) {
    h = Math.imul(h ^ v, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return h;
}

/**
 * Searches the configurations of `knobs` for the quality–cost frontier (see the module doc).
 *
 * @param options The knobs, baseline, inputs, goal and how to measure.
 * @returns The configurations run, each on the frontier or dominated, and the rounds.
 *
 * @example A knob whose second value is cheaper at the same quality
 * ```ts
 * import { searchFrontier } from "./search.ts";
 * import assert from "node:assert/strict";
 *
 * const inputIds = Array.from({ length: 600 }, (_, i) => `q${i}`);
 * const outcome = await searchFrontier({
 *   knobs: [{ key: "model", values: ["big", "small"] }],
 *   baseline: [0],
 *   inputCount: inputIds.length,
 *   measure: (config, inputs) =>
 *     Promise.resolve(inputIds.slice(0, inputs).map((inputId, i) => ({
 *       inputId, scores: { correct: i % 3 === 0 ? 0 : 1 }, costUsd: config === 0 ? 0.02 : 0.01,
 *       wallTimesMs: [100], runs: 1, failedRuns: 0, spentUsd: config === 0 ? 0.02 : 0.01,
 *     }))),
 * });
 * assert.deepEqual(outcome.configurations.map((c) => c.status), ["dominated", "frontier"]);
 * ```
 */
export async function searchFrontier(options: SearchOptions): Promise<SearchOutcome> {
  const { knobs, baseline } = options;
  const confidence = options.eliminationConfidence ?? DEFAULT_ELIMINATION_CONFIDENCE;
  const resamples = options.resamples ?? 2000;
  const qualityTie = options.qualityTie ?? DEFAULT_QUALITY_TIE;
  const seed = options.seed ?? 1;
  const n = options.inputCount;
  const sizes = roundSizes(n, options.firstRoundInputs);
  const states = new Map<number, State>();
  const order: number[] = [];
  let keys: readonly string[] | null = options.keys ?? null;
  let stopped = false;
  let misfit: Misfit = { quality: 0, costUsd: 0, checked: 0 };
  const rounds: RoundSummary[] = [];
  let qualityLow = Infinity;
  let qualityHigh = -Infinity;

  const start = (choices: number[], anchor: boolean): State => {
    const index = indexOf(knobs, choices);
    const existing = states.get(index);
    if (existing !== undefined) return existing;
    const state: State = {
      index,
      choices,
      anchor,
      observations: [],
      status: "racing",
      dominatedBy: null,
      stoppedBecause: null,
      vectors: null,
      vectorDepth: -1,
    };
    states.set(index, state);
    order.push(index);
    return state;
  };
  const all = (): State[] => order.map((index) => states.get(index)!);
  const baseIndex = indexOf(knobs, baseline);
  start([...baseline], true);
  const anchorOf = new Map<string, number>();
  knobs.forEach((knob, k) => {
    knob.values.forEach((_, v) => {
      if (v === baseline[k]) return;
      const choices = [...baseline];
      choices[k] = v;
      anchorOf.set(`${k}:${v}`, start(choices, true).index);
    });
  });

  const vectorsFor = (state: State): Vectors => {
    if (state.vectors !== null && state.vectorDepth === state.observations.length) {
      return state.vectors;
    }
    state.vectors = vectorsOf(state.observations, keys!, n);
    state.vectorDepth = state.observations.length;
    for (let i = 0; i < state.vectorDepth; i++) {
      const quality = state.vectors.quality[i];
      if (Number.isFinite(quality)) {
        qualityLow = Math.min(qualityLow, quality);
        qualityHigh = Math.max(qualityHigh, quality);
      }
    }
    return state.vectors;
  };
  const bring = async (state: State, inputs: number): Promise<boolean> => {
    if (stopped) return false;
    if (state.observations.length >= inputs) return true;
    state.observations = await options.measure(state.index, inputs);
    if (state.observations.length < inputs) stopped = true;
    keys ??= keysOf(state.observations);
    return !stopped;
  };
  const rule = (): DominanceRule => ({
    confidence,
    resamples,
    qualityTie,
    qualityRange: Math.max(0, qualityHigh - qualityLow),
  });
  const candidate = (state: State): GoalCandidate => ({
    index: state.index,
    vectors: vectorsFor(state),
    depth: state.observations.length,
  });

  // 1. The anchors, round by round to every input: each value's effect, input by input.
  const anchors = all();
  for (const inputs of sizes) {
    for (const state of anchors) if (!(await bring(state, inputs))) break;
    if (stopped) break;
  }
  const basis: Anchors = {
    baseline,
    get base() {
      return vectorsFor(states.get(baseIndex)!);
    },
    single: (k, v) => vectorsFor(states.get(anchorOf.get(`${k}:${v}`)!)!),
  };
  const depthOf = (choices: readonly number[]): number => {
    let depth = states.get(baseIndex)!.observations.length;
    choices.forEach((v, k) => {
      if (v === baseline[k]) return;
      depth = Math.min(depth, states.get(anchorOf.get(`${k}:${v}`)!)!.observations.length);
    });
    return depth;
  };

  // 2 and 3. Rounds: newcomers join, the racing ones run the round's inputs, eliminations.
  for (let round = 0; round < sizes.length && !stopped && keys !== null; round++) {
    const inputs = sizes[round];
    let joined = 0;
    for (;;) {
      for (const state of all()) {
        if (state.status === "racing" && !(await bring(state, inputs))) break;
      }
      if (stopped) break;
      misfit = measureMisfit(
        basis,
        all().map((state) => ({
          choices: state.choices,
          vectors: vectorsFor(state),
          depth: state.observations.length,
        })),
        depthOf,
        { resamples, confidence: 0.95, seed },
      );
      const newcomers = predictedNewcomers({
        knobs,
        basis,
        depthOf,
        isRun: (index) => states.has(index),
        misfit,
        rule: rule(),
        seedOf: (a, b, depth) => seedFor(seed, a, b, depth, 1),
      });
      if (newcomers.length === 0) break;
      for (const choices of newcomers) start(choices, false);
      joined += newcomers.length;
    }
    if (stopped) break;
    const alive = all().filter((state) => state.status !== "dominated");
    const racing = alive.filter((state) => state.status === "racing").length;
    const eliminated = eliminateDominated(
      alive,
      vectorsFor,
      rule(),
      (a, b, depth) => seedFor(seed, a, b, depth, 2),
    );
    // After the last round nothing is left to stop: every racing configuration ran every input.
    const last = round === sizes.length - 1;
    const stoppedNow = options.goal === undefined || last ? 0 : stopOffGoal(
      all(),
      states.get(baseIndex)!,
      candidate,
      keys!,
      options.goal,
      { resamples, confidence, seedOf: (a, b, salt) => seedFor(seed, a, b, inputs, salt) },
    );
    rounds.push({ round, inputs, racing, joined, eliminated, stopped: stoppedNow });
    options.onRound?.(rounds[rounds.length - 1]);
  }

  return {
    keys: keys ?? [],
    configurations: all().map((state) => ({
      index: state.index,
      choices: state.choices,
      status: state.status === "dominated" ? "dominated" : "frontier",
      anchor: state.anchor,
      observations: state.observations,
      dominatedBy: state.dominatedBy,
      stoppedBecause: state.stoppedBecause,
    })),
    rounds,
    stopped,
    misfit,
  };
}

function keysOf(observations: readonly InputObservation[]): string[] | null {
  const keys = new Set<string>();
  for (const observation of observations) {
    Object.keys(observation.scores).forEach((key) => keys.add(key));
  }
  return keys.size === 0 ? null : [...keys];
}

/**
 * Marks the configurations another one dominates significantly, on the inputs both ran; returns
 * how many.
 */
function eliminateDominated(
  alive: State[],
  vectorsFor: (state: State) => Vectors,
  rule: DominanceRule,
  seedOf: (a: number, b: number, depth: number) => number,
): number {
  const points = alive.map((state) => {
    const vectors = vectorsFor(state);
    const depth = state.observations.length;
    return {
      state,
      vectors,
      depth,
      quality: knownMean(vectors.quality, depth),
      costUsd: knownMean(vectors.costUsd, depth),
    };
  });
  const dominated: { state: State; by: number; inputs: number }[] = [];
  for (const x of points) {
    // Only one about as good on both, by its means, can dominate significantly.
    const rivals = points
      .filter((y) => y !== x && y.quality >= x.quality - rule.qualityTie && y.costUsd <= x.costUsd)
      .sort((a, b) => a.costUsd - b.costUsd || b.quality - a.quality);
    for (const y of rivals) {
      const depth = Math.min(x.depth, y.depth);
      const seed = seedOf(y.state.index, x.state.index, depth);
      if (dominates(y.vectors, x.vectors, depth, NO_MARGINS, rule, seed)) {
        dominated.push({ state: x.state, by: y.state.index, inputs: depth });
        break;
      }
    }
  }
  for (const { state, by, inputs } of dominated) {
    state.status = "dominated";
    state.dominatedBy = { index: by, inputs };
  }
  return dominated.length;
}

/**
 * Stops the racing configurations (anchors excepted: the predictions stand on them) that can no
 * longer be the goal's answer; returns how many.
 */
function stopOffGoal(
  states: readonly State[],
  baseline: State,
  candidate: (state: State) => GoalCandidate,
  keys: readonly string[],
  goal: SearchGoal,
  options: {
    resamples: number;
    confidence: number;
    seedOf: (a: number, b: number, salt: number) => number;
  },
): number {
  const alive = states.filter((state) => state.status !== "dominated");
  const base = candidate(baseline);
  const standing = new Map(alive.map((state) => [
    state,
    feasibility(candidate(state), base, goal, keys, {
      resamples: options.resamples,
      confidence: options.confidence,
      seed: options.seedOf(state.index, base.index, 3),
    }),
  ]));
  const established = alive.filter((state) => standing.get(state)!.established).map(candidate);
  let count = 0;
  for (const state of alive) {
    if (state.status !== "racing" || state.anchor) continue;
    const reason = offGoal(candidate(state), standing.get(state)!, established, goal, {
      resamples: options.resamples,
      confidence: options.confidence,
      seedOf: (a, b) => options.seedOf(a, b, 4),
    });
    if (reason !== null) {
      state.status = "stopped";
      state.stoppedBecause = reason;
      count++;
    }
  }
  return count;
}
