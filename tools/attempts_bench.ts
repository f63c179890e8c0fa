/**
 * The cost of tracking HTTP attempts (`trackHttpAttempts()` from `./sdk`) in a service, measured
 * interleaved in one process: LangChain's `ChatOpenAI` invoked against a loopback
 * OpenAI-compatible server that answers at once, measured by a `PerformanceCallbackHandler`, with
 * tracking off and on; and a bare `fetch` of the same server outside any LLM call, through the
 * wrapper and around it (what every other request of the process pays). Each round runs each
 * variant for a batch, in a fresh random order; the figures are each variant's median over the
 * rounds, per call, and the difference between variants.
 *
 * Run: `deno run -A tools/attempts_bench.ts [--rounds 30] [--batch 40]`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ChatOpenAI } from "@langchain/openai";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { trackHttpAttempts } from "../sdk/mod.ts";
import { chatUsage, startOpenAIServer } from "../tests/fixtures/openai_server.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { rounds: { type: "string", default: "30" }, batch: { type: "string", default: "40" } },
});
const rounds = Number(values.rounds);
const batch = Number(values.batch);

await using server = startOpenAIServer(() => ({
  model: "gpt-4.1-mini-2025-04-14",
  text: "ok",
  usage: chatUsage(120, 8),
}));
const baseURL = `${server.origin}/v1`;
const untrackedFetch = globalThis.fetch;
// A client keeps the fetch it was built with: one model built before tracking ever started, one
// built while it was on (it keeps the wrapper, which passes through when tracking is off).
const untrackedModel = new ChatOpenAI({
  model: "gpt-4.1-mini",
  apiKey: "k",
  configuration: { baseURL },
});
await untrackedModel.invoke("warm up");
const first = trackHttpAttempts();
const trackedModel = new ChatOpenAI({
  model: "gpt-4.1-mini",
  apiKey: "k",
  configuration: { baseURL },
});
await trackedModel.invoke("warm up");
const wrappedFetch = globalThis.fetch;
first.stop();

const handler = new PerformanceCallbackHandler({ maxRetainedRuns: 0 });
const plain = async (fetcher: typeof fetch) => {
  const response = await fetcher(`${server.origin}/v1/chat/completions`, {
    method: "POST",
    body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
  });
  await response.arrayBuffer();
};

const VARIANTS: { name: string; call: () => Promise<unknown>; tracked: boolean }[] = [
  {
    name: "LLM call, tracking off",
    call: () => untrackedModel.invoke("hello", { callbacks: [handler] }),
    tracked: false,
  },
  {
    name: "LLM call, tracking on",
    call: () => trackedModel.invoke("hello", { callbacks: [handler] }),
    tracked: true,
  },
  { name: "fetch outside a call, no wrapper", call: () => plain(untrackedFetch), tracked: false },
  { name: "fetch outside a call, tracking on", call: () => plain(wrappedFetch), tracked: true },
];

const median = (values: number[]) => values.toSorted((a, b) => a - b)[values.length >> 1];
const shuffled = <T>(items: readonly T[]) =>
  items.map((item) => [Math.random(), item] as const)
    .sort(([a], [b]) => a - b).map(([, item]) => item);

const times = new Map(VARIANTS.map((variant) => [variant.name, [] as number[]]));
for (let round = -2; round < rounds; round++) { // two warm-up rounds
  for (const variant of shuffled(VARIANTS)) {
    const tracking = variant.tracked ? trackHttpAttempts() : null;
    const started = performance.now();
    for (let i = 0; i < batch; i++) await variant.call();
    const perCallMs = (performance.now() - started) / batch;
    tracking?.stop();
    if (round >= 0) times.get(variant.name)!.push(perCallMs);
  }
}
const result = Object.fromEntries([...times].map(([name, list]) => [name, median(list)]));
for (const [name, ms] of Object.entries(result)) {
  console.log(`${name.padEnd(36)} ${(ms * 1000).toFixed(0).padStart(6)} µs per call`);
}
const llm = result["LLM call, tracking on"] - result["LLM call, tracking off"];
const bare = result["fetch outside a call, tracking on"] -
  result["fetch outside a call, no wrapper"];
console.log(
  `tracking adds ${(llm * 1000).toFixed(0)} µs to an LLM call ` +
    `(${(result["LLM call, tracking on"] / result["LLM call, tracking off"]).toFixed(3)}x) and ` +
    `${(bare * 1000).toFixed(0)} µs to a request outside any call ` +
    `(${
      (result["fetch outside a call, tracking on"] / result["fetch outside a call, no wrapper"])
        .toFixed(3)
    }x); medians of ${rounds} rounds of ${batch}`,
);
console.log(`(the handler caught ${handler.handlerErrors} errors)`);
