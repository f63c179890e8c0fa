/**
 * Turns the recorder's raw measurements into metrics values: prices each finished call once,
 * sums calls into stages and stages into totals, merges runs. Field lists come from the schemas,
 * so a new token kind or total is summed without an edit here. Runs off the hot path, when metrics
 * are read or a run ends with a listener.
 *
 * @module
 */
import {
  type ExecutionSpan,
  type LLMCallMetrics,
  type PipelineMetrics,
  type PricingInfo,
  type StageMetrics,
  type StageTotals,
  stageTotalsSchema,
} from "./metrics.ts";
import type { RawCall, RawRoot } from "./recorder.ts";
import { estimateCost } from "../pricing/estimate.ts";
import type { CostSource } from "../pricing/cost_source.ts";
import type { PriceOverrides } from "../pricing/overrides.ts";
import { TOKEN_FIELDS, ZERO_TOKEN_USAGE } from "../pricing/token_usage.ts";
import { addBreakdown, type CostBreakdown, emptyBreakdown } from "../pricing/breakdown.ts";
import { staleCatalogNote, unpricedModelNote } from "../pricing/notes.ts";
import { callTiming, callWait } from "./call_timing.ts";
import { CommonAttribution, EMPTY_ATTRIBUTES } from "./attribution.ts";
import { callPath, runPaths } from "./paths.ts";
import {
  clonePaths,
  freezePaths,
  MAX_PATHS,
  mergePaths,
  type MutablePath,
} from "./_path_figures.ts";
import { orderAndBound } from "./_path_bounds.ts";

/** What pricing needs besides the calls themselves. */
export interface PricingContext {
  /** The user's price table, if any. */
  overrides?: PriceOverrides;
  /** Which catalog priced the metrics. */
  info: PricingInfo;
}

/** A stage's or run's totals while they are being summed. */
export type MutableTotals = { -readonly [K in keyof StageTotals]: StageTotals[K] };

/** A stage's metrics while they are being summed. */
export type MutableStage = MutableTotals & { name: string; executionSpans: ExecutionSpan[] };

/** Fields of {@linkcode StageTotals} with a rule of their own (not a plain sum of numbers). */
type OwnRuleField = "costUsd" | "costBreakdown";

/** The summed fields of {@linkcode StageTotals}, from its schema. */
const SUMMED_FIELDS = (Object.keys(stageTotalsSchema.shape) as (keyof StageTotals)[])
  .filter((field): field is Exclude<keyof StageTotals, OwnRuleField> =>
    field !== "costUsd" && field !== "costBreakdown"
  );

interface Priced {
  readonly costUsd: number | null;
  readonly source: CostSource;
  readonly breakdown: CostBreakdown | null;
  readonly missing: readonly string[];
  /** For an unpriced call, why (one line for the metrics' pricing notes), or undefined. */
  readonly note?: string;
}

/** Pricing notes kept at most (a long-lived handler meeting many unknown deployments). */
const MAX_PRICING_NOTES = 20;

/**
 * Notes of several sources, each once, in first-seen order, at most {@linkcode MAX_PRICING_NOTES}.
 *
 * @param lists The notes to merge.
 * @returns The merged notes.
 *
 * @example Usage
 * ```ts
 * import { mergeNotes } from "./aggregate.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(mergeNotes(["a", "b"], undefined, ["b", "c"]), ["a", "b", "c"]);
 * ```
 */
export function mergeNotes(...lists: (readonly string[] | undefined)[]): readonly string[] {
  const merged = new Set<string>();
  for (const list of lists) {
    for (const note of list ?? []) if (merged.size < MAX_PRICING_NOTES) merged.add(note);
  }
  return merged.size === 0 ? NOTHING : Object.freeze([...merged]);
}

const NOTHING: readonly string[] = Object.freeze([]);

/** The `costMissing` entry of a call with an attempt the provider may have billed. */
export const POSSIBLY_BILLED_ATTEMPT = "attempt:possibly_billed";

/** Attempts sent and then cut off before an answer (a timeout, a cancel): maybe billed. */
function possiblyBilledAttempts(call: RawCall): number {
  let count = 0;
  for (const attempt of call.attempts ?? []) {
    if (
      attempt.status === null && attempt.failure !== "network_error" &&
      attempt.failure !== "not_sent"
    ) count++;
  }
  return count;
}

/** Prices of finished calls, kept beside the recorder's hot-path records (not on them). */
const prices = new WeakMap<RawCall, Priced>();

function computePrice(call: RawCall, pricing: PricingContext): Priced {
  const unpriced = { breakdown: null, missing: NOTHING };
  if (call.endMs === null) return { costUsd: null, source: "unfinished", ...unpriced };
  if (call.llmCacheHit) return { costUsd: 0, source: "llm-cache", ...unpriced };
  const cutOff = possiblyBilledAttempts(call);
  if (call.usage === null) {
    // A call that failed after tokens had streamed was billed, for an unknown amount; so was one
    // whose usage arrived but could not be taken, and maybe one whose request was cut off after
    // it was sent (a timeout). Refused, rate-limited and failed answers cost nothing.
    return call.error === null || call.firstTokenMs !== null || call.usageIssue !== null ||
        cutOff > 0
      ? { costUsd: null, source: "no-usage", ...unpriced }
      : { costUsd: 0, source: "failed", ...unpriced };
  }
  const model = call.responseModel ?? call.requestedModel ?? "unknown";
  // Priced as of the call's own start: date-dependent prices do not move with the read time.
  const priced = estimateCost(call.usage, model, {
    provider: call.provider,
    requestedModel: call.requestedModel ?? undefined,
    modelFromAnswer: call.responseModel !== null,
    overrides: pricing.overrides,
    at: call.startedAt,
    serviceTier: call.billing?.serviceTier,
    inferenceGeo: call.billing?.inferenceGeo,
    providerCostUsd: call.billing?.providerCostUsd,
  });
  // What the integration hid: audio that went in with no audio count reported
  // (`@langchain/google-genai` drops Gemini's modality counts, so those tokens were priced as
  // text), and the parts of server-side tool use it dropped. The priced figure is a lower bound.
  // A provider's own cost, or a local model's $0, already is the bill.
  const hidden = priced.source === "provider" || priced.source === "local" ? [] : [
    ...(call.promptHasAudio && call.usage.inputAudioTokens === 0 ? ["input_audio:unreported"] : []),
    ...(call.usageGaps ?? []),
    // A retried request that was cut off after it was sent may have been billed too.
    ...(cutOff > 0 ? [POSSIBLY_BILLED_ATTEMPT] : []),
  ];
  const missing = hidden.length === 0 ? priced.missing : [...priced.missing, ...hidden];
  const note = priced.source === "unpriced"
    ? unpricedModelNote(model, call.provider, call.responseModel !== null, priced.unpricedReason)
    : null;
  return {
    costUsd: priced.costUsd,
    source: priced.source,
    breakdown: priced.breakdown && Object.freeze(priced.breakdown),
    missing: missing.length === 0 ? NOTHING : Object.freeze([...missing]),
    ...(note === null ? {} : { note }),
  };
}

/**
 * The pricing notes of one run: each unpriced call's reason, once, and the stale-catalog note
 * when a model was unknown to a catalog older than 60 days at the run's start.
 */
function runNotes(
  raw: readonly RawCall[],
  priced: readonly Priced[],
  startedAt: number,
): readonly string[] {
  const unknown: string[] = [];
  const notes: string[] = [];
  priced.forEach((price, i) => {
    if (price.source !== "unpriced") return;
    unknown.push(raw[i].responseModel ?? raw[i].requestedModel ?? "unknown");
    if (price.note !== undefined) notes.push(price.note);
  });
  if (unknown.length === 0) return NOTHING;
  const stale = staleCatalogNote(unknown, startedAt);
  return mergeNotes(stale === null ? [] : [stale], notes);
}

/**
 * A call's price, computed once per finished call while its run is still going (the run's
 * metrics are rebuilt on each read then); a finished run's metrics are built once, so its calls
 * are priced directly.
 */
function priceOf(call: RawCall, pricing: PricingContext, remember: boolean): Priced {
  if (!remember) return prices.get(call) ?? computePrice(call, pricing);
  const known = prices.get(call);
  if (known) return known;
  const priced = computePrice(call, pricing);
  if (call.endMs !== null) prices.set(call, priced);
  return priced;
}

/**
 * The metrics of one raw call (frozen).
 *
 * @param call The raw call.
 * @param pricing The pricing context.
 * @param nowMs The monotonic time used as the end of a call still running.
 * @param remember Keep the price for later reads (while the call's run is still going).
 * @returns The call's metrics.
 */
export function callMetrics(
  call: RawCall,
  pricing: PricingContext,
  nowMs: number,
  remember = true,
): LLMCallMetrics {
  return pricedCallMetrics(call, priceOf(call, pricing, remember), nowMs);
}

/**
 * The cost of one finished raw call in US dollars, or null when it cannot be priced: its price,
 * computed once and kept for the run's metrics (a budget guard needs it as the call ends).
 *
 * @param call The raw call.
 * @param pricing The pricing context.
 * @returns The cost.
 */
export function callCostUsd(call: RawCall, pricing: PricingContext): number | null {
  return priceOf(call, pricing, true).costUsd;
}

/** The metrics of one raw call whose price is known (frozen). */
function pricedCallMetrics(call: RawCall, priced: Priced, nowMs: number): LLMCallMetrics {
  // Object literals with spreads keep one fast shape per call; keyed stores field by field would
  // not (measured: 15x slower for 10,000 calls).
  const timing = callTiming(call, call.endMs ?? nowMs);
  return Object.freeze({
    runId: call.runId,
    stage: call.stage,
    path: callPath(call),
    model: call.responseModel ?? call.requestedModel ?? "unknown",
    requestedModel: call.requestedModel,
    provider: call.provider,
    startedAt: call.startedAt,
    // A call that started after its run ended (under a tool the run left running) is measured
    // up to the run's end like any call in flight: 0 ms, never less.
    latencyMs: Math.max(0, (call.endMs ?? nowMs) - call.startMs),
    timeToFirstTokenMs: call.firstTokenMs === null ? null : call.firstTokenMs - call.startMs,
    ...ZERO_TOKEN_USAGE,
    ...call.usage,
    usageReported: call.usage !== null,
    usageIssue: call.usageIssue,
    costUsd: priced.costUsd,
    costSource: priced.source,
    costBreakdown: priced.breakdown,
    costMissing: priced.missing,
    error: call.error,
    attempts: timing.attempts,
    serviceLatencyMs: timing.serviceLatencyMs,
    waitMs: timing.waitMs,
    rateLimit: timing.rateLimit,
  });
}

/**
 * A stage or totals record with every number at zero.
 *
 * @returns A fresh, mutable record.
 */
export function emptyTotals(): MutableTotals {
  const totals = { costUsd: 0, costBreakdown: emptyBreakdown() } as MutableTotals;
  for (const field of SUMMED_FIELDS) totals[field] = 0;
  return totals;
}

/**
 * Adds one call into a stage's totals, in place: the sum of one call, straight from the raw call
 * and its price (no call record is built for the sums: the first read of a 10,000-call run does
 * this 10,000 times).
 */
function addCall(target: MutableTotals, call: RawCall, priced: Priced, endMs: number): void {
  if (priced.costUsd !== null) target.costUsd = (target.costUsd ?? 0) + priced.costUsd;
  else if (target.llmCalls === 0) target.costUsd = null;
  target.llmCalls += 1;
  const usage = call.usage;
  if (usage === null) target.callsWithoutUsage += 1;
  else for (const field of TOKEN_FIELDS) target[field] += usage[field];
  if (priced.costUsd === null) target.unpricedCalls += 1;
  else if (priced.missing.length > 0) target.partialCalls += 1;
  if (priced.breakdown) addBreakdown(target.costBreakdown, priced.breakdown);
  if (call.attempts !== null) {
    const timing = callWait(call, call.endMs ?? endMs);
    target.trackedCalls += 1;
    target.httpAttempts += call.attempts.length;
    target.rateLimitedAttempts += timing.rateLimitedAttempts;
    target.waitMs += timing.waitMs;
  }
}

/**
 * Adds one stage's (or run's) totals into another, in place. Costs follow one rule: null means
 * "calls were made and none was priced", never $0; a sum with some unpriced calls is partial.
 *
 * @param target The running sum.
 * @param source The totals to add.
 */
export function addTotals(target: MutableTotals, source: StageTotals): void {
  if (source.llmCalls > 0) {
    if (source.costUsd !== null) target.costUsd = (target.costUsd ?? 0) + source.costUsd;
    else if (target.llmCalls === 0) target.costUsd = null;
  }
  for (const field of SUMMED_FIELDS) target[field] += source[field];
  addBreakdown(target.costBreakdown, source.costBreakdown);
}

function emptyStage(name: string): MutableStage {
  return { name, ...emptyTotals(), executionSpans: [] };
}

/**
 * Freezes a metrics value and everything in it. `calls` is left alone: it is a lazily built list,
 * frozen (with each call) when it is first read.
 */
function freezeMetrics(metrics: PipelineMetrics): PipelineMetrics {
  for (const stage of Object.values(metrics.stages)) {
    Object.freeze(stage.executionSpans);
    Object.freeze(stage.costBreakdown);
    Object.freeze(stage);
  }
  Object.freeze(metrics.stages);
  Object.freeze(metrics.totals.costBreakdown);
  Object.freeze(metrics.totals);
  Object.freeze(metrics.pricing);
  return Object.freeze(metrics);
}

/**
 * The metrics of one root run, frozen.
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
  const stages: Record<string, MutableStage> = {};
  for (const raw of root.stages.values()) {
    stages[raw.name] = {
      ...emptyStage(raw.name),
      executions: raw.executions,
      latencyMs: raw.latencyMs,
      errors: raw.errors,
      toolCalls: raw.toolCalls,
      toolLatencyMs: raw.toolLatencyMs,
      executionSpans: raw.executionSpans.map((span) =>
        Object.freeze({
          startedAt: root.startedAt + (span.startMs - root.startMs),
          latencyMs: span.endMs! - span.startMs,
          failed: span.failed,
        })
      ),
    };
  }
  // A call still in flight when its run ended is measured up to the run's end.
  const running = root.endMs === null;
  const endMs = root.endMs ?? nowMs;
  const raw = root.calls.slice();
  const priced = raw.map((call) => priceOf(call, pricing, running));
  raw.forEach((call, i) => addCall(stages[call.stage], call, priced[i], endMs));
  const totals = emptyTotals();
  for (const stage of Object.values(stages)) addTotals(totals, stage);
  // The call records are built when `calls` is first read (sums never need them). A finished
  // call's raw record never changes again; one still unfinished now is recorded now, so the list
  // is this moment's value whenever it is built.
  const unfinished = new Map(
    raw.flatMap((call, i) =>
      call.endMs === null ? [[i, pricedCallMetrics(call, priced[i], endMs)] as const] : []
    ),
  );
  const calls = lazyList(() =>
    raw.map((call, i) => unfinished.get(i) ?? pricedCallMetrics(call, priced[i], endMs))
  );
  const tree = runPaths(root, { callCosts: priced.map((price) => price.costUsd), endMs });
  return freezeMetrics({
    runId: root.id,
    runCount: 1,
    startedAt: root.startedAt,
    wallTimeMs: endMs - root.startMs,
    status: root.endMs === null ? "running" : root.error === null ? "ok" : "error",
    error: root.error,
    stages,
    get calls(): readonly LLMCallMetrics[] {
      return calls();
    },
    totals,
    paths: tree.paths,
    criticalPath: tree.criticalPath,
    pricing: {
      ...pricing.info,
      notes: mergeNotes(pricing.info.notes, runNotes(raw, priced, root.startedAt)),
    },
    handlerErrors,
    threadId: root.attribution.threadId,
    attributes: root.attribution.attributes ?? EMPTY_ATTRIBUTES,
  });
}

/**
 * Exact running sums of runs that are no longer kept in detail: stage sums and totals, the run
 * count, the time span and the first error. Calls and execution spans are not kept.
 */
export class FoldedRuns {
  #runCount = 0;
  #firstStart = Infinity;
  #lastEnd = -Infinity;
  #firstRunId: string | null = null;
  #error: string | null = null;
  #failed = false;
  readonly #stages = new Map<string, MutableStage>();
  #paths = new Map<string, MutablePath>();
  readonly #totals: MutableTotals = emptyTotals();
  #notes: readonly string[] = NOTHING;
  #attribution = new CommonAttribution();

  /** How many runs were folded in. */
  get runCount(): number {
    return this.#runCount;
  }

  /** An independent copy of these sums. */
  clone(): FoldedRuns {
    const copy = new FoldedRuns();
    copy.#runCount = this.#runCount;
    copy.#firstStart = this.#firstStart;
    copy.#lastEnd = this.#lastEnd;
    copy.#firstRunId = this.#firstRunId;
    copy.#error = this.#error;
    copy.#failed = this.#failed;
    copy.#notes = this.#notes;
    copy.#attribution = this.#attribution.clone();
    for (const [name, stage] of this.#stages) {
      copy.#stages.set(name, {
        ...stage,
        costBreakdown: { ...stage.costBreakdown },
        executionSpans: [],
      });
    }
    copy.#paths = clonePaths(this.#paths);
    Object.assign(copy.#totals, this.#totals, {
      costBreakdown: { ...this.#totals.costBreakdown },
    });
    return copy;
  }

  /** Adds a finished run's sums. */
  add(run: PipelineMetrics): void {
    this.#runCount += 1;
    this.#firstRunId ??= run.runId;
    this.#firstStart = Math.min(this.#firstStart, run.startedAt);
    this.#lastEnd = Math.max(this.#lastEnd, run.startedAt + run.wallTimeMs);
    if (run.status === "error" && !this.#failed) {
      this.#failed = true;
      this.#error = run.error;
    }
    for (const stage of Object.values(run.stages)) {
      let folded = this.#stages.get(stage.name);
      if (!folded) this.#stages.set(stage.name, folded = emptyStage(stage.name));
      addTotals(folded, stage);
    }
    addTotals(this.#totals, run.totals);
    this.#attribution.add(run.threadId, run.attributes);
    mergePaths([run.paths], this.#paths);
    // Paths that differ run after run stay bounded: past twice the bound, fold the smallest.
    if (this.#paths.size > 2 * MAX_PATHS) {
      this.#paths = new Map(orderAndBound(this.#paths).map((path) => [path.path, path]));
    }
    if ((run.pricing.notes ?? []).length > 0) {
      this.#notes = mergeNotes(this.#notes, run.pricing.notes);
    }
  }

  /** The folded runs as one metrics value (no calls, no execution spans), or null when none. */
  asMetrics(pricing: PricingInfo): PipelineMetrics | null {
    if (this.#runCount === 0) return null;
    const stages: Record<string, StageMetrics> = {};
    for (const [name, stage] of this.#stages) {
      stages[name] = { ...stage, costBreakdown: { ...stage.costBreakdown }, executionSpans: [] };
    }
    return {
      runId: this.#firstRunId ?? "",
      runCount: this.#runCount,
      startedAt: this.#firstStart,
      wallTimeMs: this.#lastEnd - this.#firstStart,
      status: this.#failed ? "error" : "ok",
      error: this.#error,
      stages,
      calls: [],
      totals: { ...this.#totals, costBreakdown: { ...this.#totals.costBreakdown } },
      paths: freezePaths(orderAndBound(clonePaths(this.#paths))),
      criticalPath: [],
      pricing: { ...pricing, notes: mergeNotes(pricing.notes, this.#notes) },
      handlerErrors: 0,
      threadId: this.#attribution.threadId,
      attributes: this.#attribution.attributes,
    };
  }
}

/**
 * Merges the metrics of several runs into one frozen value: stages by name (in first-start
 * order), calls concatenated, wall time from the first start to the last end.
 *
 * @param runs The runs' metrics, in start order.
 * @param pricing Which catalog priced them (used when `runs` is empty).
 * @param handlerErrors Exceptions the handler caught so far.
 * @param detail The calls and execution spans to list (default: those of `runs`); a
 *   long-lived handler passes those it keeps in detail while `runs` carries every run's sums.
 * @returns The merged metrics, a new value (the inputs are not changed or shared mutably).
 *
 * @example Usage
 * ```ts
 * import { mergeRuns } from "./aggregate.ts";
 * import assert from "node:assert/strict";
 *
 * const pricing = {
 *   catalog: "@pydantic/genai-prices",
 *   version: "0.1.8",
 *   dataDate: "2026-09-22",
 *   overrideModels: 0,
 * };
 * const empty = mergeRuns([], pricing, 0);
 * assert.equal(empty.runCount, 0);
 * assert.equal(empty.totals.llmCalls, 0);
 * ```
 */
export function mergeRuns(
  runs: readonly PipelineMetrics[],
  pricing: PricingInfo,
  handlerErrors: number,
  detail?: RunDetail,
): PipelineMetrics {
  const stages: Record<string, MutableStage> = {};
  const totals = emptyTotals();
  let firstStart = Infinity;
  let lastEnd = -Infinity;
  let runCount = 0;
  const attribution = new CommonAttribution();
  for (const run of runs) {
    runCount += run.runCount;
    attribution.add(run.threadId, run.attributes);
    firstStart = Math.min(firstStart, run.startedAt);
    lastEnd = Math.max(lastEnd, run.startedAt + run.wallTimeMs);
    for (const stage of Object.values(run.stages)) {
      const merged = stages[stage.name] ??= emptyStage(stage.name);
      addTotals(merged, stage);
      if (!detail) appendAll(merged.executionSpans, stage.executionSpans);
    }
    addTotals(totals, run.totals);
  }
  if (detail) {
    for (const [name, spans] of detail.spans) {
      (stages[name] ??= emptyStage(name)).executionSpans = [...spans];
    }
  }
  const failed = runs.find((run) => run.status === "error");
  const calls = lazyList(detail ? detail.calls : () => runs.flatMap((run) => run.calls));
  const paths = new Map<string, MutablePath>();
  mergePaths(runs.map((run) => run.paths), paths);
  return freezeMetrics({
    runId: runs[0]?.runId ?? "",
    runCount,
    startedAt: runs.length > 0 ? firstStart : 0,
    wallTimeMs: runs.length > 0 ? lastEnd - firstStart : 0,
    status: runs.some((run) => run.status === "running") ? "running" : failed ? "error" : "ok",
    error: failed?.error ?? null,
    stages,
    get calls(): readonly LLMCallMetrics[] {
      return calls();
    },
    totals,
    paths: freezePaths(orderAndBound(paths)),
    criticalPath: [],
    pricing: {
      ...pricing,
      notes: mergeNotes(pricing.notes, ...runs.map((run) => run.pricing.notes)),
    },
    handlerErrors,
    threadId: attribution.threadId,
    attributes: attribution.attributes,
  });
}

/** The calls and execution spans to list when they are kept apart from the runs' sums. */
export interface RunDetail {
  /** Lists the calls, in order, when they are first read. */
  readonly calls: () => readonly LLMCallMetrics[];
  /** Each stage's execution spans (frozen), in the order to list them. */
  readonly spans: ReadonlyMap<string, readonly ExecutionSpan[]>;
}

/** Appends every item of `items` (a spread would overflow the call stack past ~100k items). */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** A list built once, when it is first asked for, and frozen. */
function lazyList<T>(build: () => readonly T[]): () => readonly T[] {
  let list: readonly T[] | undefined;
  return () => list ??= Object.freeze(build().slice());
}
