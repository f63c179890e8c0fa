/**
 * The metric types graphmeter fills. Each is a zod schema, the single source of truth: its JSON
 * Schema comes from it, every JSON file the tool writes validates against it, and its published
 * readonly interface is generated from it (`deno task types`), each field documented by its
 * schema's description, so a field's doc is written once. The compiler still holds each interface
 * to its schema. Metrics are values: the handler hands out frozen ones.
 *
 * @module
 */
import { z } from "zod";
import { COST_SOURCES, type CostSource } from "../pricing/cost_source.ts";
import { TOKEN_USAGE_SCHEMA, type TokenUsage } from "../pricing/token_usage.ts";
import { type CostBreakdown, costBreakdownSchema, emptyBreakdown } from "../pricing/breakdown.ts";
import type { SameKeys } from "../pricing/_same_keys.ts";
import { httpAttemptSchema, rateLimitSchema } from "./attempt_metrics.ts";
import { executionSpanSchema } from "./_execution_span.ts";
import { type PathMetrics, pathMetricsSchema } from "./path_metrics.ts";

export { executionSpanSchema };

const count = z.number().int().nonnegative();
const ms = z.number().nonnegative();

/** The zod schema of a {@linkcode CostSource}. */
export const costSourceSchema: z.ZodType<CostSource> = z.enum(
  COST_SOURCES as [CostSource, ...CostSource[]],
);

/** The zod schema of {@linkcode LLMCallMetrics}. */
export const llmCallMetricsSchema = z.object({
  runId: z.string().describe("LangChain's run id of this call."),
  stage: z.string().describe(
    "The top-level stage (graph node) the call belongs to, or `(unattributed)`.",
  ),
  path: z.string().optional().describe(
    "The node path the call was made in (`research_agent/agent`; see `PathMetrics.path`); " +
      "absent in metrics recorded before paths, where the stage is the path.",
  ),
  model: z.string().describe(
    "The model name the provider answered with, else the requested one, else `unknown`.",
  ),
  requestedModel: z.string().nullable().describe("The model name that was requested, when known."),
  provider: z.string().describe(
    "The provider, as LangChain names it (`openai`, `anthropic`, `google_genai`, `ollama`, ...).",
  ),
  startedAt: z.number().describe("Start of the call, epoch milliseconds."),
  latencyMs: ms.describe("From chat-model start to end (or error), milliseconds, monotonic clock."),
  timeToFirstTokenMs: ms.nullable().describe(
    "From start to the first streamed token, milliseconds; null when not streamed.",
  ),
  ...TOKEN_USAGE_SCHEMA.shape,
  usageReported: z.boolean().describe(
    "False when the provider sent no (valid) usage: the token counts are then unknown, not zero.",
  ),
  usageIssue: z.string().nullable().describe(
    "Why usage that did arrive was not taken (negative, non-finite, absurd), or null.",
  ),
  costUsd: z.number().nonnegative().nullable().describe(
    "Estimated cost in US dollars; null when the call could not be priced.",
  ),
  costSource: costSourceSchema.describe("Where `costUsd` came from."),
  costBreakdown: costBreakdownSchema.nullable().default(null).describe(
    "`costUsd` by billed dimension; null when not priced or only the provider's total is known.",
  ),
  costMissing: z.array(z.string()).default([]).describe(
    "Billed dimensions the call used whose rate is unknown (`input_audio`, `cache_write_1h`, " +
      "`web_search`, `service_tier:priority`, `server_tool:code_interpreter`, ...) or whose " +
      "count the integration did not report (`input_audio:unreported`, " +
      "`server_tool_input:unreported`, `server_tools:unreported`): left out of `costUsd`, which " +
      "is then partial.",
  ),
  error: z.string().nullable().describe("Null, or the error message of a failed call."),
  attempts: z.array(httpAttemptSchema).nullable().default(null).describe(
    "Each HTTP request the call made (retries included), in order; null when its attempts were " +
      "not tracked (tracking is on in a benchmark, and in a service after `trackHttpAttempts()` " +
      "from `./sdk`). An empty list: the call made no request (a simulated model, LangChain's " +
      "cache).",
  ),
  serviceLatencyMs: ms.nullable().default(null).describe(
    "`latencyMs` without the waiting: the successful attempt plus the client's own work, ms " +
      "(`latencyMs = serviceLatencyMs + waitMs`). Null when attempts were not tracked or the " +
      "call failed.",
  ),
  waitMs: ms.nullable().default(null).describe(
    "What failed attempts, backoff, `retry-after` and the benchmark's pacing added to " +
      "`latencyMs`, ms: from the first request's send to the last one's, plus the pacing before " +
      "the first. Null when attempts were not tracked.",
  ),
  rateLimit: rateLimitSchema.nullable().default(null).describe(
    "The rate-limit headers the call's answers carried last (or a 429's retry delay), or null.",
  ),
}).describe("One chat-model or LLM invocation, from its start to its end or error.");

/** The zod schema of {@linkcode StageTotals}. */
export const stageTotalsSchema = z.object({
  executions: count.describe(
    "How many times the stage's node ran (loops and retries make several).",
  ),
  latencyMs: ms.describe("Wall time of the stage's executions, summed, milliseconds."),
  llmCalls: count.describe("How many LLM calls were made."),
  ...TOKEN_USAGE_SCHEMA.shape,
  costUsd: z.number().nonnegative().nullable().describe(
    "Sum of the priced calls' costs in US dollars. Null when calls were made and none of them " +
      "could be priced; see `unpricedCalls` for calls left out of a partial sum.",
  ),
  unpricedCalls: count.describe(
    "Calls with a null `costUsd` (unknown model, or no usage reported): not in `costUsd`.",
  ),
  partialCalls: count.default(0).describe(
    "Priced calls with a dimension whose rate is unknown (see each call's `costMissing`).",
  ),
  costBreakdown: costBreakdownSchema.default(emptyBreakdown).describe(
    "Where the money goes: the priced calls' cost by billed dimension, summed.",
  ),
  callsWithoutUsage: count.describe("Calls for which the provider reported no (valid) usage."),
  errors: count.describe(
    "Failed node executions plus failed LLM and tool calls (a failed call that also fails its " +
      "node counts once at each level).",
  ),
  toolCalls: count.describe("Tool runs."),
  toolLatencyMs: ms.describe("Wall time of the tool runs, summed, milliseconds."),
  trackedCalls: count.default(0).describe(
    "Calls whose HTTP attempts were tracked (the others' waits are unknown, not zero).",
  ),
  httpAttempts: count.default(0).describe("HTTP attempts of the tracked calls (retries included)."),
  rateLimitedAttempts: count.default(0).describe(
    "Of `httpAttempts`, the ones the provider answered 429 (rate limited).",
  ),
  waitMs: ms.default(0).describe(
    "What failed attempts, backoff, `retry-after` and pacing added to the tracked calls' " +
      "latency, summed, ms (each call's `waitMs`).",
  ),
}).describe("The sums a stage and a run's totals share.");

/** The zod schema of {@linkcode StageMetrics}. */
export const stageMetricsSchema = z.object({
  name: z.string().describe(
    "The node's name, or `(unattributed)` for LLM calls outside any node.",
  ),
  ...stageTotalsSchema.shape,
  executionSpans: z.array(executionSpanSchema).describe(
    "Each finished execution, in end order (a Gantt chart or a trace can be drawn from them), " +
      "of the runs kept in detail.",
  ),
}).describe("What one stage (a top-level graph node) cost in time, tokens and money.");

/** The zod schema of {@linkcode PricingInfo}. */
export const pricingInfoSchema = z.object({
  catalog: z.string().describe("The catalog's package name."),
  version: z.string().describe(
    "The catalog's version (read from the installed package, or the refreshed file's).",
  ),
  dataDate: z.string().nullable().default(null).describe(
    "The newest price change in the catalog's data (YYYY-MM-DD), or null.",
  ),
  overrideModels: count.describe("How many models the user's override table prices."),
  notes: z.array(z.string()).default([]).describe(
    "Pricing notes, each once (not per call): the catalog may be stale (older than 60 days while " +
      "a model is unknown to it) and how to update it; why an unpriced model is unpriced.",
  ),
}).describe("Which price catalog priced the metrics.");

/** The zod schema of {@linkcode PipelineMetrics}. */
export const pipelineMetricsSchema = z.object({
  runId: z.string().describe(
    "The root run's id (for an aggregate of several runs, the first one's).",
  ),
  runCount: count.describe("How many root runs these metrics cover."),
  startedAt: z.number().describe("Start of the (first) root run, epoch milliseconds."),
  wallTimeMs: ms.describe(
    "The root run's start-to-end time, milliseconds (for several: first start to last end).",
  ),
  status: z.enum(["ok", "error", "running"]).describe(
    "`ok`, `error` when a root run failed, `running` when one has not ended yet.",
  ),
  error: z.string().nullable().describe("Null, or the (first failed) root run's error message."),
  stages: z.record(z.string(), stageMetricsSchema).describe(
    "Stages keyed by name, in the order they first started.",
  ),
  calls: z.array(llmCallMetricsSchema).describe(
    "Every LLM call, in start order, of the runs kept in detail (a long-lived handler folds " +
      "older runs into the sums and keeps `maxRetainedRuns` in detail).",
  ),
  totals: stageTotalsSchema.describe("Sums over all stages."),
  paths: z.record(z.string(), pathMetricsSchema).default({}).describe(
    "Every node path (stages, and the nodes of their subgraphs at any depth), keyed by path, " +
      "parents before children, siblings in the order they first started. Bounded: at most " +
      "500 paths, 16 levels deep; the rest folds into `(other)` paths, so the sums stay exact.",
  ),
  criticalPath: z.array(z.string()).default([]).describe(
    "The run's critical path (the chain of node executions that set its wall time), in time " +
      "order: the innermost node path the run waited on, stretch by stretch, a repeat in a row " +
      "once (at most 64: past that, the longest stretches and one `(other)`); each path's " +
      "`criticalExclusiveMs` says how long. Empty for a merge of several runs.",
  ),
  pricing: pricingInfoSchema.describe("The price catalog behind every `costUsd`."),
  handlerErrors: count.describe(
    "Exceptions raised inside the handler itself, caught and counted (never thrown at the graph).",
  ),
  threadId: z.string().nullable().default(null).describe(
    "The thread the run belongs to: LangGraph's `configurable.thread_id` (which LangGraph passes " +
      "on in the metadata callbacks receive), else a `thread_id`, `session_id` or " +
      "`conversation_id` metadata key; null when none. For several runs: their common thread, " +
      "else null.",
  ),
  attributes: z.record(z.string(), z.string()).default({}).describe(
    "Who the run is for: the attribution keys the handler reads (its `attributes` option, " +
      "default `user_id` and `tenant_id`) found in the run's `metadata`, as text. Keys given " +
      "only in `configurable` are not seen (LangGraph does not pass them to callbacks). For " +
      "several runs: the keys every run has with the same value.",
  ),
}).describe("Everything measured for one run (or, aggregated, for several) of a graph.");

/** The zod schema of {@linkcode ThreadMetrics}. */
export const threadMetricsSchema = z.object({
  threadId: z.string().describe("The thread's id (LangGraph's `configurable.thread_id`)."),
  runCount: count.describe("Finished runs (invocations) of the thread the handler saw."),
  failedRuns: count.describe("Of those, the runs that ended in an error."),
  startedAt: z.number().describe("Start of the thread's first run, epoch milliseconds."),
  lastEndedAt: z.number().describe("End of its last run, epoch milliseconds."),
  wallTimeMs: ms.describe("The runs' wall times, summed, milliseconds."),
  attributes: z.record(z.string(), z.string()).describe(
    "The attribution values every run of the thread shares (`user_id`, ...).",
  ),
  totals: stageTotalsSchema.describe(
    "The runs' totals, summed: calls, tokens and cost of the whole conversation so far.",
  ),
}).describe(
  "A thread's finished runs rolled up: what one conversation cost across its invocations.",
);

// ---- Generated by `deno task types` from the schemas' descriptions: edit those. ----
/** One chat-model or LLM invocation, from its start to its end or error. */
export interface LLMCallMetrics extends TokenUsage {
  /** LangChain's run id of this call. */
  readonly runId: string;
  /** The top-level stage (graph node) the call belongs to, or `(unattributed)`. */
  readonly stage: string;
  /**
   * The node path the call was made in (`research_agent/agent`; see `PathMetrics.path`); absent in
   * metrics recorded before paths, where the stage is the path.
   */
  readonly path?: string;
  /** The model name the provider answered with, else the requested one, else `unknown`. */
  readonly model: string;
  /** The model name that was requested, when known. */
  readonly requestedModel: string | null;
  /** The provider, as LangChain names it (`openai`, `anthropic`, `google_genai`, `ollama`, ...). */
  readonly provider: string;
  /** Start of the call, epoch milliseconds. */
  readonly startedAt: number;
  /** From chat-model start to end (or error), milliseconds, monotonic clock. */
  readonly latencyMs: number;
  /** From start to the first streamed token, milliseconds; null when not streamed. */
  readonly timeToFirstTokenMs: number | null;
  /** False when the provider sent no (valid) usage: the token counts are then unknown, not zero. */
  readonly usageReported: boolean;
  /** Why usage that did arrive was not taken (negative, non-finite, absurd), or null. */
  readonly usageIssue: string | null;
  /** Estimated cost in US dollars; null when the call could not be priced. */
  readonly costUsd: number | null;
  /** Where `costUsd` came from. */
  readonly costSource: CostSource;
  /** `costUsd` by billed dimension; null when not priced or only the provider's total is known. */
  readonly costBreakdown: CostBreakdown | null;
  /**
   * Billed dimensions the call used whose rate is unknown (`input_audio`, `cache_write_1h`,
   * `web_search`, `service_tier:priority`, `server_tool:code_interpreter`, ...) or whose count the
   * integration did not report (`input_audio:unreported`, `server_tool_input:unreported`,
   * `server_tools:unreported`): left out of `costUsd`, which is then partial.
   */
  readonly costMissing: readonly string[];
  /** Null, or the error message of a failed call. */
  readonly error: string | null;
  /**
   * Each HTTP request the call made (retries included), in order; null when its attempts were not
   * tracked (tracking is on in a benchmark, and in a service after `trackHttpAttempts()` from
   * `./sdk`). An empty list: the call made no request (a simulated model, LangChain's cache).
   */
  readonly attempts:
    | readonly ({
      /** When the request was sent, milliseconds after the call started. */
      readonly startOffsetMs: number;
      /** From sending to the answer's headers (or the failure), milliseconds. */
      readonly durationMs: number;
      /** The HTTP status; null when no answer came (a network error, a timeout, a cancel). */
      readonly status: number | null;
      /** How the attempt ended. */
      readonly outcome:
        | "ok"
        | "rate_limited"
        | "server_error"
        | "client_error"
        | "aborted"
        | "network_error"
        | "not_sent";
      /**
       * How long the benchmark's pacer held the request before sending it (0 without pacing), ms.
       */
      readonly pacedMs: number;
      /**
       * The wait the answer asked for (`retry-after-ms`, `retry-after`, Gemini's `retryDelay`), ms.
       */
      readonly retryAfterMs: number | null;
      /**
       * Sent, then cut off before an answer (a timeout or a cancel): the provider may have accepted
       * and billed it, for an amount nobody reported.
       */
      readonly possiblyBilled: boolean;
    })[]
    | null;
  /**
   * `latencyMs` without the waiting: the successful attempt plus the client's own work, ms
   * (`latencyMs = serviceLatencyMs + waitMs`). Null when attempts were not tracked or the call
   * failed.
   */
  readonly serviceLatencyMs: number | null;
  /**
   * What failed attempts, backoff, `retry-after` and the benchmark's pacing added to `latencyMs`,
   * ms: from the first request's send to the last one's, plus the pacing before the first. Null
   * when attempts were not tracked.
   */
  readonly waitMs: number | null;
  /** The rate-limit headers the call's answers carried last (or a 429's retry delay), or null. */
  readonly rateLimit: {
    /** Requests allowed per window (per minute for OpenAI and Anthropic). */
    readonly requestsLimit: number | null;
    /** Requests left in the window when the answer was made. */
    readonly requestsRemaining: number | null;
    /** Milliseconds until the request allowance is back to full. */
    readonly requestsResetMs: number | null;
    /** Tokens allowed per window. */
    readonly tokensLimit: number | null;
    /** Tokens left in the window when the answer was made. */
    readonly tokensRemaining: number | null;
    /** Milliseconds until the token allowance is back to full. */
    readonly tokensResetMs: number | null;
    /** How long the answer asked the client to wait before retrying, milliseconds. */
    readonly retryAfterMs: number | null;
  } | null;
}

/** The sums a stage and a run's totals share. */
export interface StageTotals extends TokenUsage {
  /** How many times the stage's node ran (loops and retries make several). */
  readonly executions: number;
  /** Wall time of the stage's executions, summed, milliseconds. */
  readonly latencyMs: number;
  /** How many LLM calls were made. */
  readonly llmCalls: number;
  /**
   * Sum of the priced calls' costs in US dollars. Null when calls were made and none of them could
   * be priced; see `unpricedCalls` for calls left out of a partial sum.
   */
  readonly costUsd: number | null;
  /** Calls with a null `costUsd` (unknown model, or no usage reported): not in `costUsd`. */
  readonly unpricedCalls: number;
  /** Priced calls with a dimension whose rate is unknown (see each call's `costMissing`). */
  readonly partialCalls: number;
  /** Where the money goes: the priced calls' cost by billed dimension, summed. */
  readonly costBreakdown: CostBreakdown;
  /** Calls for which the provider reported no (valid) usage. */
  readonly callsWithoutUsage: number;
  /**
   * Failed node executions plus failed LLM and tool calls (a failed call that also fails its node
   * counts once at each level).
   */
  readonly errors: number;
  /** Tool runs. */
  readonly toolCalls: number;
  /** Wall time of the tool runs, summed, milliseconds. */
  readonly toolLatencyMs: number;
  /** Calls whose HTTP attempts were tracked (the others' waits are unknown, not zero). */
  readonly trackedCalls: number;
  /** HTTP attempts of the tracked calls (retries included). */
  readonly httpAttempts: number;
  /** Of `httpAttempts`, the ones the provider answered 429 (rate limited). */
  readonly rateLimitedAttempts: number;
  /**
   * What failed attempts, backoff, `retry-after` and pacing added to the tracked calls' latency,
   * summed, ms (each call's `waitMs`).
   */
  readonly waitMs: number;
}

/**
 * One execution of a node (a stage's, or a node inside it): when it started, how long it took,
 * whether it failed.
 */
export interface ExecutionSpan {
  /** Start, epoch milliseconds. */
  readonly startedAt: number;
  /** Wall time, milliseconds. */
  readonly latencyMs: number;
  /** The execution threw (a retry policy may have run it again). */
  readonly failed: boolean;
}

/** What one stage (a top-level graph node) cost in time, tokens and money. */
export interface StageMetrics extends StageTotals {
  /** The node's name, or `(unattributed)` for LLM calls outside any node. */
  readonly name: string;
  /**
   * Each finished execution, in end order (a Gantt chart or a trace can be drawn from them), of the
   * runs kept in detail.
   */
  readonly executionSpans: readonly ExecutionSpan[];
}

/** Which price catalog priced the metrics. */
export interface PricingInfo {
  /** The catalog's package name. */
  readonly catalog: string;
  /** The catalog's version (read from the installed package, or the refreshed file's). */
  readonly version: string;
  /** The newest price change in the catalog's data (YYYY-MM-DD), or null. */
  readonly dataDate: string | null;
  /** How many models the user's override table prices. */
  readonly overrideModels: number;
  /**
   * Pricing notes, each once (not per call): the catalog may be stale (older than 60 days while a
   * model is unknown to it) and how to update it; why an unpriced model is unpriced.
   */
  readonly notes?: readonly string[];
}

/** Everything measured for one run (or, aggregated, for several) of a graph. */
export interface PipelineMetrics {
  /** The root run's id (for an aggregate of several runs, the first one's). */
  readonly runId: string;
  /** How many root runs these metrics cover. */
  readonly runCount: number;
  /** Start of the (first) root run, epoch milliseconds. */
  readonly startedAt: number;
  /** The root run's start-to-end time, milliseconds (for several: first start to last end). */
  readonly wallTimeMs: number;
  /** `ok`, `error` when a root run failed, `running` when one has not ended yet. */
  readonly status: "ok" | "error" | "running";
  /** Null, or the (first failed) root run's error message. */
  readonly error: string | null;
  /** Stages keyed by name, in the order they first started. */
  readonly stages: Readonly<Record<string, StageMetrics>>;
  /**
   * Every LLM call, in start order, of the runs kept in detail (a long-lived handler folds older
   * runs into the sums and keeps `maxRetainedRuns` in detail).
   */
  readonly calls: readonly LLMCallMetrics[];
  /** Sums over all stages. */
  readonly totals: StageTotals;
  /**
   * Every node path (stages, and the nodes of their subgraphs at any depth), keyed by path, parents
   * before children, siblings in the order they first started. Bounded: at most 500 paths, 16
   * levels deep; the rest folds into `(other)` paths, so the sums stay exact.
   */
  readonly paths?: Readonly<Record<string, PathMetrics>>;
  /**
   * The run's critical path (the chain of node executions that set its wall time), in time order:
   * the innermost node path the run waited on, stretch by stretch, a repeat in a row once (at most
   * 64: past that, the longest stretches and one `(other)`); each path's `criticalExclusiveMs` says
   * how long. Empty for a merge of several runs.
   */
  readonly criticalPath?: readonly string[];
  /** The price catalog behind every `costUsd`. */
  readonly pricing: PricingInfo;
  /**
   * Exceptions raised inside the handler itself, caught and counted (never thrown at the graph).
   */
  readonly handlerErrors: number;
  /**
   * The thread the run belongs to: LangGraph's `configurable.thread_id` (which LangGraph passes on
   * in the metadata callbacks receive), else a `thread_id`, `session_id` or `conversation_id`
   * metadata key; null when none. For several runs: their common thread, else null.
   */
  readonly threadId?: string | null;
  /**
   * Who the run is for: the attribution keys the handler reads (its `attributes` option, default
   * `user_id` and `tenant_id`) found in the run's `metadata`, as text. Keys given only in
   * `configurable` are not seen (LangGraph does not pass them to callbacks). For several runs: the
   * keys every run has with the same value.
   */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** A thread's finished runs rolled up: what one conversation cost across its invocations. */
export interface ThreadMetrics {
  /** The thread's id (LangGraph's `configurable.thread_id`). */
  readonly threadId: string;
  /** Finished runs (invocations) of the thread the handler saw. */
  readonly runCount: number;
  /** Of those, the runs that ended in an error. */
  readonly failedRuns: number;
  /** Start of the thread's first run, epoch milliseconds. */
  readonly startedAt: number;
  /** End of its last run, epoch milliseconds. */
  readonly lastEndedAt: number;
  /** The runs' wall times, summed, milliseconds. */
  readonly wallTimeMs: number;
  /** The attribution values every run of the thread shares (`user_id`, ...). */
  readonly attributes: Readonly<Record<string, string>>;
  /** The runs' totals, summed: calls, tokens and cost of the whole conversation so far. */
  readonly totals: StageTotals;
}
// ---- End of generated interfaces. ----

/** Validates untrusted data (a file, a message) into a metrics value; zod does the work. */
export interface MetricsSchema<T> {
  /**
   * Returns the value when it is valid.
   *
   * @throws {Error} When it is not (a zod error naming each problem).
   */
  parse(value: unknown): T;
  /** Never throws: says whether the value is valid, with the value or the error. */
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: Error };
}

/**
 * Validates one call's metrics.
 *
 * @example Usage
 * ```ts
 * import { LLMCallMetrics } from "./metrics.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(LLMCallMetrics.safeParse({ runId: "x" }).success, false);
 * ```
 */
export const LLMCallMetrics: MetricsSchema<LLMCallMetrics> = llmCallMetricsSchema;

/**
 * Validates one stage's metrics.
 *
 * @example Usage
 * ```ts
 * import { StageMetrics } from "./metrics.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(StageMetrics.safeParse({ name: "segmentation" }).success, false);
 * ```
 */
export const StageMetrics: MetricsSchema<StageMetrics> = stageMetricsSchema;

/**
 * Validates a run's (or several runs') metrics.
 *
 * @example Usage
 * ```ts
 * import { PipelineMetrics } from "./metrics.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(PipelineMetrics.safeParse({}).success, false);
 * ```
 */
export const PipelineMetrics: MetricsSchema<PipelineMetrics> = pipelineMetricsSchema;

/**
 * Validates a thread's rolled-up metrics.
 *
 * @example Usage
 * ```ts
 * import { ThreadMetrics } from "./metrics.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ThreadMetrics.safeParse({ threadId: "t-1" }).success, false);
 * ```
 */
export const ThreadMetrics: MetricsSchema<ThreadMetrics> = threadMetricsSchema;

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
  return z.toJSONSchema(pipelineMetricsSchema) as Record<string, unknown>;
}

// The compiler holds each interface to its schema: the same fields, of compatible types (the
// assignments above check the types; these check that neither side has a field the other lacks).
const _sameFields: [
  SameKeys<LLMCallMetrics, z.infer<typeof llmCallMetricsSchema>>,
  SameKeys<StageTotals, z.infer<typeof stageTotalsSchema>>,
  SameKeys<StageMetrics, z.infer<typeof stageMetricsSchema>>,
  SameKeys<ExecutionSpan, z.infer<typeof executionSpanSchema>>,
  SameKeys<PricingInfo, z.infer<typeof pricingInfoSchema>>,
  SameKeys<PipelineMetrics, z.infer<typeof pipelineMetricsSchema>>,
  SameKeys<ThreadMetrics, z.infer<typeof threadMetricsSchema>>,
  SameKeys<TokenUsage, z.infer<typeof TOKEN_USAGE_SCHEMA>>,
] = [true, true, true, true, true, true, true, true];
