/**
 * The public surface: the root loads the handler's world only (never the benchmarker, the
 * workload, OpenTelemetry or budgets), re-exports its folders' mod.ts files and names at most 25
 * things; `./budget` loads neither SQLite nor Redis; every subpath the package publishes exists.
 */
import assert from "node:assert/strict";
import * as root from "../mod.ts";

const ROOT = new URL("../", import.meta.url);

/** The local modules `entry` loads, and the bare (package) specifiers they import. */
async function moduleGraph(entry: string): Promise<{ local: Set<string>; bare: Set<string> }> {
  const local = new Set<string>();
  const bare = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const path = queue.pop() as string;
    if (local.has(path)) continue;
    local.add(path);
    const text = await Deno.readTextFile(new URL(path, ROOT));
    // Static imports and re-exports; `import type` loads nothing at run time.
    for (
      const match of text.matchAll(/^(?:import|export)(?!\s+type\b)[^;]*?from\s+"([^"]+)";/gms)
    ) {
      const specifier = match[1];
      if (specifier.startsWith(".")) {
        queue.push(new URL(specifier, new URL(path, ROOT)).href.slice(ROOT.href.length));
      } else {
        bare.add(specifier);
      }
    }
  }
  return { local, bare };
}

Deno.test("importing the root loads neither the benchmarker, the workload nor OpenTelemetry", async () => {
  const { local, bare } = await moduleGraph("mod.ts");
  assert.ok(local.has("telemetry/handler.ts"));
  for (const path of local) {
    for (
      const part of [
        "benchmark/",
        "store/",
        "compare/",
        "workload/",
        "cli/",
        "otel/",
        "worker/",
        "budget/",
      ]
    ) {
      assert.ok(!path.startsWith(part), `the root loads ${path}`);
    }
  }
  for (const specifier of bare) {
    assert.ok(!specifier.startsWith("@opentelemetry/"), specifier);
    assert.ok(specifier !== "node:sqlite" && !specifier.startsWith("@redis/"), specifier);
  }
});

Deno.test("importing ./budget loads neither node:sqlite nor a Redis client (their own subpaths do)", async () => {
  const { local, bare } = await moduleGraph("budget/mod.ts");
  assert.ok(!local.has("budget/sqlite_counter.ts") && !local.has("budget/redis_counter.ts"));
  assert.ok(
    ![...bare].some((s) => s === "node:sqlite" || s.startsWith("@redis/")),
    [...bare].join(),
  );
  assert.ok((await moduleGraph("budget/sqlite_counter.ts")).bare.has("node:sqlite"));
  assert.ok((await moduleGraph("budget/redis_counter.ts")).bare.has("@redis/client"));
});

/**
 * The npm packages `entry`'s module graph loads at run time, as Deno resolves it (`deno info`):
 * only `code` dependencies are followed, an `import type` loads nothing.
 */
async function runtimeNpmPackages(entry: string): Promise<Set<string>> {
  const { stdout, success } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: ROOT,
    stderr: "inherit",
  }).output();
  assert.ok(success, `deno info ${entry}`);
  const info = JSON.parse(new TextDecoder().decode(stdout)) as {
    roots: string[];
    redirects: Record<string, string>;
    modules: {
      specifier: string;
      kind?: string;
      dependencies?: { code?: { specifier?: string } }[];
    }[];
  };
  const modules = new Map(info.modules.map((module) => [module.specifier, module]));
  const seen = new Set<string>();
  const packages = new Set<string>();
  const queue = [...info.roots];
  while (queue.length > 0) {
    const specifier = info.redirects[queue[0]] ?? queue[0];
    queue.shift();
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    const module = modules.get(specifier);
    if (module?.kind === "npm" || specifier.startsWith("npm:")) {
      // npm:/@scope/name@1.2.3/sub -> @scope/name
      packages.add(/^npm:\/?((?:@[^/]+\/)?[^@/]+)/.exec(specifier)![1]);
      continue;
    }
    for (const dependency of module?.dependencies ?? []) {
      if (dependency.code?.specifier) queue.push(dependency.code.specifier);
    }
  }
  return packages;
}

Deno.test("what users import loads no LangChain at run time (their graph brings its own)", async () => {
  for (const entry of ["mod.ts", "otel/mod.ts", "sdk/mod.ts", "budget/mod.ts"]) {
    const packages = await runtimeNpmPackages(entry);
    const langchain = [...packages].filter((name) => name.startsWith("@langchain/"));
    assert.deepEqual(langchain, [], `${entry} loads ${langchain.join(", ")} at run time`);
  }
  // The walk sees npm packages at all: the root prices with the catalog package.
  assert.ok((await runtimeNpmPackages("mod.ts")).has("@pydantic/genai-prices"));
  // ... and it follows code imports: the benchmark runner does load LangChain's callbacks.
  assert.ok((await runtimeNpmPackages("benchmark/mod.ts")).has("@langchain/core"));
});

/** The names an entry point exports, types included, as `deno doc` lists them. */
async function exportedNames(entry: string): Promise<string[]> {
  const { stdout, success } = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", entry],
    cwd: ROOT,
    stderr: "null",
  }).output();
  assert.ok(success, `deno doc --json ${entry}`);
  const doc = JSON.parse(new TextDecoder().decode(stdout)) as {
    nodes: Record<string, { symbols: { name: string }[] }>;
  };
  return Object.values(doc.nodes).flatMap((node) => node.symbols.map((symbol) => symbol.name));
}

// 25 until a thread's sums (ThreadMetrics) and the seam budgets plug into (CallGuard, GuardedCall)
// joined the handler's world: the handler's option and method need them named.
Deno.test("the root re-exports its folders' mod.ts files, and names at most 28 things", async () => {
  // Each folder lists its public pieces once, in its mod.ts; the root adds none of its own.
  const text = Deno.readTextFileSync(new URL("mod.ts", ROOT));
  const statements = [...text.matchAll(/^(?:export|import)\b[^;]*;/gms)].map((match) => match[0]);
  assert.deepEqual(statements, [
    `export * from "./telemetry/mod.ts";`,
    `export * from "./report/mod.ts";`,
    `export * from "./pricing/mod.ts";`,
  ]);
  const names = await exportedNames("mod.ts");
  assert.ok(names.length <= 28, `${names.length} names: ${names}`);
  for (const value of Object.keys(root)) assert.ok(names.includes(value), value);
  assert.ok("PerformanceCallbackHandler" in root && "reportLLMCall" in root);
});

Deno.test("./evaluate loads neither LangChain nor the benchmarker: an evaluator module imports it freely", async () => {
  const { local, bare } = await moduleGraph("evaluate/mod.ts");
  for (const path of local) {
    for (const part of ["benchmark/", "store/", "compare/", "workload/", "cli/", "otel/"]) {
      assert.ok(!path.startsWith(part), `./evaluate loads ${path}`);
    }
  }
  for (const specifier of bare) assert.ok(!specifier.startsWith("@langchain/"), specifier);
});

Deno.test("./tune runs on the benchmarker, evaluate and compare: no CLI, store, workload or worker", async () => {
  const { local } = await moduleGraph("tune/mod.ts");
  assert.ok(local.has("tune/search.ts") && local.has("compare/_bootstrap.ts"));
  for (const path of local) {
    for (const part of ["cli/", "store/", "workload/", "worker/", "otel/", "sdk/"]) {
      assert.ok(!path.startsWith(part), `./tune loads ${path}`);
    }
  }
});

Deno.test("every subpath in deno.json points at a module", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  assert.deepEqual(Object.keys(config.exports).sort(), [
    ".",
    "./benchmark",
    "./budget",
    "./budget/redis",
    "./budget/sqlite",
    "./cli",
    "./compare",
    "./evaluate",
    "./otel",
    "./sdk",
    "./store",
    "./tune",
    "./workload",
  ]);
  for (const path of Object.values(config.exports) as string[]) {
    assert.ok((await Deno.stat(new URL(path, ROOT))).isFile, path);
  }
});

// What `deno doc --lint` may still report, per entry point: LangChain types that are inherent to
// the API (a chat model class, the run config passed through to `invoke`). Re-exporting them would
// drag LangChain's own undocumented types into ours. Everything else must be documented and public.
const DOC_LINT_ALLOWED: Record<string, string[]> = {
  "./workload": [
    `'TranscriptTreeModels' references private type 'BaseChatModel'`,
    `'TranscriptTreeGraphOptions["modelFor"]' references private type 'BaseChatModel'`,
    `'TranscriptTreeGraph' references private type 'Runnable'`,
    `'modelsForAllStages' references private type 'BaseChatModel'`,
    `'SimulatedChatModel' references private type 'BaseChatModel'`,
  ],
};

Deno.test("deno doc --lint finds nothing on any entry point but the listed LangChain types", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  for (const [subpath, path] of Object.entries(config.exports) as [string, string][]) {
    const { stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["doc", "--lint", path],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
    }).output();
    const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
    const errors = [...text.matchAll(/^error\[([\w-]+)\]: (.*)$/gm)]
      .map(([, rule, message]) =>
        rule === "private-type-ref" ? message.replace(/^public type /, "") : `${rule}: ${message}`
      );
    assert.deepEqual(errors.sort(), [...(DOC_LINT_ALLOWED[subpath] ?? [])].sort(), subpath);
  }
});

Deno.test("provider integrations are no dependency of the package: the CLI imports them by a computed specifier", async () => {
  const { PROVIDER_PACKAGES } = await import("../cli/bench/models.ts");
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const integrations = [
    "@langchain/openai",
    "@langchain/anthropic",
    "@langchain/google-genai",
    "@langchain/ollama",
  ];
  // The same versions as the import map (which the tests and type checks use).
  const { CATALOG_NPM_SPECIFIER } = await import("../pricing/catalog.ts");
  assert.equal(
    CATALOG_NPM_SPECIFIER,
    config.imports["@pydantic/genai-prices"].replace(/^npm:\/?/, "npm:"),
  );
  assert.deepEqual(
    Object.values(PROVIDER_PACKAGES).sort(),
    integrations.map((name) => config.imports[name]).sort(),
  );
  // No module of any entry point imports them in a way a registry's analysis could see.
  for (const path of Object.values(config.exports) as string[]) {
    const packages = await runtimeNpmPackages(path);
    for (const name of integrations) assert.ok(!packages.has(name), `${path} loads ${name}`);
  }
});

Deno.test("the worker loads nothing but its own folder and Node's built-ins (it runs in the user's project)", async () => {
  const { stdout, success } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "worker/main.ts"],
    cwd: ROOT,
    stderr: "inherit",
  }).output();
  assert.ok(success);
  const info = JSON.parse(new TextDecoder().decode(stdout)) as {
    modules: { specifier: string; dependencies?: { code?: { specifier?: string } }[] }[];
  };
  const worker = new URL("worker/", ROOT).href;
  const loaded = new Set<string>();
  for (const module of info.modules) {
    for (const dependency of module.dependencies ?? []) {
      if (dependency.code?.specifier) loaded.add(dependency.code.specifier);
    }
  }
  assert.ok(loaded.has(`${worker}forwarding_handler.ts`));
  for (const specifier of loaded) {
    assert.ok(
      specifier.startsWith(worker) || specifier.startsWith("node:"),
      `the worker loads ${specifier}`,
    );
  }
});
