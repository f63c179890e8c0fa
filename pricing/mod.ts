/**
 * The cost calculator: prices from the maintained `@pydantic/genai-prices` catalog, the user's
 * own price table on top, unknown models reported as unpriced.
 *
 * @module
 */
export * from "./estimate.ts";
export * from "./overrides.ts";
