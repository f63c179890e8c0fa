/**
 * Every billed dimension, read from what the real LangChain integrations hand over, against
 * scripted servers speaking each provider's wire format; prices exact to 1e-9, each rate cited.
 */
import { ChatGoogleGenerativeAI } from "@langchain/google-genai";
import assert from "node:assert/strict";
import { HumanMessage } from "@langchain/core/messages";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { PerformanceCallbackHandler } from "../mod.ts";
import { chatUsage, responsesUsage, startOpenAIServer } from "./fixtures/openai_server.ts";
import { anthropicUsage, startAnthropicServer } from "./fixtures/anthropic_server.ts";
import { geminiUsage, startGeminiServer } from "./fixtures/gemini_server.ts";
import {
  loopbackAnthropic as anthropic,
  loopbackOpenAI as openAI,
} from "./fixtures/loopback_models.ts";
import { assertCost, runGraph, STAGE, usd } from "./fixtures/graph.ts";
import { writeCostBreakdownSection } from "../report/cost_breakdown_section.ts";

Deno.test("openai service tier: flex billed at Batch rates (half)", async () => {
  // o4-mini (https://platform.openai.com/docs/pricing, read 2026-11-27): $1.10 in, $4.40 out;
  // Flex processing is billed at Batch rates, half of those
  // (https://platform.openai.com/docs/guides/flex-processing). Non-streamed Chat Completions:
  // @langchain/openai drops the answer's service_tier, so the requested one is used.
  await using server = startOpenAIServer([{
    model: "o4-mini-2025-04-16",
    text: "ok",
    usage: chatUsage(10_000, 2_000, { reasoning: 1_500 }),
    serviceTier: "flex",
  }]);
  const { call, metrics } = await runGraph(
    openAI(server.origin, "o4-mini", { service_tier: "flex" }),
    "invoke",
  );
  assert.equal(server.requests[0].body?.service_tier, "flex");
  const standard = usd(10_000, 1.1) + usd(2_000, 4.4);
  assertCost(call.costUsd, standard / 2);
  assertCost(call.costBreakdown!.multiplierUsd, -standard / 2);
  assertCost(call.costBreakdown!.reasoningUsd, usd(1_500, 4.4));
  assert.deepEqual(call.costMissing, []);
  assertCost(metrics.stages[STAGE].costBreakdown.multiplierUsd, -standard / 2);
});

Deno.test("openai service tier: priority from the Responses API's service_tier (gpt-5: 2x)", async () => {
  // gpt-5 (https://platform.openai.com/docs/pricing, read 2026-11-27): standard $1.25 in,
  // $10 out; Priority $2.50 in, $20 out.
  await using server = startOpenAIServer([{
    model: "gpt-5-2025-08-07",
    text: "ok",
    usage: responsesUsage(4_000, 1_000, { reasoning: 600 }),
    serviceTier: "priority",
  }]);
  const { call } = await runGraph(
    openAI(server.origin, "gpt-5", { useResponsesApi: true }),
    "invoke",
  );
  assertCost(call.costUsd, usd(4_000, 2.5) + usd(1_000, 20));
  // o3's priority rates are not a uniform multiple: that call would be partial, never standard.
});

Deno.test("openai audio tokens at the audio rates (gpt-audio-mini)", async () => {
  // gpt-audio-mini (https://platform.openai.com/docs/pricing, read 2026-11-27): text $0.60 in,
  // $2.40 out; audio $10 in, $20 out per million tokens.
  const usage = chatUsage(10_000, 500);
  usage.prompt_tokens_details = { cached_tokens: 0, audio_tokens: 8_000 };
  usage.completion_tokens_details = { reasoning_tokens: 0, audio_tokens: 400 };
  await using server = startOpenAIServer([{ model: "gpt-audio-mini", text: "ok", usage }]);
  const { call } = await runGraph(openAI(server.origin, "gpt-audio-mini"), "invoke");
  assert.equal(call.inputAudioTokens, 8_000);
  assert.equal(call.outputAudioTokens, 400);
  const audio = usd(8_000, 10) + usd(400, 20);
  assertCost(call.costBreakdown!.audioUsd, audio);
  assertCost(call.costUsd, usd(2_000, 0.6) + usd(100, 2.4) + audio);
});

Deno.test("audio on a model without an audio rate: partial, never priced as text", async () => {
  const usage = chatUsage(10_000, 500);
  usage.prompt_tokens_details = { cached_tokens: 0, audio_tokens: 8_000 };
  await using server = startOpenAIServer([{ model: "gpt-4.1-mini-2025-04-14", text: "ok", usage }]);
  const { call, metrics } = await runGraph(openAI(server.origin, "gpt-4.1-mini"), "invoke");
  assert.deepEqual(call.costMissing, ["input_audio"]);
  // gpt-4.1-mini: $0.40 in, $1.60 out: the 2,000 text tokens and the output only.
  assertCost(call.costUsd, usd(2_000, 0.4) + usd(500, 1.6));
  assert.equal(metrics.totals.partialCalls, 1);
});

Deno.test("OpenRouter through ChatOpenAI: the provider's usage.cost wins", async () => {
  const usage = { ...chatUsage(1_000, 100), cost: 0.0012345 };
  await using server = startOpenAIServer([{
    model: "anthropic/claude-sonnet-4.5",
    text: "ok",
    usage,
  }]);
  const { call } = await runGraph(openAI(server.origin, "anthropic/claude-sonnet-4.5"), "invoke");
  assert.equal(call.provider, "openai");
  assert.equal(call.costSource, "provider");
  assert.equal(call.costUsd, 0.0012345);
});

Deno.test("fine-tunes and DeepSeek through ChatOpenAI are priced", async () => {
  // ft:gpt-4.1-mini: $0.80 in, $0.20 cached, $3.20 out
  // (https://platform.openai.com/docs/pricing#fine-tuning, read 2026-11-27). deepseek-chat from
  // 2026-04-24 routes to deepseek-v4-flash: $0.14 miss, $0.0028 hit, $0.28 out
  // (https://api-docs.deepseek.com/news/news260424); calls are priced as of now (2026-11).
  await using server = startOpenAIServer([
    {
      model: "ft:gpt-4.1-mini-2025-04-14:org::id",
      text: "ok",
      usage: chatUsage(10_000, 500, { cached: 2_000 }),
    },
    { model: "deepseek-chat", text: "ok", usage: chatUsage(10_000, 500, { cached: 2_000 }) },
  ]);
  const tuned = await runGraph(
    openAI(server.origin, "ft:gpt-4.1-mini-2025-04-14:org::id"),
    "invoke",
  );
  assert.equal(tuned.call.costSource, "correction");
  assertCost(tuned.call.costUsd, usd(8_000, 0.8) + usd(2_000, 0.2) + usd(500, 3.2));
  const deepseek = await runGraph(openAI(server.origin, "deepseek-chat"), "invoke");
  assertCost(deepseek.call.costUsd, usd(8_000, 0.14) + usd(2_000, 0.0028) + usd(500, 0.28));
});

Deno.test("anthropic: 1-hour cache writes at 2x input, 5-minute at 1.25x", async () => {
  // claude-sonnet-4-5 (https://platform.claude.com/docs/en/about-claude/pricing, read
  // 2026-11-27): $3 in, 5m write $3.75, 1h write $6, read $0.30, $15 out.
  const usage = {
    ...anthropicUsage(2_000, 300, { write: 50_000, read: 4_000 }),
    cache_creation: { ephemeral_5m_input_tokens: 10_000, ephemeral_1h_input_tokens: 40_000 },
  };
  await using server = startAnthropicServer([{
    model: "claude-sonnet-4-5-20250929",
    text: "ok",
    usage,
  }]);
  const { call } = await runGraph(anthropic(server.origin, "claude-sonnet-4-5"), "invoke");
  assert.equal(call.cacheWriteTokens, 50_000);
  assert.equal(call.cacheWrite1hTokens, 40_000);
  assertCost(call.costBreakdown!.cacheWrite1hUsd, usd(40_000, 6));
  assertCost(call.costBreakdown!.cacheWrite5mUsd, usd(10_000, 3.75));
  assertCost(
    call.costUsd,
    usd(2_000, 3) + usd(4_000, 0.3) + usd(10_000, 3.75) + usd(40_000, 6) + usd(300, 15),
  );
});

Deno.test("anthropic: web searches x $10/1000 and US-only inference at 1.1x", async () => {
  // claude-opus-4-6 (https://platform.claude.com/docs/en/about-claude/pricing, read 2026-11-27):
  // $5 in, $25 out; web search $10 per 1,000; inference_geo "us" 1.1x on tokens.
  const usage = {
    ...anthropicUsage(3_000, 400),
    server_tool_use: { web_search_requests: 3 },
    inference_geo: "us",
  };
  await using server = startAnthropicServer([{ model: "claude-opus-4-6", text: "ok", usage }]);
  const { call } = await runGraph(anthropic(server.origin, "claude-opus-4-6"), "invoke");
  assert.equal(call.webSearchRequests, 3);
  const tokens = usd(3_000, 5) + usd(400, 25);
  assertCost(call.costBreakdown!.toolFeesUsd, 0.03);
  assertCost(call.costBreakdown!.multiplierUsd, tokens * 0.1);
  assertCost(call.costUsd, tokens * 1.1 + 0.03);
});

Deno.test("gemini grounding: searches counted; no known fee in the catalog: partial", async () => {
  await using server = startGeminiServer([{
    model: "gemini-2.5-flash",
    text: "ok",
    usage: geminiUsage(1_000, 100),
    groundingQueries: ["graphmeter", "langgraph"],
  }]);
  const { call } = await runGraph(
    new ChatGoogleGenerativeAI({
      model: "gemini-2.5-flash",
      apiKey: "test",
      baseUrl: server.origin,
    }),
    "invoke",
  );
  assert.equal(call.webSearchRequests, 2);
  assert.deepEqual(call.costMissing, ["web_search"]);
  // gemini-2.5-flash (https://ai.google.dev/gemini-api/docs/pricing): $0.30 in, $2.50 out.
  assertCost(call.costUsd, usd(1_000, 0.3) + usd(100, 2.5));
});

Deno.test("where the money goes: the stage's breakdown as a Markdown table", async () => {
  const usage = chatUsage(10_000, 500);
  usage.prompt_tokens_details = { cached_tokens: 0, audio_tokens: 8_000 };
  await using server = startOpenAIServer([{ model: "gpt-4.1-mini-2025-04-14", text: "ok", usage }]);
  const { metrics } = await runGraph(openAI(server.origin, "gpt-4.1-mini"), "invoke");
  const markdown = writeCostBreakdownSection(metrics);
  // gpt-4.1-mini: 2,000 text tokens x $0.40/M = $0.0008; 500 out x $1.60/M = $0.0008.
  assert.match(markdown, /\| answer \| \$0\.0008 \| \$0 \| \$0 \| \$0 \| \$0\.0008 \(\$0\) \|/);
  assert.match(markdown, /1 call\(s\) are \*\*partially priced\*\*: no known rate for input_audio/);
});

Deno.test("gemini audio through LangChain: the count is dropped, so the call says so", async () => {
  // @langchain/google-genai keeps no modality counts: the audio tokens arrive inside
  // input_tokens and are priced at the text rate, a lower bound; the call names it.
  await using server = startGeminiServer([{
    model: "gemini-2.5-flash",
    text: "a transcript",
    usage: geminiUsage(10_000, 100),
  }]);
  const model = new ChatGoogleGenerativeAI({
    model: "gemini-2.5-flash",
    apiKey: "test",
    baseUrl: server.origin,
  });
  const graph = new StateGraph(Annotation.Root({ text: Annotation<string> }))
    .addNode("transcribe", async (_state, config) => {
      const message = new HumanMessage({
        content: [
          { type: "text", text: "Transcribe this." },
          { type: "media", mimeType: "audio/wav", data: "UklGRiQAAABXQVZF" },
        ],
      });
      return { text: String((await model.invoke([message], config)).content) };
    })
    .addEdge(START, "transcribe")
    .addEdge("transcribe", END)
    .compile();
  const handler = new PerformanceCallbackHandler();
  await graph.invoke({ text: "" }, { callbacks: [handler] });
  const [call] = handler.metrics.calls;
  assert.deepEqual(call.costMissing, ["input_audio:unreported"]);
  assert.equal(handler.metrics.totals.partialCalls, 1);
});
