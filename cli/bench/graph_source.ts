/**
 * Finds the graph `--graph` names: an id in the project's `langgraph.json` (LangGraph's own
 * config, `"graphs": { "agent": "./src/agent.ts:graph" }`) or `./path.ts:exportName`, and loads
 * it: the export is a compiled graph, a graph to compile, or a function returning either.
 *
 * @module
 */
import { UsageError } from "../usage_error.ts";
import type { InvokableGraph } from "../../benchmark/runner.ts";

/** Where a graph lives: a module and the name of its export. */
export interface GraphLocation {
  /** The module's absolute path. */
  file: string;
  /** The export's name. */
  exportName: string;
}

const MODULE_PATH = /^(.*\.(?:ts|mts|js|mjs|tsx|jsx)):([A-Za-z_$][\w$]*)$/;

function absolute(path: string, base: string): string {
  if (path.startsWith("/")) return path;
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\.\//, "")}`;
}

/**
 * Resolves `--graph` to a module and export, without loading the module.
 *
 * @param ref `path.ts:export`, or an id in `langgraph.json`.
 * @param cwd The folder that holds `langgraph.json` and that relative paths start from.
 * @param readText Reads a file, or returns null when it does not exist.
 * @returns The graph's location.
 * @throws {UsageError} When the id is not in `langgraph.json` or the reference is malformed.
 *
 * @example Usage
 * ```ts
 * import { resolveGraphRef } from "./graph_source.ts";
 * import assert from "node:assert/strict";
 *
 * const config = '{"graphs": {"agent": "./src/agent.ts:graph"}}';
 * const location = await resolveGraphRef("agent", "/project", () => Promise.resolve(config));
 * assert.deepEqual(location, { file: "/project/src/agent.ts", exportName: "graph" });
 * ```
 */
export async function resolveGraphRef(
  ref: string,
  cwd: string,
  readText: (path: string) => Promise<string | null>,
): Promise<GraphLocation> {
  const direct = MODULE_PATH.exec(ref);
  if (direct) return { file: absolute(direct[1], cwd), exportName: direct[2] };
  const configPath = absolute("langgraph.json", cwd);
  const text = await readText(configPath);
  if (text === null) {
    throw new UsageError(
      `--graph ${ref}: no langgraph.json in ${cwd}; name a graph as ./path.ts:exportName`,
    );
  }
  let graphs: Record<string, unknown>;
  try {
    graphs = JSON.parse(text).graphs ?? {};
  } catch {
    throw new UsageError(`--graph ${ref}: ${configPath} is not valid JSON`);
  }
  const entry = graphs[ref];
  const spec = typeof entry === "string" ? entry : (entry as { path?: unknown } | undefined)?.path;
  if (typeof spec !== "string") {
    const known = Object.keys(graphs).join(", ") || "none";
    throw new UsageError(`--graph ${ref}: not in ${configPath} (its graphs: ${known})`);
  }
  const match = MODULE_PATH.exec(spec);
  if (!match) {
    throw new UsageError(
      `--graph ${ref}: "${spec}" in ${configPath} is not ./path.ts:exportName`,
    );
  }
  return { file: absolute(match[1], cwd), exportName: match[2] };
}

function isInvokable(value: unknown): value is InvokableGraph<unknown, unknown> {
  return typeof (value as { invoke?: unknown } | null)?.invoke === "function";
}

/**
 * Turns a module's export into a graph: a compiled graph (anything with `invoke`) is taken as is,
 * a graph with `compile` is compiled, a function is called (and awaited) first.
 *
 * @param value The export.
 * @param name The export's name, for messages.
 * @returns The graph.
 * @throws {UsageError} When the export is none of these.
 *
 * @example Usage
 * ```ts
 * import { graphFromExport } from "./graph_source.ts";
 * import { RunnableLambda } from "@langchain/core/runnables";
 * import assert from "node:assert/strict";
 *
 * const graph = await graphFromExport(() => RunnableLambda.from((x: number) => x + 1), "make");
 * assert.equal(await graph.invoke(1), 2);
 * ```
 */
export async function graphFromExport(
  value: unknown,
  name: string,
): Promise<InvokableGraph<unknown, unknown>> {
  let graph = value;
  if (typeof graph === "function" && !isInvokable(graph)) {
    try {
      graph = await (graph as () => unknown)();
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new UsageError(`--graph: ${name}() failed: ${reason}`);
    }
  }
  if (!isInvokable(graph) && typeof (graph as { compile?: unknown })?.compile === "function") {
    graph = (graph as { compile: () => unknown }).compile();
  }
  if (!isInvokable(graph)) {
    throw new UsageError(
      `--graph: ${name} is not a graph: export a compiled graph or a function returning one`,
    );
  }
  return graph;
}

/**
 * Loads the graph `--graph` names (an I/O edge: reads `langgraph.json` and imports the module).
 *
 * @param ref `path.ts:export`, or an id in `langgraph.json`.
 * @param cwd The project folder; default the current directory.
 * @returns The graph and a description of where it came from.
 * @throws {UsageError} When it cannot be found, imported or used.
 *
 * @example Usage
 * ```ts ignore
 * import { loadGraph } from "./graph_source.ts";
 *
 * const { graph } = await loadGraph("agent");
 * ```
 */
export async function loadGraph(
  ref: string,
  cwd: string = Deno.cwd(),
): Promise<{ graph: InvokableGraph<unknown, unknown>; source: string }> {
  const location = await resolveGraphRef(ref, cwd, readTextIfExists);
  try {
    await Deno.stat(location.file);
  } catch {
    throw new UsageError(`--graph ${ref}: ${location.file} does not exist`);
  }
  let module: Record<string, unknown>;
  try {
    module = await import(new URL(`file://${location.file}`).href);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UsageError(`--graph ${ref}: cannot import ${location.file}: ${reason}`);
  }
  if (!(location.exportName in module)) {
    const names = Object.keys(module).join(", ") || "none";
    throw new UsageError(
      `--graph ${ref}: ${location.file} has no export "${location.exportName}" (it has: ${names})`,
    );
  }
  const graph = await graphFromExport(module[location.exportName], location.exportName);
  return { graph, source: ref };
}

async function readTextIfExists(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
