/**
 * `telemetry/usage.ts` on the `LLMResult`s the real integrations produce when they stream,
 * given what a handler observes in `handleLLMNewToken`: the corrections for Anthropic's doubled
 * placeholder output tokens and Gemini's repeated cached-token counts.
 */
import { ChatAnthropic } from "@langchain/anthropic";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { LLMResult } from "@langchain/core/outputs";
import { ChatGoogleGenerativeAI } from "@langchain/google-genai";
import assert from "node:assert/strict";
import { zeroTokenUsage } from "../pricing/token_usage.ts";
import { anthropicUsage, startAnthropicServer } from "./fixtures/anthropic_server.ts";
import { geminiUsage, startGeminiServer } from "./fixtures/gemini_server.ts";
import {
  extractResult,
  type StreamObservation,
  usageFromUsageMetadata,
} from "../telemetry/usage.ts";

/** Records what a handler sees of one streamed call. */
class StreamCapture extends BaseCallbackHandler {
  name = "stream_capture";
  observation: StreamObservation = { chunks: 0, firstChunkUsage: null };
  output: LLMResult | null = null;

  constructor() {
    super({ _awaitHandler: true });
  }

  override handleLLMNewToken(
    _token: string,
    _idx: unknown,
    _runId: string,
    _parentRunId?: string,
    _tags?: string[],
    fields?: { chunk?: unknown },
  ): void {
    if (this.observation.chunks === 0) {
      const chunk = fields?.chunk as { message?: { usage_metadata?: Record<string, unknown> } };
      this.observation.firstChunkUsage = chunk?.message?.usage_metadata ?? null;
    }
    this.observation.chunks += 1;
  }

  override handleLLMEnd(output: LLMResult): void {
    this.output = output;
  }
}

async function streamOnce(model: BaseChatModel): Promise<StreamCapture> {
  const capture = new StreamCapture();
  for await (const _ of await model.stream("hi", { callbacks: [capture] })) {
    // consume
  }
  assert.ok(capture.output, "handleLLMEnd ran");
  return capture;
}

Deno.test("usage: streamed anthropic output counted once given the first chunk's usage", async () => {
  await using server = startAnthropicServer([{
    model: "claude-sonnet-4-5-20250929",
    text: "one two three",
    usage: anthropicUsage(2_000, 120, { read: 1_000 }),
    startOutputTokens: 3,
  }]);
  const capture = await streamOnce(
    new ChatAnthropic({
      model: "claude-sonnet-4-5",
      apiKey: "k",
      maxRetries: 0,
      anthropicApiUrl: server.origin,
    }),
  );
  const plain = extractResult(capture.output!);
  assert.equal(plain.usage?.outputTokens, 123, "LangChain adds message_start's placeholder");
  assert.equal(plain.responseModel, "claude-sonnet-4-5-20250929");
  const fixed = extractResult(capture.output!, {
    provider: "anthropic",
    stream: capture.observation,
  });
  assert.deepEqual(fixed.usage, {
    ...zeroTokenUsage(),
    inputTokens: 3_000,
    outputTokens: 120,
    cacheReadTokens: 1_000,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  });
});

Deno.test("usage: streamed gemini cache reads counted once given the chunk count", async () => {
  await using server = startGeminiServer([{
    model: "gemini-2.5-flash",
    text: "one two three four",
    usage: geminiUsage(10_000, 400, { cached: 6_000, thoughts: 1_200 }),
  }]);
  const capture = await streamOnce(
    new ChatGoogleGenerativeAI({
      model: "gemini-2.5-flash",
      apiKey: "k",
      maxRetries: 0,
      baseUrl: server.origin,
    }),
  );
  assert.equal(capture.observation.chunks, 4);
  const plain = extractResult(capture.output!);
  assert.equal(plain.usage?.cacheReadTokens, 10_000, "capped at the prompt, still wrong");
  const fixed = extractResult(capture.output!, {
    provider: "google_genai",
    stream: capture.observation,
  });
  assert.deepEqual(fixed.usage, {
    ...zeroTokenUsage(),
    inputTokens: 10_000,
    outputTokens: 1_600,
    cacheReadTokens: 6_000,
    cacheWriteTokens: 0,
    reasoningTokens: 1_200,
  });
});

Deno.test("usage: token-usage keys holding undefined are no usage", () => {
  const usage = extractResult({
    generations: [],
    llmOutput: { tokenUsage: { promptTokens: undefined, completionTokens: undefined } },
  });
  assert.equal(usage.usage, null);
});

Deno.test("usage: reasoning already inside output_tokens is not added again", async (t) => {
  await t.step("openai: total equals input + output", () => {
    const usage = usageFromUsageMetadata({
      input_tokens: 100,
      output_tokens: 50,
      total_tokens: 150,
      output_token_details: { reasoning: 30 },
    });
    assert.equal(usage.outputTokens, 50);
    assert.equal(usage.reasoningTokens, 30);
  });
  await t.step("gemini: thinking only in total_tokens", () => {
    const usage = usageFromUsageMetadata({
      input_tokens: 100,
      output_tokens: 20,
      total_tokens: 150,
    }, "google_genai");
    assert.equal(usage.outputTokens, 50);
    assert.equal(usage.reasoningTokens, 30);
  });
  await t.step("other providers: a larger total is not taken for reasoning", () => {
    // e.g. tool-use prompt tokens counted in the total only.
    const usage = usageFromUsageMetadata({
      input_tokens: 1000,
      output_tokens: 50,
      total_tokens: 1100,
    }, "openai");
    assert.equal(usage.outputTokens, 50);
    assert.equal(usage.reasoningTokens, 0);
  });
});
