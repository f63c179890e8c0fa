/**
 * Where a call's price came from, or why it has none: pricing's own vocabulary, which the metrics
 * carry on every call.
 *
 * @module
 */

/** How a call's `costUsd` was obtained, or why it has none (see {@linkcode COST_SOURCES}). */
export type CostSource =
  | "catalog"
  | "correction"
  | "override"
  | "provider"
  | "local"
  | "llm-cache"
  | "failed"
  | "no-usage"
  | "unpriced"
  | "unfinished";

/** Each source once: the compiler holds this record and the union above to the same members. */
const MEANINGS: Record<CostSource, string> = {
  catalog: "priced from the maintained catalog (@pydantic/genai-prices)",
  correction: "priced from graphmeter's cited corrections of wrong catalog entries",
  override: "priced from the user's own price table",
  provider: "the provider reported the call's cost itself (e.g. OpenRouter's usage.cost)",
  local: "a local model (e.g. Ollama): free by definition, costUsd is 0",
  "llm-cache": "answered from LangChain's own LLM cache: nothing was billed, costUsd is 0",
  failed: "the call failed before the provider reported usage: nothing billed, costUsd is 0",
  "no-usage": "the provider reported no usage: the cost is unknown, costUsd is null",
  unpriced: "the model is unknown to every price table: costUsd is null",
  unfinished: "still running when the run ended (or the metrics were read): costUsd is null",
};

/**
 * Every {@linkcode CostSource}, in a stable order.
 *
 * @example Usage
 * ```ts
 * import { COST_SOURCES } from "./cost_source.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(COST_SOURCES.includes("unpriced"));
 * ```
 */
export const COST_SOURCES: readonly CostSource[] = Object.keys(MEANINGS) as CostSource[];
