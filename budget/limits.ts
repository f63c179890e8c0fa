/**
 * Budget limits as a team writes them (`{ per: "user_id", maxUsd: 5, window: "1d" }`), validated,
 * and the counter each call is charged to.
 *
 * @module
 */
import type { GuardedCall } from "../telemetry/call_guard.ts";
import type { BudgetCounterEntry } from "./counter.ts";

/** One limit of a {@linkcode BudgetGuard}. */
export interface BudgetLimit {
  /**
   * What the limit is per: `"run"` (one graph invocation), `"thread"` (a LangGraph thread, over
   * its invocations), or an attribution key the handler records (`"user_id"`, `"tenant_id"`, ...).
   * A call whose run has no such value is not held by the limit.
   */
  per: string;
  /** US dollars allowed per `per` value and window. */
  maxUsd: number;
  /**
   * The window the spend is counted over: `30s`, `15m`, `1h`, `1d`, `7d` (fixed windows aligned
   * to the Unix epoch, so `1d` is a UTC day). Without one, spend is counted forever (for
   * `per: "run"`: the run).
   */
  window?: string;
  /**
   * `hard` (default): a call is stopped before it is sent when the spend so far plus its
   * estimated maximum cost would pass `maxUsd`. `soft`: nothing is stopped; `onBudget` is told
   * once when the spend crosses `maxUsd` in a window.
   */
  mode?: "hard" | "soft";
  /**
   * Names the limit's counters (what processes sharing a counter store agree on); default
   * `<per>/<window>` (e.g. `user_id/1d`, `thread/total`). It may not hold a `|`.
   */
  name?: string;
}

/** A limit validated, in the units the counters count. */
export interface ParsedLimit {
  /** Its place in the guard's list. */
  readonly index: number;
  /** What it is per. */
  readonly per: string;
  /** US dollars allowed. */
  readonly maxUsd: number;
  /** Nano-dollars (1e-9 US dollars) allowed: counters count whole nano-dollars. */
  readonly maxNanoUsd: number;
  /** The window as written, or null. */
  readonly window: string | null;
  /** The window's length, ms, or null. */
  readonly windowMs: number | null;
  /** Hard or soft. */
  readonly mode: "hard" | "soft";
  /** The counters' name. */
  readonly name: string;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** US dollars as whole nano-dollars, rounded up (a reservation never counts less than its cost). */
export function nanoUsdCeil(usd: number): number {
  return Math.ceil(usd * 1e9 - 1e-6);
}

/** US dollars as whole nano-dollars, rounded to the nearest. */
export function nanoUsd(usd: number): number {
  return Math.round(usd * 1e9);
}

/**
 * Validates a guard's limits.
 *
 * @param limits The limits as written.
 * @returns The limits in counter units.
 * @throws {TypeError} When a limit is malformed, with one line saying which and how to fix it.
 *
 * @example Usage
 * ```ts
 * import { parseLimits } from "./limits.ts";
 * import assert from "node:assert/strict";
 *
 * const [limit] = parseLimits([{ per: "user_id", maxUsd: 0.05, window: "1d" }]);
 * assert.equal(limit.windowMs, 86_400_000);
 * assert.equal(limit.maxNanoUsd, 50_000_000);
 * assert.equal(limit.name, "user_id/1d");
 * assert.throws(() => parseLimits([{ per: "user_id", maxUsd: 1, window: "1 day" }]), /window/);
 * ```
 */
export function parseLimits(limits: readonly BudgetLimit[]): ParsedLimit[] {
  if (!Array.isArray(limits) || limits.length === 0) {
    throw new TypeError('BudgetGuard: give at least one limit, e.g. { per: "user_id", maxUsd: 5 }');
  }
  return limits.map((limit, index) => {
    const where = `BudgetGuard limit ${index + 1}`;
    if (typeof limit?.per !== "string" || limit.per.length === 0) {
      throw new TypeError(`${where}: per must be "run", "thread" or an attribution key`);
    }
    if (typeof limit.maxUsd !== "number" || !Number.isFinite(limit.maxUsd) || limit.maxUsd < 0) {
      throw new TypeError(`${where}: maxUsd must be a number of US dollars ≥ 0`);
    }
    let windowMs: number | null = null;
    if (limit.window !== undefined) {
      const match = /^([1-9]\d*)([smhd])$/.exec(limit.window);
      if (!match) {
        throw new TypeError(
          `${where}: window "${limit.window}" is not one of 30s, 15m, 1h, 1d, 7d (a number and s, m, h or d)`,
        );
      }
      windowMs = Number(match[1]) * UNIT_MS[match[2]];
    }
    const mode = limit.mode ?? "hard";
    if (mode !== "hard" && mode !== "soft") {
      throw new TypeError(`${where}: mode must be "hard" or "soft"`);
    }
    const name = limit.name ?? `${limit.per}/${limit.window ?? "total"}`;
    if (name.includes("|")) throw new TypeError(`${where}: name may not hold a "|"`);
    return {
      index,
      per: limit.per,
      maxUsd: limit.maxUsd,
      maxNanoUsd: nanoUsd(limit.maxUsd),
      window: limit.window ?? null,
      windowMs,
      mode,
      name,
    };
  });
}

/** The counter a call is charged to under one limit (an entry a counter store takes as is). */
export interface LimitCounter extends BudgetCounterEntry {
  /** The limit. */
  readonly limit: ParsedLimit;
  /** The value the limit holds here (the user id, the thread, the run). */
  readonly value: string;
  /** Start of the window, epoch ms, or null without one. */
  readonly windowStart: number | null;
}

/**
 * What a limit holds in a call's run: its run, thread or attribution value, if any.
 *
 * @param limit The limit.
 * @param call The call.
 * @returns The value, or null when the limit does not hold the call.
 */
export function valueOf(limit: ParsedLimit, call: GuardedCall): string | null {
  if (limit.per === "run") return call.rootRunId;
  if (limit.per === "thread") return call.threadId;
  return call.attributes[limit.per] ?? null;
}

/**
 * Whether a counter built earlier is still the one for a call starting at `startedAt` (the same
 * window, or a limit without windows).
 *
 * @param counter The counter.
 * @param limit Its limit.
 * @param startedAt The call's start, epoch ms.
 * @returns True when it can be reused.
 */
export function sameWindow(counter: LimitCounter, limit: ParsedLimit, startedAt: number): boolean {
  return limit.windowMs === null ||
    (counter.windowStart as number) === Math.floor(startedAt / limit.windowMs) * limit.windowMs;
}

/**
 * The counter a call is charged to under a limit, or null when the limit does not hold the call.
 *
 * @param limit The limit.
 * @param call The call.
 * @returns The counter.
 */
export function counterOf(limit: ParsedLimit, call: GuardedCall): LimitCounter | null {
  const value = valueOf(limit, call);
  if (value === null) return null;
  const window = limit.windowMs === null ? 0 : Math.floor(call.startedAt / limit.windowMs);
  const windowStart = limit.windowMs === null ? null : window * limit.windowMs;
  return {
    limit,
    value,
    // name|mode|window|value: the value comes last, and the name holds no "|", so a value with
    // a "|" in it cannot be mistaken for another counter's.
    key: `${limit.name}|${limit.mode}|${window}|${value}`,
    maxNanoUsd: limit.maxNanoUsd,
    windowStart,
    ttlMs: windowStart === null
      ? null
      : windowStart + (limit.windowMs as number) - call.startedAt + 60_000,
  };
}
