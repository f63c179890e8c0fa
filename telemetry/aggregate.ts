/**
 * Turns the recorder's raw measurements into validated-shape metrics: prices each call once
 * (memoized on the call), sums calls into stages and stages into totals, and merges runs.
 * Runs off the hot path, when the metrics are read.
 *
 * @module
 */
import type {
  LLMCallMetrics,
  PipelineMetrics,
  PricingInfo,
  StageMetrics,
  StageTotals,
} from "./metrics.ts";
import type { RawCall, RawRoot } from "./recorder.ts";
import { estimateCost } from "../pricing/estimate.ts";
import type { PriceOverrides } from "../pricing/overrides.ts";

/** What pricing needs besides the calls themselves. */
export interface PricingContext {
  /** The user's price table, if any. */
  overrides?: PriceOverrides;
  /** Which catalog priced the metrics. */
  info: PricingInfo;
}

type Priced = NonNullable<RawCall["priced"]>;

function computePrice(call: RawCall, pricing: PricingContext): Priced {
  if (call.endMs === null) return { costUsd: null, source: "unfinished" };
  if (call.llmCacheHit) return { costUsd: 0, source: "llm-cache" };
  if (call.usage === null) {
    // A call that failed after tokens had streamed was billed, for an unknown amount.
    return call.error === null || call.firstTokenMs !== null
      ? { costUsd: null, source: "no-usage" }
      : { costUsd: 0, source: "failed" };
  }
  const model = call.responseModel ?? call.requestedModel ?? "unknown";
  const { costUsd, source } = estimateCost(call.usage, model, {
    provider: call.provider,
    requestedModel: call.requestedModel ?? undefined,
    overrides: pricing.overrides,
  });
  return { costUsd, source };
}

/** Prices a call once it has ended, and remembers the price on the call. */
function priceOf(call: RawCall, pricing: PricingContext): Priced {
  if (call.priced) return call.priced;
  const priced = computePrice(call, pricing);
  if (call.endMs !== null) call.priced = priced;
  return priced;
}

/**
 * The public metrics of one raw call.
 *
 * @param call The raw call.
 * @param pricing The pricing context.
 * @param nowMs The monotonic time used as the end of a call still running (for a finished run:
 *   the run's end).
 * @returns The call's metrics.
 */
export function callMetrics(
  call: RawCall,
  pricing: PricingContext,
  nowMs: number,
): LLMCallMetrics {
  const usage = call.usage;
  const priced = priceOf(call, pricing);
  return {
    runId: call.runId,
    stage: call.stage,
    model: call.responseModel ?? call.requestedModel ?? "unknown",
    requestedModel: call.requestedModel,
    provider: call.provider,
    startedAt: call.startedAt,
    latencyMs: (call.endMs ?? nowMs) - call.startMs,
    timeToFirstTokenMs: call.firstTokenMs === null ? null : call.firstTokenMs - call.startMs,
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cacheReadTokens: usage?.cacheReadTokens ?? 0,
    cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
    reasoningTokens: usage?.reasoningTokens ?? 0,
    usageReported: usage !== null,
    costUsd: priced.costUsd,
    costSource: priced.source,
    error: call.error,
  };
}

/** A stage or totals record with every number at zero. */
export function emptyTotals(): StageTotals {
  return {
    executions: 0,
    latencyMs: 0,
    llmCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
    unpricedCalls: 0,
    callsWithoutUsage: 0,
    errors: 0,
    toolCalls: 0,
    toolLatencyMs: 0,
  };
}

/** Adds `cost` to a running sum where null means "calls, none priced". */
function addCost(sum: number | null, sumHasCalls: boolean, cost: number | null): number | null {
  if (cost === null) return sumHasCalls ? sum : null;
  return (sum ?? 0) + cost;
}

/** One call as a stage's totals: a sum of one. */
function callTotals(call: LLMCallMetrics): StageTotals {
  return {
    ...emptyTotals(),
    llmCalls: 1,
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    cacheReadTokens: call.cacheReadTokens,
    cacheWriteTokens: call.cacheWriteTokens,
    reasoningTokens: call.reasoningTokens,
    costUsd: call.costUsd,
    unpricedCalls: call.costUsd === null ? 1 : 0,
    callsWithoutUsage: call.usageReported ? 0 : 1,
  };
}

/**
 * Adds one stage's (or run's) totals into another, in place.
 *
 * @param target The running sum.
 * @param source The totals to add.
 */
export function addTotals(target: StageTotals, source: StageTotals): void {
  if (source.llmCalls > 0) {
    target.costUsd = addCost(target.costUsd, target.llmCalls > 0, source.costUsd);
  }
  target.executions += source.executions;
  target.latencyMs += source.latencyMs;
  target.llmCalls += source.llmCalls;
  target.inputTokens += source.inputTokens;
  target.outputTokens += source.outputTokens;
  target.cacheReadTokens += source.cacheReadTokens;
  target.cacheWriteTokens += source.cacheWriteTokens;
  target.reasoningTokens += source.reasoningTokens;
  target.unpricedCalls += source.unpricedCalls;
  target.callsWithoutUsage += source.callsWithoutUsage;
  target.errors += source.errors;
  target.toolCalls += source.toolCalls;
  target.toolLatencyMs += source.toolLatencyMs;
}

/**
 * The metrics of one root run.
 *
 * @param root The raw root run.
 * @param pricing The pricing context.
 * @param handlerErrors Exceptions the handler caught so far.
 * @param nowMs The monotonic time used as the end of runs still going.
 * @returns The run's metrics.
 */
export function rootMetrics(
  root: RawRoot,
  pricing: PricingContext,
  handlerErrors: number,
  nowMs: number,
): PipelineMetrics {
  const stages: Record<string, StageMetrics> = {};
  for (const raw of root.stages.values()) {
    stages[raw.name] = {
      name: raw.name,
      ...emptyTotals(),
      executions: raw.executions,
      latencyMs: raw.latencyMs,
      errors: raw.errors,
      toolCalls: raw.toolCalls,
      toolLatencyMs: raw.toolLatencyMs,
      executionSpans: raw.executionSpans.map((span) => ({
        startedAt: root.startedAt + (span.startMs - root.startMs),
        latencyMs: span.endMs - span.startMs,
        failed: span.failed,
      })),
    };
  }
  // A call still in flight when its run ended is measured up to the run's end.
  const calls = root.calls.map((call) => callMetrics(call, pricing, root.endMs ?? nowMs));
  for (const call of calls) addTotals(stages[call.stage], callTotals(call));
  const totals = emptyTotals();
  for (const stage of Object.values(stages)) addTotals(totals, stage);
  return {
    runId: root.id,
    runCount: 1,
    startedAt: root.startedAt,
    wallTimeMs: (root.endMs ?? nowMs) - root.startMs,
    status: root.endMs === null ? "running" : root.error === null ? "ok" : "error",
    error: root.error,
    stages,
    calls,
    totals,
    pricing: pricing.info,
    handlerErrors,
  };
}

/**
 * Merges the metrics of several runs into one: stages by name (in first-start order), calls
 * concatenated, wall time from the first start to the last end.
 *
 * @param runs The runs' metrics, in start order.
 * @param pricing Which catalog priced them (used when `runs` is empty).
 * @param handlerErrors Exceptions the handler caught so far.
 * @returns The merged metrics.
 *
 * @example Usage
 * ```ts
 * import { mergeRuns } from "./aggregate.ts";
 * import assert from "node:assert/strict";
 *
 * const pricing = { catalog: "@pydantic/genai-prices", version: "0.1.8", overrideModels: 0 };
 * const empty = mergeRuns([], pricing, 0);
 * assert.equal(empty.runCount, 0);
 * assert.equal(empty.totals.llmCalls, 0);
 * ```
 */
export function mergeRuns(
  runs: readonly PipelineMetrics[],
  pricing: PricingInfo,
  handlerErrors: number,
): PipelineMetrics {
  if (runs.length === 1) return runs[0];
  const stages: Record<string, StageMetrics> = {};
  const totals = emptyTotals();
  let firstStart = Infinity;
  let lastEnd = -Infinity;
  for (const run of runs) {
    firstStart = Math.min(firstStart, run.startedAt);
    lastEnd = Math.max(lastEnd, run.startedAt + run.wallTimeMs);
    for (const stage of Object.values(run.stages)) {
      const merged = stages[stage.name] ??= {
        name: stage.name,
        ...emptyTotals(),
        executionSpans: [],
      };
      addTotals(merged, stage);
      merged.executionSpans.push(...stage.executionSpans);
    }
    addTotals(totals, run.totals);
  }
  const failed = runs.find((run) => run.status === "error");
  return {
    runId: runs[0]?.runId ?? "",
    runCount: runs.length,
    startedAt: runs.length > 0 ? firstStart : 0,
    wallTimeMs: runs.length > 0 ? lastEnd - firstStart : 0,
    status: runs.some((run) => run.status === "running") ? "running" : failed ? "error" : "ok",
    error: failed?.error ?? null,
    stages,
    calls: runs.flatMap((run) => run.calls),
    totals,
    pricing,
    handlerErrors,
  };
}
