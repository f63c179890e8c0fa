/**
 * The project's own packages, as the worker imports them: from its `node_modules` (npm, yarn or
 * pnpm, found from the project's folder upward), else by bare specifier through a Deno project's
 * import map. Never graphmeter's: the worker resolves nothing the project does not have.
 *
 * @module
 */

/** LangGraph's export conditions for an ES module, in order of preference. */
const CONDITIONS = ["deno", "import", "node", "default"];

function exportTarget(entry: unknown): string | null {
  if (typeof entry === "string") return entry;
  if (entry === null || typeof entry !== "object") return null;
  for (const condition of CONDITIONS) {
    const target = exportTarget((entry as Record<string, unknown>)[condition]);
    if (target !== null) return target;
  }
  return null;
}

/**
 * The URL of the ES module entry of a package installed in a project (`node_modules` from npm,
 * yarn or pnpm, searched from `fromDir` upward), or null when it is not installed there or does
 * not export `subpath`.
 *
 * @param name The package, e.g. `@langchain/langgraph`.
 * @param fromDir The folder to search from.
 * @param readText Reads a file, or returns null when it does not exist.
 * @param realPath The real path of a file (pnpm links packages from its store).
 * @param subpath The export, e.g. `./context` (default `.`, the package's main entry).
 * @returns The entry's `file:` URL, or null.
 *
 * @example Usage
 * ```ts
 * import { installedEntry } from "./project_module.ts";
 * import assert from "node:assert/strict";
 *
 * const files: Record<string, string> = {
 *   "/p/node_modules/zod/package.json": '{"exports": {".": {"import": "./index.js"}}}',
 * };
 * const entry = await installedEntry(
 *   "zod",
 *   "/p/src",
 *   (path) => Promise.resolve(files[path] ?? null),
 *   (path) => Promise.resolve(path),
 * );
 * assert.equal(entry, "file:///p/node_modules/zod/index.js");
 * ```
 */
export async function installedEntry(
  name: string,
  fromDir: string,
  readText: (path: string) => Promise<string | null>,
  realPath: (path: string) => Promise<string>,
  subpath = ".",
): Promise<string | null> {
  let dir = fromDir.replace(/\/+$/, "");
  while (true) {
    const packageDir = `${dir}/node_modules/${name}`;
    const text = await readText(`${packageDir}/package.json`);
    if (text !== null) {
      const manifest = JSON.parse(text) as { exports?: unknown; module?: string; main?: string };
      const exports = manifest.exports as Record<string, unknown> | undefined;
      let target: string | null;
      if (subpath === ".") {
        target = exportTarget(exports?.["."] ?? exports) ?? manifest.module ?? manifest.main ??
          "index.js";
      } else {
        target = exportTarget(exports?.[subpath]);
        if (target === null) return null;
      }
      const file = await realPath(`${packageDir}/${target.replace(/^\.\//, "")}`);
      return new URL(`file://${file}`).href;
    }
    const parent = dir.slice(0, dir.lastIndexOf("/"));
    if (parent === dir || parent === "") return null;
    dir = parent;
  }
}

async function readTextIfExists(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return null;
  }
}

/**
 * A module of a package the project has installed (its `node_modules`), else of its import map
 * (a Deno project), or null when it has neither.
 *
 * @param name The package, e.g. `@langchain/core`.
 * @param subpath The export, e.g. `./context` (`.` for the package's main entry).
 * @param projectDir The project's folder.
 * @returns The module, or null.
 *
 * @example Usage
 * ```ts
 * import { importProjectModule } from "./project_module.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await importProjectModule("no-such-package", ".", "/"), null);
 * ```
 */
export async function importProjectModule(
  name: string,
  subpath: string,
  projectDir: string,
): Promise<Record<string, unknown> | null> {
  try {
    const entry = await installedEntry(
      name,
      projectDir,
      readTextIfExists,
      (path) => Deno.realPath(path),
      subpath,
    );
    if (entry !== null) return await import(entry);
  } catch {
    // fall through to the import map
  }
  try {
    // The project's import map (a Deno project).
    const specifier = subpath === "." ? name : `${name}/${subpath.replace(/^\.\//, "")}`;
    return await import(specifier);
  } catch {
    return null;
  }
}
