/**
 * How the CLI reads a project before it starts a worker there (worker/project.ts), on an
 * in-memory file tree: `langgraph.json` from the current folder up, its graphs and `env`, the kind
 * of project, the install command a missing package names, tsconfig paths, the worker's flags.
 */
import assert from "node:assert/strict";
import { projectLayout, workerFlags } from "../worker/project.ts";
import { findLanggraphJson, resolveGraphRef } from "../worker/langgraph_json.ts";
import { checkInstalled } from "../worker/installed.ts";
import { ProjectError } from "../worker/project_error.ts";
import { tsconfigImportMap } from "../worker/tsconfig_paths.ts";

/** A file tree: path -> text (folders exist when a path below them does). */
function tree(files: Record<string, string>) {
  const readText = (path: string) => Promise.resolve(files[path] ?? null);
  const exists = (path: string) =>
    Promise.resolve(
      path in files || Object.keys(files).some((file) => file.startsWith(`${path}/`)),
    );
  return { readText, exists };
}

const LANGGRAPH = JSON.stringify({
  graphs: { agent: "./src/agent/graph.ts:graph", other: { path: "./src/other.ts:make" } },
  env: ".env",
});

Deno.test("langgraph.json is found from the current folder upward; graph paths are its folder's", async () => {
  const { readText, exists } = tree({ "/p/langgraph.json": LANGGRAPH });
  const found = await findLanggraphJson("/p/src/agent", exists);
  assert.equal(found, "/p/langgraph.json");
  assert.deepEqual(await resolveGraphRef("agent", "/p/src/agent", found, readText), {
    file: "/p/src/agent/graph.ts",
    exportName: "graph",
  });
  assert.deepEqual(await resolveGraphRef("other", "/p", found, readText), {
    file: "/p/src/other.ts",
    exportName: "make",
  });
  assert.deepEqual(await resolveGraphRef("../x/g.ts:g", "/p/src", null, readText), {
    file: "/p/x/g.ts",
    exportName: "g",
  });
  await assert.rejects(
    resolveGraphRef("nope", "/p", found, readText),
    (error: Error) =>
      error instanceof ProjectError &&
      error.message === "--graph nope: not in /p/langgraph.json (its graphs: agent, other)",
  );
  await assert.rejects(
    resolveGraphRef("agent", "/q", null, readText),
    /no langgraph\.json in \/q or above; run from your project/,
  );
});

Deno.test("a Node project: env file, tsconfig paths, the worker's flags", async () => {
  const { readText, exists } = tree({
    "/p/langgraph.json": LANGGRAPH,
    "/p/.env": "KEY=1\n",
    "/p/package.json": '{"dependencies": {"@langchain/core": "0.3.40"}}',
    "/p/node_modules/@langchain/core/package.json": "{}",
    "/p/tsconfig.json": '{ // comment\n "compilerOptions": { "paths": { "@/*": ["./src/*"], } } }',
    "/p/src/agent/graph.ts": "",
  });
  const layout = await projectLayout(
    "/p",
    "/p/langgraph.json",
    "/p/src/agent/graph.ts",
    readText,
    exists,
  );
  assert.deepEqual(layout, {
    dir: "/p",
    langgraphJson: "/p/langgraph.json",
    kind: "node",
    denoConfig: null,
    envFile: "/p/.env",
    envVars: {},
    importMap: { imports: { "@/": "file:///p/src/" } },
    warnings: [],
  });
  assert.deepEqual(workerFlags(layout), [
    "run",
    "--allow-all",
    "--no-prompt",
    "--sloppy-imports",
    "--no-config",
    "--node-modules-dir=manual",
    "--no-lock",
    `--import-map=data:application/json,${
      encodeURIComponent('{"imports":{"@/":"file:///p/src/"}}')
    }`,
    "--env-file=/p/.env",
  ]);
});

Deno.test("env as variables; a missing env file is a warning, as langgraph dev ignores it", async () => {
  const withVars = tree({
    "/p/langgraph.json": JSON.stringify({ graphs: {}, env: { A: "1", B: 2 } }),
    "/p/g.ts": "",
  });
  const layout = await projectLayout(
    "/p",
    "/p/langgraph.json",
    "/p/g.ts",
    withVars.readText,
    withVars.exists,
  );
  assert.deepEqual(layout.envVars, { A: "1", B: "2" });
  assert.equal(layout.kind, "plain");
  const missing = tree({ "/p/langgraph.json": LANGGRAPH, "/p/g.ts": "" });
  const warned = await projectLayout(
    "/p",
    "/p/langgraph.json",
    "/p/g.ts",
    missing.readText,
    missing.exists,
  );
  assert.equal(warned.envFile, null);
  assert.deepEqual(warned.warnings, [
    'warning: /p/langgraph.json names "env": ".env", but /p/.env does not exist; the graph runs ' +
    "without it",
  ]);
});

Deno.test("a Deno project keeps its own config", async () => {
  const { readText, exists } = tree({
    "/p/deno.json": "{}",
    "/p/src/g.ts": "",
  });
  const layout = await projectLayout("/p", null, "/p/src/g.ts", readText, exists);
  assert.equal(layout.kind, "deno");
  assert.deepEqual(workerFlags(layout), [
    "run",
    "--allow-all",
    "--no-prompt",
    "--sloppy-imports",
    "--config=/p/deno.json",
  ]);
});

Deno.test("packages not installed: one line naming the lockfile's install command", async () => {
  const cases: [string, string][] = [
    ["package-lock.json", "npm ci"],
    ["yarn.lock", "yarn install"],
    ["pnpm-lock.yaml", "pnpm install"],
    ["bun.lock", "bun install"],
  ];
  for (const [lockfile, command] of cases) {
    const { readText, exists } = tree({
      "/p/package.json": '{"dependencies": {"zod": "^3"}}',
      [`/p/${lockfile}`]: "",
    });
    await assert.rejects(
      checkInstalled("/p", readText, exists),
      (error: Error) =>
        error instanceof ProjectError &&
        error.message === "the project's packages are not installed (zod is missing from " +
            `node_modules): run ${command} in /p`,
    );
  }
  // Hoisted into a monorepo's root node_modules: found.
  const hoisted = tree({
    "/repo/apps/p/package.json": '{"dependencies": {"zod": "^3"}}',
    "/repo/node_modules/zod/package.json": "{}",
  });
  await checkInstalled("/repo/apps/p", hoisted.readText, hoisted.exists);
  const pnp = tree({ "/p/package.json": '{"dependencies": {"zod": "^3"}}', "/p/.pnp.cjs": "" });
  await assert.rejects(checkInstalled("/p", pnp.readText, pnp.exists), /Plug'n'Play/);
});

Deno.test("tsconfig paths: wildcards map folders, exact names map files, baseUrl applies", () => {
  const map = tsconfigImportMap(
    "/p",
    JSON.stringify({
      compilerOptions: {
        baseUrl: "./src",
        paths: { "~/*": ["./*", "./other/*"], "config": ["./config/index.ts"], "x/*/y": ["z"] },
      },
    }),
  );
  assert.deepEqual(map, {
    imports: { "~/": "file:///p/src/", config: "file:///p/src/config/index.ts" },
  });
  assert.equal(tsconfigImportMap("/p", '{"compilerOptions": {}}'), null);
});
