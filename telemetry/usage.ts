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
import { accountServerTools } from "./server_tools.ts";
import { asDict, count, type Dict, firstString, hasCount } from "./_answer_fields.ts";
import { billingOf, withBilledCounts } from "./billing_details.ts";
import { usageFromAnthropicUsage, withAnthropicCacheCounts } from "./anthropic_usage.ts";

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
  const rawUsage = asDict(responseMetadata.usage) ?? asDict(llmOutput.usage) ?? {};
  const corrected = usageMetadata && provider === "anthropic"
    ? withAnthropicCacheCounts(usageMetadata, rawUsage, responseMetadata)
    : usageMetadata;
  const usage = corrected
    ? usageFromUsageMetadata(correctStreamedUsage(corrected, provider, options.stream), provider)
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
  const tools = accountServerTools({
    provider,
    streamed: options.stream !== undefined && options.stream.chunks > 0,
    content: message?.content,
    rawUsage,
    requested: options.serverTools ?? [],
    output: responseMetadata.output,
  });
  // Streamed, `@langchain/anthropic` 0.3.1–0.3.3 keep no raw usage and no cache counts in the
  // final message (nor chunks in `handleLLMNewToken`): what was read from the cache is not known.
  const cacheUnknown = provider === "anthropic" && corrected !== undefined &&
      options.stream !== undefined && options.stream.chunks > 0 &&
      !asDict(corrected.input_token_details) && Object.keys(rawUsage).length === 0
    ? ["cache_read:unreported"]
    : [];
  return {
    usage: usage && withBilledCounts(usage, rawUsage, responseMetadata, generationInfo, tools),
    responseModel,
    billing: billingOf(rawUsage, responseMetadata, generationInfo),
    gaps: usage ? [...tools.gaps, ...cacheUnknown] : [],
  };
}
