/**
 * What `tune` searches: the bundled workload (its knobs are its LLM stages, each value a model
 * `--model` could name) or the user's graph in its worker (any `configurable` key). For each
 * configuration, what its stored benchmark says — the same settings `bench` would store for it, so
 * a plain `bench` of it is reused and `--resume`, `compare` and `reprice` read it — and the
 * `deno task bench` command that confirms it.
 *
 * @module
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { stageChoices, workloadTarget } from "../bench/workload_target.ts";
import { benchChatModel } from "../bench/workload_target.ts";
import type { BenchTarget } from "../bench/bench_target.ts";
import { type BenchArgs, type ModelChoice, parseModelSpec } from "../bench/args.ts";
import { projectBenchTarget } from "../bench/project_target.ts";
import { resolveApiKey } from "../bench/models.ts";
import { unpricedModels } from "../bench/budget.ts";
import { SIMULATED_NOTE } from "../bench/unit.ts";
import type { BenchSettings } from "../bench/settings.ts";
import { measureCommand } from "../bench/measure_command.ts";
import type { CliIo } from "../command.ts";
import { UsageError } from "../usage_error.ts";
import type { PriceOverrides } from "../../pricing/overrides.ts";
import {
  type Configuration,
  formatKnobValue,
  type Knob,
  type KnobValue,
} from "../../tune/knobs.ts";
import type { UnreadKnob } from "../../tune/result.ts";
import { LLM_STAGES } from "../../workload/prompts/sections.ts";

/** The search's target and what each configuration's benchmark says. */
export interface TuneTarget {
  /** The graph, inputs, evaluators and the rest, as `bench` takes them (the baseline's). */
  readonly bench: BenchTarget;
  /** The knobs the graph may read. */
  readonly knobs: readonly Knob[];
  /** Knobs known never to be read (the bundled workload reads its stages only). */
  readonly unread: readonly UnreadKnob[];
  /** The target's part of the settings `bench` would store for a configuration. */
  settingsFor(configuration: Configuration): TargetSettings;
  /** The models (`*` for all) a configuration's report names. */
  modelsFor(configuration: Configuration): Record<string, string>;
  /** The `configurable` to paste: `--config`'s own values with the configuration's. */
  configurableOf(configuration: Configuration): Record<string, unknown>;
  /**
   * The command that benchmarks a configuration on every input and compares it.
   *
   * @param settings The configuration's settings, complete.
   * @param configuration The configuration.
   * @param baselineLabel The benchmark to compare it with.
   */
  confirmCommand(
    settings: BenchSettings,
    configuration: Configuration,
    baselineLabel: string,
  ): string;
  /** Which stages a knob's values set the model of (`*`: every stage), for estimates. */
  stagesOf(key: string): readonly string[];
}

/** The part of a benchmark's settings its target gives (the command adds the rest). */
export type TargetSettings = BenchTarget["settings"];

const label = (choice: ModelChoice): string => `${choice.provider}:${choice.model}`;

/** A knob value as a model choice, or a usage error naming the knob. */
function modelChoice(key: string, value: KnobValue): ModelChoice {
  const text = formatKnobValue(value);
  try {
    const { stage, choice } = parseModelSpec(text);
    if (stage === null) return choice;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(
      `--try ${key}=${text}: ${error.message.replace(/^--model "[^"]*": /, "")}`,
    );
  }
  throw new UsageError(`--try ${key}=${text}: a stage's value is a model, written provider:model`);
}

async function workloadTuneTarget(
  args: BenchArgs,
  knobs: readonly Knob[],
  io: CliIo,
  onRetry: (error: unknown) => void,
  priceOverrides: PriceOverrides | undefined,
): Promise<TuneTarget> {
  const stages: readonly string[] = LLM_STAGES;
  const searched = knobs.filter((knob) => stages.includes(knob.key));
  const unread = knobs.filter((knob) => !stages.includes(knob.key)).map((knob) => ({
    key: knob.key,
    values: [...knob.values],
    evidence: `the bundled workload reads configurable.<stage> for its LLM stages ` +
      `(${LLM_STAGES.join(", ")}) and nothing else`,
  }));
  const choices = new Map<string, ModelChoice>();
  for (const knob of searched) {
    if (args.stageModels[knob.key] !== undefined) {
      throw new UsageError(
        `--model ${knob.key}=... and --try ${knob.key}=... both set that stage's model: list ` +
          "the baseline's model first in --try",
      );
    }
    for (const value of knob.values) {
      choices.set(formatKnobValue(value), modelChoice(knob.key, value));
    }
  }
  const env = io.env ?? (() => undefined);
  const keys = new Map<string, string | null>();
  for (const choice of [...choices.values(), ...Object.values(stageChoices(args))]) {
    keys.set(choice.provider, resolveApiKey(choice.provider, env, args.baseUrl));
  }
  if (args.maxCostUsd !== null) {
    const unpriced = unpricedModels(Object.fromEntries(choices), priceOverrides);
    if (unpriced.length > 0) {
      throw new UsageError(
        `--max-cost: no price is known for ${unpriced.join(", ")}, so the budget could not be ` +
          "held; give its rates with --prices FILE, or drop --max-cost",
      );
    }
  }
  const modelFor = (spec: string): Promise<BaseChatModel> => {
    const choice = choices.get(spec) ?? parseModelSpec(spec).choice;
    return benchChatModel(args, choice, keys.get(choice.provider) ?? null, onRetry);
  };
  const bench = await workloadTarget(args, io, onRetry, priceOverrides, modelFor);
  const modelsFor = (configuration: Configuration): Record<string, string> => {
    const models = { ...bench.settings.models };
    for (const knob of searched) {
      models[knob.key] = label(choices.get(formatKnobValue(configuration[knob.key]))!);
    }
    return models;
  };
  return {
    bench,
    knobs: searched,
    unread,
    settingsFor: (configuration) => ({ ...bench.settings, models: modelsFor(configuration) }),
    modelsFor: (configuration) => {
      const models = modelsFor(configuration);
      const distinct = new Set(Object.values(models));
      return distinct.size === 1 ? { "*": [...distinct][0] } : models;
    },
    configurableOf: (configuration) => ({ ...configuration }),
    confirmCommand: (settings, _configuration, baselineLabel) =>
      measureCommand(settings, baselineLabel, {})!,
    stagesOf: (key) => [key],
  };
}

/** The run config `--config` gives, as the benchmark's settings hold it (JSON), or an empty one. */
function storedConfig(
  bench: BenchTarget,
): { configurable: Record<string, unknown> } & Record<string, unknown> {
  const json = bench.settings.models.config;
  return json === undefined ? { configurable: {}, tags: [], metadata: {} } : JSON.parse(json);
}

async function projectTuneTarget(
  args: BenchArgs,
  knobs: readonly Knob[],
  io: CliIo,
): Promise<TuneTarget> {
  const bench = await projectBenchTarget(args, io.err);
  const base = storedConfig(bench);
  const configOf = (configuration: Configuration) => ({
    ...base,
    configurable: { ...base.configurable, ...configuration },
  });
  const settingsFor = (configuration: Configuration): TargetSettings => ({
    ...bench.settings,
    models: {
      graph: bench.settings.models.graph,
      config: JSON.stringify(configOf(configuration)),
    },
  });
  return {
    bench,
    knobs,
    unread: [],
    settingsFor,
    modelsFor: () => ({}),
    configurableOf: (configuration) => configOf(configuration).configurable,
    confirmCommand: (settings, configuration, baselineLabel) => {
      const command = measureCommand(settings, baselineLabel, {})!;
      const config = JSON.stringify(configOf(configuration)).replace(/'/g, `'\\''`);
      return command.replace(
        / --dataset (\S+)/,
        (whole) => `${whole} --config '${config}'`,
      );
    },
    stagesOf: () => ["*"],
  };
}

/**
 * The target of `tune`: the bundled workload, or `--graph` in its worker.
 *
 * @param args The command line's target settings.
 * @param knobs The knobs (`--try`).
 * @param io Where warnings go, and the environment.
 * @param onRetry Told of each failed attempt.
 * @param priceOverrides The `--prices` table, if any.
 * @returns The target; close its bench target when done.
 * @throws {UsageError} When a knob's value is not a model the workload can build, a key is
 *   missing, or the graph cannot be loaded.
 */
export function tuneTarget(
  args: BenchArgs,
  knobs: readonly Knob[],
  io: CliIo,
  onRetry: (error: unknown) => void,
  priceOverrides: PriceOverrides | undefined,
): Promise<TuneTarget> {
  return args.graph === null
    ? workloadTuneTarget(args, knobs, io, onRetry, priceOverrides)
    : projectTuneTarget(args, knobs, io);
}

/** The simulated-model note of a configuration's report, when every model is simulated. */
export function simulatedNote(models: Record<string, string>): Record<string, string> {
  return Object.values(models).every((model) => model.startsWith("simulated:"))
    ? { modelsNote: SIMULATED_NOTE }
    : {};
}
