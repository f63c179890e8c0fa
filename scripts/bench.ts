/**
 * `deno task bench`: benchmarks the reference workload (transcripts -> tree) with the chosen chat
 * models and writes `report.md`, `metrics.json`, `runs.jsonl` and `settings.json` (what `--resume`
 * must match) into the output folder.
 * Run with `--help` for the flags.
 *
 * @module
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { buildBenchmarkResult } from "../benchmarker/aggregate.ts";
import type { QualityRecord, RunRecord } from "../benchmarker/run_record.ts";
import { fileRunLog } from "../benchmarker/run_log.ts";
import { writeBenchmarkReport } from "../benchmarker/report.ts";
import { type InvokableGraph, runBenchmark } from "../benchmarker/runner.ts";
import {
  buildTranscriptTreeGraph,
  buildTranscriptTreeInput,
  DEFAULT_BENCH_TIME_SCALE,
  DEFAULT_SIMULATED_MODEL,
  LLM_STAGES,
  loadTranscripts,
  SimulatedChatModel,
  type TranscriptTreeInput,
  type TranscriptTreeModels,
  type TranscriptTreeState,
  treeQuality,
} from "../benchmarker/workload/mod.ts";
import { o200kEncoder } from "../benchmarker/workload/simulated/tokens.ts";
import type { PriceOverrides } from "../pricing/overrides.ts";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { formatBenchEvent } from "./bench_events.ts";
import { benchNotes, dailyVolume, SIMULATED_NOTE, thousandWords } from "./bench_unit.ts";
import {
  BENCH_HELP,
  type BenchArgs,
  type ModelChoice,
  parseBenchArgs,
  UsageError,
} from "./bench_args.ts";
import { readPriceTable, readTranscripts, type TranscriptFile } from "./bench_inputs.ts";
import { prepareOut, rerunCommand, resumeCommand } from "./bench_out.ts";
import { applySavedSettings } from "./bench_resume.ts";
import { unpricedModels } from "./bench_budget.ts";
import { readSavedSettings, saveOrCheckSettings, transcriptsSha256 } from "./bench_settings.ts";
import { describeFailure, EXIT_FAILED, EXIT_INTERRUPTED, fsStep } from "./errors.ts";
import { createChatModel, resolveApiKey } from "./models.ts";
import { progressReporter } from "./progress.ts";
import {
  DEFAULT_BASE_URLS,
  describeProviderError,
  type ProviderContext,
} from "./provider_errors.ts";
import { windowProgress } from "./window_progress.ts";

const label = (choice: ModelChoice): string => `${choice.provider}:${choice.model}`;

/** The model of each stage: `--model stage=...`, else `--model ...`, else the simulated default. */
function stageChoices(args: BenchArgs): Record<string, ModelChoice> {
  const fallback = args.defaultModel ?? { provider: "simulated", model: DEFAULT_SIMULATED_MODEL };
  return Object.fromEntries(
    LLM_STAGES.map((stage) => [stage, args.stageModels[stage] ?? fallback]),
  );
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
      model = await createChatModel(choice, {
        apiKey: keys.get(choice.provider) ?? null,
        baseUrl: choice.provider === "simulated" ? null : args.baseUrl,
        seed: args.seed,
        timeoutMs: args.timeoutSeconds * 1000,
        maxRetries: args.maxRetries,
        onRetry,
        createSimulated: (name, seed) =>
          new SimulatedChatModel({
            model: name,
            seed: seed ?? 0,
            timeScale: DEFAULT_BENCH_TIME_SCALE,
            // Streamed, so every call reports its time to first token (tokens are the same).
            streaming: true,
          }),
      });
      built.set(label(choice), model);
    }
    models[stage] = model;
  }
  return models as TranscriptTreeModels;
}

async function gitCommit(): Promise<string | null> {
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

/** The price table's keys that matched no call (neither `model` nor `provider:model`). */
function unusedPriceKeys(overrides: PriceOverrides, records: readonly RunRecord[]): string[] {
  const used = new Set<string>();
  for (const call of records.flatMap((record) => record.metrics.calls)) {
    used.add(call.model).add(`${call.provider}:${call.model}`);
  }
  return Object.keys(overrides).filter((key) => !used.has(key));
}

function summarizeTree(output: TranscriptTreeState): string {
  return `${output.tree.length} nodes from ${output.windowIndex} windows, ` +
    `${output.invalidOutputs.length} invalid outputs`;
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

async function bench(argv: readonly string[], io: BenchIo): Promise<number> {
  let args = parseBenchArgs(argv, LLM_STAGES);
  if (args.help) {
    io.out(BENCH_HELP);
    return 0;
  }
  const warn = (warning: string): void => io.err(`warning: ${warning}\n`);
  if (args.resume && args.out !== null) {
    const saved = await readSavedSettings(args.out.replace(/\/+$/, ""));
    if (saved !== null) args = applySavedSettings(args, saved);
  }
  const priceOverrides = args.prices === null ? undefined : await readPriceTable(args.prices);
  const choices = stageChoices(args);
  if (args.maxCostUsd !== null) {
    const unpriced = unpricedModels(choices, priceOverrides);
    if (unpriced.length > 0) {
      throw new UsageError(
        `--max-cost: no price is known for ${unpriced.join(", ")}, so the budget could not be ` +
          "held; give its rates with --prices FILE, or drop --max-cost",
      );
    }
  }
  let failedAttempts = 0;
  const models = await buildModels(args, choices, io.env, () => void failedAttempts++);
  const transcripts: TranscriptFile[] = args.input === null
    ? await loadTranscripts()
    : await readTranscripts(args.input, warn);
  const out = await prepareOut(args, argv);
  const sha256 = await transcriptsSha256(transcripts);
  await fsStep(
    { action: "write", path: `${out}/settings.json` },
    rerunCommand(argv, out),
    () =>
      saveOrCheckSettings(
        out,
        {
          models: Object.fromEntries(
            Object.entries(choices).map(([stage, c]) => [stage, label(c)]),
          ),
          seed: args.seed,
          prices: args.prices === null ? null : { file: args.prices, table: priceOverrides },
          input: {
            source: args.input ?? "bundled transcripts",
            sha256,
          },
          repeats: args.runs,
          baseUrl: args.baseUrl,
          maxWindows: args.maxWindows,
          defaults: {
            concurrency: args.concurrency,
            maxCostUsd: args.maxCostUsd,
            dailyWords: args.dailyWords,
            timeoutSeconds: args.timeoutSeconds,
            maxRetries: args.maxRetries,
          },
        },
        args.resume,
        warn,
      ),
  );
  // Load the simulated model's tokenizer now, not inside the first runs' timings.
  if (Object.values(choices).some((c) => c.provider === "simulated")) o200kEncoder();
  const simulated = Object.values(choices).every((c) => c.provider === "simulated");
  const distinct = new Set(Object.values(choices).map(label));
  const configured: Record<string, string> = distinct.size === 1
    ? { "*": [...distinct][0] }
    : Object.fromEntries(Object.entries(choices).map(([stage, c]) => [stage, label(c)]));

  const inputs = transcripts.map((t) => {
    const input = buildTranscriptTreeInput(t.text, { id: t.id });
    if (args.maxWindows !== null) input.windows = input.windows.slice(0, args.maxWindows);
    return { id: t.id, input };
  });
  const windowsOf = new Map(inputs.map(({ id, input }) => [id, input.windows.length]));
  const windows = windowProgress((id) => windowsOf.get(id) ?? 0);
  const reporter = progressReporter(io.err, io.errIsTerminal, undefined, () => [
    // Every failed attempt the integration saw (those retried, and each failed call's last).
    ...(failedAttempts > 0
      ? [`${failedAttempts} failed attempt${failedAttempts === 1 ? "" : "s"}`]
      : []),
    ...windows.parts(),
  ]);
  // Every finished run is already in runs.jsonl: say how to pick up where Ctrl-C left off.
  const onInterrupt = (): void => {
    reporter.end();
    io.err(
      `interrupted: finished runs are in ${out}/runs.jsonl; continue with ` +
        `${resumeCommand(out)}\n`,
    );
    Deno.exit(EXIT_INTERRUPTED);
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  const ticker = io.errIsTerminal ? setInterval(reporter.tick, 1000) : undefined;
  const context = providerContext(args, choices);
  const log = fileRunLog(`${out}/runs.jsonl`);
  let run;
  try {
    run = await fsStep(
      { action: "write the run log", path: `${out}/runs.jsonl`, out },
      rerunCommand(argv, out),
      () =>
        runBenchmark({
          // The workload's graph type widens invoke's input and output to LangGraph's state.
          graph: buildTranscriptTreeGraph(models) as unknown as InvokableGraph<
            TranscriptTreeInput,
            TranscriptTreeState
          >,
          inputs,
          unit: thousandWords(transcripts),
          repeats: args.runs,
          concurrency: args.concurrency,
          createHandler: (hooks) => new PerformanceCallbackHandler({ ...hooks, priceOverrides }),
          log,
          resume: args.resume,
          maxCostUsd: args.maxCostUsd ?? undefined,
          quality: (output) => ({ ...treeQuality(output) }) as QualityRecord,
          summarizeOutput: summarizeTree,
          describeError: (error) => describeProviderError(error, context),
          onProgress: reporter.report,
          onCallEnd: windows.onCallEnd,
          onRunEnd: windows.onRunEnd,
          onEvent: (event) => io.err(`${formatBenchEvent(event)}\n`),
        }),
    );
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
    clearInterval(ticker);
    reporter.end();
  }

  const result = buildBenchmarkResult(run, {
    createdAt: new Date().toISOString(),
    gitCommit: await gitCommit(),
    models: configured,
    ...(simulated ? { modelsNote: SIMULATED_NOTE } : {}),
    notes: benchNotes(args, simulated),
    inputSource: args.input ?? "bundled transcripts",
    repeats: args.runs,
    concurrency: args.concurrency,
    maxCostUsd: args.maxCostUsd,
    seed: args.seed,
  }, dailyVolume(args.dailyWords));
  for (const file of ["metrics.json", "report.md"]) {
    const text = file === "report.md"
      ? writeBenchmarkReport(result)
      : JSON.stringify(result, null, 2) + "\n";
    await fsStep(
      { action: "write", path: `${out}/${file}`, out },
      rerunCommand(argv, out),
      () => Deno.writeTextFile(`${out}/${file}`, text),
    );
  }

  const unused = unusedPriceKeys(priceOverrides ?? {}, [...run.records, ...run.stoppedRuns ?? []]);
  if (unused.length > 0) {
    const shown = unused.slice(0, 3).map((key) => `"${key}"`).join(", ");
    warn(
      `--prices ${args.prices}: ${unused.length} of ${
        Object.keys(priceOverrides ?? {}).length
      } price(s) matched no call (${shown}${unused.length > 3 ? ", ..." : ""}): typos?`,
    );
  }
  if (run.stoppedReason) {
    io.err(`${run.stoppedReason}; continue with ${resumeCommand(out)}\n`);
  }
  const failed = result.aggregates.failedRuns;
  if (failed > 0) {
    const first = result.runs.find((r) => r.error !== null)?.error ?? "";
    io.err(`${failed} run(s) failed (first: ${first}); see "Failed runs" in ${out}/report.md\n`);
  }
  io.out(["report.md", "metrics.json", "runs.jsonl"].map((file) => `${out}/${file}\n`).join(""));
  return failed > 0 ? EXIT_FAILED : 0;
}

/** Where the CLI reads its environment and writes its output. */
export interface BenchIo {
  /** Writes to standard output. */
  out: (text: string) => void;
  /** Writes to standard error. */
  err: (text: string) => void;
  /** Whether standard error is a terminal (a progress bar instead of lines). */
  errIsTerminal: boolean;
  /** Reads an environment variable (API keys). */
  env: (name: string) => string | undefined;
}

/**
 * Runs `deno task bench` with the given arguments: a usage mistake, a bad input or a full disk
 * prints one line on `err` and returns 2; a bug prints one line too (its stack trace only with
 * `--debug`) and returns 1.
 *
 * @param argv The arguments.
 * @param io Output streams and environment.
 * @returns The exit code: 0 done, 1 some runs failed (the report is written), 2 bad usage or input.
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
export async function runBenchCli(argv: readonly string[], io: BenchIo): Promise<number> {
  try {
    return await bench(argv, io);
  } catch (error) {
    const { text, exitCode } = describeFailure(error, argv.includes("--debug"));
    io.err(text);
    return exitCode;
  }
}

if (import.meta.main) {
  const encoder = new TextEncoder();
  Deno.exit(
    await runBenchCli(Deno.args, {
      out: (text) => Deno.stdout.writeSync(encoder.encode(text)),
      err: (text) => Deno.stderr.writeSync(encoder.encode(text)),
      errIsTerminal: Deno.stderr.isTerminal(),
      env: (name) => Deno.env.get(name),
    }),
  );
}
