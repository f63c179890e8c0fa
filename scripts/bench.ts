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
import { saveOrCheckSettings, transcriptsSha256 } from "./bench_settings.ts";
import { createChatModel, resolveApiKey } from "./models.ts";
import { progressReporter } from "./progress.ts";

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

async function prepareOut(args: BenchArgs): Promise<string> {
  const out = (args.out ?? `reports/${new Date().toISOString().replace(/[:.]/g, "-")}`)
    .replace(/\/+$/, "");
  try {
    await Deno.mkdir(out, { recursive: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) {
      throw new UsageError(
        `no permission to write ${out}: deno task bench writes under reports/; ` +
          `elsewhere, run scripts/bench.ts with --allow-write=${out}`,
      );
    }
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new UsageError(`cannot create ${out}: permission denied; choose another --out`);
    }
    throw error;
  }
  if (!args.resume) {
    try {
      if ((await Deno.stat(`${out}/runs.jsonl`)).size > 0) {
        throw new UsageError(
          `${out} already holds runs.jsonl: add --resume, or choose another --out`,
        );
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return out;
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

async function bench(argv: readonly string[], io: BenchIo): Promise<number> {
  const args = parseBenchArgs(argv, LLM_STAGES);
  if (args.help) {
    io.out(BENCH_HELP);
    return 0;
  }
  const priceOverrides = args.prices === null ? undefined : await readPriceTable(args.prices);
  const choices = stageChoices(args);
  const models = await buildModels(args, choices, io.env);
  const transcripts: TranscriptFile[] = args.input === null
    ? await loadTranscripts()
    : await readTranscripts(args.input);
  const out = await prepareOut(args);
  await saveOrCheckSettings(
    out,
    {
      models: Object.fromEntries(Object.entries(choices).map(([stage, c]) => [stage, label(c)])),
      seed: args.seed,
      prices: args.prices === null ? null : { file: args.prices, table: priceOverrides },
      input: {
        source: args.input ?? "bundled transcripts",
        sha256: await transcriptsSha256(transcripts),
      },
      repeats: args.runs,
      baseUrl: args.baseUrl,
    },
    args.resume,
    (warning) => io.err(`warning: ${warning}\n`),
  );
  // Load the simulated model's tokenizer now, not inside the first runs' timings.
  if (Object.values(choices).some((c) => c.provider === "simulated")) o200kEncoder();
  const simulated = Object.values(choices).every((c) => c.provider === "simulated");
  const distinct = new Set(Object.values(choices).map(label));
  const configured: Record<string, string> = distinct.size === 1
    ? { "*": [...distinct][0] }
    : Object.fromEntries(Object.entries(choices).map(([stage, c]) => [stage, label(c)]));

  const reporter = progressReporter(io.err, io.errIsTerminal);
  // Every finished run is already in runs.jsonl: say how to pick up where Ctrl-C left off.
  const onInterrupt = (): void => {
    reporter.end();
    io.err(
      `interrupted: finished runs are in ${out}/runs.jsonl; continue with --resume --out ${out}\n`,
    );
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  const ticker = io.errIsTerminal ? setInterval(reporter.tick, 1000) : undefined;
  let run;
  try {
    run = await runBenchmark({
      // The workload's graph type widens invoke's input and output to LangGraph's generic state.
      graph: buildTranscriptTreeGraph(models) as unknown as InvokableGraph<
        TranscriptTreeInput,
        TranscriptTreeState
      >,
      inputs: transcripts.map((t) => ({
        id: t.id,
        input: buildTranscriptTreeInput(t.text, { id: t.id }),
      })),
      unit: thousandWords(transcripts),
      repeats: args.runs,
      concurrency: args.concurrency,
      createHandler: (hooks) => new PerformanceCallbackHandler({ ...hooks, priceOverrides }),
      log: fileRunLog(`${out}/runs.jsonl`),
      resume: args.resume,
      maxCostUsd: args.maxCostUsd ?? undefined,
      quality: (output) => ({ ...treeQuality(output) }) as QualityRecord,
      summarizeOutput: summarizeTree,
      onProgress: reporter.report,
      onEvent: (event) => io.err(`${formatBenchEvent(event)}\n`),
    });
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
  await Deno.writeTextFile(`${out}/metrics.json`, JSON.stringify(result, null, 2) + "\n");
  await Deno.writeTextFile(`${out}/report.md`, writeBenchmarkReport(result));

  for (const key of unusedPriceKeys(priceOverrides ?? {}, run.records)) {
    io.err(`warning: --prices ${args.prices}: no call was priced by "${key}" (a typo?)\n`);
  }
  if (run.stoppedReason) io.err(`${run.stoppedReason}\n`);
  const failed = result.aggregates.failedRuns;
  if (failed > 0) io.err(`${failed} run(s) failed: see "Failed runs" in the report\n`);
  io.out(["report.md", "metrics.json", "runs.jsonl"].map((file) => `${out}/${file}\n`).join(""));
  return failed > 0 ? 1 : 0;
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
 * Runs `deno task bench` with the given arguments: a usage mistake prints one line on `err` and
 * returns 2; a bug throws.
 *
 * @param argv The arguments.
 * @param io Output streams and environment.
 * @returns The exit code: 0 done, 1 some runs failed (the report is written), 2 bad usage.
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
    if (!(error instanceof UsageError)) throw error;
    io.err(`bench: ${error.message}\n`);
    return 2;
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
