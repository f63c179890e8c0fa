/**
 * Reads token usage and the answering model's name out of a LangChain `LLMResult`, whichever
 * provider integration produced it, and normalizes it to graphmeter's conventions:
 * `inputTokens` counts every prompt token (cached included), `outputTokens` every completion token
 * (reasoning included).
 *
 * @module
 */
import type { LLMResult } from "@langchain/core/outputs";
import { type TokenUsage, ZERO_TOKEN_USAGE } from "../pricing/token_usage.ts";
import type { CallBilling } from "../pricing/price_call.ts";
import { accountServerTools, type ServerToolAccount } from "./server_tools.ts";

/** Token usage of one call, normalized (pricing's {@linkcode TokenUsage}). */
export type CallUsage = TokenUsage;

/** What an `LLMResult` says about the call: its usage (null when none was reported) and model. */
export interface ExtractedResult {
  /** The usage, or null when the provider reported none. */
  usage: CallUsage | null;
  /** The model name the provider answered with, or null when the result does not say. */
  responseModel: string | null;
  /** Service tier, data residency and provider-reported cost, when the result says. */
  billing: CallBilling | null;
  /**
   * Parts of the bill the result hides or that cannot be priced (`server_tool_input:unreported`,
   * `server_tools:unreported`, `server_tool:code_interpreter`, ...): added to `costMissing`.
   */
  gaps: readonly string[];
}

/** What a callback handler saw while a call streamed (from its `handleLLMNewToken` events). */
export interface StreamObservation {
  /** How many `handleLLMNewToken` events the call produced. */
  chunks: number;
  /** The `usage_metadata` of the first event's chunk (`fields.chunk.message`), when it had one. */
  firstChunkUsage?: Record<string, unknown> | null;
}

/** What the caller knows about a call beyond its `LLMResult`. */
export interface ExtractOptions {
  /** LangChain's `ls_provider` of the call (`openai`, `anthropic`, `google_genai`, `ollama`). */
  provider?: string;
  /** Present when the call streamed: lets known streaming aggregation errors be undone. */
  stream?: StreamObservation;
  /** The server-side tools the call asked for (`requestedServerTools`). */
  serverTools?: readonly string[];
}

type Dict = Record<string, unknown>;

function asDict(value: unknown): Dict | undefined {
  return typeof value === "object" && value !== null ? value as Dict : undefined;
}

/**
 * A reported count as a number: absent is 0; anything reported is kept as it is (rounded when
 * finite), so negative, non-finite or absurd counts reach the handler's usage check and are flagged
 * instead of silently becoming 0.
 */
function count(value: unknown): number {
  if (typeof value !== "number") return 0;
  return Number.isFinite(value) ? Math.round(value) : value;
}

/** True when the dict holds a number under at least one of the keys (a count was reported). */
function hasCount(dict: Dict, ...keys: string[]): boolean {
  return keys.some((key) => typeof dict[key] === "number" && Number.isFinite(dict[key]));
}

function firstString(...values: unknown[]): string | null {
  for (const value of values) {
    if (typeof value === "string" && value.length > 0) return value;
  }
  return null;
}

/**
 * Normalizes LangChain's `usage_metadata` (an `AIMessage` field) to a {@linkcode CallUsage}.
 *
 * Some integrations leave reasoning tokens out of `output_tokens` while `total_tokens` still
 * includes them: `@langchain/google-genai` maps Gemini's `candidatesTokenCount` to
 * `output_tokens` and drops `thoughtsTokenCount`, which only `total_tokens` (Gemini's
 * `totalTokenCount`) still counts. Providers bill reasoning as output, so when the total exceeds
 * input plus output the gap is counted as reasoning output. Cache reads and writes are part of the
 * prompt, so they are capped at `input_tokens`.
 *
 * @param usageMetadata The message's `usage_metadata`.
 * @param provider LangChain's `ls_provider` of the call: the total-minus-parts rule for thinking
 *   tokens applies to Google's integrations only (`google_genai`, `google_vertexai`).
 * @returns The normalized usage.
 *
 * @example Usage
 * ```ts
 * import { usageFromUsageMetadata } from "./usage.ts";
 * import assert from "node:assert/strict";
 *
 * // Gemini through @langchain/google-genai: 200 thinking tokens only in total_tokens.
 * const usage = usageFromUsageMetadata({
 *   input_tokens: 1000,
 *   output_tokens: 60,
 *   total_tokens: 1260,
 *   input_token_details: { cache_read: 400 },
 * }, "google_genai");
 * assert.equal(usage.cacheReadTokens, 400);
 * assert.equal(usage.reasoningTokens, 200);
 * assert.equal(usage.outputTokens, 260);
 * ```
 */
export function usageFromUsageMetadata(
  usageMetadata: Record<string, unknown>,
  provider?: string,
): CallUsage {
  const inputDetails = asDict(usageMetadata.input_token_details) ?? {};
  const outputDetails = asDict(usageMetadata.output_token_details) ?? {};
  const inputTokens = count(usageMetadata.input_tokens);
  let outputTokens = count(usageMetadata.output_tokens);
  let reasoningTokens = count(outputDetails.reasoning);
  const totalTokens = count(usageMetadata.total_tokens);
  const unaccounted = totalTokens - inputTokens - outputTokens;
  if (unaccounted > 0 && provider !== undefined && GOOGLE_PROVIDERS.has(provider)) {
    // Output the integration left out of output_tokens: reasoning that it did not report at
    // all (Gemini's thoughtsTokenCount), or reported beside output_tokens instead of in it.
    if (reasoningTokens === 0 || unaccounted === reasoningTokens) {
      reasoningTokens = Math.max(reasoningTokens, unaccounted);
      outputTokens += unaccounted;
    }
  }
  const cacheReadTokens = Math.min(count(inputDetails.cache_read), inputTokens);
  const cacheWriteTokens = Math.min(
    count(inputDetails.cache_creation),
    inputTokens - cacheReadTokens,
  );
  return {
    ...ZERO_TOKEN_USAGE,
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    reasoningTokens: Math.min(reasoningTokens, outputTokens),
    cacheWrite1hTokens: Math.min(count(inputDetails.ephemeral_1h_input_tokens), cacheWriteTokens),
    inputAudioTokens: Math.min(count(inputDetails.audio), inputTokens),
    outputAudioTokens: Math.min(count(outputDetails.audio), outputTokens),
  };
}

/** Providers whose LangChain integration leaves thinking tokens out of `output_tokens`. */
const GOOGLE_PROVIDERS: ReadonlySet<string> = new Set(["google_genai", "google_vertexai"]);

function usageFromLlmOutput(llmOutput: Dict): CallUsage | null {
  // `estimatedTokenUsage` is LangChain's own guess, not the provider's report: ignored.
  const tokenUsage = asDict(llmOutput.tokenUsage);
  // Integrations fill these keys with `undefined` when the provider sent no usage.
  if (tokenUsage && hasCount(tokenUsage, "promptTokens", "completionTokens", "totalTokens")) {
    return {
      ...ZERO_TOKEN_USAGE,
      inputTokens: count(tokenUsage.promptTokens),
      outputTokens: count(tokenUsage.completionTokens),
    };
  }
  const usage = asDict(llmOutput.usage);
  if (usage && hasCount(usage, "input_tokens", "output_tokens")) {
    return usageFromAnthropicUsage(usage);
  }
  return null;
}

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
 * import { usageFromAnthropicUsage } from "./usage.ts";
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
export function usageFromAnthropicUsage(usage: Record<string, unknown>): CallUsage {
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

function callProvider(options: ExtractOptions, responseMetadata: Dict): string {
  const named = options.provider ?? firstString(responseMetadata.model_provider) ?? "";
  return named.replace("-", "_");
}

/**
 * Undoes errors LangChain integrations make when they add streamed chunks' usage together:
 * - `@langchain/anthropic` adds `message_start`'s placeholder `output_tokens` to
 *   `message_delta`'s cumulative count, so the first chunk's output tokens are counted twice;
 * - `@langchain/google-genai` turns input and output counts into per-chunk deltas but not
 *   `cachedContentTokenCount`, which Gemini repeats in every chunk: the sum is the true count
 *   times the number of chunks (langchainjs#9731). The integration passes no chunk to
 *   `handleLLMNewToken`, so this assumes what the API does for current models: usage in every
 *   chunk. A stream with usage only in its last chunk would be divided wrongly when its cached
 *   count happens to be a multiple of the chunk count.
 */
function correctStreamedUsage(
  usageMetadata: Dict,
  provider: string,
  stream: StreamObservation | undefined,
): Dict {
  if (!stream || stream.chunks < 1) return usageMetadata;
  if (provider === "anthropic") {
    const first = asDict(stream.firstChunkUsage);
    const placeholder = count(first?.output_tokens);
    const output = count(usageMetadata.output_tokens);
    if (count(first?.input_tokens) > 0 && placeholder > 0 && output > placeholder) {
      return {
        ...usageMetadata,
        output_tokens: output - placeholder,
        total_tokens: count(usageMetadata.total_tokens) - placeholder,
      };
    }
  }
  if (provider === "google_genai" && stream.chunks > 1) {
    const details = asDict(usageMetadata.input_token_details) ?? {};
    const cacheRead = count(details.cache_read);
    if (cacheRead > 0 && cacheRead % stream.chunks === 0) {
      return {
        ...usageMetadata,
        input_token_details: { ...details, cache_read: cacheRead / stream.chunks },
      };
    }
  }
  return usageMetadata;
}

/**
 * Extracts usage and the answering model from a LangChain `LLMResult`.
 *
 * Usage comes from the first generation's `message.usage_metadata`, falling back to the legacy
 * `llmOutput.tokenUsage` (or Anthropic's raw `llmOutput.usage`); usage without a single count
 * (what integrations leave when the provider sent none) is no usage. When the call streamed, pass
 * what the handler observed (`options.stream`) so integrations' aggregation errors are undone
 * (Anthropic's doubled placeholder output tokens, Gemini's repeated cached-token counts). The model name comes from the
 * message's `response_metadata` (`model_name` for OpenAI, `model` for Anthropic and Ollama,
 * `model_name`/`modelVersion` for Gemini) or from `llmOutput`.
 *
 * @param result The `LLMResult` passed to `handleLLMEnd`.
 * @param options The call's provider and, for a streamed call, what the handler observed.
 * @returns The usage (null when none was reported) and the response model (null when unknown).
 *
 * @example Usage
 * ```ts
 * import { extractResult } from "./usage.ts";
 * import { AIMessage } from "@langchain/core/messages";
 * import type { ChatGeneration } from "@langchain/core/outputs";
 * import assert from "node:assert/strict";
 *
 * const message = new AIMessage({
 *   content: "hi",
 *   usage_metadata: { input_tokens: 12, output_tokens: 3, total_tokens: 15 },
 *   response_metadata: { model_name: "gpt-4.1-mini-2025-04-14" },
 * });
 * const generation: ChatGeneration = { text: "hi", message };
 * const { usage, responseModel } = extractResult({ generations: [[generation]] });
 * assert.equal(usage?.inputTokens, 12);
 * assert.equal(responseModel, "gpt-4.1-mini-2025-04-14");
 * ```
 */
export function extractResult(result: LLMResult, options: ExtractOptions = {}): ExtractedResult {
  const generation = asDict(result.generations?.[0]?.[0]);
  const message = asDict(generation?.message);
  const responseMetadata = asDict(message?.response_metadata) ?? {};
  const generationInfo = asDict(generation?.generationInfo) ?? {};
  const llmOutput = asDict(result.llmOutput) ?? {};

  const additionalKwargs = asDict(message?.additional_kwargs) ?? {};

  // ChatOpenAI leaves a `usage_metadata` holding only empty details when the answer had no usage.
  const reported = asDict(message?.usage_metadata);
  const usageMetadata =
    reported && hasCount(reported, "input_tokens", "output_tokens", "total_tokens")
      ? reported
      : undefined;
  const provider = callProvider(options, responseMetadata);
  const usage = usageMetadata
    ? usageFromUsageMetadata(
      correctStreamedUsage(usageMetadata, provider, options.stream),
      provider,
    )
    : usageFromLlmOutput(llmOutput);

  const responseModel = firstString(
    responseMetadata.model_name,
    responseMetadata.model,
    responseMetadata.modelVersion,
    responseMetadata.model_version,
    generationInfo.model_name,
    generationInfo.model,
    llmOutput.model_name,
    llmOutput.model,
    // Streamed ChatAnthropic keeps message_start's `model` only here.
    additionalKwargs.model,
  );
  const rawUsage = asDict(responseMetadata.usage) ?? asDict(llmOutput.usage) ?? {};
  const tools = accountServerTools({
    provider,
    streamed: options.stream !== undefined && options.stream.chunks > 0,
    content: message?.content,
    rawUsage,
    requested: options.serverTools ?? [],
    output: responseMetadata.output,
  });
  return {
    usage: usage && withBilledCounts(usage, rawUsage, responseMetadata, generationInfo, tools),
    responseModel,
    billing: billingOf(rawUsage, responseMetadata, generationInfo),
    gaps: usage ? tools.gaps : [],
  };
}

/**
 * Adds what only the provider's raw answer says to a usage: Anthropic's 1-hour cache writes
 * (`usage.cache_creation.ephemeral_1h_input_tokens`, which `@langchain/anthropic` leaves in
 * `response_metadata.usage`), server-side web searches (Anthropic's
 * `usage.server_tool_use.web_search_requests`, the Responses API's `web_search_call` output
 * items, Gemini's grounding `webSearchQueries`, and what `accountServerTools` counted: streamed
 * Anthropic's `server_tool_use` blocks, xAI's web and X searches) and the Responses API's
 * `file_search_call` items.
 */
function withBilledCounts(
  usage: CallUsage,
  rawUsage: Dict,
  responseMetadata: Dict,
  generationInfo: Dict,
  tools: ServerToolAccount,
): CallUsage {
  const cacheWrite1h = count(asDict(rawUsage.cache_creation)?.ephemeral_1h_input_tokens);
  const output = Array.isArray(responseMetadata.output) ? responseMetadata.output : [];
  const grounding = asDict(generationInfo.groundingMetadata)?.webSearchQueries;
  const reported = count(asDict(rawUsage.server_tool_use)?.web_search_requests) +
    output.filter((item) => asDict(item)?.type === "web_search_call").length +
    (Array.isArray(grounding) ? grounding.length : 0);
  const searches = Math.max(reported, tools.searches);
  const fileSearches = output.filter((item) => asDict(item)?.type === "file_search_call").length;
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
 * import { providerCostOf } from "./usage.ts";
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
 * Completions), data residency (Anthropic's `usage.inference_geo`) and a provider-reported cost
 * ({@linkcode providerCostOf}: OpenRouter's and xAI's, kept in `response_metadata.usage` by
 * `@langchain/openai`).
 */
function billingOf(
  rawUsage: Dict,
  responseMetadata: Dict,
  generationInfo: Dict,
): CallBilling | null {
  const serviceTier = firstString(responseMetadata.service_tier, generationInfo.service_tier);
  const inferenceGeo = firstString(rawUsage.inference_geo);
  const providerCostUsd = providerCostOf(rawUsage);
  if (serviceTier === null && inferenceGeo === null && providerCostUsd === null) return null;
  return { serviceTier, inferenceGeo, providerCostUsd };
}
