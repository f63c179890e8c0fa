/**
 * What a provider's answer says about its bill beyond the token counts: 1-hour cache writes,
 * server-side searches, the service tier, data residency and a cost the provider reported itself.
 *
 * @module
 */
import type { TokenUsage } from "../pricing/token_usage.ts";
import type { CallBilling } from "../pricing/price_call.ts";
import type { ServerToolAccount } from "./server_tools.ts";
import { asDict, count, type Dict, firstString } from "./_answer_fields.ts";

/**
 * Adds what only the provider's raw answer says to a usage: Anthropic's 1-hour cache writes
 * (`usage.cache_creation.ephemeral_1h_input_tokens`, which `@langchain/anthropic` leaves in
 * `response_metadata.usage`), server-side web searches (Anthropic's
 * `usage.server_tool_use.web_search_requests`, the Responses API's `web_search_call` output
 * items, Gemini's grounding `webSearchQueries`, and what `accountServerTools` counted: streamed
 * Anthropic's `server_tool_use` blocks, xAI's web and X searches) and the Responses API's
 * `file_search_call` items.
 *
 * @param usage The usage read from LangChain's `usage_metadata`.
 * @param rawUsage The provider's raw `usage` object (`response_metadata.usage`), or `{}`.
 * @param responseMetadata The message's `response_metadata`.
 * @param generationInfo The generation's `generationInfo`.
 * @param tools What `accountServerTools` counted.
 * @returns The usage with those counts (the same object when there are none).
 *
 * @example Usage
 * ```ts
 * import { withBilledCounts } from "./billing_details.ts";
 * import { ZERO_TOKEN_USAGE } from "../pricing/token_usage.ts";
 * import assert from "node:assert/strict";
 *
 * const usage = { ...ZERO_TOKEN_USAGE, inputTokens: 100, outputTokens: 10 };
 * const output = [{ type: "web_search_call" }, { type: "file_search_call" }];
 * const billed = withBilledCounts(usage, {}, { output }, {}, { searches: 0, gaps: [] });
 * assert.equal(billed.webSearchRequests, 1);
 * assert.equal(billed.fileSearchRequests, 1);
 * ```
 */
export function withBilledCounts(
  usage: TokenUsage,
  rawUsage: Dict,
  responseMetadata: Dict,
  generationInfo: Dict,
  tools: ServerToolAccount,
): TokenUsage {
  const cacheWrite1h = count(asDict(rawUsage.cache_creation)?.ephemeral_1h_input_tokens);
  const responses = responsesSearches(responseMetadata.output);
  const grounding = asDict(generationInfo.groundingMetadata)?.webSearchQueries;
  const reported = count(asDict(rawUsage.server_tool_use)?.web_search_requests) +
    responses.web +
    (Array.isArray(grounding) ? grounding.length : 0);
  const searches = Math.max(reported, tools.searches);
  const fileSearches = responses.file;
  if (cacheWrite1h === 0 && searches === 0 && fileSearches === 0) return usage;
  return {
    ...usage,
    cacheWrite1hTokens: Math.max(
      usage.cacheWrite1hTokens,
      Math.min(cacheWrite1h, usage.cacheWriteTokens),
    ),
    webSearchRequests: Math.max(usage.webSearchRequests, searches),
    fileSearchRequests: Math.max(usage.fileSearchRequests, fileSearches),
  };
}

/** Searches the Responses API ran, by its `output` items. */
export interface ResponsesSearches {
  /** `web_search_call` items. */
  readonly web: number;
  /** `file_search_call` items. */
  readonly file: number;
}

/**
 * Counts the searches among a Responses API answer's `output` items (anything else is ignored).
 *
 * @param output The answer's `output` (or anything: a non-array counts nothing).
 * @returns The web and file searches.
 *
 * @example Usage
 * ```ts
 * import { responsesSearches } from "./billing_details.ts";
 * import assert from "node:assert/strict";
 *
 * const output = [{ type: "web_search_call" }, { type: "message" }, { type: "file_search_call" }];
 * assert.deepEqual(responsesSearches(output), { web: 1, file: 1 });
 * ```
 */
export function responsesSearches(output: unknown): ResponsesSearches {
  let web = 0;
  let file = 0;
  if (Array.isArray(output)) {
    for (const item of output) {
      const type = asDict(item)?.type;
      if (type === "web_search_call") web++;
      else if (type === "file_search_call") file++;
    }
  }
  return { web, file };
}

/** xAI's cost unit: 1 USD = 10^10 ticks (https://docs.x.ai/developers/cost-tracking). */
const USD_TICKS = 10_000_000_000;

/**
 * The cost a provider reported itself in an OpenAI-format `usage` object: OpenRouter's
 * `usage.cost` (US dollars) or xAI's `usage.cost_in_usd_ticks` (10^10 ticks to the dollar,
 * https://docs.x.ai/developers/cost-tracking, read 2026-11-27).
 *
 * @param usage The provider's raw `usage` object.
 * @returns US dollars, or null when the usage reports no (valid) cost.
 *
 * @example Usage
 * ```ts
 * import { providerCostOf } from "./billing_details.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(providerCostOf({ cost_in_usd_ticks: 37_756_000 }), 0.0037756);
 * assert.equal(providerCostOf({ cost: 0.0012 }), 0.0012);
 * assert.equal(providerCostOf({ prompt_tokens: 10 }), null);
 * ```
 */
export function providerCostOf(usage: Record<string, unknown>): number | null {
  const ticks = usage.cost_in_usd_ticks;
  const cost = typeof ticks === "number" ? ticks / USD_TICKS : usage.cost;
  return typeof cost === "number" && Number.isFinite(cost) && cost >= 0 ? cost : null;
}

/**
 * Service tier (`response_metadata.service_tier`: the Responses API and streamed Chat
 * Completions; Anthropic's `usage.service_tier`: `standard`, `priority` or `batch`), data residency (Anthropic's `usage.inference_geo`) and a provider-reported cost
 * ({@linkcode providerCostOf}: OpenRouter's and xAI's, kept in `response_metadata.usage` by
 * `@langchain/openai`).
 *
 * @param rawUsage The provider's raw `usage` object (`response_metadata.usage`), or `{}`.
 * @param responseMetadata The message's `response_metadata`.
 * @param generationInfo The generation's `generationInfo`.
 * @returns What the answer says, or null when it says none of it.
 *
 * @example Usage
 * ```ts
 * import { billingOf } from "./billing_details.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(billingOf({ inference_geo: "us" }, {}, {}), {
 *   serviceTier: null,
 *   inferenceGeo: "us",
 *   providerCostUsd: null,
 * });
 * assert.equal(billingOf({}, {}, {}), null);
 * ```
 */
export function billingOf(
  rawUsage: Dict,
  responseMetadata: Dict,
  generationInfo: Dict,
): CallBilling | null {
  const serviceTier = firstString(
    responseMetadata.service_tier,
    generationInfo.service_tier,
    rawUsage.service_tier,
  );
  const inferenceGeo = firstString(rawUsage.inference_geo);
  const providerCostUsd = providerCostOf(rawUsage);
  if (serviceTier === null && inferenceGeo === null && providerCostUsd === null) return null;
  return { serviceTier, inferenceGeo, providerCostUsd };
}
