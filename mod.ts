/**
 * graphmeter: what every run of a LangGraph.js workflow costs in time and money, stage by stage.
 *
 * Pass a {@linkcode PerformanceCallbackHandler} in a run's callbacks, read `handler.metrics`
 * when `invoke` resolves (or receive each finished run with `onRunEnd`), and render it with
 * {@linkcode writePerformanceSection}. This root holds the handler's world only; the rest are
 * subpaths: `./benchmark` (runner, results store, reports), `./otel` (OpenTelemetry export),
 * `./workload` (the reference pipeline and simulated model), `./cli` (the command line).
 *
 * @example Usage
 * ```ts
 * import { PerformanceCallbackHandler, writePerformanceSection } from "./mod.ts";
 * import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
 * import assert from "node:assert/strict";
 *
 * const State = Annotation.Root({ text: Annotation<string> });
 * const graph = new StateGraph(State)
 *   .addNode("segmentation", (state) => ({ text: state.text.toUpperCase() }))
 *   .addEdge(START, "segmentation")
 *   .addEdge("segmentation", END)
 *   .compile();
 *
 * const handler = new PerformanceCallbackHandler();
 * await graph.invoke({ text: "hello" }, { callbacks: [handler] });
 * assert.match(writePerformanceSection(handler.metrics), /\| segmentation \|/);
 * ```
 *
 * @module
 */
// Each folder's public pieces are listed once, in its own mod.ts.
export * from "./telemetry/mod.ts";
export * from "./report/mod.ts";
export * from "./pricing/mod.ts";
