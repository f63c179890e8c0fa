/**
 * The options of `BudgetGuard`: its limits, where spend is counted, and its policies.
 *
 * @module
 */
import type { BudgetCounter } from "./counter.ts";
import type { BudgetEvent } from "./budget_event.ts";
import type { BudgetLimit } from "./limits.ts";

/** Options of `BudgetGuard`. */
export interface BudgetGuardOptions {
  /** The limits, e.g. `[{ per: "user_id", maxUsd: 5, window: "1d" }]`. */
  limits: readonly BudgetLimit[];
  /**
   * Where spend is counted: in this process's memory (default), or shared by processes
   * (`SqliteBudgetCounter` from `./budget/sqlite`, `RedisBudgetCounter` from `./budget/redis`).
   * Limits `per: "run"` are always counted in memory (a run lives in one process).
   */
  counter?: BudgetCounter;
  /** Told when a soft limit is crossed (once per crossing) and when a hard one stops a call. */
  onBudget?: (event: BudgetEvent) => void;
  /**
   * When the counter store fails or does not answer in `counterTimeoutMs`: true (default) lets
   * the call go, unguarded, with one warning; false stops it (`reason: "counter-unavailable"`).
   */
  failOpen?: boolean;
  /** How long a call waits for the counter store at most, ms. Default 500. */
  counterTimeoutMs?: number;
  /**
   * The output tokens assumed for a call that sets no `max_tokens` and whose model's output limit
   * is not known. Default 4,096. Set `max_tokens` on your models to need no assumption.
   */
  defaultMaxOutputTokens?: number;
  /** Where the guard's one warning goes (default `console.warn`). */
  warn?: (message: string) => void;
}
