/**
 * Whether a Node project's packages are installed, and if not, the command that installs them
 * (from its lockfile: npm, yarn, pnpm or bun).
 *
 * @module
 */
import { join, parentOf } from "./_paths.ts";
import { type Exists, ProjectError, type ReadText } from "./project_error.ts";
import { stripJsonComments } from "./tsconfig_paths.ts";

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
 * import { checkInstalled } from "./installed.ts";
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
