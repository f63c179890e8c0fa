/**
 * The metric types graphmeter fills, as zod schemas. Each schema is the single source of truth:
 * its TypeScript type is `z.infer` of it, and the JSON the tool writes validates against it.
 *
 * @module
 */
import { z } from "zod";

const tokenCount: z.ZodNumber = z.number().int().nonnegative();

/** The values of {@linkcode CostSource}. */
type CostSourceValues = {
  catalog: "catalog";
  override: "override";
  local: "local";
  "llm-cache": "llm-cache";
  failed: "failed";
  "no-usage": "no-usage";
  unpriced: "unpriced";
  unfinished: "unfinished";
};

/** How a call's `costUsd` was obtained, or why it has none. */
export const CostSource: z.ZodEnum<CostSourceValues> = z.enum([
  /** Priced from the maintained catalog (`@pydantic/genai-prices`). */
  "catalog",
  /** Priced from the user's own price table. */
  "override",
  /** A local model (e.g. Ollama): free by definition, `costUsd` is 0. */
  "local",
  /** Answered from LangChain's own LLM cache: nothing was billed, `costUsd` is 0. */
  "llm-cache",
  /** The call failed before the provider reported usage: nothing was billed, `costUsd` is 0. */
  "failed",
  /** The provider reported no usage: the cost is unknown, `costUsd` is null. */
  "no-usage",
  /** The model is unknown to every price table: `costUsd` is null. */
  "unpriced",
  /** Still running when the run ended (or when the metrics were read): `costUsd` is null. */
  "unfinished",
]);
/** How a call's `costUsd` was obtained, or why it has none. */
export type CostSource = z.infer<typeof CostSource>;

type Num = z.ZodNumber;
type NullableNum = z.ZodNullable<z.ZodNumber>;
type Str = z.ZodString;
type NullableStr = z.ZodNullable<z.ZodString>;

/** The shape of {@linkcode LLMCallMetrics}. */
type LLMCallShape = {
  runId: Str;
  stage: Str;
  model: Str;
  requestedModel: NullableStr;
  provider: Str;
  startedAt: Num;
  latencyMs: Num;
  timeToFirstTokenMs: NullableNum;
  inputTokens: Num;
  outputTokens: Num;
  cacheReadTokens: Num;
  cacheWriteTokens: Num;
  reasoningTokens: Num;
  usageReported: z.ZodBoolean;
  costUsd: NullableNum;
  costSource: typeof CostSource;
  error: NullableStr;
};

/** One chat-model or LLM invocation, from its start to its end or error. */
export const LLMCallMetrics: z.ZodObject<LLMCallShape> = z.object({
  /** LangChain's run id of this call. */
  runId: z.string(),
  /** The top-level stage (graph node) the call belongs to, or `(unattributed)`. */
  stage: z.string(),
  /** The model name the provider answered with, else the requested one, else `unknown`. */
  model: z.string(),
  /** The model name that was requested, when known. */
  requestedModel: z.string().nullable(),
  /** The provider, as LangChain names it (`openai`, `anthropic`, `google_genai`, `ollama`, ...). */
  provider: z.string(),
  /** Start of the call, epoch milliseconds. */
  startedAt: z.number(),
  /** From chat-model start to end (or error), milliseconds, monotonic clock. */
  latencyMs: z.number().nonnegative(),
  /** From start to the first streamed token, milliseconds; null when not streamed. */
  timeToFirstTokenMs: z.number().nonnegative().nullable(),
  /** All prompt tokens, cached ones included. */
  inputTokens: tokenCount,
  /** All completion tokens, reasoning included. */
  outputTokens: tokenCount,
  /** Prompt tokens read from the provider's prompt cache (part of `inputTokens`). */
  cacheReadTokens: tokenCount,
  /** Prompt tokens written to the provider's prompt cache (part of `inputTokens`). */
  cacheWriteTokens: tokenCount,
  /** Reasoning ("thinking") tokens (part of `outputTokens`). */
  reasoningTokens: tokenCount,
  /** False when the provider sent no usage: the token counts are then unknown, not zero. */
  usageReported: z.boolean(),
  /** Estimated cost in US dollars; null when the model could not be priced. */
  costUsd: z.number().nonnegative().nullable(),
  /** Where `costUsd` came from. */
  costSource: CostSource,
  /** Null, or the error message of a failed call. */
  error: z.string().nullable(),
});
/** One chat-model or LLM invocation, from its start to its end or error. */
export type LLMCallMetrics = z.infer<typeof LLMCallMetrics>;

/** The numeric fields shared by a stage and a run's totals. */
type StageTotalsShapeType = {
  executions: Num;
  latencyMs: Num;
  llmCalls: Num;
  inputTokens: Num;
  outputTokens: Num;
  cacheReadTokens: Num;
  cacheWriteTokens: Num;
  reasoningTokens: Num;
  costUsd: NullableNum;
  unpricedCalls: Num;
  callsWithoutUsage: Num;
  errors: Num;
  toolCalls: Num;
  toolLatencyMs: Num;
};

const StageTotalsShape: StageTotalsShapeType = {
  /** How many times the stage's node ran (loops and retries make several). */
  executions: z.number().int().nonnegative(),
  /** Wall time of the stage's executions, summed, milliseconds. */
  latencyMs: z.number().nonnegative(),
  /** How many LLM calls the stage made. */
  llmCalls: z.number().int().nonnegative(),
  /** Prompt tokens, cached included. */
  inputTokens: tokenCount,
  /** Completion tokens, reasoning included. */
  outputTokens: tokenCount,
  /** Prompt tokens read from a prompt cache. */
  cacheReadTokens: tokenCount,
  /** Prompt tokens written to a prompt cache. */
  cacheWriteTokens: tokenCount,
  /** Reasoning tokens. */
  reasoningTokens: tokenCount,
  /**
   * Sum of the priced calls' costs in US dollars. Null when the stage made calls and none of
   * them could be priced; see `unpricedCalls` for calls left out of a partial sum.
   */
  costUsd: z.number().nonnegative().nullable(),
  /** Calls with a null `costUsd` (unknown model, or no usage reported): not in `costUsd`. */
  unpricedCalls: z.number().int().nonnegative(),
  /** Calls for which the provider reported no usage. */
  callsWithoutUsage: z.number().int().nonnegative(),
  /** Failed node executions plus failed LLM and tool calls. */
  errors: z.number().int().nonnegative(),
  /** Tool runs inside the stage. */
  toolCalls: z.number().int().nonnegative(),
  /** Wall time of the stage's tool runs, summed, milliseconds. */
  toolLatencyMs: z.number().nonnegative(),
};

/** The shape of {@linkcode ExecutionSpan}. */
type ExecutionSpanShape = { startedAt: Num; latencyMs: Num; failed: z.ZodBoolean };

/** One execution of a stage's node: when it started, how long it took, whether it failed. */
export const ExecutionSpan: z.ZodObject<ExecutionSpanShape> = z.object({
  /** Start, epoch milliseconds. */
  startedAt: z.number(),
  /** Wall time, milliseconds. */
  latencyMs: z.number().nonnegative(),
  /** The execution threw (a retry policy may have run it again). */
  failed: z.boolean(),
});
/** One execution of a stage's node: when it started, how long it took, whether it failed. */
export type ExecutionSpan = z.infer<typeof ExecutionSpan>;

/** The shape of {@linkcode StageMetrics}. */
type StageShape = StageTotalsShapeType & {
  name: Str;
  executionSpans: z.ZodArray<typeof ExecutionSpan>;
};

/** What one stage (a top-level graph node) cost in time, tokens and money. */
export const StageMetrics: z.ZodObject<StageShape> = z.object({
  /** The node's name, or `(unattributed)` for LLM calls outside any node. */
  name: z.string(),
  ...StageTotalsShape,
  /** Each finished execution, in end order (a Gantt chart or a trace can be drawn from them). */
  executionSpans: z.array(ExecutionSpan),
});
/** What one stage (a top-level graph node) cost in time, tokens and money. */
export type StageMetrics = z.infer<typeof StageMetrics>;

/** The totals of a run: the same numeric fields as a stage. */
export const StageTotals: z.ZodObject<StageTotalsShapeType> = z.object(StageTotalsShape);
/** The totals of a run: the same numeric fields as a stage. */
export type StageTotals = z.infer<typeof StageTotals>;

/** Which price catalog priced the metrics. */
export const PricingInfo: z.ZodObject<{ catalog: Str; version: Str; overrideModels: Num }> = z
  .object({
    /** The catalog's package name. */
    catalog: z.string(),
    /** The catalog's version. */
    version: z.string(),
    /** How many models the user's override table priced. */
    overrideModels: z.number().int().nonnegative(),
  });
/** Which price catalog priced the metrics. */
export type PricingInfo = z.infer<typeof PricingInfo>;

/** The shape of {@linkcode PipelineMetrics}. */
type PipelineShape = {
  runId: Str;
  runCount: Num;
  startedAt: Num;
  wallTimeMs: Num;
  status: z.ZodEnum<{ ok: "ok"; error: "error"; running: "running" }>;
  error: NullableStr;
  stages: z.ZodRecord<z.ZodString, typeof StageMetrics>;
  calls: z.ZodArray<typeof LLMCallMetrics>;
  totals: typeof StageTotals;
  pricing: typeof PricingInfo;
  handlerErrors: Num;
};

/** Everything measured for one run (or, aggregated, for several) of a graph. */
export const PipelineMetrics: z.ZodObject<PipelineShape> = z.object({
  /** The root run's id (for an aggregate of several runs, the first one's). */
  runId: z.string(),
  /** How many root runs these metrics cover. */
  runCount: z.number().int().nonnegative(),
  /** Start of the (first) root run, epoch milliseconds. */
  startedAt: z.number(),
  /** The root run's start-to-end time, milliseconds (for an aggregate: first start to last end). */
  wallTimeMs: z.number().nonnegative(),
  /** `ok`, `error` when the root run failed, `running` when it has not ended yet. */
  status: z.enum(["ok", "error", "running"]),
  /** Null, or the root run's error message. */
  error: z.string().nullable(),
  /** Stages keyed by name, in the order they first started. */
  stages: z.record(z.string(), StageMetrics),
  /** Every LLM call, in start order. */
  calls: z.array(LLMCallMetrics),
  /** Sums over all stages. */
  totals: StageTotals,
  /** The price catalog behind every `costUsd`. */
  pricing: PricingInfo,
  /** Exceptions raised inside the handler itself, caught and counted (never thrown at the graph). */
  handlerErrors: z.number().int().nonnegative(),
});
/** Everything measured for one run (or, aggregated, for several) of a graph. */
export type PipelineMetrics = z.infer<typeof PipelineMetrics>;

/**
 * The JSON Schema (draft 2020-12) of {@linkcode PipelineMetrics}, generated from the zod schema.
 *
 * @returns The JSON Schema as a plain object.
 *
 * @example Usage
 * ```ts
 * import { pipelineMetricsJsonSchema } from "./metrics.ts";
 * import assert from "node:assert/strict";
 *
 * const schema = pipelineMetricsJsonSchema();
 * assert.equal(schema.type, "object");
 * ```
 */
export function pipelineMetricsJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PipelineMetrics) as Record<string, unknown>;
}
