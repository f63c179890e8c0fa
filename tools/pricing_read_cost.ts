/**
 * What the first metrics read of a 10,000-call run costs against that run's instrumented invoke
 * (issue 7, item 6: ≤ 5%), and pricing 10,000 calls with memoized rates against looking each up
 * in the catalog (the old way), interleaved in one process.
 *
 *   deno run --allow-read --allow-env --allow-sys tools/pricing_read_cost.ts
 *
 * @module
 */
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { calcPrice } from "@pydantic/genai-prices";
import { PerformanceCallbackHandler } from "../mod.ts";
import { estimateCost } from "../pricing/estimate.ts";
import { zeroTokenUsage } from "../pricing/token_usage.ts";
import { ScriptedChatModel, usage } from "../tests/support/scripted_chat_model.ts";

const CALLS = 10_000;
const ROUNDS = Number(Deno.env.get("ROUNDS") ?? 5);
const MODELS = ["gpt-4.1-mini", "gpt-4.1", "o4-mini", "gpt-5-mini"];

const State = Annotation.Root({ n: Annotation<number> });
const model = new ScriptedChatModel({
  provider: "openai",
  modelName: "gpt-4.1-mini",
  replies: MODELS.map((name, i) => ({
    text: "ok",
    model: name,
    usage: usage(1_000 + i, 100, { cacheRead: 200 }),
  })),
});
const graph = new StateGraph(State)
  .addNode("calls", async (_state, config) => {
    for (let i = 0; i < CALLS; i++) await model.invoke("hi", config);
    return { n: CALLS };
  })
  .addEdge(START, "calls")
  .addEdge("calls", END)
  .compile();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

const invokeMs: number[] = [];
const readMs: number[] = [];
const callsMs: number[] = [];
const memoMs: number[] = [];
const lookupMs: number[] = [];
const callUsage = { ...zeroTokenUsage(), inputTokens: 1_000, outputTokens: 100 };
const at = new Date();
for (let round = 0; round < ROUNDS; round++) {
  const handler = new PerformanceCallbackHandler();
  let start = performance.now();
  await graph.invoke({ n: 0 }, { callbacks: [handler] });
  invokeMs.push(performance.now() - start);
  start = performance.now();
  const metrics = handler.metrics;
  readMs.push(performance.now() - start);
  // The call records are built when `calls` is first read: timed on their own.
  start = performance.now();
  const calls = metrics.calls;
  callsMs.push(performance.now() - start);
  if (calls.length !== CALLS || metrics.totals.costUsd === null) throw new Error("bad run");

  // Pricing alone, interleaved: memoized rates vs a catalog lookup per call.
  start = performance.now();
  for (let i = 0; i < CALLS; i++) {
    estimateCost(callUsage, MODELS[i % 4], { provider: "openai", at });
  }
  memoMs.push(performance.now() - start);
  start = performance.now();
  for (let i = 0; i < CALLS; i++) {
    calcPrice({ input_tokens: 1_000, output_tokens: 100 }, MODELS[i % 4], {
      providerId: "openai",
      timestamp: at,
    });
  }
  lookupMs.push(performance.now() - start);
}
const invoke = median(invokeMs);
const read = median(readMs);
console.log(`${CALLS} calls, median of ${ROUNDS} rounds`);
console.log(`instrumented invoke: ${invoke.toFixed(1)} ms`);
console.log(`first metrics read:  ${read.toFixed(1)} ms = ${(100 * read / invoke).toFixed(1)}%`);
const callList = median(callsMs);
console.log(
  `then metrics.calls (10,000 call records built on first access): ${callList.toFixed(1)} ms; ` +
    `read + calls = ${(100 * (read + callList) / invoke).toFixed(1)}%`,
);
console.log(
  `pricing ${CALLS} calls: memoized rates ${median(memoMs).toFixed(1)} ms, catalog lookup ` +
    `per call ${median(lookupMs).toFixed(1)} ms (${
      (median(lookupMs) / median(memoMs)).toFixed(1)
    }x)`,
);
