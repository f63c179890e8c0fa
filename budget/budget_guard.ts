/**
 * `BudgetGuard`: limits per run, thread or attribution key, each over a window, held before each
 * LLM call is sent (hard) or reported when crossed (soft). Plugged into the handler as its
 * `budget`; its counters live in a {@linkcode BudgetCounter} (memory, SQLite or Redis).
 *
 * How a hard limit holds under concurrency: before a call is sent, the guard reserves the call's
 * estimated maximum cost (its prompt's tokens and its `max_tokens`, or the model's output limit,
 * at the model's prices) on every counter that holds it, atomically, and refuses when a counter
 * would pass its limit; when the call ends, the reservation is replaced by the actual cost. So
 * spend never passes a limit by more than what estimates missed (a prompt counted short).
 *
 * @module
 */
import type { CallGuard, GuardedCall } from "../telemetry/call_guard.ts";
import {
  type BudgetCounter,
  type BudgetCounterEntry,
  type BudgetReservation,
  MemoryBudgetCounter,
} from "./counter.ts";
import type { BudgetExceededError, BudgetStopReason } from "./budget_error.ts";
import { type BudgetEvent, crossed, stopped } from "./budget_event.ts";
import { CounterTimeoutError, StoreCalls } from "./_store_calls.ts";

import type { BudgetGuardOptions } from "./guard_options.ts";

export type { BudgetEvent, BudgetGuardOptions };
import {
  counterOf,
  type LimitCounter,
  nanoUsd,
  nanoUsdCeil,
  type ParsedLimit,
  parseLimits,
  sameWindow,
  valueOf,
} from "./limits.ts";

/** What a call let through holds, until it ends. */
interface Reservation {
  readonly amountNanoUsd: number;
  /** Run counters (in memory) reserved on. */
  readonly local: readonly BudgetCounterEntry[];
  /** Shared hard counters, and whether the reservation on them is known to have been made. */
  readonly shared: readonly BudgetCounterEntry[];
  readonly sharedReserved: boolean;
}

/** A call being decided: what it would reserve, and where. */
interface Pending {
  readonly call: GuardedCall;
  readonly amount: number;
  readonly estimatedUsd: number;
  readonly local: readonly LimitCounter[];
  readonly shared: readonly LimitCounter[];
}

const NONE: readonly LimitCounter[] = [];

/** A run's counter (in this process's memory). */
const isRun = (counter: LimitCounter): boolean => counter.limit.per === "run";
/** A counter in the shared store. */
const isShared = (counter: LimitCounter): boolean => counter.limit.per !== "run";

/** Counters kept per limit for reuse (one per user, say) before the cache starts again. */
const MAX_CACHED_COUNTERS = 10_000;

/**
 * Budgets the service enforces: pass it as the handler's `budget`.
 *
 * @example Usage
 * ```ts
 * import { BudgetExceededError, BudgetGuard } from "./mod.ts";
 * import { PerformanceCallbackHandler } from "../mod.ts";
 * import { FakeListChatModel } from "@langchain/core/utils/testing";
 * import assert from "node:assert/strict";
 *
 * // A $0 daily limit per user: the first call that may cost anything is stopped before it is sent.
 * const budget = new BudgetGuard({ limits: [{ per: "user_id", maxUsd: 0, window: "1d" }] });
 * const handler = new PerformanceCallbackHandler({
 *   budget,
 *   priceOverrides: { "fake-model": { inputPerMTok: 1, outputPerMTok: 2 } },
 * });
 * const model = new FakeListChatModel({ responses: ["hi"] });
 * model.getLsParams = () => ({ ls_provider: "fake", ls_model_name: "fake-model", ls_model_type: "chat" });
 * await assert.rejects(
 *   model.invoke("hello", { callbacks: [handler], metadata: { user_id: "u-1" } }),
 *   BudgetExceededError,
 * );
 * ```
 */
export class BudgetGuard implements CallGuard {
  /** True when a limit is hard: the handler then lets the guard's errors reach the graph. */
  readonly stopsCalls: boolean;
  readonly #limits: readonly ParsedLimit[];
  readonly #hard: readonly ParsedLimit[];
  readonly #soft: readonly ParsedLimit[];
  readonly #hasRunLimits: boolean;
  /** Each limit's counters by value, reused while their window lasts. */
  readonly #counterCache: Map<string, LimitCounter>[];
  readonly #counter: BudgetCounter;
  readonly #runCounter = new MemoryBudgetCounter();
  readonly #runKeys = new Map<string, string[]>();
  readonly #reservations = new Map<string, Reservation>();
  readonly #onBudget: ((event: BudgetEvent) => void) | undefined;
  readonly #failOpen: boolean;
  readonly #defaultMaxOutputTokens: number;
  /** The shared store's calls: bounded waits, background charges, one warning. */
  readonly #store: StoreCalls;

  /**
   * Creates a guard.
   *
   * @param options The limits, the counter store and the policies.
   * @throws {TypeError} When a limit or option is malformed (one line says which).
   */
  constructor(options: BudgetGuardOptions) {
    this.#limits = parseLimits(options.limits);
    this.#hard = this.#limits.filter((limit) => limit.mode === "hard");
    this.#soft = this.#limits.filter((limit) => limit.mode === "soft");
    this.stopsCalls = this.#hard.length > 0;
    this.#hasRunLimits = this.#limits.some((limit) => limit.per === "run");
    this.#counterCache = this.#limits.map(() => new Map());
    this.#counter = options.counter ?? new MemoryBudgetCounter();
    this.#onBudget = options.onBudget;
    this.#failOpen = options.failOpen ?? true;
    this.#defaultMaxOutputTokens = options.defaultMaxOutputTokens ?? 4096;
    this.#store = new StoreCalls(
      options.counterTimeoutMs ?? 500,
      this.#failOpen,
      options.warn ?? ((message) => console.warn(message)),
    );
  }

  /** Times the counter store failed or did not answer in time. */
  get counterFailures(): number {
    return this.#store.failures;
  }

  /** See {@linkcode CallGuard.beforeCall}: reserves the call's estimated maximum, or stops it. */
  beforeCall(call: GuardedCall): Error | null | Promise<Error | null> {
    const hard = this.#countersOf(call, this.#hard);
    if (hard.length === 0) return null;
    const estimatedUsd = call.price(
      call.promptTokens ?? 0,
      call.maxOutputTokens ?? this.#defaultMaxOutputTokens,
    );
    if (estimatedUsd === null) return this.#stop(call, hard[0], "unpriced", null, null);
    const amount = nanoUsdCeil(estimatedUsd);
    const local = this.#hasRunLimits ? hard.filter(isRun) : NONE;
    const shared = this.#hasRunLimits ? hard.filter(isShared) : hard;
    if (local.length > 0) {
      const reserved = this.#runCounter.reserve(local, amount);
      if (!reserved.granted) {
        const counter = local[reserved.index];
        return this.#stop(call, counter, "budget", reserved.spentNanoUsd, estimatedUsd);
      }
      this.#rememberRunKeys(call.rootRunId, local);
    }
    if (shared.length === 0) return this.#reserve(call.runId, amount, local, shared, true);
    let answer: ReturnType<BudgetCounter["reserve"]>;
    try {
      answer = this.#counter.reserve(shared, amount);
    } catch (error) {
      return this.#storeFailed({ call, amount, estimatedUsd, local, shared }, error);
    }
    // The common case answers at once: granted, nothing more to build.
    if (!(answer instanceof Promise) && answer.granted) {
      return this.#reserve(call.runId, amount, local, shared, true);
    }
    const pending: Pending = { call, amount, estimatedUsd, local, shared };
    if (!(answer instanceof Promise)) return this.#answered(pending, answer);
    let timedOut = false;
    // A reservation the store grants after the call stopped waiting is given back.
    answer.then((late) => {
      if (timedOut && late.granted) {
        this.#store.inBackground(() => this.#counter.add(shared, -amount));
      }
    }, () => {});
    return this.#store.bounded(answer).then(
      (result) => this.#answered(pending, result),
      (error) => {
        timedOut = error instanceof CounterTimeoutError;
        return this.#storeFailed(pending, error);
      },
    );
  }

  /** The shared store's answer to a reservation. */
  #answered(pending: Pending, answer: BudgetReservation): Error | null {
    if (answer.granted) return this.#reserved(pending, true);
    this.#giveBackLocal(pending);
    const counter = pending.shared[answer.index];
    return this.#stop(pending.call, counter, "budget", answer.spentNanoUsd, pending.estimatedUsd);
  }

  /** The shared store failed or did not answer: the `failOpen` policy. */
  #storeFailed(pending: Pending, error: unknown): Error | null {
    this.#store.failed(error);
    if (this.#failOpen) return this.#reserved(pending, false);
    this.#giveBackLocal(pending);
    const counter = pending.shared[0];
    return this.#stop(pending.call, counter, "counter-unavailable", null, pending.estimatedUsd);
  }

  /** Remembers a call let through with what it holds, until it ends. */
  #reserve(
    runId: string,
    amountNanoUsd: number,
    local: readonly LimitCounter[],
    shared: readonly LimitCounter[],
    sharedReserved: boolean,
  ): null {
    this.#reservations.set(runId, { amountNanoUsd, local, shared, sharedReserved });
    return null;
  }

  #reserved(pending: Pending, sharedReserved: boolean): null {
    const { call, amount, local, shared } = pending;
    return this.#reserve(call.runId, amount, local, shared, sharedReserved);
  }

  #giveBackLocal(pending: Pending): void {
    if (pending.local.length > 0) this.#runCounter.add(pending.local, -pending.amount);
  }

  /** See {@linkcode CallGuard.afterCall}: charges the actual cost (the estimate when unknown). */
  afterCall(call: GuardedCall, costUsd: number | null): void {
    const reservation = this.#reservations.get(call.runId);
    this.#reservations.delete(call.runId);
    const actual = costUsd === null ? (reservation?.amountNanoUsd ?? 0) : nanoUsd(costUsd);
    if (reservation) {
      const delta = actual - reservation.amountNanoUsd;
      if (reservation.local.length > 0 && delta !== 0) {
        this.#runCounter.add(reservation.local, delta);
      }
      if (reservation.shared.length > 0) {
        const charge = reservation.sharedReserved ? delta : actual;
        if (charge !== 0) {
          this.#store.inBackground(() => this.#counter.add(reservation.shared, charge));
        }
      }
    } else if (actual > 0) {
      // Not reserved (reported after the fact): charged to the hard limits all the same.
      const hard = this.#countersOf(call, this.#hard);
      const local = this.#hasRunLimits ? hard.filter(isRun) : NONE;
      const shared = this.#hasRunLimits ? hard.filter(isShared) : hard;
      if (local.length > 0) this.#runAdd(call.rootRunId, local, actual);
      if (shared.length > 0) this.#store.inBackground(() => this.#counter.add(shared, actual));
    }
    if (this.#soft.length === 0 || actual <= 0) return;
    const soft = this.#countersOf(call, this.#soft);
    const local = this.#hasRunLimits ? soft.filter(isRun) : NONE;
    const shared = this.#hasRunLimits ? soft.filter(isShared) : soft;
    if (local.length > 0) {
      this.#crossings(call, local, this.#runAdd(call.rootRunId, local, actual), actual);
    }
    if (shared.length > 0) {
      this.#store.inBackground(
        () => this.#counter.add(shared, actual),
        (totals) => this.#crossings(call, shared, totals, actual),
      );
    }
  }

  /** See {@linkcode CallGuard.runEnded}: forgets the run's counters. */
  runEnded(rootRunId: string): void {
    const keys = this.#runKeys.get(rootRunId);
    if (keys) this.#runCounter.forget(keys);
    this.#runKeys.delete(rootRunId);
  }

  /**
   * What a limit's counter holds now, US dollars: for a hard limit, spend plus the estimates of
   * calls in flight.
   *
   * @param name The limit's name (`user_id/1d` unless named).
   * @param value The value it holds (the user id, the thread).
   * @param at A moment in the window to read, epoch ms (default now).
   * @returns The spend.
   * @throws {TypeError} When no limit has that name.
   */
  async spentUsd(name: string, value: string, at: number = Date.now()): Promise<number> {
    const limit = this.#limits.find((candidate) => candidate.name === name);
    if (!limit) throw new TypeError(`BudgetGuard: no limit is named "${name}"`);
    const counter = counterOf(limit, {
      runId: "",
      rootRunId: value,
      threadId: value,
      attributes: { [limit.per]: value },
      provider: "",
      model: null,
      promptTokens: null,
      maxOutputTokens: null,
      startedAt: at,
      price: () => null,
    }) as LimitCounter;
    const store = limit.per === "run" ? this.#runCounter : this.#counter;
    const [total] = await store.add([counter], 0);
    return total / 1e9;
  }

  /** Waits for the counter updates still going in the background (charges after calls). */
  async flush(): Promise<void> {
    await this.#store.flush();
  }

  /** Flushes, then closes the counter store. */
  async close(): Promise<void> {
    await this.flush();
    await this.#counter.close?.();
  }

  /** Adds to a run's counters (in memory), remembering them so they go when the run ends. */
  #runAdd(rootRunId: string, entries: readonly BudgetCounterEntry[], amount: number): number[] {
    this.#rememberRunKeys(rootRunId, entries);
    return this.#runCounter.add(entries, amount);
  }

  #rememberRunKeys(rootRunId: string, entries: readonly BudgetCounterEntry[]): void {
    const keys = this.#runKeys.get(rootRunId);
    if (!keys) this.#runKeys.set(rootRunId, entries.map((entry) => entry.key));
    else for (const entry of entries) if (!keys.includes(entry.key)) keys.push(entry.key);
  }

  /**
   * The counters of these limits that hold the call. A limit's counter for a value is built once
   * per window and reused (its key is the same for every call of that user in that window).
   */
  #countersOf(call: GuardedCall, limits: readonly ParsedLimit[]): LimitCounter[] {
    const counters: LimitCounter[] = [];
    for (const limit of limits) {
      const value = valueOf(limit, call);
      if (value === null) continue;
      const cache = this.#counterCache[limit.index];
      let counter = cache.get(value);
      if (!counter || !sameWindow(counter, limit, call.startedAt)) {
        counter = counterOf(limit, call) as LimitCounter;
        if (cache.size >= MAX_CACHED_COUNTERS) cache.clear();
        cache.set(value, counter);
      }
      counters.push(counter);
    }
    return counters;
  }

  #stop(
    call: GuardedCall,
    counter: LimitCounter,
    reason: BudgetStopReason,
    spentNanoUsd: number | null,
    estimatedUsd: number | null,
  ): BudgetExceededError {
    const { error, event } = stopped(call, counter, reason, spentNanoUsd, estimatedUsd);
    this.#emit(event);
    return error;
  }

  /** Tells `onBudget` of each soft counter this charge took over its limit. */
  #crossings(
    call: GuardedCall,
    counters: readonly LimitCounter[],
    totals: readonly number[],
    charged: number,
  ): void {
    for (const event of crossed(call, counters, totals, charged)) this.#emit(event);
  }

  #emit(event: BudgetEvent): void {
    try {
      this.#onBudget?.(event);
    } catch (error) {
      this.#store.warnOnce(
        `graphmeter budget: onBudget threw (${(error as Error)?.message ?? error})`,
      );
    }
  }
}
