/**
 * graphmeter: what every run of a LangGraph.js workflow costs in time and money, stage by stage.
 *
 * Pass a {@linkcode PerformanceCallbackHandler} in a run's callbacks, read `handler.metrics`
 * when `invoke` resolves, and render it with {@linkcode writePerformanceSection}.
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
export * from "./telemetry/mod.ts";
export * from "./pricing/mod.ts";
export * from "./benchmarker/mod.ts";
