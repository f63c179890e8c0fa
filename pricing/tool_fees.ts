/**
 * Per-request fees of provider-side tools that the price catalog does not carry, by the catalog's
 * provider id. Each constant cites its source and the date it was read.
 *
 * @module
 */

/** A provider's per-request tool fees, US dollars per request. */
export interface ServerToolFees {
  /** One web search (for xAI also one X search: both are billed alike). */
  readonly webSearchUsd: number;
}

/**
 * Tool fees the catalog lacks, by catalog provider id.
 *
 * - `x-ai`: Web Search and X Search, $5 per 1,000 calls each
 *   (https://docs.x.ai/developers/pricing, "Tool Invocation Costs", read 2026-11-27).
 *
 * @example Usage
 * ```ts
 * import { SERVER_TOOL_FEES } from "./tool_fees.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(SERVER_TOOL_FEES["x-ai"].webSearchUsd * 1000, 5);
 * ```
 */
export const SERVER_TOOL_FEES: Readonly<Record<string, ServerToolFees>> = Object.freeze({
  "x-ai": Object.freeze({ webSearchUsd: 5 / 1000 }),
});
