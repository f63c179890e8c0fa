/**
 * Server-side tool fees where the LangChain integration hides them: streamed `ChatAnthropic`
 * (which drops `message_delta`'s usage) and xAI (`ChatXAI`, `ChatXAIResponses`), each through the
 * real integration against a server speaking the provider's wire format; prices exact to 1e-9,
 * each rate cited.
 */
import { ChatAnthropic } from "@langchain/anthropic";
import { ChatXAI, ChatXAIResponses, tools as xaiTools } from "@langchain/xai";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { PerformanceCallbackHandler } from "../mod.ts";
import { writeCostBreakdownSection } from "../report/cost_breakdown_section.ts";
import assert from "node:assert/strict";
import {
  type AnthropicReply,
  anthropicUsage,
  startAnthropicServer,
} from "./fixtures/anthropic_server.ts";
import { chatUsage, responsesUsage, startOpenAIServer } from "./fixtures/openai_server.ts";
import { ChatOpenAI } from "@langchain/openai";
import { searchModel, startSearchModelServer } from "./fixtures/search_model.ts";
import { assertCost, CALL_MODES, runGraph, STAGE, usd } from "./fixtures/graph.ts";

// claude-sonnet-4-5 (https://platform.claude.com/docs/en/about-claude/pricing, read 2026-11-27):
// $3 in, $15 out; web search $10 per 1,000 searches, an errored search is not billed
// (https://platform.claude.com/docs/en/agents-and-tools/tool-use/web-search-tool).
const SONNET = { input: 3, output: 15, search: 10 / 1000 };

/** Three searches the server ran; the third failed (`max_uses_exceeded`), so two are billed. */
const SEARCH_BLOCKS: Record<string, unknown>[] = [1, 2, 3].flatMap((n) => [
  { type: "server_tool_use", id: `srvtoolu_${n}`, name: "web_search", input: { query: `q${n}` } },
  {
    type: "web_search_tool_result",
    tool_use_id: `srvtoolu_${n}`,
    content: n === 3
      ? { type: "web_search_tool_result_error", error_code: "max_uses_exceeded" }
      : [{
        type: "web_search_result",
        url: `https://example.com/${n}`,
        title: "t",
        page_age: null,
      }],
  },
]);

/**
 * The searches streamed: message_start holds the prompt before any search (2,000 tokens);
 * message_delta's cumulative usage (9,000 input, 2 searches) is what @langchain/anthropic drops.
 */
const STREAMED_SEARCH: AnthropicReply = {
  model: "claude-sonnet-4-5-20250929",
  text: "ok",
  usage: { ...anthropicUsage(2_000, 400), server_tool_use: { web_search_requests: 0 } },
  deltaUsage: {
    input_tokens: 9_000,
    output_tokens: 400,
    server_tool_use: { web_search_requests: 2 },
  },
  blocks: SEARCH_BLOCKS,
};

function searchingClaude(origin: string) {
  return new ChatAnthropic({
    model: "claude-sonnet-4-5",
    apiKey: "test",
    maxRetries: 0,
    anthropicApiUrl: origin,
  }).bindTools([{ type: "web_search_20250305", name: "web_search", max_uses: 2 }]);
}

Deno.test("anthropic web search, not streamed: the usage's count, exact", async () => {
  const usage = { ...anthropicUsage(9_000, 400), server_tool_use: { web_search_requests: 2 } };
  await using server = startAnthropicServer([{
    model: "claude-sonnet-4-5-20250929",
    text: "ok",
    usage,
    blocks: SEARCH_BLOCKS,
  }]);
  const { call } = await runGraph(searchingClaude(server.origin), "invoke");
  assert.notEqual(server.requests[0].body?.stream, true);
  assert.equal(call.webSearchRequests, 2);
  assertCost(call.costUsd, usd(9_000, SONNET.input) + usd(400, SONNET.output) + 2 * SONNET.search);
  assert.deepEqual(call.costMissing, []);
});

Deno.test("anthropic web search, streamed: searches from the blocks, the results' input marked", async () => {
  await using server = startAnthropicServer([STREAMED_SEARCH]);
  const { call, metrics } = await runGraph(searchingClaude(server.origin), "stream");
  assert.equal(server.requests[0].body?.stream, true);
  assert.equal(call.webSearchRequests, 2);
  assert.equal(call.inputTokens, 2_000);
  assertCost(call.costBreakdown!.toolFeesUsd, 2 * SONNET.search);
  assertCost(call.costUsd, usd(2_000, SONNET.input) + usd(400, SONNET.output) + 2 * SONNET.search);
  assert.deepEqual(call.costMissing, ["server_tool_input:unreported"]);
  assert.equal(metrics.stages[STAGE].partialCalls, 1);
  assert.match(
    writeCostBreakdownSection(metrics),
    /1 call\(s\) are \*\*partially priced\*\*: the integration did not report server_tool_input;/,
  );
});

Deno.test("anthropic web search under streamEvents v3: the same count and mark", async () => {
  // Under v3 the node's invoke() streams through chat-model stream events, and the message holds
  // LangChain's standard blocks (server_tool_call, the result inside a non_standard block).
  await using server = startAnthropicServer([STREAMED_SEARCH]);
  const model = searchingClaude(server.origin);
  const graph = new StateGraph(Annotation.Root({ reply: Annotation<string> }))
    .addNode(STAGE, async (_state, config) => ({
      reply: String((await model.invoke("search", config)).content),
    }))
    .addEdge(START, STAGE)
    .addEdge(STAGE, END)
    .compile();
  const handler = new PerformanceCallbackHandler();
  for await (
    const _event of await graph.streamEvents({ reply: "" }, { version: "v3", callbacks: [handler] })
  ) {
    // drained
  }
  assert.equal(server.requests[0].body?.stream, true);
  const [call] = handler.metrics.calls;
  assert.equal(call.webSearchRequests, 2);
  assert.equal(call.outputTokens, 400);
  assertCost(call.costUsd, usd(2_000, SONNET.input) + usd(400, SONNET.output) + 2 * SONNET.search);
  assert.deepEqual(call.costMissing, ["server_tool_input:unreported"]);
});

Deno.test("anthropic streamed without server tools: nothing marked", async () => {
  await using server = startAnthropicServer([{
    model: "claude-sonnet-4-5-20250929",
    text: "plain answer",
    usage: anthropicUsage(2_000, 400),
  }]);
  const { call } = await runGraph(
    new ChatAnthropic({
      model: "claude-sonnet-4-5",
      apiKey: "test",
      maxRetries: 0,
      anthropicApiUrl: server.origin,
    }),
    "stream",
  );
  assert.equal(call.webSearchRequests, 0);
  assert.deepEqual(call.costMissing, []);
  assertCost(call.costUsd, usd(2_000, SONNET.input) + usd(400, SONNET.output));
});

Deno.test("anthropic code execution: billed by container time, named as unpriced", async () => {
  await using server = startAnthropicServer([{
    model: "claude-sonnet-4-5-20250929",
    text: "42",
    usage: anthropicUsage(3_000, 200),
    blocks: [
      { type: "server_tool_use", id: "srvtoolu_c", name: "code_execution", input: { code: "6*7" } },
      {
        type: "code_execution_tool_result",
        tool_use_id: "srvtoolu_c",
        content: { type: "code_execution_result", stdout: "42", stderr: "", return_code: 0 },
      },
    ],
  }]);
  const model = new ChatAnthropic({
    model: "claude-sonnet-4-5",
    apiKey: "test",
    maxRetries: 0,
    anthropicApiUrl: server.origin,
  }).bindTools([{ type: "code_execution_20250522", name: "code_execution" }]);
  const { call } = await runGraph(model, "invoke");
  assertCost(call.costUsd, usd(3_000, SONNET.input) + usd(200, SONNET.output));
  assert.deepEqual(call.costMissing, ["server_tool:code_execution"]);
});

for (const mode of CALL_MODES) {
  Deno.test(`openai Responses API (${mode}): web searches at $10/1,000, file searches at $2.50`, async () => {
    // gpt-5 (https://platform.openai.com/docs/pricing, read 2026-11-27): $1.25 in, $0.125 cached,
    // $10 out; web search tool calls $10 per 1,000; file search tool calls $2.50 per 1,000.
    await using server = startOpenAIServer([{
      model: "gpt-5-2025-08-07",
      text: "two sources say so",
      usage: responsesUsage(5_000, 800, { cached: 1_000 }),
      outputItems: [
        ...[1, 2].map((n) => ({
          id: `ws_${n}`,
          type: "web_search_call",
          status: "completed",
          action: { type: "search", query: `q${n}` },
        })),
        {
          id: "fs_1",
          type: "file_search_call",
          status: "completed",
          queries: ["q"],
          results: null,
        },
      ],
    }]);
    const model = new ChatOpenAI({
      model: "gpt-5",
      apiKey: "sk-test",
      maxRetries: 0,
      useResponsesApi: true,
      configuration: { baseURL: `${server.origin}/v1` },
    }).bindTools([{ type: "web_search" }, { type: "file_search", vector_store_ids: ["vs_1"] }]);
    const { call } = await runGraph(model, mode);
    assert.equal(server.requests[0].path, "/v1/responses");
    assert.equal(server.requests[0].body?.stream === true, mode === "stream");
    assert.equal(call.webSearchRequests, 2);
    assert.equal(call.fileSearchRequests, 1);
    assertCost(call.costBreakdown!.toolFeesUsd, 2 * 10 / 1000 + 2.5 / 1000);
    assertCost(call.costUsd, usd(4_000, 1.25) + usd(1_000, 0.125) + usd(800, 10) + 0.0225);
    assert.deepEqual(call.costMissing, []);
  });
}

Deno.test("openai Chat Completions search model: no search count reported, marked", async () => {
  // gpt-4o-mini-search-preview searches on OpenAI's side and its usage has no search count.
  await using server = startSearchModelServer();
  const model = searchModel(server.origin);
  const { call } = await runGraph(model, "invoke");
  assert.deepEqual(server.requests[0].body?.web_search_options, { search_context_size: "low" });
  assert.deepEqual(call.costMissing, ["web_search:unreported"]);
});

// grok-4.3: $1.25 in, $0.20 cached, $2.50 out below 200K prompt tokens (the catalog, and
// https://docs.x.ai/developers/models, read 2026-12-06; grok-4-1-fast-reasoning, used here
// before, was retired on 2026-05-15 and is billed as grok-4.3 since); Web Search and X Search
// $5 per 1,000 calls each (https://docs.x.ai/developers/pricing, read 2026-11-27).
const GROK = { input: 1.25, cached: 0.2, output: 2.5, search: 5 / 1000 };
const GROK_MODEL = "grok-4.3";

function xaiUsage(extra: Record<string, unknown>) {
  return { ...chatUsage(5_000, 800, { cached: 1_000, reasoning: 300 }), ...extra };
}

function grok(origin: string): ChatXAI {
  return new ChatXAI({
    model: GROK_MODEL,
    apiKey: "xai-test",
    maxRetries: 0,
    baseURL: `${origin}/v1`,
  });
}

const TOOL_DETAILS = {
  web_search_calls: 2,
  x_search_calls: 1,
  code_interpreter_calls: 0,
  file_search_calls: 0,
  mcp_calls: 0,
  document_search_calls: 0,
};

for (const mode of CALL_MODES) {
  Deno.test(`xAI through ChatXAI (${mode}): the billed cost (cost_in_usd_ticks) wins`, async () => {
    // https://docs.x.ai/developers/cost-tracking (read 2026-11-27): usage.cost_in_usd_ticks, the
    // amount billed, tool calls included; 1 USD = 10^10 ticks. Streamed, the usage arrives in
    // the stream's last chunk (the OpenAI-compatible `stream_options.include_usage`).
    await using server = startOpenAIServer([{
      model: GROK_MODEL,
      text: "found two sources",
      usage: xaiUsage({
        num_server_side_tools_used: 3,
        server_side_tool_usage_details: TOOL_DETAILS,
        cost_in_usd_ticks: 123_456_789,
      }),
    }]);
    const { call } = await runGraph(grok(server.origin), mode);
    assert.equal(server.requests[0].body?.stream === true, mode === "stream");
    assert.equal(call.provider, "xai");
    assert.equal(call.inputTokens, 5_000);
    assert.equal(call.costSource, "provider");
    assert.equal(call.costUsd, 0.0123456789);
    assert.equal(call.webSearchRequests, 3);
    assert.deepEqual(call.costMissing, []);
  });
}

Deno.test("xAI without a billed cost: web and X searches at $5/1,000, other tools named", async () => {
  await using server = startOpenAIServer([{
    model: GROK_MODEL,
    text: "ok",
    usage: xaiUsage({
      num_server_side_tools_used: 4,
      server_side_tool_usage_details: { ...TOOL_DETAILS, code_interpreter_calls: 1 },
    }),
  }]);
  const { call } = await runGraph(grok(server.origin), "invoke");
  assert.equal(call.costSource, "catalog");
  assert.equal(call.webSearchRequests, 3);
  assertCost(call.costBreakdown!.toolFeesUsd, 3 * GROK.search);
  assertCost(
    call.costUsd,
    usd(4_000, GROK.input) + usd(1_000, GROK.cached) + usd(800, GROK.output) + 3 * GROK.search,
  );
  assert.deepEqual(call.costMissing, ["server_tool:code_interpreter"]);
});

Deno.test("xAI Responses API: the integration drops usage details, so searching calls are marked", async () => {
  const usage = {
    ...responsesUsage(5_000, 800, { cached: 1_000 }),
    server_side_tool_usage_details: TOOL_DETAILS,
    cost_in_usd_ticks: 123_456_789,
  };
  await using server = startOpenAIServer([
    { model: GROK_MODEL, text: "ok", usage },
    { model: GROK_MODEL, text: "ok", usage },
  ]);
  const responses = (tools?: ReturnType<typeof xaiTools.xaiWebSearch>[]) =>
    new ChatXAIResponses({
      model: GROK_MODEL,
      apiKey: "xai-test",
      baseURL: `${server.origin}/v1`,
      ...(tools ? { tools } : {}),
    });
  const tokens = usd(4_000, GROK.input) + usd(1_000, GROK.cached) + usd(800, GROK.output);

  const searching = await runGraph(responses([xaiTools.xaiWebSearch()]), "invoke");
  assert.deepEqual(server.requests[0].body?.tools, [{ type: "web_search" }]);
  assert.equal(searching.call.costSource, "catalog");
  assertCost(searching.call.costUsd, tokens);
  assert.deepEqual(searching.call.costMissing, ["server_tools:unreported"]);

  const plain = await runGraph(responses(), "invoke");
  assertCost(plain.call.costUsd, tokens);
  assert.deepEqual(plain.call.costMissing, []);
});
