/**
 * `tune()`: which value for each knob? Runs the search (`search.ts`) on a graph: each
 * configuration is a benchmark of its own (`runBenchmark` over the first inputs, resumed as the
 * search needs more), its values set in the runs' `configurable`; knobs the graph never reads are
 * left out first (`unread.ts`); the budget holds over the whole search; the answer is assembled by
 * `answer.ts`.
 *
 * @module
 */
import { runBenchmark } from "../benchmark/runner.ts";
import type {
  BenchmarkEvent,
  BenchmarkInput,
  BenchmarkStop,
  InvokableGraph,
  MetricsHandler,
  RunConfig,
  RunHooks,
} from "../benchmark/options.ts";
import { memoryRunLog, type RunLog } from "../benchmark/run_log.ts";
import { type RunRecord, runSpend } from "../benchmark/run_record.ts";
import type { PlannedRun } from "../benchmark/schedule.ts";
import type { BenchmarkEvaluator } from "../evaluate/evaluator.ts";
import {
  checkKnobs,
  choicesFor,
  choicesOf,
  type Configuration,
  configurationOf,
  formatConfiguration,
  type Knob,
  type KnobValue,
} from "./knobs.ts";
import { type InputObservation, observeInputs, scoredKeys } from "./observations.ts";
import { roundSizes, type RoundSummary, searchFrontier, type SearchOutcome } from "./search.ts";
import { DEFAULT_GOAL, DEFAULT_MAX_DROP, type TuneGoal } from "./goal.ts";
import { unreadEvidence } from "./unread.ts";
import { buildTuneResult } from "./answer.ts";
import type { TuneResult, UnreadKnob } from "./result.ts";

/** A configuration's run log, and what of it was reused from an earlier benchmark. */
export interface ConfigurationLog extends RunLog {
  /** Runs copied into it from an earlier benchmark (they cost nothing now); default 0. */
  readonly reusedRuns?: number;
  /** What those runs cost when they were made, US dollars; default 0. */
  readonly reusedUsd?: number;
}

/** Where each configuration's runs are kept (the CLI's: a stored benchmark each). */
export type ConfigurationLogs = (
  configuration: Configuration,
  name: string,
) => ConfigurationLog | Promise<ConfigurationLog>;

/** How to tune. */
export interface TuneOptions<I, O> {
  /** The graph. */
  graph: InvokableGraph<I, O>;
  /** The inputs; every configuration runs the same ones (the first, as the search needs). */
  inputs: readonly BenchmarkInput<I>[];
  /** Score each run: quality is the mean of the goal's keys (see `runBenchmark`). */
  evaluators: readonly BenchmarkEvaluator<I, O, never>[];
  /**
   * The knobs: `configurable` keys and the values to try, `{ model: ["openai:gpt-4.1-mini",
   * "anthropic:claude-haiku-4-5"], temperature: [0, 0.7] }` (or a list of `{ key, values }`). The
   * first value of each is the baseline's unless `baseline` says otherwise.
   */
  knobs: Readonly<Record<string, readonly KnobValue[]>> | readonly Knob[];
  /** The goal; default the cheapest at most 0.02 below the baseline on every key. */
  goal?: TuneGoal;
  /** The baseline configuration; default each knob's first value. */
  baseline?: Configuration;
  /**
   * The run config every configuration starts from (its `configurable` gets the configuration's
   * values), or a function making each run's.
   */
  config?: RunConfig | ((run: PlannedRun) => RunConfig);
  /** Runs per input; default 1. */
  repeats?: number;
  /** Runs in flight at most; default 4. */
  concurrency?: number;
  /**
   * A hard budget in US dollars over the whole search (every configuration's runs, evaluators'
   * calls included; reused runs apart), held as `runBenchmark` holds one.
   */
  maxCostUsd?: number;
  /** Where each configuration's runs are kept; default in memory. */
  logs?: ConfigurationLogs;
  /** Quality differences up to this count as ties; default 0.01. */
  qualityTie?: number;
  /** The confidence an elimination needs; default 0.99. */
  eliminationConfidence?: number;
  /** Inputs of the first round; default an eighth, at least 10. */
  firstRoundInputs?: number;
  /** Bootstrap resamples per comparison; default 2,000. */
  resamples?: number;
  /** The bootstrap's seed; default 1. */
  seed?: number;
  /** Leave out knobs the graph never reads (`unread.ts`); default true. */
  checkUnreadKnobs?: boolean;
  /** Makes each run's measuring handler (see `runBenchmark`). */
  createHandler?: (hooks: RunHooks) => MetricsHandler;
  /** Summarizes a run's output (see `runBenchmark`). */
  summarizeOutput?: (output: O) => string;
  /** Words a failed run's error (see `runBenchmark`). */
  describeError?: (error: unknown) => string;
  /** How long one evaluator may take on one run, ms. */
  evaluatorTimeoutMs?: number;
  /** Told before a configuration runs more inputs: its name and the inputs it is brought to. */
  onMeasure?: (name: string, inputs: number) => void;
  /** Told when a round of the search is done. */
  onRound?: (round: RoundSummary) => void;
  /** Told each event of the benchmarks (see `runBenchmark`). */
  onEvent?: (event: BenchmarkEvent) => void;
}

/** What one configuration holds so far. */
interface Held {
  log: ConfigurationLog;
  records: RunRecord[];
  spentUsd: number;
}

function knobList(knobs: TuneOptions<unknown, unknown>["knobs"]): readonly Knob[] {
  return Array.isArray(knobs)
    ? knobs as readonly Knob[]
    : Object.entries(knobs).map(([key, values]) => ({ key, values: values as KnobValue[] }));
}

/** A deterministic order of the inputs, from their ids alone (a sorted dataset is spread out). */
function searchOrder<I>(inputs: readonly BenchmarkInput<I>[]): BenchmarkInput<I>[] {
  const hash = (id: string): number => {
    let h = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
    return h;
  };
  return [...inputs].sort((a, b) => hash(a.id) - hash(b.id) || (a.id < b.id ? -1 : 1));
}

/**
 * Searches the knobs' configurations for the quality–cost frontier and the goal's answer: far
 * fewer runs than a grid, eliminating a configuration only when another dominates it
 * significantly (compare's paired bootstrap, inputs shared).
 *
 * @param options The graph, inputs, evaluators, knobs and goal.
 * @returns The configurations run, the frontier, the recommended configuration with compare's
 *   verdicts against the baseline, and what was spent against a grid.
 *
 * @example Two models for one step; the cheaper one is as good
 * ```ts
 * import { tune } from "./tune.ts";
 * import { RunnableLambda } from "@langchain/core/runnables";
 * import assert from "node:assert/strict";
 *
 * // A stand-in for a graph that reads configurable.model (no LLM call: cost 0 for both).
 * const graph = RunnableLambda.from((question: string, config) =>
 *   `${config?.configurable?.model}: ${question.toUpperCase()}`
 * );
 * const inputs = Array.from({ length: 12 }, (_, i) => ({ id: `q${i}`, input: `question ${i}` }));
 * const result = await tune({
 *   graph,
 *   inputs,
 *   evaluators: [({ outputs }) => ({ key: "shouts", score: /QUESTION/.test(String(outputs)) })],
 *   knobs: { model: ["big", "small"] },
 * });
 * assert.equal(result.configurations.length, 2);
 * assert.equal(result.spend.runs, 24);
 * assert.deepEqual(result.unreadKnobs, []);
 * ```
 */
export async function tune<I, O>(options: TuneOptions<I, O>): Promise<TuneResult> {
  const knobs = checkKnobs(knobList(options.knobs as TuneOptions<unknown, unknown>["knobs"]));
  const baseConfiguration = options.baseline ?? configurationOf(knobs, knobs.map(() => 0));
  const baseline = choicesFor(knobs, baseConfiguration);
  const goal = options.goal ?? DEFAULT_GOAL;
  const repeats = options.repeats ?? 1;
  const inputs = searchOrder(options.inputs);
  const inputIds = inputs.map((input) => input.id);
  const held = new Map<string, Held>();
  let keys: readonly string[] | null = goal.keys ?? null;
  let stop: BenchmarkStop | null = null;
  let stoppedInFlightUsd = 0;
  let runsNow = 0;
  const logsOf = options.logs ?? (() => memoryRunLog());

  const counted = (): number =>
    [...held.values()].reduce((sum, h) => sum + h.spentUsd - (h.log.reusedUsd ?? 0), 0) +
    stoppedInFlightUsd;

  /** Brings a configuration (of every knob) to `count` inputs; returns its observations. */
  const measure = async (
    configuration: Configuration,
    count: number,
  ): Promise<InputObservation[]> => {
    const name = formatConfiguration(knobs, configuration);
    let entry = held.get(name);
    if (entry === undefined) {
      const log = await logsOf(configuration, name);
      const records = (await log.load()).records;
      entry = { log, records, spentUsd: records.reduce((s, r) => s + runSpend(r).costUsd, 0) };
      held.set(name, entry);
    }
    const have = new Set(entry.records.map((record) => `${record.inputId}#${record.repeat}`));
    const wanted = inputs.slice(0, count);
    const missing = wanted.some((input) =>
      Array.from({ length: repeats }, (_, r) => `${input.id}#${r}`).some((key) => !have.has(key))
    );
    if (missing && stop === null && options.maxCostUsd !== undefined) {
      const spent = counted();
      if (spent >= options.maxCostUsd) {
        stop = { kind: "budget-crossed", budgetUsd: options.maxCostUsd, spentUsd: spent };
      }
    }
    if (missing && stop === null) {
      options.onMeasure?.(name, count);
      const ownSpent = entry.spentUsd;
      const run = await runBenchmark({
        graph: options.graph,
        inputs: wanted,
        repeats,
        concurrency: options.concurrency,
        config: withConfiguration(options.config, configuration),
        createHandler: options.createHandler,
        log: entry.log,
        resume: true,
        maxCostUsd: options.maxCostUsd === undefined
          ? undefined
          : options.maxCostUsd - counted() + ownSpent,
        evaluators: options.evaluators,
        evaluatorTimeoutMs: options.evaluatorTimeoutMs,
        summarizeOutput: options.summarizeOutput,
        describeError: options.describeError,
        onEvent: options.onEvent,
      });
      runsNow += run.records.length - run.resumed;
      entry.records = run.records;
      entry.spentUsd = run.records.reduce((s, r) => s + runSpend(r).costUsd, 0);
      stoppedInFlightUsd += (run.stoppedRuns ?? []).reduce((s, r) => s + runSpend(r).costUsd, 0);
      // The runner held what was left of the search's budget: say it of the whole search.
      if (run.stop) stop = searchStop(run.stop, options.maxCostUsd!, counted());
    }
    keys ??= scoredKeys(entry.records);
    const observed = observeInputs(inputIds.slice(0, count), entry.records, keys);
    // Only whole inputs (every repeat) count: a budget may stop an input halfway.
    const complete = observed.findIndex((o) => o.runs < repeats);
    return complete < 0 ? observed : observed.slice(0, complete);
  };

  // Knobs the graph never reads: their anchors on the first round's inputs, compared.
  const firstRound = roundSizes(inputs.length, options.firstRoundInputs)[0];
  const unreadKnobs: UnreadKnob[] = [];
  if (options.checkUnreadKnobs ?? true) {
    await measure(baseConfiguration, firstRound);
    for (const knob of knobs) {
      if (knob.values.length < 2 || stop !== null) continue;
      const runsByValue = [];
      for (const value of knob.values) {
        const configuration = { ...baseConfiguration, [knob.key]: value };
        await measure(configuration, firstRound);
        runsByValue.push({
          value,
          runs: held.get(formatConfiguration(knobs, configuration))!.records,
        });
      }
      const evidence = unreadEvidence(knob.key, runsByValue);
      if (evidence !== null) {
        unreadKnobs.push({ key: knob.key, values: [...knob.values], evidence });
      }
    }
  }
  const unread = new Set(unreadKnobs.map((knob) => knob.key));
  const searched = knobs.filter((knob) => !unread.has(knob.key));
  const fullConfiguration = (choices: readonly number[]): Configuration => ({
    ...baseConfiguration,
    ...configurationOf(searched, choices),
  });

  let outcome: SearchOutcome | null = null;
  if (searched.length > 0) {
    outcome = await searchFrontier({
      knobs: searched,
      baseline: baseline.filter((_, k) => !unread.has(knobs[k].key)),
      inputCount: inputs.length,
      keys: keys ?? undefined,
      goal: {
        kind: goal.kind,
        maxDrop: goal.maxDrop ?? DEFAULT_MAX_DROP,
        maxCostPerRunUsd: goal.maxCostPerRunUsd,
      },
      firstRoundInputs: options.firstRoundInputs,
      qualityTie: options.qualityTie,
      eliminationConfidence: options.eliminationConfidence,
      resamples: options.resamples,
      seed: options.seed,
      onRound: options.onRound,
      measure: (index, count) => measure(fullConfiguration(choicesOf(searched, index)), count),
    });
  }
  return buildTuneResult({
    knobs,
    searched,
    unreadKnobs,
    baseConfiguration,
    goal,
    keys: outcome?.keys ?? keys ?? [],
    inputCount: inputs.length,
    repeats,
    outcome,
    recordsOf: (configuration) =>
      held.get(formatConfiguration(knobs, configuration))?.records ?? [],
    fullConfiguration,
    configurableOf: (configuration) => ({
      ...(typeof options.config === "function" ? {} : options.config?.configurable ?? {}),
      ...configuration,
    }),
    spend: {
      runs: [...held.values()].reduce(
        (sum, h) => sum + h.records.length - (h.log.reusedRuns ?? 0),
        0,
      ),
      reusedRuns: [...held.values()].reduce((sum, h) => sum + (h.log.reusedRuns ?? 0), 0),
      runsNow,
      costUsd: counted(),
    },
    stop,
    resamples: options.resamples,
    seed: options.seed,
  });
}

/** A configuration's stop, said of the whole search: its budget, and what the search spent. */
function searchStop(stop: BenchmarkStop, budgetUsd: number, spentUsd: number): BenchmarkStop {
  if (stop.kind === "interrupted") return stop;
  return stop.kind === "unpriced-call" ? { ...stop, budgetUsd } : { ...stop, budgetUsd, spentUsd };
}

/** The run config with the configuration's values in its `configurable`. */
function withConfiguration(
  config: TuneOptions<unknown, unknown>["config"],
  configuration: Configuration,
): RunConfig | ((run: PlannedRun) => RunConfig) {
  const merge = (base: RunConfig | undefined): RunConfig => ({
    ...base,
    configurable: { ...base?.configurable, ...configuration },
  });
  return typeof config === "function" ? (run) => merge(config(run)) : merge(config);
}
