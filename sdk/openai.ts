/**
 * Measures calls a node makes with the official `openai` client (Chat Completions and the
 * Responses API, plain or streamed): usage, model, service tier, provider-reported cost and
 * latency are reported into the current LangChain run and stage.
 *
 * @module
 */
import { type CallReading, count, dict, instrumentMethod, type SdkReader } from "./_wrap.ts";
import { providerCostOf, responsesSearches } from "../telemetry/billing_details.ts";

/** The provider's own cost in a `usage` object (OpenRouter's `cost`, xAI's ticks), if any. */
function reportedCost(usage: Record<string, unknown>): Partial<CallReading> {
  const cost = providerCostOf(usage);
  return cost === null ? {} : { providerCostUsd: cost };
}

/** The part of an `OpenAI` client this wrapper touches (structural: any version that fits). */
export interface OpenAILikeClient {
  /** `client.chat.completions.create`. */
  chat?: { completions?: object };
  /** `client.responses.create`. */
  responses?: object;
}

/** Reads Chat Completions' (and OpenRouter's or xAI's) `usage` object. */
function readChatUsage(usage: Record<string, unknown>): Partial<CallReading> {
  const prompt = dict(usage.prompt_tokens_details);
  const completion = dict(usage.completion_tokens_details);
  return {
    inputTokens: count(usage.prompt_tokens),
    outputTokens: count(usage.completion_tokens),
    cacheReadTokens: count(prompt.cached_tokens),
    cacheWriteTokens: count(prompt.cache_write_tokens),
    reasoningTokens: count(completion.reasoning_tokens),
    inputAudioTokens: count(prompt.audio_tokens),
    outputAudioTokens: count(completion.audio_tokens),
    ...reportedCost(usage),
  };
}

function readChat(result: unknown): CallReading | null {
  const body = dict(result);
  if (typeof body.model !== "string") return null;
  const usage = body.usage ? readChatUsage(dict(body.usage)) : {};
  return {
    inputTokens: 0,
    outputTokens: 0,
    ...usage,
    model: body.model,
    ...(typeof body.service_tier === "string" ? { serviceTier: body.service_tier } : {}),
  };
}

function readResponse(result: unknown): CallReading | null {
  const body = dict(result);
  if (typeof body.model !== "string") return null;
  const usage = dict(body.usage);
  const searches = responsesSearches(body.output);
  return {
    model: body.model,
    inputTokens: count(usage.input_tokens),
    outputTokens: count(usage.output_tokens),
    cacheReadTokens: count(dict(usage.input_tokens_details).cached_tokens),
    reasoningTokens: count(dict(usage.output_tokens_details).reasoning_tokens),
    webSearchRequests: searches.web,
    fileSearchRequests: searches.file,
    ...reportedCost(usage),
    ...(typeof body.service_tier === "string" ? { serviceTier: body.service_tier } : {}),
  };
}

const streams = (params: unknown): boolean => dict(params).stream === true;

const chatReader: SdkReader = {
  provider: "openai",
  read: readChat,
  streams,
  fold: (reading, chunk) => {
    const next = readChat(chunk);
    if (!next) return reading;
    // Usage arrives in the last chunk (`stream_options: { include_usage: true }`).
    return dict(chunk).usage ? next : { ...next, ...reading, model: next.model };
  },
};

const responsesReader: SdkReader = {
  provider: "openai",
  read: readResponse,
  streams,
  fold: (reading, event) => {
    const body = dict(event);
    return body.type === "response.completed" ? readResponse(body.response) ?? reading : reading;
  },
};

/**
 * Instruments an `openai` client in place: every `chat.completions.create` and
 * `responses.create` call made inside a graph node is measured in that node's stage. The client
 * is returned for chaining; outside a graph it behaves exactly as before.
 *
 * @param client An `OpenAI` client (`new OpenAI(...)`, also OpenAI-compatible endpoints such as
 *   OpenRouter, whose `usage.cost` then prices the call).
 * @returns The same client.
 *
 * @example Usage
 * ```ts
 * import { instrumentOpenAI } from "./openai.ts";
 * import assert from "node:assert/strict";
 *
 * const completions = { create: (params: { model: string }) => Promise.resolve({ model: params.model }) };
 * const client = instrumentOpenAI({ chat: { completions } });
 * assert.equal((await client.chat.completions.create({ model: "gpt-4.1-mini" })).model, "gpt-4.1-mini");
 * ```
 */
export function instrumentOpenAI<T extends OpenAILikeClient>(client: T): T {
  if (client.chat?.completions) instrumentMethod(client.chat.completions, "create", chatReader);
  if (client.responses) instrumentMethod(client.responses, "create", responsesReader);
  return client;
}
