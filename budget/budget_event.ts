/**
 * What a `BudgetGuard` tells `onBudget`: a soft limit crossed, or a call a hard limit
 * stopped (with the error the graph saw).
 *
 * @module
 */
import type { GuardedCall } from "../telemetry/call_guard.ts";
import {
  BudgetExceededError,
  type BudgetLimitInfo,
  type BudgetStopReason,
} from "./budget_error.ts";
import type { LimitCounter, ParsedLimit } from "./limits.ts";

/** What `onBudget` is told: a soft limit crossed, or a call a hard limit stopped. */
export interface BudgetEvent {
  /** `crossed`: a soft limit's spend passed `maxUsd` (once per window); `stopped`: a call was. */
  readonly kind: "crossed" | "stopped";
  /** The limit. */
  readonly limit: BudgetLimitInfo;
  /** The value it held (the user id, the thread, the run id). */
  readonly value: string;
  /** Spend in the window, US dollars, when known. */
  readonly spentUsd: number | null;
  /** Start of the window, epoch ms, or null without one. */
  readonly windowStart: number | null;
  /** The call's run id (the one that crossed it, or was stopped). */
  readonly runId: string;
  /** The root run the call belongs to. */
  readonly rootRunId: string;
  /** For `stopped`: the error the graph saw. */
  readonly error?: BudgetExceededError;
}

/** A limit as events and errors describe it. */
function infoOf(limit: ParsedLimit): BudgetLimitInfo {
  return {
    name: limit.name,
    per: limit.per,
    maxUsd: limit.maxUsd,
    window: limit.window,
    mode: limit.mode,
  };
}

/**
 * The error a stopped call fails with, and the event that tells of it.
 *
 * @param call The call.
 * @param counter The counter that could not take it.
 * @param reason Why.
 * @param spentNanoUsd What the counter held, or null when unknown.
 * @param estimatedUsd The call's estimated maximum cost, or null.
 * @returns The error and the event.
 */
export function stopped(
  call: GuardedCall,
  counter: LimitCounter,
  reason: BudgetStopReason,
  spentNanoUsd: number | null,
  estimatedUsd: number | null,
): { error: BudgetExceededError; event: BudgetEvent } {
  const error = new BudgetExceededError({
    reason,
    limit: infoOf(counter.limit),
    value: counter.value,
    spentUsd: spentNanoUsd === null ? null : spentNanoUsd / 1e9,
    estimatedUsd,
    model: call.model,
  });
  return {
    error,
    event: {
      kind: "stopped",
      limit: error.limit,
      value: counter.value,
      spentUsd: error.spentUsd,
      windowStart: counter.windowStart,
      runId: call.runId,
      rootRunId: call.rootRunId,
      error,
    },
  };
}

/**
 * The soft limits a charge took over their maximum: a counter crosses once, when the charge moves
 * it from at or under its maximum to over it.
 *
 * @param call The call charged.
 * @param counters The soft counters charged.
 * @param totals Their values after the charge, nano-dollars, in the same order.
 * @param charged The charge, nano-dollars.
 * @returns One event per crossing.
 */
export function crossed(
  call: GuardedCall,
  counters: readonly LimitCounter[],
  totals: readonly number[],
  charged: number,
): BudgetEvent[] {
  const events: BudgetEvent[] = [];
  counters.forEach((counter, i) => {
    const total = totals[i];
    const max = counter.limit.maxNanoUsd;
    if (total - charged <= max && total > max) {
      events.push({
        kind: "crossed",
        limit: infoOf(counter.limit),
        value: counter.value,
        spentUsd: total / 1e9,
        windowStart: counter.windowStart,
        runId: call.runId,
        rootRunId: call.rootRunId,
      });
    }
  });
  return events;
}
