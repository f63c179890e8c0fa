/**
 * What if a stage ran on another model? Prices the recorded tokens of each stage at other models'
 * rates (cache reads and writes and reasoning tokens kept as recorded) with the same
 * `estimateCost` the handler uses, and picks the cheapest mix of the candidates given. An
 * estimate: another model's tokenizer counts other tokens and its answers differ in length.
 *
 * @module
 */
import { estimateCost } from "../pricing/estimate.ts";
import type { PriceOverrides } from "../pricing/overrides.ts";
import { pickTokenUsage, type TokenUsage } from "../pricing/token_usage.ts";
import { isSuccessfulRun, type RunRecord } from "../benchmark/run_record.ts";
import { summarizeScores } from "../evaluate/score_summary.ts";

/** A model to price at: LangChain's provider id and the model's name. */
export interface ModelRef {
  /** The provider (`openai`, `anthropic`, `google_genai`, ...). */
  provider: string;
  /** The model's name. */
  model: string;
}

/** One candidate model of one stage, priced. */
export interface CandidatePrice {
  /** `provider:model`. */
  model: string;
  /** The stage's cost per run at this model's rates; null when the model has no price. */
  costPerRunUsd: number | null;
}

/** One stage repriced. */
export interface StageReprice {
  /** The stage. */
  stage: string;
  /** The models its calls were answered by (empty when only stage totals were stored). */
  recordedModels: string[];
  /** Mean tokens per run, as recorded. */
  tokensPerRun: {
    input: number;
    output: number;
    cacheRead: number;
    cacheWrite: number;
    reasoning: number;
  };
  /** The recorded cost per run (priced calls only); null when nothing was priced. */
  recordedCostPerRunUsd: number | null;
  /** Each candidate given for the stage. */
  candidates: CandidatePrice[];
  /** The cheapest of the recorded model and the candidates: `recorded` or `provider:model`. */
  cheapest: string;
  /** The cheapest cost per run. */
  cheapestCostPerRunUsd: number | null;
}

/** A benchmark repriced: the JSON of `reprice --json`. */
export interface Reprice {
  /** Runs priced. */
  runs: number;
  /** Whether calls were repriced one by one, or stage totals (when no calls were stored). */
  method: "calls" | "stage totals";
  /** Each stage, in order of first appearance. */
  stages: StageReprice[];
  /** The recorded cost per run. */
  recordedCostPerRunUsd: number | null;
  /** The cheapest mix: the choice of each stage. */
  cheapestMix: Record<string, string>;
  /** The cost per run of the cheapest mix. */
  cheapestMixCostPerRunUsd: number | null;
  /**
   * What the benchmark's evaluators measured, per key (the recorded models' quality): a
   * repricing measures none for the candidates.
   */
  quality?: { key: string; mean: number | null; scoredRuns: number }[];
}

/** Options of {@linkcode repriceBenchmark}. */
export interface RepriceOptions {
  /** The user's price table (`--prices`); it wins over the catalog. */
  overrides?: PriceOverrides;
}

/** A stage's cost in one run at a model's rates; null when the model (or a call) is unpriced. */
function stageCostAt(
  record: RunRecord,
  stage: string,
  ref: ModelRef,
  overrides: PriceOverrides | undefined,
): number | null {
  const row = record.metrics.stages[stage];
  if (row === undefined || row.llmCalls === 0) return 0;
  const options = { provider: ref.provider, overrides };
  const calls = record.metrics.calls.filter((call) => call.stage === stage);
  if (calls.length === 0) return estimateCost(pickTokenUsage(row), ref.model, options).costUsd;
  let sum = 0;
  for (const call of calls) {
    // A call without reported usage has unknown tokens: unknown stays unknown, never $0.
    if (!call.usageReported && call.error === null) return null;
    const cost = estimateCost(pickTokenUsage(call), ref.model, options).costUsd;
    if (cost === null) return null;
    sum += cost;
  }
  return sum;
}

function meanOrNull(values: readonly (number | null)[]): number | null {
  if (values.length === 0 || values.some((value) => value === null)) return null;
  return (values as number[]).reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Parses `provider:model` (the first colon splits: `ollama:llama3.2:3b` is Ollama's
 * `llama3.2:3b`); a `-` in the provider becomes `_` (the CLI's `google-genai` is LangChain's
 * `google_genai`).
 *
 * @param text The reference.
 * @returns The provider and model, or null when either part is empty.
 *
 * @example Usage
 * ```ts
 * import { parseModelRef } from "./reprice_benchmark.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseModelRef("google-genai:gemini-2.5-flash"), {
 *   provider: "google_genai",
 *   model: "gemini-2.5-flash",
 * });
 * assert.equal(parseModelRef("gpt-4.1"), null);
 * ```
 */
export function parseModelRef(text: string): ModelRef | null {
  const colon = text.indexOf(":");
  if (colon <= 0 || colon === text.length - 1) return null;
  return { provider: text.slice(0, colon).replaceAll("-", "_"), model: text.slice(colon + 1) };
}

/**
 * Reprices a benchmark's recorded tokens at other models' rates, stage by stage.
 *
 * @param records The benchmark's runs.
 * @param candidates Candidate models per stage; the stage `*` gives candidates to every stage that
 *   made LLM calls.
 * @param options The user's price table.
 * @returns Each stage before and after, and the cheapest mix.
 *
 * @example Usage
 * ```ts
 * import { repriceBenchmark } from "./reprice_benchmark.ts";
 * import { isSuccessfulRun, type RunRecord } from "../benchmark/run_record.ts";
import { summarizeScores } from "../evaluate/score_summary.ts";
 * import assert from "node:assert/strict";
 *
 * const row = {
 *   llmCalls: 1, inputTokens: 1_000_000, outputTokens: 1_000_000, cacheReadTokens: 500_000,
 *   cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 2.4,
 * };
 * const run = { metrics: { stages: { answer: row }, calls: [] } } as unknown as RunRecord;
 * const repriced = repriceBenchmark([run], {
 *   answer: [{ provider: "openai", model: "gpt-4.1" }],
 * });
 * // gpt-4.1: $2 per million uncached input, $0.50 cached, $8 output.
 * const [candidate] = repriced.stages[0].candidates;
 * assert.ok(Math.abs(candidate.costPerRunUsd! - (0.5 * 2 + 0.5 * 0.5 + 8)) < 1e-9);
 * assert.equal(repriced.cheapestMix.answer, "recorded");
 * ```
 */
export function repriceBenchmark(
  records: readonly RunRecord[],
  candidates: Readonly<Record<string, readonly ModelRef[]>>,
  options: RepriceOptions = {},
): Reprice {
  const stageNames = [...new Set(records.flatMap((r) => Object.keys(r.metrics.stages)))];
  const runs = records.length;
  const stages = stageNames.map((stage): StageReprice => {
    const rows = records.map((r) => r.metrics.stages[stage]);
    const mean = (field: keyof TokenUsage) =>
      rows.reduce((sum, row) => sum + (row?.[field] ?? 0), 0) / Math.max(1, runs);
    const recorded = rows.some((row) => row !== undefined && row.costUsd !== null)
      ? rows.reduce((sum, row) => sum + (row?.costUsd ?? 0), 0) / Math.max(1, runs)
      : rows.every((row) => row === undefined || row.llmCalls === 0)
      ? 0
      : null;
    const madeCalls = rows.some((row) => row !== undefined && row.llmCalls > 0);
    const refs = [...(candidates[stage] ?? []), ...(madeCalls ? candidates["*"] ?? [] : [])];
    const priced = refs.map((ref): CandidatePrice => ({
      model: `${ref.provider}:${ref.model}`,
      costPerRunUsd: meanOrNull(records.map((r) => stageCostAt(r, stage, ref, options.overrides))),
    }));
    let cheapest = "recorded";
    let cheapestCost = recorded;
    for (const candidate of priced) {
      const cost = candidate.costPerRunUsd;
      if (cost !== null && (cheapestCost === null || cost < cheapestCost)) {
        cheapest = candidate.model;
        cheapestCost = cost;
      }
    }
    const models = records.flatMap((r) =>
      r.metrics.calls.filter((call) => call.stage === stage).map((call) => call.model)
    );
    return {
      stage,
      recordedModels: [...new Set(models)],
      tokensPerRun: {
        input: mean("inputTokens"),
        output: mean("outputTokens"),
        cacheRead: mean("cacheReadTokens"),
        cacheWrite: mean("cacheWriteTokens"),
        reasoning: mean("reasoningTokens"),
      },
      recordedCostPerRunUsd: recorded,
      candidates: priced,
      cheapest,
      cheapestCostPerRunUsd: cheapestCost,
    };
  });
  const sum = (values: (number | null)[]) =>
    values.some((value) => value === null) ? null : (values as number[]).reduce((a, b) => a + b, 0);
  return {
    runs,
    method: records.some((r) => r.metrics.calls.length > 0) ? "calls" : "stage totals",
    stages,
    recordedCostPerRunUsd: sum(stages.map((s) => s.recordedCostPerRunUsd)),
    cheapestMix: Object.fromEntries(stages.map((s) => [s.stage, s.cheapest])),
    cheapestMixCostPerRunUsd: sum(stages.map((s) => s.cheapestCostPerRunUsd)),
    quality: summarizeScores(
      records.filter(isSuccessfulRun).map((r) => ({
        inputId: r.inputId,
        repeat: r.repeat,
        scores: r.evaluation?.scores,
      })),
    ).map((s) => ({ key: s.key, mean: s.mean, scoredRuns: s.scoredRuns })),
  };
}
