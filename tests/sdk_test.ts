import assert from "node:assert/strict";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { PerformanceCallbackHandler } from "../mod.ts";
import { instrumentAnthropic, instrumentGoogleGenAI, instrumentOpenAI } from "../sdk/mod.ts";
import { chatUsage, responsesUsage, startOpenAIServer } from "./fixtures/openai_server.ts";
import { anthropicUsage, startAnthropicServer } from "./fixtures/anthropic_server.ts";
import { geminiUsage, startGeminiServer } from "./fixtures/gemini_server.ts";

const M = 1_000_000;
const close = (actual: number | null | undefined, expected: number) =>
  assert.ok(
    typeof actual === "number" && Math.abs(actual - expected) < 1e-9,
    `expected ${expected}, got ${actual}`,
  );

const State = Annotation.Root({ text: Annotation<string> });

/** A one-stage graph whose node calls an SDK directly (no LangChain chat model). */
function graphCalling(call: () => Promise<string>) {
  return new StateGraph(State)
    .addNode("summarize", async () => ({ text: await call() }))
    .addEdge(START, "summarize")
    .addEdge("summarize", END)
    .compile();
}

async function measure(call: () => Promise<string>) {
  const handler = new PerformanceCallbackHandler();
  const result = await graphCalling(call).invoke({ text: "" }, { callbacks: [handler] });
  return { result, metrics: handler.metrics };
}

Deno.test("openai SDK: chat completions measured in the node's stage, priced", async () => {
  await using server = startOpenAIServer([{
    model: "gpt-4.1-mini-2025-04-14",
    text: "a summary",
    usage: chatUsage(12_000, 300, { cached: 4_000 }),
  }]);
  const client = instrumentOpenAI(new OpenAI({ apiKey: "test", baseURL: `${server.origin}/v1` }));
  const { result, metrics } = await measure(async () => {
    const answer = await client.chat.completions.create({
      model: "gpt-4.1-mini",
      messages: [{ role: "user", content: "summarize" }],
    });
    return answer.choices[0].message.content ?? "";
  });
  assert.equal(result.text, "a summary");
  const stage = metrics.stages.summarize;
  assert.equal(stage.llmCalls, 1);
  assert.equal(stage.inputTokens, 12_000);
  assert.equal(stage.cacheReadTokens, 4_000);
  const [call] = metrics.calls;
  assert.equal(call.model, "gpt-4.1-mini-2025-04-14");
  assert.equal(call.provider, "openai");
  assert.ok(call.latencyMs > 0);
  // gpt-4.1-mini (https://platform.openai.com/docs/pricing): $0.40 in, $0.10 cached, $1.60 out.
  close(call.costUsd, (8_000 * 0.4 + 4_000 * 0.1 + 300 * 1.6) / M);
});

Deno.test("openai SDK: streamed chat and the Responses API, first token timed", async () => {
  await using server = startOpenAIServer([
    { model: "gpt-4.1-mini-2025-04-14", text: "one two three", usage: chatUsage(1_000, 30) },
    {
      model: "o4-mini-2025-04-16",
      text: "done",
      usage: responsesUsage(2_000, 500, { reasoning: 400 }),
    },
  ]);
  const client = instrumentOpenAI(new OpenAI({ apiKey: "test", baseURL: `${server.origin}/v1` }));
  const { metrics } = await measure(async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4.1-mini",
      messages: [{ role: "user", content: "go" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    const response = await client.responses.create({ model: "o4-mini", input: text });
    return response.output_text;
  });
  const [streamed, responses] = metrics.calls;
  assert.equal(streamed.inputTokens, 1_000);
  assert.equal(streamed.outputTokens, 30);
  assert.ok(streamed.timeToFirstTokenMs !== null && streamed.timeToFirstTokenMs >= 0);
  assert.ok(streamed.timeToFirstTokenMs! <= streamed.latencyMs);
  assert.equal(responses.model, "o4-mini-2025-04-16");
  assert.equal(responses.reasoningTokens, 400);
  assert.equal(metrics.stages.summarize.llmCalls, 2);
});

Deno.test("openai SDK pointed at xAI: the billed cost in ticks wins, file searches counted", async () => {
  // xAI's usage.cost_in_usd_ticks (https://docs.x.ai/developers/cost-tracking, read 2026-11-27):
  // 1 USD = 10^10 ticks. gpt-5's file search: $2.50 per 1,000 calls (the catalog).
  await using server = startOpenAIServer([
    {
      model: "grok-4-1-fast-reasoning",
      text: "found",
      usage: { ...chatUsage(5_000, 800), cost_in_usd_ticks: 123_456_789 } as never,
    },
    {
      model: "gpt-5-2025-08-07",
      text: "found",
      usage: responsesUsage(2_000, 100),
      outputItems: [{ id: "fs_1", type: "file_search_call", status: "completed", queries: ["q"] }],
    },
  ]);
  const client = instrumentOpenAI(new OpenAI({ apiKey: "test", baseURL: `${server.origin}/v1` }));
  const { metrics } = await measure(async () => {
    await client.chat.completions.create({
      model: "grok-4-1-fast-reasoning",
      messages: [{ role: "user", content: "search" }],
    });
    await client.responses.create({ model: "gpt-5", input: "search my files" });
    return "";
  });
  const [xai, files] = metrics.calls;
  assert.equal(xai.costSource, "provider");
  assert.equal(xai.costUsd, 0.0123456789);
  assert.equal(files.fileSearchRequests, 1);
  // gpt-5: $1.25 in, $10 out (https://platform.openai.com/docs/pricing, read 2026-11-27).
  close(files.costUsd, (2_000 * 1.25 + 100 * 10) / M + 2.5 / 1000);
});

Deno.test("anthropic SDK: messages measured with cache reads and writes", async () => {
  await using server = startAnthropicServer([{
    model: "claude-sonnet-4-5-20250929",
    text: "a summary",
    usage: anthropicUsage(1_000, 200, { write: 5_000, read: 3_000 }),
  }]);
  const client = instrumentAnthropic(new Anthropic({ apiKey: "test", baseURL: server.origin }));
  const { metrics } = await measure(async () => {
    const message = await client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user", content: "summarize" }],
    });
    return message.content[0].type === "text" ? message.content[0].text : "";
  });
  const [call] = metrics.calls;
  assert.equal(call.stage, "summarize");
  assert.equal(call.inputTokens, 9_000);
  assert.equal(call.cacheWriteTokens, 5_000);
  assert.equal(call.cacheReadTokens, 3_000);
  // claude-sonnet-4-5 (https://www.anthropic.com/pricing#api): $3 in, $3.75 5m write, $0.30 read,
  // $15 out.
  close(call.costUsd, (1_000 * 3 + 5_000 * 3.75 + 3_000 * 0.3 + 200 * 15) / M);
});

Deno.test("anthropic SDK: a streamed message is measured once, with its first token", async () => {
  await using server = startAnthropicServer([{
    model: "claude-sonnet-4-5-20250929",
    text: "one two three",
    usage: anthropicUsage(800, 40),
  }]);
  const client = instrumentAnthropic(new Anthropic({ apiKey: "test", baseURL: server.origin }));
  const { metrics } = await measure(async () => {
    const stream = await client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user", content: "go" }],
      stream: true,
    });
    let text = "";
    for await (const event of stream) {
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") {
        text += event.delta.text;
      }
    }
    return text;
  });
  assert.equal(metrics.calls.length, 1);
  assert.equal(metrics.calls[0].inputTokens, 800);
  assert.equal(metrics.calls[0].outputTokens, 40);
  assert.ok(metrics.calls[0].timeToFirstTokenMs !== null);
});

Deno.test("anthropic SDK: a streamed message takes message_delta's cumulative usage", async () => {
  // message_delta's usage is cumulative and omits fields that do not apply: here the input grew
  // by two searches' results and the cache read (3,000, in message_start) is not repeated.
  await using server = startAnthropicServer([{
    model: "claude-sonnet-4-5-20250929",
    text: "found it",
    usage: {
      ...anthropicUsage(2_000, 300, { read: 3_000 }),
      server_tool_use: { web_search_requests: 0 },
    },
    deltaUsage: {
      input_tokens: 9_000,
      output_tokens: 300,
      server_tool_use: { web_search_requests: 2 },
    },
  }]);
  const client = instrumentAnthropic(new Anthropic({ apiKey: "test", baseURL: server.origin }));
  const { metrics } = await measure(async () => {
    const stream = await client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user", content: "search" }],
      stream: true,
    });
    for await (const _event of stream) { /* drained */ }
    return "";
  });
  const [call] = metrics.calls;
  assert.equal(call.inputTokens, 12_000);
  assert.equal(call.cacheReadTokens, 3_000);
  assert.equal(call.webSearchRequests, 2);
  // claude-sonnet-4-5 (https://platform.claude.com/docs/en/about-claude/pricing, read
  // 2026-11-27): $3 in, $0.30 cache read, $15 out, web search $10 per 1,000.
  close(call.costUsd, (9_000 * 3 + 3_000 * 0.3 + 300 * 15) / M + 0.02);
});

Deno.test("google genai SDK: thinking tokens billed as output, streamed too", async () => {
  await using server = startGeminiServer([
    {
      model: "gemini-2.5-flash",
      text: "a summary",
      usage: geminiUsage(2_000, 100, { thoughts: 50 }),
    },
    { model: "gemini-2.5-flash", text: "one two three", usage: geminiUsage(1_000, 30) },
  ]);
  const client = instrumentGoogleGenAI(
    new GoogleGenAI({ apiKey: "test", httpOptions: { baseUrl: server.origin } }),
  );
  const { metrics } = await measure(async () => {
    const answer = await client.models.generateContent({
      model: "gemini-2.5-flash",
      contents: "hi",
    });
    let text = answer.text ?? "";
    for await (
      const chunk of await client.models.generateContentStream({
        model: "gemini-2.5-flash",
        contents: "go",
      })
    ) text += chunk.text ?? "";
    return text;
  });
  const [plain, streamed] = metrics.calls;
  assert.equal(plain.outputTokens, 150);
  assert.equal(plain.reasoningTokens, 50);
  // gemini-2.5-flash (https://ai.google.dev/gemini-api/docs/pricing): $0.30 in, $2.50 out.
  close(plain.costUsd, (2_000 * 0.3 + 150 * 2.5) / M);
  assert.equal(streamed.inputTokens, 1_000);
  assert.equal(streamed.outputTokens, 30, "the last chunk's usage, not a sum of chunks");
  assert.ok(streamed.timeToFirstTokenMs !== null);
});

Deno.test("SDK wrappers never throw into the node: failures and calls outside a graph", async () => {
  await using server = startOpenAIServer([{ model: "gpt-4.1-mini", text: "x", usage: null }]);
  const client = instrumentOpenAI(
    new OpenAI({ apiKey: "test", baseURL: `${server.origin}/v1`, maxRetries: 0 }),
  );
  // Outside any graph: the call works as before, nothing to report into.
  const answer = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: "hi" }],
  });
  assert.equal(answer.choices[0].message.content, "x");
  // A failing call inside a node: the SDK's own error reaches the node, the call is counted.
  const { metrics } = await measure(async () => {
    try {
      await client.chat.completions.create({ model: "gpt-4.1-mini", messages: [] });
    } catch (error) {
      return `failed: ${(error as Error).constructor.name}`;
    }
    return "no error";
  }).catch((error) => ({ metrics: null, error }));
  assert.ok(metrics);
  assert.equal(metrics.calls.length, 1);
  assert.notEqual(metrics.calls[0].error, null);
});

Deno.test("SDK wrappers carry every billed dimension: 1h writes, geo, searches, audio, cost", async () => {
  await using anthropicServer = startAnthropicServer([{
    model: "claude-opus-4-6",
    text: "ok",
    usage: {
      ...anthropicUsage(1_000, 100, { write: 20_000 }),
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 20_000 },
      server_tool_use: { web_search_requests: 2 },
      inference_geo: "us",
    },
  }]);
  const audio = geminiUsage(10_000, 100);
  audio.promptTokensDetails = [
    { modality: "TEXT", tokenCount: 2_000 },
    { modality: "AUDIO", tokenCount: 8_000 },
  ];
  await using geminiServer = startGeminiServer([{
    model: "gemini-2.5-flash",
    text: "ok",
    usage: audio,
  }]);
  await using openaiServer = startOpenAIServer([{
    model: "openai/gpt-4.1-mini",
    text: "ok",
    usage: { ...chatUsage(1_000, 100), cost: 0.000777 },
  }]);
  const claude = instrumentAnthropic(
    new Anthropic({ apiKey: "t", baseURL: anthropicServer.origin }),
  );
  const gemini = instrumentGoogleGenAI(
    new GoogleGenAI({ apiKey: "t", httpOptions: { baseUrl: geminiServer.origin } }),
  );
  const router = instrumentOpenAI(
    new OpenAI({ apiKey: "t", baseURL: `${openaiServer.origin}/v1` }),
  );
  const { metrics } = await measure(async () => {
    await claude.messages.create({
      model: "claude-opus-4-6",
      max_tokens: 10,
      messages: [{ role: "user", content: "hi" }],
    });
    await gemini.models.generateContent({ model: "gemini-2.5-flash", contents: "hi" });
    await router.chat.completions.create({
      model: "openai/gpt-4.1-mini",
      messages: [{ role: "user", content: "hi" }],
    });
    return "done";
  });
  const [opus, flash, routed] = metrics.calls;
  // claude-opus-4-6 (https://platform.claude.com/docs/en/about-claude/pricing, read 2026-11-27):
  // $5 in, 1h cache write $10, $25 out, web search $10/1000, inference_geo "us" 1.1x on tokens.
  close(opus.costUsd, (1_000 * 5 + 20_000 * 10 + 100 * 25) / M * 1.1 + 0.02);
  // gemini-2.5-flash (https://ai.google.dev/gemini-api/docs/pricing): text $0.30, audio $1.00
  // in, $2.50 out.
  close(flash.costUsd, (2_000 * 0.3 + 8_000 * 1 + 100 * 2.5) / M);
  assert.equal(routed.costSource, "provider");
  assert.equal(routed.costUsd, 0.000777);
});
