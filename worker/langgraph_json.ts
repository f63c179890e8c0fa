/**
 * `langgraph.json`, LangGraph's own project config: found from the current folder upward, its
 * `graphs` resolved to a module and an export (paths from its folder), its `env` read.
 *
 * @module
 */
import { join, normalize, parentOf } from "./_paths.ts";
import { type Exists, ProjectError, type ReadText } from "./project_error.ts";

/** Where the graph `--graph` names lives. */
export interface GraphLocation {
  /** The module's absolute path. */
  file: string;
  /** The export's name. */
  exportName: string;
}

const MODULE_PATH = /^(.*\.(?:ts|mts|cts|js|mjs|cjs|tsx|jsx)):([A-Za-z_$][\w$]*)$/;

/**
 * Finds `langgraph.json` from a folder upward.
 *
 * @param from The folder to start from (the current directory).
 * @param exists Whether a path exists.
 * @returns Its path, or null.
 *
 * @example Usage
 * ```ts
 * import { findLanggraphJson } from "./langgraph_json.ts";
 * import assert from "node:assert/strict";
 *
 * const exists = (path: string) => Promise.resolve(path === "/p/langgraph.json");
 * assert.equal(await findLanggraphJson("/p/src/agent", exists), "/p/langgraph.json");
 * ```
 */
export async function findLanggraphJson(from: string, exists: Exists): Promise<string | null> {
  for (let dir: string | null = normalize(from); dir !== null; dir = parentOf(dir)) {
    const candidate = join(dir, "langgraph.json");
    if (await exists(candidate)) return candidate;
  }
  return null;
}

/**
 * Resolves `--graph` to a module and export: `./path.ts:export` (from the current directory), or
 * an id in `langgraph.json`'s `graphs` (its path from that file's folder).
 *
 * @param ref The flag's value.
 * @param cwd The current directory.
 * @param langgraphJson The `langgraph.json` found, or null.
 * @param readText Reads a file.
 * @returns The graph's location.
 * @throws {ProjectError} When the id is not there or the reference is malformed.
 *
 * @example Usage
 * ```ts
 * import { resolveGraphRef } from "./langgraph_json.ts";
 * import assert from "node:assert/strict";
 *
 * const config = '{"graphs": {"agent": "./src/agent/graph.ts:graph"}}';
 * const location = await resolveGraphRef("agent", "/p/src", "/p/langgraph.json", () => Promise.resolve(config));
 * assert.deepEqual(location, { file: "/p/src/agent/graph.ts", exportName: "graph" });
 * ```
 */
export async function resolveGraphRef(
  ref: string,
  cwd: string,
  langgraphJson: string | null,
  readText: ReadText,
): Promise<GraphLocation> {
  const direct = MODULE_PATH.exec(ref);
  if (direct) return { file: join(cwd, direct[1]), exportName: direct[2] };
  if (langgraphJson === null) {
    throw new ProjectError(
      `--graph ${ref}: no langgraph.json in ${cwd} or above; run from your project, or name a ` +
        "graph as ./path.ts:exportName",
    );
  }
  const graphs = (await readLanggraphJson(langgraphJson, readText)).graphs ?? {};
  const entry = graphs[ref];
  const spec = typeof entry === "string" ? entry : (entry as { path?: unknown } | undefined)?.path;
  if (typeof spec !== "string") {
    const known = Object.keys(graphs).join(", ") || "none";
    throw new ProjectError(`--graph ${ref}: not in ${langgraphJson} (its graphs: ${known})`);
  }
  const match = MODULE_PATH.exec(spec);
  if (!match) {
    throw new ProjectError(
      `--graph ${ref}: "${spec}" in ${langgraphJson} is not ./path.ts:exportName`,
    );
  }
  return { file: join(parentOf(langgraphJson)!, match[1]), exportName: match[2] };
}

/** The parts of `langgraph.json` graphmeter reads. */
export interface LanggraphJson {
  /** Graph ids and `./path.ts:export` (or `{ path }`). */
  graphs?: Record<string, unknown>;
  /** An env file's path, or variables. */
  env?: unknown;
}

/**
 * Reads `langgraph.json`.
 *
 * @param path Its path.
 * @param readText Reads a file.
 * @returns Its contents.
 * @throws {ProjectError} When it is not a JSON object.
 */
export async function readLanggraphJson(path: string, readText: ReadText): Promise<LanggraphJson> {
  const text = await readText(path);
  try {
    const parsed = JSON.parse(text ?? "");
    if (parsed === null || typeof parsed !== "object") throw new Error("not an object");
    return parsed;
  } catch {
    throw new ProjectError(`${path} is not valid JSON (LangGraph's config file)`);
  }
}
