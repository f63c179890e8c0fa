/**
 * Ollama through the real `ChatOllama`, offline against a scripted `/api/chat` server: tokens
 * from `prompt_eval_count` / `eval_count`, a local model at $0.
 */
import { ChatOllama } from "@langchain/ollama";
import assert from "node:assert/strict";
import { ollamaStats, startOllamaServer } from "./fixtures/ollama_server.ts";
import { assertStreamTiming, CALL_MODES, runGraph, usageOf } from "./fixtures/graph.ts";

for (const mode of CALL_MODES) {
  Deno.test(`ollama (${mode}): eval counts are the tokens, a local model costs $0`, async () => {
    await using server = startOllamaServer([{
      model: "llama3.2:3b",
      text: "Nothing, it runs here.",
      stats: ollamaStats(260, 45),
    }]);
    const { call, error } = await runGraph(
      new ChatOllama({ model: "llama3.2:3b", baseUrl: server.origin, maxRetries: 1 }),
      mode,
    );
    assert.equal(error, null);
    assert.equal(server.requests[0].path, "/api/chat");
    assert.deepEqual(usageOf(call), {
      model: "llama3.2:3b",
      provider: "ollama",
      inputTokens: 260,
      outputTokens: 45,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      usageReported: true,
    });
    assert.equal(call.costUsd, 0);
    assert.equal(call.costSource, "local");
    // ChatOllama always streams NDJSON, even for invoke, so both modes see tokens arrive.
    assertStreamTiming(call);
  });
}
