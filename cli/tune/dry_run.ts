/**
 * `tune --dry-run`: the plan and what it would cost, before any call. The cost is estimated as
 * `reprice` estimates one: a stored benchmark of the same inputs gives each stage's recorded
 * tokens, priced at each knob value's model (a knob whose values are no models leaves the cost as
 * recorded); the evaluators' recorded cost per run is added. The search's own cost lies between
 * its anchors' (the baseline and each single change, on every input: always run) and the grid's.
 *
 * @module
 */
import { type ModelRef, parseModelRef, repriceBenchmark } from "../../compare/reprice_benchmark.ts";
import { type RunRecord, runSpend } from "../../benchmark/run_record.ts";
import type { PriceOverrides } from "../../pricing/overrides.ts";
import { formatCount, formatUsd } from "../../report/format.ts";
import {
  choicesOf,
  type Configuration,
  configurationCount,
  configurationOf,
  formatConfiguration,
  formatKnobValue,
  type Knob,
  type KnobValue,
} from "../../tune/knobs.ts";
import { roundSizes } from "../../tune/search.ts";
import type { UnreadKnob } from "../../tune/result.ts";
import { parseModelSpec } from "../bench/args.ts";
import { pricedProvider } from "../bench/budget.ts";

/** What the plan is made of. */
export interface PlanInputs {
  /** The knobs searched. */
  readonly knobs: readonly Knob[];
  /** Knobs left out. */
  readonly unread: readonly UnreadKnob[];
  /** The baseline. */
  readonly baseline: Configuration;
  /** The inputs of the search. */
  readonly inputCount: number;
  /** Runs per input. */
  readonly repeats: number;
  /** Which stages a knob sets the model of (`*`: every stage). */
  readonly stagesOf: (key: string) => readonly string[];
  /** A stored benchmark of the same inputs to estimate from, or null. */
  readonly recorded: { readonly name: string; readonly runs: readonly RunRecord[] } | null;
  /** The `--prices` table. */
  readonly overrides?: PriceOverrides;
  /** The budget, or null. */
  readonly maxCostUsd: number | null;
}

/** The model a knob value names, priced as calls are (a simulated model as its real one). */
function modelRef(value: KnobValue): ModelRef | null {
  const text = formatKnobValue(value);
  try {
    const { stage, choice } = parseModelSpec(text);
    if (stage === null) return { provider: pricedProvider(choice), model: choice.model };
  } catch {
    // Not one of the CLI's providers: LangChain's own spelling, perhaps.
  }
  return parseModelRef(text);
}

/**
 * Each configuration's estimated cost per run, by configuration number (see the module doc), or
 * null without a recorded benchmark or when a model has no price.
 */
function estimates(plan: PlanInputs): number[] | null {
  const records = plan.recorded?.runs;
  if (records === undefined || records.length === 0) return null;
  const evaluationPerRun = records.reduce(
    (sum, r) => sum + runSpend(r).costUsd - (r.metrics.totals.costUsd ?? 0),
    0,
  ) / records.length;
  const recordedPerRun = records.reduce((sum, r) => sum + (r.metrics.totals.costUsd ?? 0), 0) /
    records.length;
  // Each knob value's change of the cost per run against the recorded one.
  const change = plan.knobs.map((knob) =>
    knob.values.map((value) => {
      const ref = modelRef(value);
      if (ref === null) return 0;
      const stages = plan.stagesOf(knob.key);
      const repriced = repriceBenchmark(
        records,
        Object.fromEntries(stages.map((stage) => [stage, [ref]])),
        { overrides: plan.overrides },
      );
      let delta = 0;
      for (const stage of repriced.stages) {
        const candidate = stage.candidates[0];
        if (candidate === undefined) continue;
        if (candidate.costPerRunUsd === null || stage.recordedCostPerRunUsd === null) return NaN;
        delta += candidate.costPerRunUsd - stage.recordedCostPerRunUsd;
      }
      return delta;
    })
  );
  const total = configurationCount(plan.knobs);
  const costs = Array.from({ length: total }, (_, index) => {
    const choices = choicesOf(plan.knobs, index);
    return recordedPerRun + evaluationPerRun +
      choices.reduce((sum, v, k) => sum + change[k][v], 0);
  });
  return costs.some((cost) => !Number.isFinite(cost)) ? null : costs;
}

/**
 * The plan of a search and its estimated cost, in Markdown.
 *
 * @param plan The knobs, inputs, and a recorded benchmark to estimate from.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import { formatTunePlan } from "./dry_run.ts";
 * import assert from "node:assert/strict";
 *
 * const text = formatTunePlan({
 *   knobs: [{ key: "a", values: ["x", "y"] }, { key: "b", values: ["x", "y", "z"] }],
 *   unread: [],
 *   baseline: { a: "x", b: "x" },
 *   inputCount: 7,
 *   repeats: 1,
 *   stagesOf: (key) => [key],
 *   recorded: null,
 *   maxCostUsd: null,
 * });
 * assert.match(text, /6 configurations/);
 * assert.match(text, /anchors: 4 configurations × 7 inputs × 1 run = 28 runs/);
 * ```
 */
export function formatTunePlan(plan: PlanInputs): string {
  const { knobs, inputCount, repeats } = plan;
  const total = configurationCount(knobs);
  const anchors = 1 + knobs.reduce((sum, knob) => sum + knob.values.length - 1, 0);
  const costs = estimates(plan);
  const perRun = (configuration: Configuration): number | null => {
    if (costs === null) return null;
    const choices = knobs.map((k) =>
      k.values.findIndex((v) => formatKnobValue(v) === formatKnobValue(configuration[k.key]))
    );
    let index = 0;
    for (let k = 0; k < knobs.length; k++) index = index * knobs[k].values.length + choices[k];
    return costs[index];
  };
  const runsEach = inputCount * repeats;
  const anchorCost = costs === null ? null : [
    plan.baseline,
    ...knobs.flatMap((knob) =>
      knob.values.filter((v) => formatKnobValue(v) !== formatKnobValue(plan.baseline[knob.key]))
        .map((value) => ({ ...plan.baseline, [knob.key]: value }))
    ),
  ].reduce((sum, configuration) => sum + perRun(configuration)! * runsEach, 0);
  const gridCost = costs === null ? null : costs.reduce((sum, cost) => sum + cost * runsEach, 0);
  const lines = [
    "# graphmeter tune: the plan (dry run: nothing is run)",
    "",
    `- Knobs: ${
      knobs.map((k) => `${k.key} (${k.values.map(formatKnobValue).join(", ")})`).join("; ")
    }: ` +
    `${formatCount(total)} configurations; baseline ${formatConfiguration(knobs, plan.baseline)}.`,
    ...plan.unread.map((k) => `- Not searched: ${k.key}: ${k.evidence}.`),
    `- Inputs: ${formatCount(inputCount)} × ${repeats} run${
      repeats === 1 ? "" : "s"
    }, in rounds of ` +
    `${roundSizes(inputCount).join(", ")} inputs.`,
    `- First, the anchors: ${anchors} configurations × ${formatCount(inputCount)} inputs × ` +
    `${repeats} run${repeats === 1 ? "" : "s"} = ${formatCount(anchors * runsEach)} runs` +
    (anchorCost === null ? "" : `, about ${formatUsd(anchorCost)}`) + ".",
    `- At most, the grid: ${formatCount(total * runsEach)} runs` +
    (gridCost === null ? "" : `, about ${formatUsd(gridCost)}`) +
    "; the search runs only the configurations its predictions cannot rule out, and stops " +
    "those that cannot be the answer.",
    plan.maxCostUsd === null
      ? "- No --max-cost: nothing bounds the spend but the grid."
      : `- --max-cost ${formatUsd(plan.maxCostUsd)} holds over the whole search.`,
  ];
  if (costs === null) {
    lines.push(
      "",
      plan.recorded === null
        ? "No benchmark of these inputs in the results store to estimate the cost from: run " +
          "`deno task bench` once with the baseline's models (the search reuses its runs)."
        : `A model has no price (or ${plan.recorded.name} has no runs): no cost estimate; give ` +
          "its rates with --prices.",
    );
  } else {
    const sorted = [...costs].sort((a, b) => a - b);
    lines.push(
      `- Estimated cost per run: baseline ${formatUsd(perRun(plan.baseline))}; cheapest ` +
        `configuration ${formatUsd(sorted[0])}, dearest ${formatUsd(sorted.at(-1)!)}.`,
      "",
      `Estimated from ${plan.recorded!.name}: its recorded tokens at each candidate's prices, ` +
        "stage by stage, plus its evaluators' cost per run, as reprice estimates. An estimate: " +
        "another model's tokenizer and answers differ in length.",
    );
  }
  return lines.join("\n") + "\n";
}

/**
 * The configuration of each knob's first value.
 *
 * @param knobs The knobs.
 * @returns The configuration.
 */
export function firstValues(knobs: readonly Knob[]): Configuration {
  return configurationOf(knobs, knobs.map(() => 0));
}
