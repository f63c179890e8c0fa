/**
 * Inside the worker: the graph from the user's module (a compiled graph, a builder to compile, or
 * a factory called with the run config, as `langgraph dev` does), an in-memory checkpointer and
 * store from the project's own `@langchain/langgraph` when the graph was compiled without them
 * (as `langgraph dev` gives every graph), and the keys of its input schema.
 *
 * @module
 */

/** A graph as the worker drives it: LangChain's `invoke`, and LangGraph's fields when present. */
export interface LoadedGraph {
  /** Runs the graph once. */
  invoke(input: unknown, config?: Record<string, unknown>): Promise<unknown>;
  /** The config `withConfig` bound (LangGraph's `Pregel.config`). */
  config?: Record<string, unknown>;
  /** The graph's checkpointer. */
  checkpointer?: unknown;
  /** The graph's store. */
  store?: unknown;
  /** The graph's builder (a `StateGraph`), when compiled from one. */
  builder?: { _inputDefinition?: unknown };
}

/**
 * A mistake in the user's graph or module: one line for the user.
 *
 * @example Usage
 * ```ts
 * import { GraphLoadError, graphFromExport } from "./load_graph.ts";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(graphFromExport({ name: "x" }, "x", {}), GraphLoadError);
 * ```
 */
export class GraphLoadError extends Error {
  override name = "GraphLoadError";
}

function isInvokable(value: unknown): value is LoadedGraph {
  return typeof (value as { invoke?: unknown } | null)?.invoke === "function";
}

/**
 * Turns a module's export into a graph: a compiled graph is taken as is, a builder compiled, a
 * function called with `factoryConfig` (and awaited) first.
 *
 * @param value The export.
 * @param name The export's name, for messages.
 * @param factoryConfig What a factory is called with.
 * @returns The graph.
 * @throws {GraphLoadError} When it is none of these, or the factory throws.
 *
 * @example Usage
 * ```ts
 * import { graphFromExport } from "./load_graph.ts";
 * import assert from "node:assert/strict";
 *
 * const graph = await graphFromExport(() => ({ invoke: async (x: unknown) => x }), "make", {});
 * assert.equal(await graph.invoke(1), 1);
 * ```
 */
export async function graphFromExport(
  value: unknown,
  name: string,
  factoryConfig: unknown,
): Promise<LoadedGraph> {
  let graph = value;
  if (typeof graph === "function" && !isInvokable(graph)) {
    try {
      graph = await (graph as (config: unknown) => unknown)(factoryConfig);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new GraphLoadError(`${name}() failed: ${reason}`);
    }
  }
  if (!isInvokable(graph) && typeof (graph as { compile?: unknown })?.compile === "function") {
    graph = (graph as { compile: () => unknown }).compile();
  }
  if (!isInvokable(graph)) {
    throw new GraphLoadError(
      `${name} is not a graph: export a compiled graph or a function returning one`,
    );
  }
  return graph;
}

/**
 * The keys of a StateGraph's input schema (an Annotation or a zod object), or null when the graph
 * does not say (a Runnable, the functional API).
 *
 * @param graph The graph.
 * @returns The keys, or null.
 *
 * @example Usage
 * ```ts
 * import { inputKeysOf } from "./load_graph.ts";
 * import assert from "node:assert/strict";
 *
 * const graph = { invoke: async () => ({}), builder: { _inputDefinition: { messages: {} } } };
 * assert.deepEqual(inputKeysOf(graph), ["messages"]);
 * assert.equal(inputKeysOf({ invoke: async () => ({}) }), null);
 * ```
 */
export function inputKeysOf(graph: LoadedGraph): string[] | null {
  const definition = graph.builder?._inputDefinition as Record<string, unknown> | undefined;
  if (definition === null || typeof definition !== "object") return null;
  const shape = (definition as { shape?: unknown }).shape; // a zod object
  const spec = (definition as { spec?: unknown }).spec; // an AnnotationRoot
  const keys = Object.keys(
    typeof shape === "object" && shape !== null
      ? shape
      : typeof spec === "object" && spec !== null
      ? spec
      : definition,
  );
  return keys.length > 0 ? keys : null;
}

/** The in-memory checkpointer and store classes of the project's own LangGraph. */
interface MemoryClasses {
  MemorySaver?: new () => unknown;
  InMemoryStore?: new () => unknown;
}

/**
 * Gives a graph compiled without a checkpointer or store in-memory ones from the project's own
 * `@langchain/langgraph` (as `langgraph dev` does), so a node that reads `config.store` or a graph
 * that interrupts runs as it does on the platform.
 *
 * @param graph The graph (changed in place).
 * @param langgraph The project's `@langchain/langgraph` module, or null when it has none.
 * @returns What was attached.
 *
 * @example Usage
 * ```ts
 * import { attachMemory } from "./load_graph.ts";
 * import assert from "node:assert/strict";
 *
 * class MemorySaver {}
 * class InMemoryStore {}
 * const graph: { invoke: () => Promise<unknown>; checkpointer?: object; store?: object } = {
 *   invoke: async () => ({}),
 *   checkpointer: undefined,
 *   store: undefined,
 * };
 * assert.deepEqual(attachMemory(graph, { MemorySaver, InMemoryStore }), { checkpointer: true, store: true });
 * assert.ok(graph.store instanceof InMemoryStore);
 * ```
 */
export function attachMemory(
  graph: LoadedGraph,
  langgraph: MemoryClasses | null,
): { checkpointer: boolean; store: boolean } {
  const attached = { checkpointer: false, store: false };
  // Only a LangGraph graph has these fields (a compiled graph has them, unset, as undefined).
  if (langgraph === null || !("checkpointer" in graph)) return attached;
  if (!graph.checkpointer && langgraph.MemorySaver) {
    graph.checkpointer = new langgraph.MemorySaver();
    attached.checkpointer = true;
  }
  if ("store" in graph && !graph.store && langgraph.InMemoryStore) {
    graph.store = new langgraph.InMemoryStore();
    attached.store = true;
  }
  return attached;
}

/**
 * The config one run is invoked with: the graph's bound config (`withConfig`) merged under the
 * run's. LangGraph 0.2.x replaces a bound `configurable`, `metadata` or `tags` with the one passed
 * to `invoke` (its `ensureLangGraphConfig` assigns key by key), so a `thread_id` given at invoke
 * time dropped a model bound with `withConfig`; 1.x merges them, as this does for both.
 *
 * @param bound The graph's bound config, if any.
 * @param run The run's config.
 * @returns The merged config.
 *
 * @example Usage
 * ```ts
 * import { mergeBoundConfig } from "./load_graph.ts";
 * import assert from "node:assert/strict";
 *
 * const merged = mergeBoundConfig(
 *   { configurable: { model: "bound" }, tags: ["a"] },
 *   { configurable: { thread_id: "t" }, tags: ["b"] },
 * );
 * assert.deepEqual(merged.configurable, { model: "bound", thread_id: "t" });
 * assert.deepEqual(merged.tags, ["a", "b"]);
 * ```
 */
export function mergeBoundConfig(
  bound: Record<string, unknown> | undefined,
  run: Record<string, unknown>,
): Record<string, unknown> {
  if (!bound) return run;
  const dict = (value: unknown): Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Record<string, unknown>
      : {};
  const list = (value: unknown): unknown[] => Array.isArray(value) ? value : [];
  const merged: Record<string, unknown> = { ...run };
  merged.configurable = { ...dict(bound.configurable), ...dict(run.configurable) };
  merged.metadata = { ...dict(bound.metadata), ...dict(run.metadata) };
  merged.tags = [...new Set([...list(bound.tags), ...list(run.tags)])];
  return merged;
}
