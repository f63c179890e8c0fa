/**
 * What Anthropic's Messages API and `@langchain/anthropic` report as usage, normalized: the API's
 * `usage` object (whose `input_tokens` excludes the cache), and the 0.3.x integrations'
 * `usage_metadata`, which leaves the cache out of the input.
 *
 * @module
 */
import { type TokenUsage, ZERO_TOKEN_USAGE } from "../pricing/token_usage.ts";
import { asDict, count, type Dict } from "./_answer_fields.ts";

/**
 * Normalizes an Anthropic Messages API `usage` object, whose `input_tokens` excludes cache reads
 * and writes: input = input + cache writes + cache reads; 1-hour cache writes and server-side web
 * searches are read from `cache_creation` and `server_tool_use`.
 *
 * @param usage The API's `usage` object.
 * @returns The normalized usage.
 *
 * @example Usage
 * ```ts
 * import { usageFromAnthropicUsage } from "./anthropic_usage.ts";
 * import assert from "node:assert/strict";
 *
 * const usage = usageFromAnthropicUsage({
 *   input_tokens: 100,
 *   cache_read_input_tokens: 900,
 *   cache_creation_input_tokens: 50,
 *   output_tokens: 20,
 * });
 * assert.equal(usage.inputTokens, 1050);
 * assert.equal(usage.cacheReadTokens, 900);
 * ```
 */
export function usageFromAnthropicUsage(usage: Record<string, unknown>): TokenUsage {
  const cacheRead = count(usage.cache_read_input_tokens);
  const cacheWrite = count(usage.cache_creation_input_tokens);
  return {
    ...ZERO_TOKEN_USAGE,
    inputTokens: count(usage.input_tokens) + cacheRead + cacheWrite,
    outputTokens: count(usage.output_tokens),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    cacheWrite1hTokens: Math.min(
      count(asDict(usage.cache_creation)?.ephemeral_1h_input_tokens),
      cacheWrite,
    ),
    webSearchRequests: count(asDict(usage.server_tool_use)?.web_search_requests),
  };
}

/**
 * `@langchain/anthropic` 0.3.x (every 0.3 release: 0.3.1 and 0.3.3 are in langchain-ai's
 * templates' lockfiles, 0.3.34 was the last) builds `usage_metadata.input_tokens` from the API's
 * `input_tokens` alone, the uncached part, where LangChain's convention (and 1.x) counts cache
 * reads and writes in it: 0.3.1–0.3.3 also leave `input_token_details` out (the cache counts
 * are only in the raw `usage` in `response_metadata` or `llmOutput`), later 0.3 releases fill the
 * details but still not the total. A 1.x integration names itself in
 * `response_metadata.model_provider`; without it, the cache counts (from the details, else the
 * raw usage) are added to the input, unless the raw usage shows they already are.
 *
 * @param usageMetadata The message's `usage_metadata`.
 * @param rawUsage The API's raw `usage` beside it (`response_metadata.usage`), or `{}`.
 * @param responseMetadata The message's `response_metadata`.
 * @returns The usage metadata as 1.x reports it.
 *
 * @example Usage
 * ```ts
 * import { withAnthropicCacheCounts } from "./anthropic_usage.ts";
 * import assert from "node:assert/strict";
 *
 * // What @langchain/anthropic 0.3.3 reports for 940 uncached + 128 cached input tokens.
 * const raw = { input_tokens: 940, cache_read_input_tokens: 128, output_tokens: 25 };
 * const fixed = withAnthropicCacheCounts(
 *   { input_tokens: 940, output_tokens: 25, total_tokens: 965 },
 *   raw,
 *   { usage: raw },
 * );
 * assert.equal(fixed.input_tokens, 1068);
 * assert.deepEqual(fixed.input_token_details, { cache_read: 128, cache_creation: 0 });
 * ```
 */
export function withAnthropicCacheCounts(
  usageMetadata: Dict,
  rawUsage: Dict,
  responseMetadata: Dict,
): Dict {
  if (typeof responseMetadata.model_provider === "string") return usageMetadata;
  const details = asDict(usageMetadata.input_token_details) ?? {};
  const hasDetails = "cache_read" in details || "cache_creation" in details;
  const cacheRead = count(hasDetails ? details.cache_read : rawUsage.cache_read_input_tokens);
  const cacheWrite = count(
    hasDetails ? details.cache_creation : rawUsage.cache_creation_input_tokens,
  );
  if (cacheRead + cacheWrite === 0) return usageMetadata;
  if (
    "input_tokens" in rawUsage && count(rawUsage.input_tokens) !== count(usageMetadata.input_tokens)
  ) {
    return usageMetadata;
  }
  return {
    ...usageMetadata,
    input_tokens: count(usageMetadata.input_tokens) + cacheRead + cacheWrite,
    total_tokens: count(usageMetadata.total_tokens) + cacheRead + cacheWrite,
    input_token_details: { ...details, cache_read: cacheRead, cache_creation: cacheWrite },
  };
}
