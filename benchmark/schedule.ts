/**
 * The pure parts of a benchmark's scheduling: which runs to make, in what order, and whether the
 * cost budget allows launching one more.
 *
 * @module
 */
import { runKey } from "./run_record.ts";

/** One planned run: which input (by index and id) and which repeat. */
export interface PlannedRun {
  /** The input's index in the benchmark's input list. */
  inputIndex: number;
  /** The input's id. */
  inputId: string;
  /** The repeat, from 0. */
  repeat: number;
}

/**
 * Plans the runs of a benchmark: every input once per repeat, repeat by repeat (so a benchmark
 * stopped early has covered the inputs evenly), leaving out the runs already done.
 *
 * @param inputIds The inputs' ids, in order; they must be unique.
 * @param repeats How many times to run each input.
 * @param done Keys ({@linkcode runKey}) of runs already done.
 * @returns The runs still to make, in launch order.
 * @throws {Error} When two inputs share an id.
 *
 * @example Usage
 * ```ts
 * import { planRuns } from "./schedule.ts";
 * import assert from "node:assert/strict";
 *
 * const plan = planRuns(["a", "b"], 2, new Set(["a#0"]));
 * assert.deepEqual(plan.map((run) => `${run.inputId}#${run.repeat}`), ["b#0", "a#1", "b#1"]);
 * ```
 */
export function planRuns(
  inputIds: readonly string[],
  repeats: number,
  done: ReadonlySet<string> = new Set(),
): PlannedRun[] {
  const seen = new Set<string>();
  for (const id of inputIds) {
    if (seen.has(id)) throw new Error(`two benchmark inputs share the id "${id}"`);
    seen.add(id);
  }
  const plan: PlannedRun[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    inputIds.forEach((inputId, inputIndex) => {
      if (!done.has(runKey(inputId, repeat))) plan.push({ inputIndex, inputId, repeat });
    });
  }
  return plan;
}

/** What the budget check needs to know about the benchmark so far. */
export interface BudgetState {
  /** The budget in US dollars, or undefined for none. */
  maxCostUsd: number | undefined;
  /** Cost of the finished runs (unpriced ones count as 0). */
  spentUsd: number;
  /** How many runs have finished (resumed ones included). */
  finishedRuns: number;
  /** Cost of the dearest finished run (unpriced ones count as 0). */
  dearestRunUsd: number;
  /** How many runs are in flight. */
  inFlight: number;
}

/**
 * Whether one more run may start under the budget: `launch`, `wait` for runs in flight to finish
 * (their cost is not known yet), or `stop` for good. Each run in flight and the next one are
 * estimated at the cost of the dearest finished run, so runs that cost about the same never pass
 * the budget; with none finished, a single run goes first to measure it.
 *
 * @param state The benchmark so far.
 * @returns The decision.
 *
 * @example Usage
 * ```ts
 * import { budgetDecision } from "./schedule.ts";
 * import assert from "node:assert/strict";
 *
 * // Runs of $0.01 and $0.02: a third (up to $0.02) would pass $0.045.
 * const state = {
 *   maxCostUsd: 0.045,
 *   spentUsd: 0.03,
 *   finishedRuns: 2,
 *   dearestRunUsd: 0.02,
 *   inFlight: 0,
 * };
 * assert.equal(budgetDecision(state), "stop");
 * ```
 */
export function budgetDecision(state: BudgetState): "launch" | "wait" | "stop" {
  const { maxCostUsd, spentUsd, finishedRuns, dearestRunUsd, inFlight } = state;
  if (maxCostUsd === undefined) return "launch";
  if (finishedRuns === 0) return inFlight === 0 ? "launch" : "wait";
  if (spentUsd + (inFlight + 1) * dearestRunUsd <= maxCostUsd) return "launch";
  return inFlight === 0 ? "stop" : "wait";
}

/**
 * Estimates the time left from the pace of the runs finished so far in this session.
 *
 * @param elapsedMs Time since the benchmark (session) started.
 * @param finishedThisSession Runs finished since then.
 * @param remaining Runs not finished yet.
 * @returns The estimate in milliseconds, or null before any run has finished.
 *
 * @example Usage
 * ```ts
 * import { estimateRemainingMs } from "./schedule.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(estimateRemainingMs(10_000, 2, 3), 15_000);
 * ```
 */
export function estimateRemainingMs(
  elapsedMs: number,
  finishedThisSession: number,
  remaining: number,
): number | null {
  if (finishedThisSession === 0) return null;
  return (elapsedMs / finishedThisSession) * remaining;
}

/** One slice of a benchmark's planned runs: shard `index` (from 1) of `count`. */
export interface Shard {
  /** Which slice, from 1. */
  index: number;
  /** How many slices. */
  count: number;
}

/**
 * The planned runs of one shard: every `count`-th run of the plan, starting at `index - 1`, so
 * the shards are disjoint, cover the plan, and each gets every input and repeat in turn.
 *
 * @param plan The whole plan, in plan order.
 * @param shard The slice, or undefined for the whole plan.
 * @returns The shard's runs, in plan order.
 *
 * @example Usage
 * ```ts
 * import { planRuns, shardRuns } from "./schedule.ts";
 * import assert from "node:assert/strict";
 *
 * const plan = planRuns(["a", "b", "c"], 1);
 * assert.deepEqual(shardRuns(plan, { index: 2, count: 2 }).map((r) => r.inputId), ["b"]);
 * ```
 */
export function shardRuns(plan: readonly PlannedRun[], shard?: Shard): PlannedRun[] {
  if (shard === undefined) return [...plan];
  return plan.filter((_, place) => place % shard.count === shard.index - 1);
}
