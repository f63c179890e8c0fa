/**
 * Budgets the service enforces: {@linkcode BudgetGuard} holds limits per run, thread or attribution
 * key (`user_id`, `tenant_id`, ...), each over a window, before every LLM call is sent (hard: the
 * call fails with a {@linkcode BudgetExceededError}) or by telling you when crossed (soft). Plug it
 * into the handler as its `budget`. Spend is counted in memory by default; processes share it
 * through `SqliteBudgetCounter` (`@graphmeter/graphmeter/budget/sqlite`) or `RedisBudgetCounter`
 * (`@graphmeter/graphmeter/budget/redis`), each its own import so this one loads neither.
 *
 * @example Usage
 * ```ts
 * import { BudgetGuard } from "./mod.ts";
 * import { PerformanceCallbackHandler } from "../mod.ts";
 *
 * const budget = new BudgetGuard({
 *   limits: [
 *     { per: "user_id", maxUsd: 0.05, window: "1d" }, // hard: stops the call before it is sent
 *     { per: "tenant_id", maxUsd: 100, window: "1d", mode: "soft" }, // tells onBudget once
 *   ],
 *   onBudget: (event) => console.log(event.kind, event.limit.name, event.value),
 * });
 * const handler = new PerformanceCallbackHandler({ budget });
 * // graph.invoke(input, { callbacks: [handler], metadata: { user_id, tenant_id } })
 * ```
 *
 * @module
 */
export { type BudgetEvent, BudgetGuard, type BudgetGuardOptions } from "./budget_guard.ts";
export {
  type BudgetExceededDetails,
  BudgetExceededError,
  type BudgetLimitInfo,
  type BudgetStopReason,
} from "./budget_error.ts";
export type { BudgetLimit } from "./limits.ts";
export {
  type BudgetCounter,
  type BudgetCounterEntry,
  type BudgetReservation,
  MemoryBudgetCounter,
  type MemoryBudgetCounterOptions,
} from "./counter.ts";
export type { CallGuard, GuardedCall } from "../telemetry/call_guard.ts";
