/**
 * What running a graph in the worker costs, measured interleaved in one process: the instant
 * one-call graph of `deno task scale` (`tests/fixtures/scale_graph.ts`) invoked N times in this
 * process with the handler in its callbacks, and N times in a worker (`bench --graph`'s path: the
 * forwarding handler writes each callback to the CLI, whose handler measures on the worker's
 * clock), alternately. Prints the median run wall time the handler measured each way (the
 * worker's forwarding is inside what it measures) and the median round trip of a run through the
 * worker as the runner sees it.
 *
 * `deno run -A tools/worker_overhead.ts [runs]`
 *
 * @module
 */
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { ProjectGraph } from "../worker/client.ts";
import { workerFlags } from "../worker/project.ts";
import { graph } from "../tests/fixtures/scale_graph.ts";
import { MemorySaver } from "@langchain/langgraph";

const runs = Number(Deno.args[0] ?? 400);
const root = new URL("../", import.meta.url).pathname;
const moduleUrl = new URL("../tests/fixtures/scale_graph.ts", import.meta.url).href;
const { graph: remote } = await ProjectGraph.start({
  flags: workerFlags({
    dir: root,
    langgraphJson: null,
    kind: "deno",
    denoConfig: `${root}deno.json`,
    envFile: null,
    envVars: {},
    importMap: null,
    warnings: [],
  }),
  cwd: root,
  env: {},
  spec: {
    moduleUrl,
    exportName: "graph",
    projectDir: root,
    factoryConfig: { configurable: {} },
  },
  ref: "scale_graph",
  loadTimeoutMs: 60_000,
  runTimeoutMs: 0,
  onOutput: (text) => Deno.stderr.writeSync(new TextEncoder().encode(text)),
});

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const inProcess: number[] = [];
const inProcessSaver: number[] = [];
const saver = new MemorySaver();
const inWorker: number[] = [];
const roundTrips: number[] = [];
let events = 0;
for (let i = 0; i < runs + 20; i++) {
  const local = new PerformanceCallbackHandler();
  await graph.invoke({ text: "a prompt of a few words" }, { callbacks: [local] });
  // As the worker runs it: with the in-memory checkpointer it attaches (as langgraph dev does).
  const withSaver = new PerformanceCallbackHandler();
  graph.checkpointer = saver;
  await graph.invoke({ text: "a prompt of a few words" }, {
    callbacks: [withSaver],
    configurable: { thread_id: `local-${i}` },
  });
  graph.checkpointer = undefined;
  const viaWorker = new PerformanceCallbackHandler({ clock: remote.clock });
  let counted = 0;
  const counter = new Proxy(viaWorker, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof key === "string" && key.startsWith("handle") && typeof value === "function") {
        return (...args: unknown[]) => {
          counted++;
          return value.apply(target, args);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const started = performance.now();
  await remote.invoke({ text: "a prompt of a few words" }, {
    callbacks: [counter],
    configurable: { thread_id: `run-${i}` },
  });
  const roundTrip = performance.now() - started;
  if (i < 20) continue; // warm-up
  inProcess.push(local.runs[0].wallTimeMs);
  inProcessSaver.push(withSaver.runs[0].wallTimeMs);
  inWorker.push(viaWorker.runs[0].wallTimeMs);
  roundTrips.push(roundTrip);
  events = counted;
}
await remote.close();
const a = median(inProcess);
const saved = median(inProcessSaver);
const b = median(inWorker);
console.log(`${runs} runs each, interleaved; ${events} callbacks per run`);
console.log(
  `run wall time the handler measured, median: in process ${a.toFixed(3)} ms; in process ` +
    `with an in-memory checkpointer ${saved.toFixed(3)} ms (x${(saved / a).toFixed(2)}); in ` +
    `the worker (which attaches one) ${b.toFixed(3)} ms (x${(b / saved).toFixed(2)} of the ` +
    `same graph in process, +${((b - saved) / events * 1000).toFixed(1)} µs per forwarded ` +
    "callback)",
);
console.log(`a run's round trip through the worker, median: ${median(roundTrips).toFixed(3)} ms`);
