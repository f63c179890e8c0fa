/**
 * The bundled workload as `bench` (and `tune`) run it: each stage's model from `--model`, the
 * transcripts and their reference trees, the tree's evaluators, the settings `--resume` matches and
 * the report's facts.
 *
 * @module
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { QualityRecord } from "../../benchmark/run_record.ts";
import type { BenchmarkUnit, InvokableGraph } from "../../benchmark/runner.ts";
import {
  buildTranscriptTreeGraph,
  buildTranscriptTreeInput,
  DEFAULT_SIMULATED_MODEL,
  LLM_STAGES,
  loadReferenceTrees,
  loadTranscripts,
  relationshipAccuracy,
  SimulatedChatModel,
  topicRecall,
  type TranscriptTreeModels,
  type TranscriptTreeState,
  TREE_EVALUATORS,
  treeQuality,
} from "../../workload/mod.ts";
import { o200kEncoder } from "../../workload/simulated/tokens.ts";
import type { PriceOverrides } from "../../pricing/overrides.ts";
import type { BenchArgs, ModelChoice } from "./args.ts";
import type { CliIo } from "../command.ts";
import { UsageError } from "../usage_error.ts";
import { readTranscripts, type TranscriptFile } from "./inputs.ts";
import { unpricedModels } from "./budget.ts";
import { benchNotes, SIMULATED_NOTE, thousandWords } from "./unit.ts";
import { transcriptsSha256 } from "./settings.ts";
import type { BenchTarget } from "./bench_target.ts";
import { createChatModel, resolveApiKey } from "./models.ts";
import type { NamedEvaluator } from "../../evaluate/evaluator.ts";

const label = (choice: ModelChoice): string => `${choice.provider}:${choice.model}`;

/**
 * The model of each stage: `--model stage=...`, else `--model ...`, else the simulated default.
 *
 * @param args The command line.
 * @returns The choice per LLM stage.
 *
 * @example Usage
 * ```ts
 * import { stageChoices } from "./workload_target.ts";
 * import { parseBenchArgs } from "./args.ts";
 * import { LLM_STAGES } from "../../workload/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const args = parseBenchArgs(["--model", "segmentation=simulated:gpt-4o-mini"], LLM_STAGES);
 * const choices = stageChoices(args);
 * assert.deepEqual(choices.segmentation, { provider: "simulated", model: "gpt-4o-mini" });
 * assert.equal(choices.relationship_analysis.provider, "simulated");
 * ```
 */
export function stageChoices(args: BenchArgs): Record<string, ModelChoice> {
  const fallback = args.defaultModel ?? { provider: "simulated", model: DEFAULT_SIMULATED_MODEL };
  return Object.fromEntries(
    LLM_STAGES.map((stage) => [stage, args.stageModels[stage] ?? fallback]),
  );
}

/**
 * One chat model for a `--model` choice, built as `bench` builds every one: the seed, timeout and
 * retries of the command line; a simulated one streamed, at its latency scale, with its quality
 * profile.
 *
 * @param args The command line.
 * @param choice The provider and model.
 * @param apiKey The provider's key, or null.
 * @param onRetry Told of each failed attempt.
 * @returns The model.
 *
 * @example Usage
 * ```ts
 * import { benchChatModel } from "./workload_target.ts";
 * import { parseBenchArgs } from "./args.ts";
 * import { LLM_STAGES } from "../../workload/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const args = parseBenchArgs(["--seed", "1"], LLM_STAGES);
 * const model = await benchChatModel(args, { provider: "simulated", model: "gpt-4.1-mini" }, null, () => {});
 * assert.equal(model._llmType(), "graphmeter-simulated");
 * ```
 */
export function benchChatModel(
  args: BenchArgs,
  choice: ModelChoice,
  apiKey: string | null,
  onRetry: (error: unknown) => void,
): Promise<BaseChatModel> {
  return createChatModel(choice, {
    apiKey,
    baseUrl: choice.provider === "simulated" ? null : args.baseUrl,
    seed: args.seed,
    timeoutMs: args.timeoutSeconds * 1000,
    maxRetries: args.maxRetries,
    onRetry,
    createSimulated: (name, seed) =>
      new SimulatedChatModel({
        model: name,
        seed: seed ?? 0,
        timeScale: args.latencyScale,
        // Streamed, so every call reports its time to first token (tokens are the same).
        streaming: true,
        // A small model's simulated mistakes (tokens and cost stay the clean answer's).
        mistakes: "by-model",
      }),
  });
}

async function buildModels(
  args: BenchArgs,
  choices: Record<string, ModelChoice>,
  env: (name: string) => string | undefined,
  onRetry: (error: unknown) => void,
): Promise<TranscriptTreeModels> {
  const keys = new Map<string, string | null>();
  for (const choice of Object.values(choices)) {
    keys.set(choice.provider, resolveApiKey(choice.provider, env, args.baseUrl));
  }
  const built = new Map<string, BaseChatModel>();
  const models: Record<string, BaseChatModel> = {};
  for (const [stage, choice] of Object.entries(choices)) {
    let model = built.get(label(choice));
    if (!model) {
      model = await benchChatModel(args, choice, keys.get(choice.provider) ?? null, onRetry);
      built.set(label(choice), model);
    }
    models[stage] = model;
  }
  return models as TranscriptTreeModels;
}

function summarizeTree(output: TranscriptTreeState): string {
  return `${output.tree.length} nodes from ${output.windowIndex} windows, ` +
    `${output.invalidOutputs.length} invalid outputs`;
}

/**
 * The bundled workload as `bench` runs it: its models, transcripts, reference trees, evaluators,
 * settings and report facts.
 *
 * @param args The command line.
 * @param io Where warnings go, and the environment (API keys).
 * @param onRetry Told of each failed attempt.
 * @param priceOverrides The `--prices` table, if any.
 * @param modelFor Builds the model a run's `configurable` names for a stage (`tune`'s knobs).
 * @returns The target.
 *
 * @example Usage
 * ```ts
 * import { workloadTarget } from "./workload_target.ts";
 * import { parseBenchArgs } from "./args.ts";
 * import { LLM_STAGES } from "../../workload/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const args = parseBenchArgs([], LLM_STAGES);
 * const io = { out: () => {}, err: () => {} };
 * const target = await workloadTarget(args, io, () => {}, undefined);
 * assert.equal(target.inputs.length, 7); // the bundled transcripts
 * assert.equal(target.settings.input.source, "bundled transcripts");
 * ```
 */
export async function workloadTarget(
  args: BenchArgs,
  io: CliIo,
  onRetry: (error: unknown) => void,
  priceOverrides: PriceOverrides | undefined,
  modelFor?: (spec: string) => Promise<BaseChatModel>,
): Promise<BenchTarget> {
  const choices = stageChoices(args);
  checkBudgetPriced(args, choices, priceOverrides);
  const models = await buildModels(args, choices, io.env ?? (() => undefined), onRetry);
  const transcripts: TranscriptFile[] = args.input === null
    ? await loadTranscripts()
    : await readTranscripts(args.input, (warning) => io.err(`warning: ${warning}\n`));
  // Load the simulated model's tokenizer now, not inside the first runs' timings.
  if (Object.values(choices).some((c) => c.provider === "simulated")) o200kEncoder();
  const simulated = Object.values(choices).every((c) => c.provider === "simulated");
  const distinct = new Set(Object.values(choices).map(label));
  const configured: Record<string, string> = distinct.size === 1
    ? { "*": [...distinct][0] }
    : Object.fromEntries(Object.entries(choices).map(([stage, c]) => [stage, label(c)]));
  // The bundled transcripts' reference trees are their dataset outputs.
  const references = args.input === null
    ? await loadReferenceTrees(transcripts.map((t) => t.id))
    : [];
  const inputs = transcripts.map((t, index) => {
    const input = buildTranscriptTreeInput(t.text, { id: t.id });
    if (args.maxWindows !== null) input.windows = input.windows.slice(0, args.maxWindows);
    const reference = references[index];
    return { id: t.id, input, ...(reference === undefined ? {} : { referenceOutputs: reference }) };
  });
  const windowsOf = new Map(inputs.map(({ id, input }) => [id, input.windows.length]));
  return {
    // The workload's graph type widens invoke's input and output to LangGraph's generic state.
    graph: buildTranscriptTreeGraph(models, { modelFor }) as unknown as InvokableGraph<
      unknown,
      unknown
    >,
    inputs,
    unit: thousandWords(transcripts) as BenchmarkUnit<unknown>,
    choices,
    windowsOf: (id) => windowsOf.get(id) ?? 0,
    quality: (output) => ({ ...treeQuality(output as TranscriptTreeState) }) as QualityRecord,
    // Against the reference trees when there are some; the structural ones always.
    evaluators:
      (references.length > 0
        ? TREE_EVALUATORS
        : TREE_EVALUATORS.filter((e) =>
          e !== topicRecall && e !== relationshipAccuracy
        )) as unknown as NamedEvaluator[],
    summarizeOutput: (output) => summarizeTree(output as TranscriptTreeState),
    settings: {
      models: Object.fromEntries(Object.entries(choices).map(([stage, c]) => [stage, label(c)])),
      seed: args.seed,
      input: {
        source: args.input ?? "bundled transcripts",
        sha256: await transcriptsSha256(transcripts),
      },
      baseUrl: args.baseUrl,
      maxWindows: args.maxWindows,
    },
    meta: {
      models: configured,
      ...(simulated ? { modelsNote: SIMULATED_NOTE } : {}),
      notes: benchNotes(args, simulated, Object.values(choices)),
      inputSource: args.input ?? "bundled transcripts",
    },
  };
}

/** A budget needs a price for every model: refuse to start without one. */
function checkBudgetPriced(
  args: BenchArgs,
  choices: Record<string, ModelChoice>,
  priceOverrides: PriceOverrides | undefined,
): void {
  if (args.maxCostUsd === null) return;
  const unpriced = unpricedModels(choices, priceOverrides);
  if (unpriced.length > 0) {
    throw new UsageError(
      `--max-cost: no price is known for ${unpriced.join(", ")}, so the budget could not be ` +
        "held; give its rates with --prices FILE, or drop --max-cost",
    );
  }
}
