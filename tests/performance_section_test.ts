import assert from "node:assert/strict";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { writePerformanceSection } from "../report/performance_section.ts";
import { ScriptedChatModel, type ScriptedReply, usage } from "./support/scripted_chat_model.ts";

const State = Annotation.Root({
  n: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
});

async function measure(stages: string[], replies: ScriptedReply[], modelName = "gpt-4.1-nano") {
  const model = new ScriptedChatModel({ replies, modelName });
  // deno-lint-ignore no-explicit-any
  let builder: any = new StateGraph(State);
  for (const stage of stages) {
    builder = builder.addNode(stage, async () => {
      await model.invoke("x");
      return { n: 1 };
    });
  }
  builder = builder.addEdge(START, stages[0]);
  for (let i = 1; i < stages.length; i++) builder = builder.addEdge(stages[i - 1], stages[i]);
  const graph = builder.addEdge(stages.at(-1), END).compile();
  const handler = new PerformanceCallbackHandler();
  await graph.invoke({ n: 0 }, { callbacks: [handler] });
  return handler.metrics;
}

function tableRows(markdown: string): string[][] {
  return markdown.split("\n").filter((line) => line.startsWith("| ")).map((line) =>
    line.slice(2, -2).split(" | ")
  );
}

Deno.test("the table has the exact columns, a row per stage in order and a total", async () => {
  // gpt-4.1-nano: $0.10 per million input tokens (https://openai.com/api/pricing):
  // 120 tokens = $0.000012, 190 tokens = $0.000019.
  const metrics = await measure(["segmentation", "relationship_analysis"], [
    { usage: usage(120, 0) },
    { usage: usage(190, 0) },
  ]);
  const markdown = writePerformanceSection(metrics);
  const rows = tableRows(markdown);
  assert.deepEqual(rows[0], [
    "Stage",
    "Latency (s)",
    "LLM Calls",
    "Input Tokens",
    "Output Tokens",
    "Est. Cost ($)",
  ]);
  assert.deepEqual(rows[2].filter((_, i) => i !== 1), [
    "segmentation",
    "1",
    "120",
    "0",
    "0.000012",
  ]);
  assert.deepEqual(rows[3].filter((_, i) => i !== 1), [
    "relationship\\_analysis",
    "1",
    "190",
    "0",
    "0.000019",
  ]);
  assert.deepEqual(rows[4].filter((_, i) => i !== 1), [
    "**Total**",
    "**2**",
    "**310**",
    "**0**",
    "**0.000031**",
  ]);
  assert.equal(rows[2][1], (metrics.stages.segmentation.latencyMs / 1000).toFixed(3));
  assert.equal(rows[4][1], `**${(metrics.totals.latencyMs / 1000).toFixed(3)}**`);
  assert.match(
    markdown,
    new RegExp(`Pipeline wall time: \\*\\*${(metrics.wallTimeMs / 1000).toFixed(3)} s`),
  );
  assert.doesNotMatch(markdown, /unpriced/);
});

Deno.test("stage names are Markdown-escaped", async () => {
  const metrics = await measure(["a*b", "__init__"], [{ usage: usage(1, 1) }]);
  const rows = tableRows(writePerformanceSection(metrics));
  assert.equal(rows[2][0], "a\\*b");
  assert.equal(rows[3][0], "\\_\\_init\\_\\_");
});

Deno.test("unpriced calls say so, never $0, with a note naming the model", async () => {
  const metrics = await measure(["only"], [{ usage: usage(10, 10) }], "acme-secret-model");
  const markdown = writePerformanceSection(metrics);
  const rows = tableRows(markdown);
  assert.equal(rows[2][5], "unpriced");
  assert.equal(rows[3][5], "**unpriced**");
  assert.match(
    markdown,
    /1 call\(s\) are \*\*unpriced\*\* \(no price known for `acme-secret-model`\)/,
  );
});

Deno.test("calls without usage get a note", async () => {
  const metrics = await measure(["only"], [{ usage: null }]);
  const markdown = writePerformanceSection(metrics);
  assert.match(markdown, /1 call\(s\) reported \*\*no usage\*\*/);
  assert.equal(tableRows(markdown)[2][5], "unpriced");
});
