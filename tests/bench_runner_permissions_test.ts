// In a file of its own: LangSmith remembers the home directory once any test of a file asked.
import assert from "node:assert/strict";
import type { RunnableConfig } from "@langchain/core/runnables";
import { runBenchmark } from "../benchmark/runner.ts";
import { ToyChatModel } from "./support/toy_graph.ts";

Deno.test({
  name: "runner: needs no --allow-sys (background callbacks are not drained by default)",
  permissions: { read: true, env: true, sys: false },
  fn: async () => {
    // A chat model invoked directly: LangChain asks for no home directory on this path.
    const model = new ToyChatModel();
    const graph = { invoke: (text: string, config?: RunnableConfig) => model.invoke(text, config) };
    const result = await runBenchmark({ graph, inputs: [{ id: "a", input: "hi" }] });
    const [record] = result.records;
    assert.equal(record.error, null);
    assert.equal(record.metrics.totals.llmCalls, 1);
    assert.equal(record.metrics.totals.inputTokens, 102);
  },
});
