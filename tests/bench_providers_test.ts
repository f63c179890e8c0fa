import assert from "node:assert/strict";
import { runBenchCli } from "../cli/bench.ts";
import { BenchmarkResult } from "../benchmark/result/benchmark_result.ts";
import { openResultsStore } from "../store/mod.ts";
import { chatUsage, startOpenAIServer } from "./fixtures/openai_server.ts";

Deno.test("cli: a real provider through --base-url (scripted OpenAI server)", async () => {
  // Segmentation finds nothing to note, so every window ends after one call.
  const server = startOpenAIServer(() => ({
    model: "gpt-4.1-mini-2025-04-14",
    text: '{"chunks": []}',
    usage: chatUsage(200, 10),
  }));
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/memo.txt`, "Buy milk. Call the bank about the loan tomorrow.");
    let stderr = "";
    const code = await runBenchCli([
      "--model",
      "openai:gpt-4.1-mini",
      "--base-url",
      `${server.origin}/v1`,
      "--input",
      `${dir}/memo.txt`,
      "--out",
      `${dir}/out`,
      "--db",
      `${dir}/graphmeter.db`,
      "--runs",
      "2",
    ], {
      out: () => {},
      err: (text) => (stderr += text),
      errIsTerminal: false,
      env: () => undefined,
    });
    assert.equal(code, 0, stderr);
    const result = BenchmarkResult.parse(
      JSON.parse(await Deno.readTextFile(`${dir}/out/metrics.json`)),
    );
    assert.equal(result.meta.notes?.Calls, "real providers");
    assert.deepEqual(result.meta.models, { "*": "openai:gpt-4.1-mini" });
    assert.equal(result.runs.length, 2);
    assert.equal(server.requests.length, result.aggregates.llmCalls);
    assert.equal(result.aggregates.inputTokens, 200 * server.requests.length);
    using store = openResultsStore(`${dir}/graphmeter.db`);
    const call = store.loadRuns(result.benchmark!.id)[0].metrics.calls[0];
    assert.equal(call.model, "gpt-4.1-mini-2025-04-14");
    assert.equal(call.costSource, "catalog");
    assert.ok((result.aggregates.costUsd ?? 0) > 0);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
