/**
 * Pricing, a pure function of graphmeter's own types: a call's token usage, model, provider and
 * time in, its cost and where that cost came from out, from the maintained catalog, cited
 * corrections of it, and the user's own price table.
 *
 * @example Usage
 * ```ts
 * import { estimateCost } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const usage = {
 *   inputTokens: 1_000_000,
 *   outputTokens: 0,
 *   cacheReadTokens: 0,
 *   cacheWriteTokens: 0,
 *   reasoningTokens: 0,
 *   cacheWrite1hTokens: 0,
 *   inputAudioTokens: 0,
 *   outputAudioTokens: 0,
 *   webSearchRequests: 0,
 *   fileSearchRequests: 0,
 * };
 * const priced = estimateCost(usage, "my-model", {
 *   overrides: { "my-model": { inputPerMTok: 2, outputPerMTok: 8 } },
 * });
 * assert.equal(priced.costUsd, 2);
 * assert.equal(priced.source, "override");
 * ```
 *
 * @module
 */
export { type CostEstimate, estimateCost, type EstimateCostOptions } from "./estimate.ts";
export { type ModelPrice, type PriceOverrides, PriceOverridesError } from "./overrides.ts";
export type { TokenUsage } from "./token_usage.ts";
export type { CostSource } from "./cost_source.ts";
export type { CostBreakdown } from "./breakdown.ts";
