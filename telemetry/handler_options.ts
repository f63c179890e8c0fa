/**
 * The options of `PerformanceCallbackHandler`, their defaults and their validation:
 * everything the handler is told once, at construction.
 *
 * @module
 */
import type { LLMCallMetrics, PipelineMetrics } from "./metrics.ts";
import type { CallGuard } from "./call_guard.ts";
import type { PricingContext } from "./aggregate.ts";
import { messageOf } from "./_callback_args.ts";
import { currentCatalog, PRICE_CATALOG } from "../pricing/catalog.ts";
import { parsePriceOverrides, type PriceOverrides } from "../pricing/overrides.ts";
import { DEFAULT_MAX_THREADS } from "./thread_rollup.ts";

/** How many finished runs a handler keeps in detail unless told otherwise. */
export const DEFAULT_MAX_RETAINED_RUNS = 1000;

/** Options of `PerformanceCallbackHandler`. */
export interface PerformanceCallbackHandlerOptions {
  /** Your own per-million-token prices; they win over the catalog. Validated at construction. */
  priceOverrides?: PriceOverrides;
  /**
   * Called once per finished root run, synchronously as it ends, with its final, priced metrics
   * (a call still in flight then is `unfinished`). Push them to a log, a queue or OpenTelemetry.
   * An exception it throws is caught and counted like a handler error.
   */
  onRunEnd?: (run: PipelineMetrics) => void;
  /** Called once per finished LLM call (ended or failed), with its priced metrics (live budgets). */
  onCallEnd?: (call: LLMCallMetrics) => void;
  /**
   * Receives each exception caught inside the handler, with the count so far; it is never thrown
   * into the graph. Default: a `console.warn` at the 1st, 10th, 100th, ... error.
   */
  onError?: (error: unknown, count: number) => void;
  /**
   * Finished runs kept in detail (calls, execution spans) for `runs`, `getRun` and
   * `takeFinishedRuns`; older ones fold into exact running sums, so `metrics` stays exact over any
   * number of runs in bounded memory. Default 1000.
   */
  maxRetainedRuns?: number;
  /**
   * The metadata keys a run is attributed by (who it is for), recorded on its metrics as
   * `attributes`; default `["user_id", "tenant_id"]`. Give them in the run's `metadata`
   * (`graph.invoke(input, { metadata: { user_id } })`): LangGraph passes `configurable.thread_id`
   * to callbacks, but no other `configurable` key. The thread is always recorded (`threadId`).
   */
  attributes?: readonly string[];
  /**
   * Threads whose finished runs `thread(id)` rolls up; beyond it, the thread that saw no run for
   * longest is forgotten. Default 10,000.
   */
  maxThreads?: number;
  /**
   * A guard shown every LLM call before it is sent and when it ends (graphmeter's `BudgetGuard`
   * from `@graphmeter/graphmeter/budget`, or your own). When it may stop calls, the handler sets
   * LangChain's `raiseError`, and the error the guard returns fails the call before it is sent;
   * that error is the only one the handler ever raises into the graph.
   */
  budget?: CallGuard;
  /** A monotonic clock in ms, for tests (defaults to `performance.now`). */
  clock?: () => number;
  /** LangChain's handler input: skip LLM events. */
  ignoreLLM?: boolean;
  /** LangChain's handler input: skip chain events (then no stages are measured). */
  ignoreChain?: boolean;
  /** LangChain's handler input: skip agent events. */
  ignoreAgent?: boolean;
  /** LangChain's handler input: skip retriever events (default true: they are not measured). */
  ignoreRetriever?: boolean;
  /** LangChain's handler input: skip custom events (then `reportLLMCall` is not heard). */
  ignoreCustomEvent?: boolean;
}

/** The default `onError`: a `console.warn` at the 1st, 10th, 100th, ... error. */
export function warnByDefault(error: unknown, count: number): void {
  if (!/^10*$/.test(String(count))) return;
  console.warn(
    `graphmeter: ${count} error(s) inside PerformanceCallbackHandler, caught (the graph is ` +
      `unaffected); latest: ${messageOf(error)}`,
  );
}

/**
 * The number of finished runs to keep in detail.
 *
 * @throws {RangeError} When `maxRetainedRuns` is not a whole number ≥ 0.
 */
export function maxRetainedRunsOf(options: PerformanceCallbackHandlerOptions): number {
  const retained = options.maxRetainedRuns ?? DEFAULT_MAX_RETAINED_RUNS;
  if (!Number.isInteger(retained) || retained < 0) {
    throw new RangeError(`maxRetainedRuns must be a whole number ≥ 0, got ${retained}`);
  }
  return retained;
}

/**
 * The number of threads to keep sums of.
 *
 * @throws {RangeError} When `maxThreads` is not a whole number ≥ 0.
 */
export function maxThreadsOf(options: PerformanceCallbackHandlerOptions): number {
  const threads = options.maxThreads ?? DEFAULT_MAX_THREADS;
  if (!Number.isInteger(threads) || threads < 0) {
    throw new RangeError(`maxThreads must be a whole number ≥ 0, got ${threads}`);
  }
  return threads;
}

/**
 * What pricing needs: the user's overrides (validated) and the catalog they are priced with.
 *
 * @throws {import("../pricing/overrides.ts").PriceOverridesError} When the overrides are invalid.
 */
export function pricingContextOf(priceOverrides: PriceOverrides | undefined): PricingContext {
  const overrides = priceOverrides === undefined
    ? undefined
    : parsePriceOverrides(priceOverrides, "priceOverrides");
  return {
    overrides,
    info: Object.freeze({
      catalog: PRICE_CATALOG,
      version: currentCatalog().version,
      dataDate: currentCatalog().dataDate,
      overrideModels: Object.keys(overrides ?? {}).length,
    }),
  };
}
