/**
 * Reads token usage and the answering model's name out of a LangChain `LLMResult`, whichever
 * provider integration produced it, and normalizes it to graphmeter's conventions:
 * `inputTokens` counts every prompt token (cached included), `outputTokens` every completion token
 * (reasoning included).
 *
 * @module
 */
import type { LLMResult } from "@langchain/core/outputs";

/** Token usage of one call, normalized. */
export interface CallUsage {
  /** All prompt tokens, cached ones included. */
  inputTokens: number;
  /** All completion tokens, reasoning included. */
  outputTokens: number;
  /** Prompt tokens read from the provider's prompt cache. */
  cacheReadTokens: number;
  /** Prompt tokens written to the provider's prompt cache. */
  cacheWriteTokens: number;
  /** Reasoning tokens. */
  reasoningTokens: number;
}

/** What an `LLMResult` says about the call: its usage (null when none was reported) and model. */
export interface ExtractedResult {
  /** The usage, or null when the provider reported none. */
  usage: CallUsage | null;
  /** The model name the provider answered with, or null when the result does not say. */
  responseModel: string | null;
}

type Dict = Record<string, unknown>;

function asDict(value: unknown): Dict | undefined {
  return typeof value === "object" && value !== null ? value as Dict : undefined;
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
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
 * includes them (`@langchain/google-genai` with Gemini's `thoughtsTokenCount`); providers bill
 * reasoning as output, so it is added back when the totals prove it was left out.
 *
 * @param usageMetadata The message's `usage_metadata`.
 * @returns The normalized usage.
 *
 * @example Usage
 * ```ts
 * import { usageFromUsageMetadata } from "./usage.ts";
 * import assert from "node:assert/strict";
 *
 * const usage = usageFromUsageMetadata({
 *   input_tokens: 100,
 *   output_tokens: 20,
 *   total_tokens: 120,
 *   input_token_details: { cache_read: 40 },
 * });
 * assert.equal(usage.cacheReadTokens, 40);
 * ```
 */
export function usageFromUsageMetadata(usageMetadata: Record<string, unknown>): CallUsage {
  const inputDetails = asDict(usageMetadata.input_token_details) ?? {};
  const outputDetails = asDict(usageMetadata.output_token_details) ?? {};
  const inputTokens = count(usageMetadata.input_tokens);
  let outputTokens = count(usageMetadata.output_tokens);
  const reasoningTokens = count(outputDetails.reasoning);
  const totalTokens = count(usageMetadata.total_tokens);
  if (reasoningTokens > 0 && totalTokens === inputTokens + outputTokens + reasoningTokens) {
    outputTokens += reasoningTokens;
  }
  return {
    inputTokens,
    outputTokens,
    cacheReadTokens: count(inputDetails.cache_read),
    cacheWriteTokens: count(inputDetails.cache_creation),
    reasoningTokens,
  };
}

function usageFromLlmOutput(llmOutput: Dict): CallUsage | null {
  // `estimatedTokenUsage` is LangChain's own guess, not the provider's report: ignored.
  const tokenUsage = asDict(llmOutput.tokenUsage);
  if (tokenUsage && ("promptTokens" in tokenUsage || "completionTokens" in tokenUsage)) {
    return {
      inputTokens: count(tokenUsage.promptTokens),
      outputTokens: count(tokenUsage.completionTokens),
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    };
  }
  const usage = asDict(llmOutput.usage);
  if (usage && ("input_tokens" in usage || "output_tokens" in usage)) {
    const cacheRead = count(usage.cache_read_input_tokens);
    const cacheWrite = count(usage.cache_creation_input_tokens);
    return {
      inputTokens: count(usage.input_tokens) + cacheRead + cacheWrite,
      outputTokens: count(usage.output_tokens),
      cacheReadTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      reasoningTokens: 0,
    };
  }
  return null;
}

/**
 * Extracts usage and the answering model from a LangChain `LLMResult`.
 *
 * Usage comes from the first generation's `message.usage_metadata`, falling back to the legacy
 * `llmOutput.tokenUsage` (or Anthropic's raw `llmOutput.usage`). The model name comes from the
 * message's `response_metadata` (`model_name` for OpenAI, `model` for Anthropic and Ollama,
 * `model_name`/`modelVersion` for Gemini) or from `llmOutput`.
 *
 * @param result The `LLMResult` passed to `handleLLMEnd`.
 * @returns The usage (null when none was reported) and the response model (null when unknown).
 *
 * @example Usage
 * ```ts
 * import { extractResult } from "./usage.ts";
 * import { AIMessage } from "@langchain/core/messages";
 * import assert from "node:assert/strict";
 *
 * const message = new AIMessage({
 *   content: "hi",
 *   usage_metadata: { input_tokens: 12, output_tokens: 3, total_tokens: 15 },
 *   response_metadata: { model_name: "gpt-4.1-mini-2025-04-14" },
 * });
 * const { usage, responseModel } = extractResult({ generations: [[{ text: "hi", message }]] });
 * assert.equal(usage?.inputTokens, 12);
 * assert.equal(responseModel, "gpt-4.1-mini-2025-04-14");
 * ```
 */
export function extractResult(result: LLMResult): ExtractedResult {
  const generation = asDict(result.generations?.[0]?.[0]);
  const message = asDict(generation?.message);
  const responseMetadata = asDict(message?.response_metadata) ?? {};
  const generationInfo = asDict(generation?.generationInfo) ?? {};
  const llmOutput = asDict(result.llmOutput) ?? {};

  const usageMetadata = asDict(message?.usage_metadata);
  const usage = usageMetadata ? usageFromUsageMetadata(usageMetadata) : usageFromLlmOutput(llmOutput);

  const responseModel = firstString(
    responseMetadata.model_name,
    responseMetadata.model,
    responseMetadata.modelVersion,
    responseMetadata.model_version,
    generationInfo.model_name,
    generationInfo.model,
    llmOutput.model_name,
    llmOutput.model,
  );
  return { usage, responseModel };
}
