/**
 * Small seeded simulated benchmarks for the compare/reprice/report tests: the reference workload
 * on the first windows of a few bundled transcripts, answered at once by `SimulatedChatModel`.
 */
import { runBenchmark } from "../../benchmark/runner.ts";
import type { RunRecord } from "../../benchmark/run_record.ts";
import {
  buildTranscriptTreeGraph,
  buildTranscriptTreeInput,
  LLM_STAGES,
  type LlmStage,
  loadTranscripts,
  SimulatedChatModel,
  type TranscriptTreeModels,
} from "../../workload/mod.ts";
import type { PriceOverrides } from "../../pricing/overrides.ts";
import { PerformanceCallbackHandler } from "../../telemetry/handler.ts";

/** What a simulated benchmark runs. */
export interface SimulatedBenchmarkOptions {
  /** The model of every stage not named in `stageModels`; default `gpt-4.1-mini`. */
  model?: string;
  /** Models of single stages. */
  stageModels?: Partial<Record<LlmStage, string>>;
  /** The simulated model's seed; default 7. */
  seed?: number;
  /** Runs per input; default 2. */
  repeats?: number;
  /** Transcripts; default three of the bundled ones. */
  transcripts?: string[];
  /** Characters of each transcript used (a few windows keep it fast); default 900. */
  chars?: number;
  /** The simulated model's time scale (0 answers at once); default 0. */
  timeScale?: number;
  /** The handler's price table. */
  priceOverrides?: PriceOverrides;
}

/**
 * Runs a small simulated benchmark and returns its run records.
 *
 * @param options What to run.
 * @returns The records, in plan order.
 */
export async function simulatedBenchmark(
  options: SimulatedBenchmarkOptions = {},
): Promise<RunRecord[]> {
  const seed = options.seed ?? 7;
  const transcripts = await loadTranscripts(
    options.transcripts ?? ["standup", "bug_triage", "voice_memo"],
  );
  const built = new Map<string, SimulatedChatModel>();
  const modelFor = (name: string): SimulatedChatModel => {
    const model = built.get(name) ?? new SimulatedChatModel({
      model: name,
      seed,
      timeScale: options.timeScale ?? 0,
    });
    built.set(name, model);
    return model;
  };
  const models = Object.fromEntries(
    LLM_STAGES.map((stage) => [
      stage,
      modelFor(options.stageModels?.[stage] ?? options.model ?? "gpt-4.1-mini"),
    ]),
  ) as unknown as TranscriptTreeModels;
  const graph = buildTranscriptTreeGraph(models);
  const run = await runBenchmark({
    graph,
    inputs: transcripts.map((t) => ({
      id: t.id,
      input: buildTranscriptTreeInput(t.text.slice(0, options.chars ?? 900), { id: t.id }),
    })),
    repeats: options.repeats ?? 2,
    concurrency: 2,
    createHandler: () =>
      new PerformanceCallbackHandler(
        options.priceOverrides === undefined ? {} : { priceOverrides: options.priceOverrides },
      ),
  });
  return run.records;
}
