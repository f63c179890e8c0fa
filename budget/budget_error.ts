/**
 * The typed error a hard budget stops a call with, before the call is sent: the graph sees it
 * like any node error (`graph.invoke` rejects with it, unless a node catches it).
 *
 * @module
 */

/** Why a call was stopped. */
export type BudgetStopReason =
  /** The spend so far plus the call's estimated maximum cost would pass the limit. */
  | "budget"
  /** The call's model has no known price, so the limit could not be held. */
  | "unpriced"
  /** The counter store did not answer (and `failOpen` is false). */
  | "counter-unavailable";

/** The limit a call was held by, as the error and the events describe it. */
export interface BudgetLimitInfo {
  /** The counters' name (`user_id/1d` unless named). */
  readonly name: string;
  /** What the limit is per: `run`, `thread` or an attribution key. */
  readonly per: string;
  /** US dollars allowed per value and window. */
  readonly maxUsd: number;
  /** The window (`1d`), or null. */
  readonly window: string | null;
  /** Hard or soft. */
  readonly mode: "hard" | "soft";
}

/** What a {@linkcode BudgetExceededError} says. */
export interface BudgetExceededDetails {
  /** Why the call was stopped. */
  readonly reason: BudgetStopReason;
  /** The limit that stopped it. */
  readonly limit: BudgetLimitInfo;
  /** The value the limit held (the user id, the thread, the run id). */
  readonly value: string;
  /** Spend counted so far in the window (calls in flight at their estimate), US dollars. */
  readonly spentUsd: number | null;
  /** The call's estimated maximum cost, US dollars, or null when it could not be priced. */
  readonly estimatedUsd: number | null;
  /** The call's model. */
  readonly model: string | null;
}

function usd(value: number): string {
  return `$${value.toFixed(value >= 1 ? 2 : 6).replace(/(\.\d*?[1-9])0+$|\.0+$/, "$1")}`;
}

function messageOf(details: BudgetExceededDetails): string {
  const { limit, value } = details;
  const per = limit.window === null ? "" : ` per ${limit.window}`;
  const holder = `${limit.per} "${value}"`;
  if (details.reason === "unpriced") {
    return `budget ${limit.name}: no price is known for ${details.model ?? "an unnamed model"}, ` +
      `so the ${usd(limit.maxUsd)}${per} limit of ${holder} cannot be held; give its price in ` +
      "the handler's priceOverrides (the call was not sent)";
  }
  if (details.reason === "counter-unavailable") {
    return `budget ${limit.name}: the budget counter store did not answer and failOpen is ` +
      `false, so the call of ${holder} was not sent`;
  }
  return `budget ${limit.name}: ${holder} has spent ${usd(details.spentUsd ?? 0)} of ` +
    `${usd(limit.maxUsd)}${per}; this call may cost up to ${usd(details.estimatedUsd ?? 0)}, so ` +
    "it was not sent";
}

/**
 * A call stopped by a hard budget before it was sent.
 *
 * @example Usage
 * ```ts
 * import { BudgetExceededError } from "./budget_error.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new BudgetExceededError({
 *   reason: "budget",
 *   limit: { name: "user_id/1d", per: "user_id", maxUsd: 0.05, window: "1d", mode: "hard" },
 *   value: "u-1",
 *   spentUsd: 0.048,
 *   estimatedUsd: 0.0045,
 *   model: "gpt-4o",
 * });
 * assert.equal(error.name, "BudgetExceededError");
 * assert.match(error.message, /user_id "u-1" has spent \$0.048 of \$0.05 per 1d/);
 * ```
 */
export class BudgetExceededError extends Error implements BudgetExceededDetails {
  /** The error's name. */
  override readonly name = "BudgetExceededError";
  /**
   * HTTP's 402 Payment Required: LangGraph's default retry policy retries no error with this
   * status, so a node with a `retryPolicy` is not run again into the same wall.
   */
  readonly status = 402;
  /** Why the call was stopped. */
  readonly reason: BudgetStopReason;
  /** The limit that stopped it. */
  readonly limit: BudgetLimitInfo;
  /** The value the limit held (the user id, the thread, the run id). */
  readonly value: string;
  /** Spend counted so far in the window, US dollars (null when the store did not answer). */
  readonly spentUsd: number | null;
  /** The call's estimated maximum cost, US dollars, or null. */
  readonly estimatedUsd: number | null;
  /** The call's model. */
  readonly model: string | null;

  /**
   * Creates the error.
   *
   * @param details What stopped the call.
   */
  constructor(details: BudgetExceededDetails) {
    super(messageOf(details));
    this.reason = details.reason;
    this.limit = details.limit;
    this.value = details.value;
    this.spentUsd = details.spentUsd;
    this.estimatedUsd = details.estimatedUsd;
    this.model = details.model;
  }
}
