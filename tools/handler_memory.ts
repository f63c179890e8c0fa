/**
 * `deno task memory`: the heap of one long-lived handler that is never drained, after 20,000 and
 * after 40,000 invocations of a one-node graph (reading `metrics` after each), and the cost of a
 * read. Bounded retention keeps the growth between the two under 1 MB while the totals stay exact.
 *
 * Run: deno run --v8-flags=--expose-gc --allow-read --allow-env tools/handler_memory.ts
 */
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";

const State = Annotation.Root({ text: Annotation<string> });
const model = new FakeListChatModel({ responses: ["ok"] });
const graph = new StateGraph(State)
  .addNode("answer", async (state) => ({ text: String((await model.invoke(state.text)).content) }))
  .addEdge(START, "answer")
  .addEdge("answer", END)
  .compile();

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --v8-flags=--expose-gc");

function heapMb(): number {
  gc!();
  gc!();
  return Deno.memoryUsage().heapUsed / 1e6;
}

const handler = new PerformanceCallbackHandler();
let readNs = 0;
let reads = 0;
const figures: Record<number, number> = {};
for (let i = 1; i <= 40_000; i++) {
  await graph.invoke({ text: "hi" }, { callbacks: [handler] });
  const start = performance.now();
  const metrics = handler.metrics;
  readNs += (performance.now() - start) * 1e6;
  reads++;
  if (metrics.runCount !== i || metrics.totals.llmCalls !== i) {
    throw new Error(
      `totals not exact at ${i}: ${metrics.runCount} runs, ${metrics.totals.llmCalls}`,
    );
  }
  if (i === 20_000 || i === 40_000) figures[i] = heapMb();
}
const growth = figures[40_000] - figures[20_000];
console.log(`heap after 20,000 invocations: ${figures[20_000].toFixed(2)} MB`);
console.log(`heap after 40,000 invocations: ${figures[40_000].toFixed(2)} MB`);
console.log(`growth between the two: ${growth.toFixed(3)} MB (bound: < 1 MB)`);
console.log(
  `totals exact: runCount ${handler.metrics.runCount}, llmCalls ${handler.metrics.totals.llmCalls}`,
);
console.log(
  `a metrics read after each invocation: ${(readNs / reads / 1000).toFixed(1)} µs on average`,
);
if (growth >= 1) Deno.exit(1);
