/**
 * Measures calls a node makes with the official `@anthropic-ai/sdk` client (`messages.create`,
 * plain or streamed): usage with 5-minute and 1-hour cache writes, server-side web searches,
 * data residency (`usage.inference_geo`), model and latency are reported into the current
 * LangChain run and stage.
 *
 * @module
 */
import { type CallReading, count, dict, instrumentMethod, type SdkReader } from "./_wrap.ts";
import { usageFromAnthropicUsage } from "../telemetry/anthropic_usage.ts";

/** The part of an `Anthropic` client this wrapper touches. */
export interface AnthropicLikeClient {
  /** `client.messages.create`. */
  messages?: object;
}

/** Reads the Messages API's `usage` (its `input_tokens` excludes cache reads and writes). */
function readUsage(usage: Record<string, unknown>): Partial<CallReading> {
  return {
    ...usageFromAnthropicUsage(usage),
    ...(typeof usage.inference_geo === "string" ? { inferenceGeo: usage.inference_geo } : {}),
  };
}

function readMessage(result: unknown): CallReading | null {
  const body = dict(result);
  if (typeof body.model !== "string") return null;
  return { inputTokens: 0, outputTokens: 0, ...readUsage(dict(body.usage)), model: body.model };
}

const reader: SdkReader = {
  provider: "anthropic",
  read: readMessage,
  streams: (params) => dict(params).stream === true,
  fold: (reading, event) => {
    const body = dict(event);
    if (body.type === "message_start") return readMessage(body.message);
    if (body.type === "message_delta" && reading) {
      // message_delta's usage is cumulative; its input fields, when present, are final, and a
      // field it omits keeps message_start's count (the SDK's own accumulation does the same).
      const usage = dict(body.usage);
      const delta = readUsage({
        cache_read_input_tokens: reading.cacheReadTokens ?? 0,
        cache_creation_input_tokens: reading.cacheWriteTokens ?? 0,
        cache_creation: { ephemeral_1h_input_tokens: reading.cacheWrite1hTokens ?? 0 },
        ...usage,
      });
      return {
        ...reading,
        outputTokens: count(usage.output_tokens) || reading.outputTokens,
        ...("input_tokens" in usage ? delta : {}),
        ...(delta.webSearchRequests ? { webSearchRequests: delta.webSearchRequests } : {}),
      };
    }
    return reading;
  },
};

/**
 * Instruments an `@anthropic-ai/sdk` client in place: every `messages.create` call made inside a
 * graph node is measured in that node's stage. Outside a graph it behaves exactly as before.
 *
 * @param client An `Anthropic` client.
 * @returns The same client.
 *
 * @example Usage
 * ```ts
 * import { instrumentAnthropic } from "./anthropic.ts";
 * import assert from "node:assert/strict";
 *
 * const messages = { create: () => Promise.resolve({ model: "claude-sonnet-4-5" }) };
 * const client = instrumentAnthropic({ messages });
 * assert.equal((await client.messages.create()).model, "claude-sonnet-4-5");
 * ```
 */
export function instrumentAnthropic<T extends AnthropicLikeClient>(client: T): T {
  if (client.messages) instrumentMethod(client.messages, "create", reader);
  return client;
}
