/**
 * The content of `metrics.json`: the aggregates, each run's totals and the slowest run's record;
 * every call lives in the results store, so the file stays small at any number of runs. Each type
 * is a readonly interface held by the compiler to its zod schema (the single source of truth),
 * with a validator of the same name.
 *
 * @module
 */
import type { z } from "zod";
import type { MetricsSchema, PricingInfo } from "../../telemetry/metrics.ts";
import type { QualityRecord, RunRecord } from "../run_record.ts";
import {
  benchmarkMetaSchema,
  benchmarkResultSchema,
  runTotalsSchema,
  stageModelsSchema,
  storedBenchmarkRefSchema,
} from "./_benchmark_result_schema.ts";
import type { BenchmarkAggregates } from "./benchmark_aggregates.ts";

import type { SameKeys } from "../../pricing/_same_keys.ts";

/** Facts about a benchmark that the runs themselves do not hold. */
export interface BenchmarkMeta {
  /** When the benchmark report was made, ISO 8601. */
  readonly createdAt: string;
  /** The git commit of the code measured, when run inside a repository. */
  readonly gitCommit: string | null;
  /** The configured model per stage (`*` for all stages), e.g. `{ "*": "openai:gpt-4o-mini" }`. */
  readonly models: Readonly<Record<string, string>>;
  /**
   * A note the report shows wherever models are listed (e.g. that they were simulated: real
   * names and prices, no provider called).
   */
  readonly modelsNote?: string;
  /**
   * Free-form facts the report lists in its header, label -> text (e.g. `Calls`, `Price
   * overrides`): what the benchmark's definition or its command line wants a reader to know.
   */
  readonly notes?: Readonly<Record<string, string>>;
  /** Where the inputs came from (a path, or `bundled transcripts`). */
  readonly inputSource: string;
  /** Runs per input. */
  readonly repeats: number;
  /** Runs in flight at most. */
  readonly concurrency: number;
  /** The budget, or null for none. */
  readonly maxCostUsd: number | null;
  /** The seed given to the models, or null. */
  readonly seed: number | null;
  /** The graph benchmarked, when not the bundled workload (e.g. `agent` or `./g.ts:graph`). */
  readonly graph?: string;
  /**
   * What passing means for cost per passing run, e.g. `["correctness>=1"]` (`KEY>=VALUE`);
   * absent: every boolean key must pass.
   */
  readonly passRules?: readonly string[];
}

/** One run's totals in `metrics.json` (its stages and calls live in the results store). */
export interface RunTotals {
  /** The input's id. */
  readonly inputId: string;
  /** The repeat, from 0. */
  readonly repeat: number;
  /** Whether the run succeeded. */
  readonly ok: boolean;
  /** Null, or why the run failed. */
  readonly error: string | null;
  /** The run's wall time. */
  readonly wallTimeMs: number;
  /** LLM calls. */
  readonly llmCalls: number;
  /** Prompt tokens (cached included). */
  readonly inputTokens: number;
  /** Completion tokens. */
  readonly outputTokens: number;
  /** Prompt tokens read from a cache. */
  readonly cacheReadTokens: number;
  /** Priced cost; null when calls were made and none could be priced. */
  readonly costUsd: number | null;
  /** Calls that could not be priced. */
  readonly unpricedCalls: number;
  /** The input's amount of the benchmark's unit (e.g. thousands of words), or null. */
  readonly inputAmount: number | null;
  /** Quality measures, or null. */
  readonly quality: QualityRecord | null;
}

/** The models that answered one stage's calls (`provider:model`, in first-seen order). */
export interface StageModels {
  /** The stage. */
  readonly stage: string;
  /** `provider:model` of every model that answered it. */
  readonly models: readonly string[];
}

/** Where a benchmark's runs and calls are stored: its id and label in a results store. */
export interface StoredBenchmarkRef {
  /** The benchmark's id in the store. */
  readonly id: string;
  /** Its label, or null. */
  readonly label: string | null;
  /** The store's path. */
  readonly db: string;
}

/**
 * The content of `metrics.json`: a whole benchmark's aggregates, each run's totals and the slowest
 * run's record (its calls and every other run's stages live in the results store).
 */
export interface BenchmarkResult {
  /** The version of this schema (2: calls moved to the results store). */
  readonly schemaVersion: 2;
  /** Where the runs and calls are stored, or null when they were not stored. */
  readonly benchmark: StoredBenchmarkRef | null;
  /** Facts about the benchmark. */
  readonly meta: BenchmarkMeta;
  /** The price catalog of the runs' costs (from the first run), or null without runs. */
  readonly pricing: PricingInfo | null;
  /** Runs planned (inputs x repeats). */
  readonly plannedRuns: number;
  /** Runs not made (never launched, or stopped in flight): the budget stopped the benchmark. */
  readonly notRun: number;
  /** Null, or why the benchmark stopped early. */
  readonly stoppedReason: string | null;
  /** The aggregates, computed from every run's record. */
  readonly aggregates: BenchmarkAggregates;
  /** The models that answered each stage, in the order stages first made a call. */
  readonly modelsPerStage: readonly StageModels[];
  /** The slowest successful run (the slowest run when none succeeded), or null without runs. */
  readonly slowestRun: RunRecord | null;
  /** Each finished run's totals, in plan order. */
  readonly runs: readonly RunTotals[];
  /**
   * Runs aborted in flight when the benchmark stopped (the budget), their totals so far: their
   * cost was spent, but they are not in `runs` or the aggregates, and a resume makes them again.
   */
  readonly stoppedRuns: readonly RunTotals[];
}

/**
 * Validates a benchmark's facts.
 *
 * @example Usage
 * ```ts
 * import { BenchmarkMeta } from "./benchmark_result.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(BenchmarkMeta.safeParse({ createdAt: "2025-01-01" }).success, false);
 * ```
 */
export const BenchmarkMeta: MetricsSchema<BenchmarkMeta> = benchmarkMetaSchema;

/**
 * Validates one run's totals.
 *
 * @example Usage
 * ```ts
 * import { RunTotals } from "./benchmark_result.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(RunTotals.safeParse({ inputId: "a", repeat: 0 }).success, false);
 * ```
 */
export const RunTotals: MetricsSchema<RunTotals> = runTotalsSchema;

/**
 * Validates one stage's models.
 *
 * @example Usage
 * ```ts
 * import { StageModels } from "./benchmark_result.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(StageModels.safeParse({ stage: "a", models: ["openai:gpt-4o"] }).success, true);
 * ```
 */
export const StageModels: MetricsSchema<StageModels> = stageModelsSchema;

/**
 * Validates a stored benchmark's reference.
 *
 * @example Usage
 * ```ts
 * import { StoredBenchmarkRef } from "./benchmark_result.ts";
 * import assert from "node:assert/strict";
 *
 * const ref = { id: "20260101-000000-ab12", label: null, db: "reports/graphmeter.db" };
 * assert.deepEqual(StoredBenchmarkRef.parse(ref), ref);
 * ```
 */
export const StoredBenchmarkRef: MetricsSchema<StoredBenchmarkRef> = storedBenchmarkRefSchema;

/**
 * Validates the content of a `metrics.json`.
 *
 * @example Usage
 * ```ts
 * import { BenchmarkResult } from "./benchmark_result.ts";
 * import assert from "node:assert/strict";
 *
 * // metrics.json is validated when read back.
 * assert.equal(BenchmarkResult.safeParse({ schemaVersion: 1 }).success, false);
 * ```
 */
export const BenchmarkResult: MetricsSchema<BenchmarkResult> = benchmarkResultSchema;

// The compiler holds each interface to its schema: the assignments above check that the schema's
// values are the interface's; these check that neither side has a field the other lacks.
const _sameFields: [
  SameKeys<BenchmarkMeta, z.infer<typeof benchmarkMetaSchema>>,
  SameKeys<RunTotals, z.infer<typeof runTotalsSchema>>,
  SameKeys<StageModels, z.infer<typeof stageModelsSchema>>,
  SameKeys<StoredBenchmarkRef, z.infer<typeof storedBenchmarkRefSchema>>,
  SameKeys<BenchmarkResult, z.infer<typeof benchmarkResultSchema>>,
] = [true, true, true, true, true];
