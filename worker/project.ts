/**
 * How a user's project is laid out, as the CLI needs it to start a worker there: its
 * `langgraph.json` (found from the current directory upward), the graph it names, its `env`, its
 * kind (a Node project with `node_modules` from npm, yarn or pnpm; a Deno project with its
 * `deno.json`), its `tsconfig.json` paths, and the command that installs its packages when they
 * are missing. File reads are passed in, so the logic is testable without a disk.
 *
 * @module
 */

import { join, parentOf } from "./_paths.ts";
import { checkInstalled } from "./installed.ts";
import { readLanggraphJson } from "./langgraph_json.ts";
import type { Exists, ReadText } from "./project_error.ts";
import { tsconfigImportMap } from "./tsconfig_paths.ts";

/** A project as the worker is started in it. */
export interface ProjectLayout {
  /** The project folder: where `langgraph.json` is (else the current directory). */
  dir: string;
  /** `langgraph.json`'s path, or null when there is none. */
  langgraphJson: string | null;
  /** `node`: package.json + node_modules; `deno`: a deno.json; `plain`: neither. */
  kind: "node" | "deno" | "plain";
  /** The deno.json(c) of a Deno project. */
  denoConfig: string | null;
  /** `langgraph.json`'s `env` as a file to load, or null. */
  envFile: string | null;
  /** `langgraph.json`'s `env` as variables, or empty. */
  envVars: Record<string, string>;
  /** An import map for `tsconfig.json`'s `compilerOptions.paths`, or null. */
  importMap: { imports: Record<string, string> } | null;
  /** What the user should know (an `env` file that is missing), one line each. */
  warnings: string[];
}

/**
 * Lays out the project a graph lives in.
 *
 * @param cwd The current directory.
 * @param langgraphJson The `langgraph.json` found from it upward, or null.
 * @param graphFile The graph's module.
 * @param readText Reads a file.
 * @param exists Whether a path exists.
 * @returns The layout.
 * @throws {ProjectError} When the project's packages are not installed.
 *
 * @example Usage
 * ```ts
 * import { projectLayout } from "./project.ts";
 * import assert from "node:assert/strict";
 *
 * const files: Record<string, string> = { "/p/deno.json": "{}", "/p/graph.ts": "" };
 * const readText = (path: string) => Promise.resolve(files[path] ?? null);
 * const exists = (path: string) => Promise.resolve(path in files);
 * const layout = await projectLayout("/p", null, "/p/graph.ts", readText, exists);
 * assert.equal(layout.kind, "deno");
 * ```
 */
export async function projectLayout(
  cwd: string,
  langgraphJson: string | null,
  graphFile: string,
  readText: ReadText,
  exists: Exists,
): Promise<ProjectLayout> {
  const dir = langgraphJson === null ? parentOf(graphFile)! : parentOf(langgraphJson)!;
  let envFile: string | null = null;
  const warnings: string[] = [];
  const envVars: Record<string, string> = {};
  if (langgraphJson !== null) {
    const env = (await readLanggraphJson(langgraphJson, readText)).env;
    if (typeof env === "string") {
      envFile = join(dir, env);
      if (!(await exists(envFile))) {
        // As `langgraph dev` does, a missing env file is no error: the graph runs without it.
        warnings.push(
          `warning: ${langgraphJson} names "env": "${env}", but ${envFile} does not exist; ` +
            "the graph runs without it",
        );
        envFile = null;
      }
    } else if (env !== null && typeof env === "object") {
      for (const [name, value] of Object.entries(env)) envVars[name] = String(value);
    }
  }
  // The closest package.json or deno.json from the graph's folder up decides the kind.
  let kind: ProjectLayout["kind"] = "plain";
  let denoConfig: string | null = null;
  let packageDir: string | null = null;
  for (let at: string | null = parentOf(graphFile); at !== null; at = parentOf(at)) {
    for (const name of ["deno.json", "deno.jsonc"]) {
      if (denoConfig === null && await exists(join(at, name))) denoConfig = join(at, name);
    }
    if (denoConfig !== null) {
      kind = "deno";
      break;
    }
    if (await exists(join(at, "package.json"))) {
      kind = "node";
      packageDir = at;
      break;
    }
  }
  if (kind === "node") await checkInstalled(packageDir!, readText, exists);
  let importMap: ProjectLayout["importMap"] = null;
  if (kind !== "deno") {
    const tsconfigDir = packageDir ?? dir;
    const text = await readText(join(tsconfigDir, "tsconfig.json"));
    if (text !== null) importMap = tsconfigImportMap(tsconfigDir, text);
  }
  void cwd;
  return { dir, langgraphJson, kind, denoConfig, envFile, envVars, importMap, warnings };
}

/**
 * The `deno run` flags that load a graph in its project: its own config (a Deno project) or its
 * own `node_modules` as installed (`--node-modules-dir=manual`, no config of ours), `.js`
 * specifiers that name `.ts` files (`--sloppy-imports`, as TypeScript's NodeNext allows), the
 * tsconfig paths' import map (as a `data:` URL: nothing is written to disk) and `langgraph.json`'s
 * env file.
 *
 * @param layout The project.
 * @returns The flags, before the module.
 *
 * @example Usage
 * ```ts
 * import { workerFlags } from "./project.ts";
 * import assert from "node:assert/strict";
 *
 * const flags = workerFlags({
 *   dir: "/p", langgraphJson: "/p/langgraph.json", kind: "node", denoConfig: null,
 *   envFile: "/p/.env", envVars: {}, importMap: null, warnings: [],
 * });
 * assert.deepEqual(flags, [
 *   "run", "--allow-all", "--no-prompt", "--sloppy-imports", "--no-config",
 *   "--node-modules-dir=manual", "--no-lock", "--env-file=/p/.env",
 * ]);
 * ```
 */
export function workerFlags(layout: ProjectLayout): string[] {
  const flags = ["run", "--allow-all", "--no-prompt", "--sloppy-imports"];
  if (layout.kind === "deno") {
    flags.push(`--config=${layout.denoConfig}`);
  } else {
    flags.push("--no-config");
    if (layout.kind === "node") flags.push("--node-modules-dir=manual");
    flags.push("--no-lock");
  }
  if (layout.importMap !== null) {
    const json = encodeURIComponent(JSON.stringify(layout.importMap));
    flags.push(`--import-map=data:application/json,${json}`);
  }
  if (layout.envFile !== null) flags.push(`--env-file=${layout.envFile}`);
  return flags;
}
