/**
 * Where a call's money goes: its cost split by billed dimension. The zod schema is the type, and
 * zero/add of breakdowns are derived from its shape.
 *
 * @module
 */
import { z } from "zod";
import type { SameKeys } from "./_same_keys.ts";

const usd = z.number();

/** The zod schema of {@linkcode CostBreakdown}. */
export const costBreakdownSchema = z.strictObject({
  uncachedInputUsd: usd.describe("Uncached text prompt tokens."),
  cachedInputUsd: usd.describe("Prompt tokens read from the provider's cache."),
  cacheWrite5mUsd: usd.describe("Prompt tokens written to a 5-minute (default) cache."),
  cacheWrite1hUsd: usd.describe("Prompt tokens written to a 1-hour cache."),
  outputUsd: usd.describe("Text completion tokens, reasoning included."),
  reasoningUsd: usd.describe("Of outputUsd: reasoning tokens."),
  audioUsd: usd.describe("Audio input and output tokens."),
  toolFeesUsd: usd.describe("Server-side tool fees (web search, grounding): requests x fee."),
  multiplierUsd: usd.describe(
    "What multipliers added (positive) or took off (negative): service tier, data residency.",
  ),
});

/**
 * A cost split by billed dimension, US dollars. The parts sum to the priced cost, except
 * `reasoningUsd`, which is the part of `outputUsd` spent on reasoning.
 */
export interface CostBreakdown {
  /** Uncached text prompt tokens. */
  uncachedInputUsd: number;
  /** Prompt tokens read from the provider's cache. */
  cachedInputUsd: number;
  /** Prompt tokens written to a 5-minute (default) cache. */
  cacheWrite5mUsd: number;
  /** Prompt tokens written to a 1-hour cache. */
  cacheWrite1hUsd: number;
  /** Text completion tokens, reasoning included. */
  outputUsd: number;
  /** Of `outputUsd`: reasoning tokens. */
  reasoningUsd: number;
  /** Audio input and output tokens. */
  audioUsd: number;
  /** Server-side tool fees (web search, fetch, grounding): request counts times fee. */
  toolFeesUsd: number;
  /** What multipliers added (positive) or took off (negative): service tier, data residency. */
  multiplierUsd: number;
}

// The interface and the schema name the same fields.
const _sameFields: SameKeys<CostBreakdown, z.infer<typeof costBreakdownSchema>> = true;

const BREAKDOWN_KEYS = Object.keys(costBreakdownSchema.shape) as (keyof CostBreakdown)[];

/**
 * A breakdown with every part at zero.
 *
 * @returns The empty breakdown.
 *
 * @example Usage
 * ```ts
 * import { emptyBreakdown } from "./breakdown.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(emptyBreakdown().toolFeesUsd, 0);
 * ```
 */
export function emptyBreakdown(): CostBreakdown {
  // A spread of a fast template keeps one object shape (keyed stores field by field do not).
  return { ...ZERO_BREAKDOWN };
}

const ZERO_BREAKDOWN: CostBreakdown = Object.freeze(
  Object.fromEntries(BREAKDOWN_KEYS.map((key) => [key, 0])) as unknown as CostBreakdown,
);

/**
 * Adds one breakdown into another, in place.
 *
 * @param target The running sum.
 * @param source The breakdown to add.
 *
 * @example Usage
 * ```ts
 * import { addBreakdown, emptyBreakdown } from "./breakdown.ts";
 * import assert from "node:assert/strict";
 *
 * const sum = emptyBreakdown();
 * addBreakdown(sum, { ...emptyBreakdown(), outputUsd: 0.5 });
 * addBreakdown(sum, { ...emptyBreakdown(), outputUsd: 0.25 });
 * assert.equal(sum.outputUsd, 0.75);
 * ```
 */
export function addBreakdown(target: CostBreakdown, source: CostBreakdown): void {
  for (const key of BREAKDOWN_KEYS) target[key] += source[key];
}

/**
 * The total of a breakdown (every part but `reasoningUsd`, which is inside `outputUsd`).
 *
 * @param breakdown The breakdown.
 * @returns Its total, US dollars.
 *
 * @example Usage
 * ```ts
 * import { breakdownTotalUsd, emptyBreakdown } from "./breakdown.ts";
 * import assert from "node:assert/strict";
 *
 * const parts = { ...emptyBreakdown(), outputUsd: 2, reasoningUsd: 1, uncachedInputUsd: 1 };
 * assert.equal(breakdownTotalUsd(parts), 3);
 * ```
 */
export function breakdownTotalUsd(breakdown: CostBreakdown): number {
  let total = 0;
  for (const key of BREAKDOWN_KEYS) if (key !== "reasoningUsd") total += breakdown[key];
  return total;
}
