/**
 * Why runs end early: the abort reasons the runner gives a run's graph (the benchmark stopped, the
 * run took too long) and why a benchmark stopped, in words (no caller's vocabulary: no flags).
 *
 * @module
 */
import { formatUsd } from "../report/format.ts";
import type { BenchmarkStop } from "./options.ts";

/**
 * The abort reason of the runs in flight when the benchmark stops (a budget, an interrupt): such
 * a run is stopped, not failed, and a resume makes it again.
 *
 * @example Usage
 * ```ts
 * import { BenchmarkStopped } from "./stops.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new BenchmarkStopped("interrupted").name, "BenchmarkStopped");
 * ```
 */
export class BenchmarkStopped extends Error {
  /** The error's name. */
  override name = "BenchmarkStopped";
}

/**
 * The abort reason of a run that passed the run timeout: it failed, and the benchmark goes on.
 *
 * @example Usage
 * ```ts
 * import { RunTimeoutError } from "./stops.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new RunTimeoutError(1500).message, "the run timed out after 1.5 s");
 * ```
 */
export class RunTimeoutError extends Error {
  /** The error's name. */
  override name = "RunTimeoutError";
  /** The run timeout, milliseconds. */
  readonly timeoutMs: number;
  /**
   * The abort reason of a run past its timeout.
   *
   * @param timeoutMs The run timeout, milliseconds.
   */
  constructor(timeoutMs: number) {
    super(`the run timed out after ${timeoutMs / 1000} s`);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Why a run was stopped in flight, in a few words (kept with the stopped run).
 *
 * @param stop Why the benchmark stopped.
 * @returns The words.
 *
 * @example Usage
 * ```ts
 * import { stopCause } from "./stops.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(stopCause({ kind: "interrupted", reason: "SIGTERM" }), "interrupted (SIGTERM)");
 * ```
 */
export function stopCause(stop: BenchmarkStop): string {
  switch (stop.kind) {
    case "budget-would-pass":
    case "budget-crossed":
      return `the budget of ${formatUsd(stop.budgetUsd)} was crossed`;
    case "unpriced-call":
      return `a call to ${stop.provider}:${stop.model} could not be priced under a budget`;
    case "interrupted":
      return `interrupted (${stop.reason})`;
  }
}

/** A spend past a budget, with the digits it takes to tell them apart ($0.0500042, not $0.05). */
function usdPast(spentUsd: number, budgetUsd: number): string {
  const short = formatUsd(spentUsd);
  if (short !== formatUsd(budgetUsd)) return short;
  return `$${Number(spentUsd.toPrecision(6))}`;
}

/**
 * Why the benchmark stopped, in words, with what was spent in all.
 *
 * @param stop Why it stopped.
 * @param spentUsd What the calls cost in all, stopped runs included.
 * @returns One sentence.
 *
 * @example Usage
 * ```ts
 * import { stopReason } from "./stops.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   stopReason({ kind: "budget-crossed", budgetUsd: 1, spentUsd: 1.2 }, 1.25),
 *   "stopped: the calls made cost $1.25, past the budget of $1.00; the runs in flight were aborted",
 * );
 * const crossed = { kind: "budget-crossed", budgetUsd: 0.05, spentUsd: 0.05 } as const;
 * assert.match(stopReason(crossed, 0.0500042), /cost \$0\.0500042, past the budget of \$0\.05;/);
 * ```
 */
export function stopReason(stop: BenchmarkStop, spentUsd: number): string {
  switch (stop.kind) {
    case "budget-would-pass":
      return `stopped launching runs: one more (up to about ${formatUsd(stop.dearestRunUsd)}, ` +
        `the dearest run so far) would pass the budget of ${formatUsd(stop.budgetUsd)} ` +
        `(spent ${formatUsd(spentUsd)})`;
    case "budget-crossed":
      return `stopped: the calls made cost ${usdPast(spentUsd, stop.budgetUsd)}, past the ` +
        `budget of ${formatUsd(stop.budgetUsd)}; the runs in flight were aborted`;
    case "unpriced-call":
      return `stopped: a call to ${stop.provider}:${stop.model} could not be priced, so the ` +
        `budget of ${formatUsd(stop.budgetUsd)} could not be held; the runs in flight were aborted`;
    case "interrupted":
      return `stopped: interrupted (${stop.reason}); the calls made cost ${formatUsd(spentUsd)}; ` +
        "the runs in flight were aborted";
  }
}
