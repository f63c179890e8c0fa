/**
 * How a user's project is laid out, as the CLI needs it to start a worker there: its
 * `langgraph.json` (found from the current directory upward), the graph it names, its `env`, its
 * kind (a Node project with `node_modules` from npm, yarn or pnpm; a Deno project with its
 * `deno.json`), its `tsconfig.json` paths, and the command that installs its packages when they
 * are missing. File reads are passed in, so the logic is testable without a disk.
 *
 * @module
 */

/**
 * A mistake the user can fix in the project (one line saying what to do).
 *
 * @example Usage
 * ```ts
 * import { ProjectError, resolveGraphRef } from "./project.ts";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(resolveGraphRef("agent", "/p", null, () => Promise.resolve(null)), ProjectError);
 * ```
 */
export class ProjectError extends Error {
  override name = "ProjectError";
}

/** Reads a file, or returns null when there is none. */
export type ReadText = (path: string) => Promise<string | null>;
/** Whether a path exists (file or folder). */
export type Exists = (path: string) => Promise<boolean>;

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

/** Where the graph `--graph` names lives. */
export interface GraphLocation {
  /** The module's absolute path. */
  file: string;
  /** The export's name. */
  exportName: string;
}

const MODULE_PATH = /^(.*\.(?:ts|mts|cts|js|mjs|cjs|tsx|jsx)):([A-Za-z_$][\w$]*)$/;

function join(base: string, path: string): string {
  if (path.startsWith("/")) return normalize(path);
  return normalize(`${base.replace(/\/+$/, "")}/${path}`);
}

function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

function parentOf(dir: string): string | null {
  if (dir === "/" || dir === "") return null;
  const parent = dir.slice(0, dir.lastIndexOf("/")) || "/";
  return parent;
}

/**
 * Strips `//` and block comments and trailing commas from JSONC (tsconfig.json, deno.jsonc),
 * leaving strings alone.
 *
 * @param text The JSONC text.
 * @returns Plain JSON text.
 *
 * @example Usage
 * ```ts
 * import { stripJsonComments } from "./project.ts";
 * import assert from "node:assert/strict";
 *
 * const text = '{ // paths\n "a": "//not a comment", /* b *\/ "c": [1, 2,], }';
 * assert.deepEqual(JSON.parse(stripJsonComments(text)), { a: "//not a comment", c: [1, 2] });
 * ```
 */
export function stripJsonComments(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (char === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (char === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
    } else {
      out += char;
    }
  }
  return out.replace(/,(\s*[}\]])/g, "$1");
}

/**
 * Finds `langgraph.json` from a folder upward.
 *
 * @param from The folder to start from (the current directory).
 * @param exists Whether a path exists.
 * @returns Its path, or null.
 *
 * @example Usage
 * ```ts
 * import { findLanggraphJson } from "./project.ts";
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
 * import { resolveGraphRef } from "./project.ts";
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

interface LanggraphJson {
  graphs?: Record<string, unknown>;
  env?: unknown;
}

async function readLanggraphJson(path: string, readText: ReadText): Promise<LanggraphJson> {
  const text = await readText(path);
  try {
    const parsed = JSON.parse(text ?? "");
    if (parsed === null || typeof parsed !== "object") throw new Error("not an object");
    return parsed;
  } catch {
    throw new ProjectError(`${path} is not valid JSON (LangGraph's config file)`);
  }
}

/** The command that installs a Node project's packages, from its lockfile. */
async function installCommand(dir: string, exists: Exists): Promise<string> {
  for (let at: string | null = dir; at !== null; at = parentOf(at)) {
    if (await exists(join(at, "pnpm-lock.yaml"))) return "pnpm install";
    if (await exists(join(at, "yarn.lock"))) return "yarn install";
    if (await exists(join(at, "bun.lock")) || await exists(join(at, "bun.lockb"))) {
      return "bun install";
    }
    if (await exists(join(at, "package-lock.json"))) return "npm ci";
    if (await exists(join(at, "package.json")) && await exists(join(at, ".git"))) break;
  }
  return "npm install";
}

/**
 * Checks that a Node project's dependencies are installed (each one of `package.json`'s
 * `dependencies` in a `node_modules` from the project up).
 *
 * @param dir The folder of the project's package.json.
 * @param readText Reads a file.
 * @param exists Whether a path exists.
 * @throws {ProjectError} Naming the install command when one is missing.
 *
 * @example Usage
 * ```ts
 * import { checkInstalled } from "./project.ts";
 * import assert from "node:assert/strict";
 *
 * const files: Record<string, string> = { "/p/package.json": '{"dependencies": {"zod": "^3"}}', "/p/yarn.lock": "" };
 * const readText = (path: string) => Promise.resolve(files[path] ?? null);
 * const exists = (path: string) => Promise.resolve(path in files);
 * await assert.rejects(checkInstalled("/p", readText, exists), /run yarn install in \/p/);
 * ```
 */
export async function checkInstalled(
  dir: string,
  readText: ReadText,
  exists: Exists,
): Promise<void> {
  const manifest = JSON.parse(stripJsonComments((await readText(join(dir, "package.json")))!));
  const names = Object.keys(manifest.dependencies ?? {});
  if (await exists(join(dir, ".pnp.cjs")) && !(await exists(join(dir, "node_modules")))) {
    throw new ProjectError(
      `${dir} uses Yarn Plug'n'Play (no node_modules): add "nodeLinker: node-modules" to ` +
        ".yarnrc.yml and run yarn install",
    );
  }
  for (const name of names) {
    let found = false;
    for (let at: string | null = dir; at !== null && !found; at = parentOf(at)) {
      found = await exists(join(at, `node_modules/${name}/package.json`));
    }
    if (!found) {
      throw new ProjectError(
        `the project's packages are not installed (${name} is missing from node_modules): ` +
          `run ${await installCommand(dir, exists)} in ${dir}`,
      );
    }
  }
}

/**
 * An import map for `tsconfig.json`'s `compilerOptions.paths` (`"@/*": ["./src/*"]`), which
 * Deno does not read itself; the first target of each pattern wins, as TypeScript tries them
 * in order.
 *
 * @param tsconfigDir The folder of tsconfig.json.
 * @param text Its text (JSONC).
 * @returns The import map, or null without paths.
 *
 * @example Usage
 * ```ts
 * import { tsconfigImportMap } from "./project.ts";
 * import assert from "node:assert/strict";
 *
 * const map = tsconfigImportMap("/p", '{"compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["./src/*"]}}}');
 * assert.deepEqual(map, { imports: { "@/": "file:///p/src/" } });
 * ```
 */
export function tsconfigImportMap(
  tsconfigDir: string,
  text: string,
): { imports: Record<string, string> } | null {
  let options: { baseUrl?: string; paths?: Record<string, string[]> };
  try {
    options = JSON.parse(stripJsonComments(text)).compilerOptions ?? {};
  } catch {
    return null;
  }
  const base = join(tsconfigDir, options.baseUrl ?? ".");
  const imports: Record<string, string> = {};
  for (const [pattern, targets] of Object.entries(options.paths ?? {})) {
    const target = Array.isArray(targets) ? targets[0] : undefined;
    if (typeof target !== "string") continue;
    if (pattern.endsWith("/*") && target.endsWith("/*")) {
      imports[pattern.slice(0, -1)] = `file://${join(base, target.slice(0, -2))}/`;
    } else if (!pattern.includes("*") && !target.includes("*")) {
      imports[pattern] = `file://${join(base, target)}`;
    }
  }
  return Object.keys(imports).length > 0 ? { imports } : null;
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
 * tsconfig paths' import map and `langgraph.json`'s env file.
 *
 * @param layout The project.
 * @param importMapFile Where the import map was written, when there is one.
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
 * }, null);
 * assert.deepEqual(flags, [
 *   "run", "--allow-all", "--no-prompt", "--sloppy-imports", "--no-config",
 *   "--node-modules-dir=manual", "--no-lock", "--env-file=/p/.env",
 * ]);
 * ```
 */
export function workerFlags(layout: ProjectLayout, importMapFile: string | null): string[] {
  const flags = ["run", "--allow-all", "--no-prompt", "--sloppy-imports"];
  if (layout.kind === "deno") {
    flags.push(`--config=${layout.denoConfig}`);
  } else {
    flags.push("--no-config");
    if (layout.kind === "node") flags.push("--node-modules-dir=manual");
    flags.push("--no-lock");
  }
  if (importMapFile !== null) flags.push(`--import-map=${importMapFile}`);
  if (layout.envFile !== null) flags.push(`--env-file=${layout.envFile}`);
  return flags;
}
