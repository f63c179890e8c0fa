/**
 * The table through the real LangChain integrations (`@langchain/anthropic`,
 * `@langchain/openai` with `AzureChatOpenAI`, `@langchain/xai`, `@langchain/google-genai`)
 * against loopback servers speaking each provider's wire format: every price exact to 1e-9.
 * Calls are priced as of their own start, now (after 2026-12-06): the rows whose price depends
 * on the date or the hour are in `pricing_truth_test.ts`, through `estimateCost`.
 */
import { AzureChatOpenAI } from "@langchain/openai";
import { ChatGoogleGenerativeAI } from "@langchain/google-genai";
import { ChatXAI } from "@langchain/xai";
import assert from "node:assert/strict";
import { chatUsage, responsesUsage, startOpenAIServer } from "./fixtures/openai_server.ts";
import { anthropicUsage, startAnthropicServer } from "./fixtures/anthropic_server.ts";
import { geminiUsage, startGeminiServer } from "./fixtures/gemini_server.ts";
import {
  loopbackAnthropic as anthropic,
  loopbackOpenAI as openAI,
} from "./fixtures/loopback_models.ts";
import { assertCost, runGraph, usd } from "./fixtures/graph.ts";
import { PerformanceCallbackHandler } from "../mod.ts";

Deno.test("ChatAnthropic: Claude Sonnet 4 above 200K prompt tokens at $6 / $22.50", async () => {
  // 200K uncached + 100K cache reads = a 300K prompt, 2K output (was $0.660).
  await using server = startAnthropicServer([{
    model: "claude-sonnet-4-20250514",
    text: "ok",
    usage: anthropicUsage(200_000, 2_000, { read: 100_000 }),
  }]);
  const { call } = await runGraph(anthropic(server.origin, "claude-sonnet-4-20250514"), "invoke");
  assert.equal(call.inputTokens, 300_000);
  assert.equal(call.costSource, "correction");
  assertCost(call.costUsd, usd(200_000, 6) + usd(100_000, 0.6) + usd(2_000, 22.5));
  assertCost(call.costUsd, 1.305);
  assert.deepEqual(call.costMissing, []);
});

Deno.test("ChatAnthropic: Claude Haiku 5.5, priced by prompt length", async () => {
  await using server = startAnthropicServer([
    { model: "claude-haiku-5-5", text: "ok", usage: anthropicUsage(10_000, 1_000) },
    {
      model: "claude-haiku-5-5",
      text: "ok",
      usage: anthropicUsage(120_000, 1_000, { read: 30_000 }),
    },
  ]);
  const short = await runGraph(anthropic(server.origin, "claude-haiku-5-5"), "invoke");
  assertCost(short.call.costUsd, usd(10_000, 0.1) + usd(1_000, 0.5));
  // A 150K prompt: above 100K, the whole request at $0.50 / $0.05 / $2.50.
  const long = await runGraph(anthropic(server.origin, "claude-haiku-5-5"), "invoke");
  assertCost(long.call.costUsd, usd(120_000, 0.5) + usd(30_000, 0.05) + usd(1_000, 2.5));
});

Deno.test("ChatOpenAI: gpt-4o-mini-audio-preview's audio at $10 / $20", async () => {
  const usage = chatUsage(10_000, 500);
  usage.prompt_tokens_details = { cached_tokens: 0, audio_tokens: 8_000 };
  usage.completion_tokens_details = { reasoning_tokens: 0, audio_tokens: 400 };
  await using server = startOpenAIServer([{
    model: "gpt-4o-mini-audio-preview-2024-12-17",
    text: "ok",
    usage,
  }]);
  const { call } = await runGraph(openAI(server.origin, "gpt-4o-mini-audio-preview"), "invoke");
  assert.deepEqual(call.costMissing, []);
  assertCost(call.costBreakdown!.audioUsd, usd(8_000, 10) + usd(400, 20));
  assertCost(call.costUsd, usd(2_000, 0.15) + usd(100, 0.6) + usd(8_000, 10) + usd(400, 20));
});

Deno.test("ChatOpenAI: GPT-6.1 Sol and GPT-6.2 Sol ($2, $0.10 cached, $10)", async () => {
  await using server = startOpenAIServer([
    {
      model: "gpt-6.1-sol-2026-09-29",
      text: "ok",
      usage: chatUsage(10_000, 1_000, { cached: 2_000 }),
    },
    { model: "gpt-6.2-sol", text: "ok", usage: chatUsage(10_000, 1_000, { cached: 2_000 }) },
  ]);
  for (const model of ["gpt-6.1-sol", "gpt-6.2-sol"]) {
    const { call } = await runGraph(openAI(server.origin, model), "invoke");
    assert.equal(call.costSource, "correction", model);
    assertCost(call.costUsd, usd(8_000, 2) + usd(2_000, 0.1) + usd(1_000, 10), model);
  }
});

Deno.test("ChatOpenAI (Responses API): priority and fast at each model's own rates", async () => {
  // https://openai.com/api-priority-processing/, https://openai.com/api-fast-mode/ and the GPT-6
  // Sol model page ("Fast mode costs twice the Standard rate"), read 2026-12-06.
  const cases: [string, string, string, number, number, number][] = [
    ["gpt-5-mini", "gpt-5-mini-2025-08-07", "priority", 0.45, 0.045, 3.6],
    ["gpt-4.1", "gpt-4.1-2025-04-14", "priority", 3.5, 0.875, 14],
    ["o3", "o3-2025-04-16", "priority", 3.5, 0.875, 14],
    ["o4-mini", "o4-mini-2025-04-16", "priority", 2, 0.5, 8],
    ["gpt-4o-mini", "gpt-4o-mini-2024-07-18", "priority", 0.25, 0.125, 1],
    ["gpt-5.2", "gpt-5.2-2025-12-11", "priority", 3.5, 0.35, 28],
    ["gpt-6-sol", "gpt-6-sol", "fast", 4, 0.4, 20],
  ];
  await using server = startOpenAIServer((_request, index) => ({
    model: cases[index][1],
    text: "ok",
    usage: responsesUsage(10_000, 1_000, { cached: 2_000, reasoning: 400 }),
    serviceTier: cases[index][2],
  }));
  for (const [model, , tier, input, cached, output] of cases) {
    const { call } = await runGraph(
      openAI(server.origin, model, { useResponsesApi: true }),
      "invoke",
    );
    assert.deepEqual(call.costMissing, [], model);
    assertCost(
      call.costUsd,
      usd(8_000, input) + usd(2_000, cached) + usd(1_000, output),
      `${model} ${tier}`,
    );
  }
});

Deno.test("AzureChatOpenAI: priced from the model the answer names; no model, a hint", async () => {
  await using server = startOpenAIServer([
    { model: "gpt-4o-2024-08-06", text: "ok", usage: chatUsage(10_000, 1_000) },
    { model: "", text: "ok", usage: chatUsage(10_000, 1_000) },
    { model: "", text: "ok", usage: chatUsage(10_000, 1_000) },
    { model: "", text: "ok", usage: chatUsage(10_000, 1_000) },
  ]);
  const azure = (deployment = "prod-4o") =>
    new AzureChatOpenAI({
      azureOpenAIApiKey: "test",
      azureOpenAIBasePath: `${server.origin}/openai/deployments`,
      azureOpenAIApiDeploymentName: deployment,
      azureOpenAIApiVersion: "2024-10-21",
      maxRetries: 0,
    });
  const named = await runGraph(azure(), "invoke");
  assert.equal(named.call.provider, "azure");
  assert.equal(named.call.model, "gpt-4o-2024-08-06");
  // gpt-4o at OpenAI's list rates: $2.50 in, $10 out.
  assertCost(named.call.costUsd, usd(10_000, 2.5) + usd(1_000, 10));
  const anonymous = await runGraph(azure(), "invoke");
  assert.equal(anonymous.call.costSource, "unpriced");
  assert.equal(anonymous.call.costUsd, null);
  // The deployment's name is the user's: the hint says to price it in the overrides (the bundled
  // catalog is older than 60 days now, so a stale-catalog note may sit beside it).
  const hints = (anonymous.metrics.pricing.notes ?? []).filter((note) => note.includes("Azure"));
  assert.equal(hints.length, 1);
  assert.match(hints[0], /Azure deployment `prod-4o` is unpriced.*"azure:prod-4o"/);
  // Mapped in the overrides as the hint says, it is priced.
  const mapped = await runGraph(
    azure(),
    "invoke",
    new PerformanceCallbackHandler({
      priceOverrides: { "azure:prod-4o": { inputPerMTok: 2.5, outputPerMTok: 10 } },
    }),
  );
  assert.equal(mapped.call.costSource, "override");
  assertCost(mapped.call.costUsd, usd(10_000, 2.5) + usd(1_000, 10));
  // A deployment named like a model is still the user's name, not the model: unpriced.
  const lookalike = await runGraph(azure("gpt-4o"), "invoke");
  assert.equal(lookalike.call.requestedModel, "gpt-4o");
  assert.equal(lookalike.call.costUsd, null);
});

Deno.test("ChatXAI: Grok 4.7, and grok-4-0709 billed as grok-4.3 since its retirement", async () => {
  await using server = startOpenAIServer([
    { model: "grok-4.7", text: "ok", usage: chatUsage(10_000, 1_000, { cached: 2_000 }) },
    { model: "grok-4-0709", text: "ok", usage: chatUsage(180_000, 2_000) },
  ]);
  const xai = (model: string) =>
    new ChatXAI({ model, apiKey: "xai-test", maxRetries: 0, baseURL: `${server.origin}/v1` });
  const grok47 = await runGraph(xai("grok-4.7"), "invoke");
  assertCost(grok47.call.costUsd, usd(8_000, 2) + usd(2_000, 0.5) + usd(1_000, 6));
  // 180K prompt, now (after 2026-05-15): grok-4.3's $1.25 / $2.50 below 200K.
  const grok4 = await runGraph(xai("grok-4-0709"), "invoke");
  assert.equal(grok4.call.costSource, "correction");
  assertCost(grok4.call.costUsd, usd(180_000, 1.25) + usd(2_000, 2.5));
});

Deno.test("ChatGoogleGenerativeAI: -latest aliases and -NNN suffixes priced as their model", async () => {
  await using server = startGeminiServer([
    { model: "gemini-pro-latest", text: "ok", usage: geminiUsage(10_000, 1_000) },
    { model: "gemini-2.5-flash-001", text: "ok", usage: geminiUsage(10_000, 1_000) },
  ]);
  const gemini = (model: string) =>
    new ChatGoogleGenerativeAI({ model, apiKey: "test", baseUrl: server.origin });
  // gemini-pro-latest points at Gemini 3.1 Pro Preview since 2026-03-06: $2 / $12.
  const pro = await runGraph(gemini("gemini-pro-latest"), "invoke");
  assertCost(pro.call.costUsd, usd(10_000, 2) + usd(1_000, 12));
  // gemini-2.5-flash: $0.30 / $2.50.
  const flash = await runGraph(gemini("gemini-2.5-flash-001"), "invoke");
  assertCost(flash.call.costUsd, usd(10_000, 0.3) + usd(1_000, 2.5));
});
