/**
 * `deno task bench`: benchmarks the reference workload (transcripts -> tree) with the chosen chat
 * models, or the user's own graph (`--graph`) over a dataset, stores every run in the results
 * store (`--db`, with the settings `--resume` must match) and writes `report.md`, `report.html`
 * and `metrics.json` into the output folder; with `--baseline` it then compares with that
 * benchmark (and `--fail-on` gates on the comparison).
 * Run with `--help` for the flags.
 *
 * @module
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BenchmarkMeta } from "../benchmark/result/benchmark_result.ts";
import { type QualityRecord, runKey, type RunRecord } from "../benchmark/run_record.ts";
import {
  type BenchmarkEvent,
  type BenchmarkUnit,
  type InvokableGraph,
  runBenchmark,
  type RunHooks,
} from "../benchmark/runner.ts";
import { RatePacer } from "../benchmark/pacing/rate_pacer.ts";
import { runInterleaved } from "../benchmark/interleave.ts";
import { trackHttpAttemptsWith } from "../telemetry/http_attempts.ts";
import { planRuns, shardRuns } from "../benchmark/schedule.ts";
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
} from "../workload/mod.ts";
import { o200kEncoder } from "../workload/simulated/tokens.ts";
import type { PriceOverrides } from "../pricing/overrides.ts";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import {
  BENCH_FLAGS,
  type BenchArgs,
  benchArgs,
  interleavedModels,
  type ModelChoice,
  parseModels,
} from "./bench/args.ts";
import { type CliIo, type CommandInput, defineCommand, processIo, runCommand } from "./command.ts";
import { UsageError } from "./usage_error.ts";
import { readPriceTable, readTranscripts, type TranscriptFile } from "./bench/inputs.ts";
import { unpricedModels } from "./bench/budget.ts";
import { formatBenchEvent } from "./bench/events.ts";
import { prepareOut, resumeCommand } from "./bench/out_dir.ts";
import { resumeSettings } from "./bench/resume.ts";
import { benchNotes, dailyVolume, SIMULATED_NOTE, thousandWords } from "./bench/unit.ts";
import { EXIT_FAILED, EXIT_INTERRUPTED } from "./errors.ts";
import {
  DEFAULT_BASE_URLS,
  describeProviderError,
  type ProviderContext,
} from "./bench/provider_errors.ts";
import { windowProgress } from "./bench/window_progress.ts";
import { type BenchSettings, transcriptsSha256 } from "./bench/settings.ts";
import { DEFAULT_DB, openStoreForCli, startBenchmark, type StoredBenchMeta } from "./open_store.ts";
import { compareWithBaseline, readBaseline } from "./bench/baseline.ts";
import { REPORT_FILES, writeBenchmarkFiles } from "./bench/report_files.ts";
import { projectBenchTarget } from "./bench/project_target.ts";
import { modelsAnswered } from "./bench/models_answered.ts";
import type { BenchTarget } from "./bench/bench_target.ts";
import { createChatModel, resolveApiKey } from "./bench/models.ts";
import { progressReporter } from "./bench/progress.ts";
import { formatPacing, toldLimits } from "./bench/pacing.ts";
import { loadEvaluators } from "./bench/evaluator_source.ts";
import type { NamedEvaluator } from "../evaluate/evaluator.ts";
import { formatPassRule } from "../evaluate/passing.ts";
import { formatEvaluatorErrors } from "./bench/quality_lines.ts";

const label = (choice: ModelChoice): string => `${choice.provider}:${choice.model}`;

/**
 * The model of each stage: `--model stage=...`, else `--model ...`, else the simulated default.
 *
 * @param args The command line.
 * @returns The choice per LLM stage.
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

/**
 * The git commit of the current folder, or null outside a repository (or without git).
 *
 * @returns The short commit hash, or null.
 */
export async function gitCommit(): Promise<string | null> {
  try {
    const { success, stdout } = await new Deno.Command("git", {
      args: ["rev-parse", "--short=12", "HEAD"],
      stdout: "piped",
      stderr: "null",
    }).output();
    return success ? new TextDecoder().decode(stdout).trim() || null : null;
  } catch {
    return null;
  }
}

/**
 * The price table's keys that matched no call (neither `model` nor `provider:model`), the
 * evaluators' own calls (a judge's) included.
 */
function unusedPriceKeys(overrides: PriceOverrides, records: readonly RunRecord[]): string[] {
  const used = new Set<string>();
  const calls = records.flatMap((record) => [
    ...record.metrics.calls,
    ...(record.evaluation?.costs ?? []).flatMap((cost) => cost.calls),
  ]);
  for (const call of calls) {
    used.add(call.model).add(`${call.provider}:${call.model}`);
  }
  return Object.keys(overrides).filter((key) => !used.has(key));
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

/** The provider the messages of failed runs name: the one real provider, or null for several. */
function providerContext(args: BenchArgs, choices: Record<string, ModelChoice>): ProviderContext {
  const real = [...new Set(Object.values(choices).map((c) => c.provider))]
    .filter((p) => p !== "simulated");
  const provider = real.length === 1 ? real[0] : null;
  return {
    provider,
    baseUrl: args.baseUrl ?? (provider === null ? "its endpoint" : DEFAULT_BASE_URLS[provider]),
    timeoutSeconds: args.timeoutSeconds,
    maxRetries: args.maxRetries,
  };
}

async function bench(
  parsed: CommandInput<typeof BENCH_FLAGS>,
  io: CliIo,
): Promise<number> {
  let args = benchArgs(parsed, LLM_STAGES);
  if (args.resume) args = await resumeSettings(args);
  // Before any run: a baseline that cannot be read costs nothing.
  const baseline = args.baseline === null
    ? null
    : await readBaseline(args.baseline, args.db, args.failOn);
  const priceOverrides = args.prices === null ? undefined : await readPriceTable(args.prices);
  // Every LLM request goes through fetch: wrap it before any provider client is built (a client
  // keeps the fetch it was built with), so each call's attempts are seen and paced.
  using _tracking = trackHttpAttemptsWith();
  let failedAttempts = 0;
  const onRetry = (): void => void failedAttempts++;
  const target = args.graph === null
    ? await workloadTarget(args, io, onRetry, priceOverrides)
    : await projectBenchTarget(args, io.err);
  let interleaved: BenchTarget | null = null;
  try {
    // `--interleave`: the baseline, the same benchmark with another graph or other models.
    interleaved = args.interleave === null ? null : args.graph === null
      ? await workloadTarget(
        { ...args, ...parseModels(interleavedModels(args.interleave), LLM_STAGES) },
        io,
        onRetry,
        priceOverrides,
      )
      : await projectBenchTarget({ ...args, graph: args.interleave }, io.err);
    return await benchTarget(
      parsed.argv,
      args,
      io,
      target,
      baseline,
      priceOverrides,
      () => failedAttempts,
      interleaved,
    );
  } finally {
    await target.close?.();
    await interleaved?.close?.();
  }
}

async function benchTarget(
  argv: readonly string[],
  args: BenchArgs,
  io: CliIo,
  target: BenchTarget,
  baseline: Awaited<ReturnType<typeof readBaseline>> | null,
  priceOverrides: PriceOverrides | undefined,
  failedAttemptsSoFar: () => number,
  interleaved: BenchTarget | null,
): Promise<number> {
  for (const warning of target.warnings ?? []) io.err(`${warning}\n`);
  // Before any run: an evaluator that cannot be loaded costs nothing.
  const evaluators = [
    ...(target.evaluators ?? []),
    ...(target.evaluatorFlagsLoaded ? [] : await loadEvaluators(args.evaluators, Deno.cwd())),
  ];
  const shard = args.shard === null ? null : `${args.shard.index}/${args.shard.count}`;
  const passRules = args.passRules.map(formatPassRule);
  const settings: BenchSettings = {
    ...target.settings,
    prices: args.prices === null ? null : { file: args.prices, table: priceOverrides },
    repeats: args.runs,
    shard,
    ...(args.evaluators.length === 0 ? {} : { evaluators: args.evaluators }),
    defaults: {
      concurrency: args.concurrency,
      maxCostUsd: args.maxCostUsd,
      dailyWords: args.dailyWords,
      timeoutSeconds: args.timeoutSeconds,
      maxRetries: args.maxRetries,
      evaluatorTimeoutSeconds: args.evaluatorTimeoutSeconds,
      passRules,
    },
  };
  const evaluatorNote: Record<string, string> = evaluators.length === 0
    ? {}
    : { Evaluators: evaluators.map((evaluator) => evaluator.name).join(", ") };
  const meta: BenchmarkMeta = {
    createdAt: new Date().toISOString(),
    gitCommit: await gitCommit(),
    ...target.meta,
    notes: { ...target.meta.notes, ...evaluatorNote },
    repeats: args.runs,
    concurrency: args.concurrency,
    maxCostUsd: args.maxCostUsd,
    seed: args.seed,
    ...(passRules.length === 0 ? {} : { passRules }),
    ...(args.groupBy === null ? {} : { groupBy: args.groupBy }),
  };
  const plannedRuns = shardRuns(
    planRuns(target.inputs.map((input) => input.id), args.runs),
    args.shard ?? undefined,
  ).length;
  const db = args.db ?? DEFAULT_DB;
  using store = await openStoreForCli(db, false);
  // The baseline is stored first, so `latest` names the candidate.
  const baselineSide = interleaved === null ? null : startBenchmark(store, {
    resume: false,
    label: args.label === null ? null : `${args.label}.baseline`,
    settings: { ...settings, ...interleaved.settings },
    meta: {
      meta: { ...meta, ...interleaved.meta },
      dailyWords: args.dailyWords,
      unitName: interleaved.unit?.name ?? null,
      inputIds: interleaved.inputs.map((input) => input.id),
    } satisfies StoredBenchMeta,
    plannedRuns,
    shard: null,
    gitCommit: meta.gitCommit,
  });
  const { id, label: benchmarkLabel } = startBenchmark(store, {
    resume: args.resume,
    label: args.label,
    settings,
    meta: {
      meta,
      dailyWords: args.dailyWords,
      unitName: target.unit?.name ?? null,
      // The whole plan's order, so `deno task merge` can put shards back in it.
      inputIds: target.inputs.map((input) => input.id),
    } satisfies StoredBenchMeta,
    plannedRuns,
    shard,
    gitCommit: meta.gitCommit,
  });
  const out = await prepareOut(args.out ?? `reports/${id}`, argv);
  const hint = resumeCommand(benchmarkLabel, args.db, args.out === null ? null : out);

  const windows = windowProgress(target.windowsOf ?? (() => 0));
  const providers = [...new Set(Object.values(target.choices).map((choice) => choice.provider))];
  // One limiter per provider endpoint for the whole benchmark, learning limits from answers.
  const pacer = new RatePacer({
    told: toldLimits(args.rpm, args.tpm, args.baseUrl, providers),
    // Said once as it starts (and when its limits change), beside the progress line's word.
    onPacing: (endpoint) => {
      reporter.end();
      for (const line of formatPacing([endpoint])) io.err(`${line}\n`);
    },
  });
  // A user's graph sends its requests from its worker: they ask this pacer too.
  target.pace?.(pacer);
  interleaved?.pace?.(pacer);
  const errIsTerminal = io.errIsTerminal ?? false;
  const reporter = progressReporter(io.err, errIsTerminal, undefined, () => [
    // Every failed attempt the integration saw (those retried, and each failed call's last).
    ...(failedAttemptsSoFar() > 0
      ? [
        `${failedAttemptsSoFar()} failed attempt${failedAttemptsSoFar() === 1 ? "" : "s"}`,
      ]
      : []),
    ...formatPacing(pacer.status()),
    ...windows.parts(),
  ]);
  // Every finished run is already in the store: say how to pick up where Ctrl-C left off.
  const onInterrupt = (): void => {
    target.kill?.();
    reporter.end();
    io.err(`interrupted: finished runs are stored in ${db}; continue with ${hint}\n`);
    Deno.exit(EXIT_INTERRUPTED);
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  const ticker = errIsTerminal ? setInterval(reporter.tick, 1000) : undefined;
  const context = providerContext(args, target.choices);
  let run;
  const shared = {
    repeats: args.runs,
    concurrency: args.concurrency,
    // The store keeps the records: the runner holds only keys, the report reads them back.
    retainRecords: false,
    resume: args.resume,
    shard: args.shard ?? undefined,
    maxCostUsd: args.maxCostUsd ?? undefined,
    evaluators,
    evaluatorTimeoutMs: args.evaluatorTimeoutSeconds * 1000,
    summarizeOutput: target.summarizeOutput,
    describeError: target.describeError ??
      ((error: unknown) => describeProviderError(error, context)),
    onProgress: reporter.report,
    onEvent: (event: BenchmarkEvent) => io.err(`${formatBenchEvent(event)}\n`),
    pacer,
  };
  const side = (of: BenchTarget, benchmarkId: string) => ({
    graph: of.graph,
    inputs: of.inputs,
    unit: of.unit,
    quality: of.quality,
    config: of.runConfig,
    createHandler: (hooks: RunHooks) =>
      new PerformanceCallbackHandler({ ...hooks, priceOverrides, clock: of.clock }),
    log: store.runLog(benchmarkId),
  });
  try {
    run = interleaved === null || baselineSide === null
      ? await runBenchmark({
        ...shared,
        ...side(target, id),
        onCallEnd: windows.onCallEnd,
        onRunEnd: windows.onRunEnd,
      })
      : (await runInterleaved({
        ...shared,
        baseline: side(interleaved, baselineSide.id),
        candidate: side(target, id),
      })).candidate;
  } finally {
    target.pace?.(null);
    interleaved?.pace?.(null);
    pacer.close();
    Deno.removeSignalListener("SIGINT", onInterrupt);
    clearInterval(ticker);
    reporter.end();
  }

  const daily = target.unit === undefined ? null : dailyVolume(args.dailyWords);
  // In plan order, as the runner would have returned them (the store keeps finishing order).
  const stored = new Map(
    store.readRuns(id).records.map((record) => [runKey(record.inputId, record.repeat), record]),
  );
  run = {
    ...run,
    records: shardRuns(
      planRuns(target.inputs.map((input) => input.id), args.runs),
      args.shard ?? undefined,
    ).flatMap((planned) => stored.get(runKey(planned.inputId, planned.repeat)) ?? []),
  };
  stored.clear();
  const against = baseline ?? (baselineSide === null ? null : {
    label: baselineSide.label ?? baselineSide.id,
    runs: store.readRuns(baselineSide.id).records,
    id: baselineSide.id,
    startedAt: meta.createdAt,
    gitCommit: meta.gitCommit,
  });
  const compared = against === null
    ? null
    : compareWithBaseline(against, run.records, benchmarkLabel ?? id, args.failOn);
  // A user's graph states no models: the report lists those its calls were answered by.
  const reportMeta = target.modelsFromCalls
    ? { ...meta, models: modelsAnswered(run.records) }
    : meta;
  const result = await writeBenchmarkFiles(out, run, reportMeta, daily, {
    id,
    label: benchmarkLabel,
    db,
  }, compared?.comparison);
  const tableSize = Object.keys(priceOverrides ?? {}).length;
  const unused = unusedPriceKeys(priceOverrides ?? {}, [...run.records, ...run.stoppedRuns ?? []]);
  if (unused.length > 0) {
    const shown = unused.slice(0, 3).map((key) => `"${key}"`).join(", ");
    io.err(
      `warning: --prices ${args.prices}: ${unused.length} of ${tableSize} price(s) matched no ` +
        `call (${shown}${unused.length > 3 ? ", ..." : ""}): typos?\n`,
    );
  }
  if (run.stoppedReason) io.err(`${run.stoppedReason}; continue with ${hint}\n`);
  const evaluatorErrors = formatEvaluatorErrors(result.aggregates.scores);
  if (evaluatorErrors !== null) {
    io.err(`warning: ${evaluatorErrors}; see "Quality" in ${out}/report.md\n`);
  }
  const failed = result.aggregates.failedRuns;
  if (failed > 0) {
    const first = result.runs.find((r) => r.error !== null)?.error ?? "";
    io.err(`${failed} run(s) failed (first: ${first}); see "Failed runs" in ${out}/report.md\n`);
  }
  io.err(
    `benchmark ${id}${benchmarkLabel === null ? "" : ` (${benchmarkLabel})`}: ` +
      `${run.records.length} runs stored in ${db}\n`,
  );
  if (baselineSide !== null) {
    io.err(
      `baseline ${baselineSide.id}${
        baselineSide.label === null ? "" : ` (${baselineSide.label})`
      }` +
        `: ${against!.runs.length} runs interleaved with them, stored in ${db}\n`,
    );
  }
  if (compared !== null) io.out(`${compared.markdown}\n`);
  io.out(REPORT_FILES.map((file) => `${out}/${file}\n`).join(""));
  const gateFailed = (compared?.failedRules.length ?? 0) > 0;
  if (gateFailed) io.err(`bench: gate failed: ${compared!.failedRules.join(", ")}\n`);
  return failed > 0 || gateFailed ? EXIT_FAILED : 0;
}

/**
 * `bench`, declared: its flags are `BENCH_FLAGS` (`cli/bench/args.ts`).
 *
 * @example Usage
 * ```ts
 * import { benchCommand } from "./bench.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(benchCommand.name, "bench");
 * ```
 */
export const benchCommand = defineCommand({
  name: "bench",
  about: "benchmark a graph (default: the bundled reference workload)",
  description:
    `Runs the reference workload (transcripts -> tree) over transcripts, or your own graph
(--graph) over a dataset, stores every run in the results store (--db) and writes report.md,
report.html and metrics.json. With no --model it uses the simulated model (no key, no network).`,
  flags: BENCH_FLAGS,
  notes: `Keys come from OPENAI_API_KEY, ANTHROPIC_API_KEY, GOOGLE_API_KEY or GEMINI_API_KEY.

Exit status: 0 done, 1 some runs failed or a --fail-on rule failed (the report is still
written), 2 bad usage or input (one line says what to do), 130 interrupted (finished runs are
kept; --resume continues).`,
  run: bench,
});

/**
 * Runs `deno task bench` with the given arguments: a usage mistake, a bad input or a full disk
 * prints one line on `err` and returns 2; a bug prints one line too (its stack trace only with
 * `--debug`) and returns 1.
 *
 * @param argv The arguments.
 * @param io Output streams and environment.
 * @returns The exit code: 0 done, 1 some runs failed or a `--fail-on` rule failed (the report
 * is written), 2 bad usage.
 *
 * @example Usage
 * ```ts
 * import { runBenchCli } from "./bench.ts";
 * import assert from "node:assert/strict";
 *
 * let err = "";
 * const io = { out: () => {}, err: (t: string) => (err += t), errIsTerminal: false, env: () => undefined };
 * assert.equal(await runBenchCli(["--runs", "0"], io), 2);
 * assert.match(err, /^bench: --runs must be/);
 * ```
 */
export function runBenchCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(benchCommand, argv, io);
}

if (import.meta.main) Deno.exit(await runBenchCli(Deno.args, processIo()));
