/**
 * `bench --graph` from real Node projects, as a user runs it: fixture projects in the shape of
 * langchain-ai's templates (a memory agent: `.js`-suffixed TypeScript imports, a tsconfig path
 * alias, `langgraph.json` with `env`, a graph that needs the store the platform provides and reads
 * its model from `configurable`), installed from the npm registry with their own package manager
 * and lockfile, one pinning LangChain 0.3.x / LangGraph 0.2.74 (yarn), one 1.x (npm); the CLI runs
 * from the project's folder against loopback Anthropic and OpenAI servers.
 */
import assert from "node:assert/strict";
import { BenchmarkResult } from "../benchmark/result/benchmark_result.ts";
import { openResultsStore } from "../store/mod.ts";
import { anthropicUsage, startAnthropicServer } from "./fixtures/anthropic_server.ts";
import { chatUsage, startOpenAIServer } from "./fixtures/openai_server.ts";
import { installedProject, type PackageManager } from "./support/node_projects.ts";
import { publishedPackage, serveRegistry } from "./support/jsr_registry.ts";
import { JUDGE_MODEL, JUDGE_USAGE, startJudgeServer } from "./support/judge.ts";

const CLI = new URL("../cli/mod.ts", import.meta.url).pathname;

/** Round rates ($ per million tokens) so every cost is exact: the report's figures checked. */
const PRICES = {
  "claude-3-5-haiku-20241022": { inputPerMTok: 1000, outputPerMTok: 4000, cacheReadPerMTok: 100 },
  "gpt-4o-mini-2024-07-18": { inputPerMTok: 2000, outputPerMTok: 8000, cacheReadPerMTok: 1000 },
};

/** The judge's round rates, so its cost is exact too. */
const JUDGE_PRICE = { inputPerMTok: 3000, outputPerMTok: 6000 };

/** What each loopback call bills: 940 uncached + 128 cached input tokens, 25 output. */
const UNCACHED = 940;
const CACHED = 128;
const OUTPUT = 25;

export interface ProjectRun {
  /** The request bodies the model servers received. */
  requests: string[];
  /** The request bodies the judge's server received (with `evaluators`). */
  judgeRequests: string[];
  code: number;
  stdout: string;
  stderr: string;
  dir: string;
  out: string;
  db: string;
}

/**
 * Runs `bench --graph agent` from an installed fixture project with a loopback server for the
 * model `--config` chooses.
 */
export async function benchProject(
  project: string,
  manager: PackageManager,
  provider: "anthropic" | "openai",
  options: {
    /** The command before `--graph` (default: this repository's CLI, `bench`). */
    command?: string[];
    /** Extra environment variables of the CLI. */
    env?: Record<string, string>;
    /** The graph id (default `agent`). */
    graph?: string;
    /** Give `--config` choosing the model (default true). */
    config?: boolean;
    /**
     * Score each run with the project's `evals.ts` (`correctness`, an LLM judge at a loopback
     * judge server — openevals' in memory-agent-lc1 — and `exactMatch`); default false.
     */
    evaluators?: boolean;
  } = {},
): Promise<ProjectRun> {
  const dir = await installedProject(project, manager);
  // `deno run jsr:...` from a project folder writes the package's checksums into a deno.lock
  // there; this repository's package changes under the same version, so a stale one goes.
  await Deno.remove(`${dir}/deno.lock`).catch(() => {});
  await using anthropic = startAnthropicServer(() => ({
    model: "claude-3-5-haiku-20241022",
    text: "Noted: you like it.",
    usage: anthropicUsage(UNCACHED, OUTPUT, { read: CACHED }),
  }));
  await using openai = startOpenAIServer(() => ({
    model: "gpt-4o-mini-2024-07-18",
    text: "Noted: you like it.",
    usage: chatUsage(UNCACHED + CACHED, OUTPUT, { cached: CACHED }),
  }));
  await using judge = options.evaluators ? startJudgeServer() : null;
  // langgraph.json's "env": ".env" is how the graph (and its evaluators) find endpoints and keys.
  await Deno.writeTextFile(
    `${dir}/.env`,
    [
      `ANTHROPIC_BASE_URL=${anthropic.origin}`,
      "ANTHROPIC_API_KEY=sk-ant-test",
      `OPENAI_BASE_URL=${openai.origin}/v1`,
      "OPENAI_API_KEY=sk-test",
      ...(judge === null ? [] : [`JUDGE_BASE_URL=${judge.origin}/v1`]),
    ].join("\n") + "\n",
  );
  const work = await Deno.makeTempDir();
  const priced = provider === "anthropic" ? "claude-3-5-haiku-20241022" : "gpt-4o-mini-2024-07-18";
  await Deno.writeTextFile(
    `${work}/prices.json`,
    JSON.stringify({
      [priced]: PRICES[priced],
      ...(judge === null ? {} : { [JUDGE_MODEL]: JUDGE_PRICE }),
    }),
  );
  const model = provider === "anthropic"
    ? "anthropic/claude-3-5-haiku-20241022"
    : "openai/gpt-4o-mini";
  const args = [
    ...(options.command ?? ["run", "-A", CLI, "bench"]),
    ...["--graph", options.graph ?? "agent", "--dataset", "dataset.jsonl", "--runs", "2"],
    ...(options.config === false
      ? []
      : ["--config", JSON.stringify({ configurable: { model, userId: "u-1" } })]),
    ...["--prices", `${work}/prices.json`, "--db", `${work}/g.db`, "--out", `${work}/out`],
    ...(options.evaluators
      ? ["--evaluator", "./evals.ts:correctness", "--evaluator", "./evals.ts:exactMatch"]
      : []),
  ];
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...options.env },
  }).output();
  return {
    requests: [...anthropic.requests, ...openai.requests].map((request) =>
      JSON.stringify(request.body)
    ),
    judgeRequests: (judge?.requests ?? []).map((request) => JSON.stringify(request.body)),
    code,
    stdout: new TextDecoder().decode(stdout),
    stderr: new TextDecoder().decode(stderr),
    dir,
    out: `${work}/out`,
    db: `${work}/g.db`,
  };
}

/** The checks every fixture project passes: exact tokens and costs, stage names, models. */
export async function checkProjectRun(run: ProjectRun, provider: "anthropic" | "openai") {
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /peer|warning/i, run.stderr);
  const result = BenchmarkResult.parse(
    JSON.parse(await Deno.readTextFile(`${run.out}/metrics.json`)),
  );
  assert.deepEqual(result.runs.map((r) => [r.inputId, r.repeat, r.ok]), [
    ["likes-tea", 0, true],
    ["likes-rain", 0, true],
    ["likes-tea", 1, true],
    ["likes-rain", 1, true],
  ]);
  assert.deepEqual(result.aggregates.stages.map((s) => s.stage), ["call_model", "store_memory"]);
  // The catalog's version is known wherever the CLI runs from (the published package included).
  assert.match(result.pricing?.version ?? "", /^\d+\.\d+\.\d+/);
  const calls = 4;
  assert.equal(result.aggregates.inputTokens, calls * (UNCACHED + CACHED));
  assert.equal(result.aggregates.outputTokens, calls * OUTPUT);
  const rates = provider === "anthropic"
    ? PRICES["claude-3-5-haiku-20241022"]
    : PRICES["gpt-4o-mini-2024-07-18"];
  const perCall = (UNCACHED * rates.inputPerMTok + CACHED * rates.cacheReadPerMTok +
    OUTPUT * rates.outputPerMTok) /
    1e6;
  assert.ok(
    Math.abs(result.aggregates.costUsd! - calls * perCall) < 1e-9,
    `${result.aggregates.costUsd} vs ${calls * perCall}`,
  );
  using store = openResultsStore(run.db);
  const records = store.loadRuns(store.resolveBenchmark("latest"));
  const stored = records.flatMap((r) => r.metrics.calls);
  assert.equal(stored.length, calls);
  for (const call of stored) {
    assert.equal(call.stage, "call_model");
    assert.equal(
      call.requestedModel,
      provider === "anthropic" ? "claude-3-5-haiku-20241022" : "gpt-4o-mini",
    );
    assert.equal(call.inputTokens, UNCACHED + CACHED);
    assert.equal(call.cacheReadTokens, CACHED);
    assert.equal(call.outputTokens, OUTPUT);
    // The worker tracked the call's one HTTP request through the project's own SDK and fetch.
    assert.deepEqual(call.attempts?.map((attempt) => attempt.status), [200]);
    assert.equal(call.waitMs, 0);
    assert.equal(call.serviceLatencyMs, call.latencyMs);
  }
  // Each example's metadata reached its runs (the graph tells the model who is asking).
  for (const user of ["u-7", "u-8"]) {
    const asked = run.requests.filter((body) => body.includes(`You are talking to ${user}.`));
    assert.equal(asked.length, 2, `${user} in ${run.requests.length} requests`);
  }
  const report = await Deno.readTextFile(`${run.out}/report.md`);
  const model = provider === "anthropic"
    ? "anthropic:claude-3-5-haiku-20241022"
    : "openai:gpt-4o-mini-2024-07-18";
  assert.match(report, new RegExp(`\\| Models \\| \`${model}\` \\(call\\\\_model\\)`));
  assert.match(report, /\| Attached \| an in\\-memory checkpointer and an in\\-memory store/);
}

/**
 * The checks of a run scored by the project's `evals.ts` (on top of {@linkcode checkProjectRun}'s,
 * which hold the pipeline's figures to its own four calls): the judge's four calls exactly, apart
 * as evaluation cost; every score stored; the evaluators saw the graph's output as it returned it
 * (the exact match found an `AIMessage`; openevals gave its judge the messages with their roles).
 */
export async function checkProjectEvaluations(run: ProjectRun, project: string) {
  const result = BenchmarkResult.parse(
    JSON.parse(await Deno.readTextFile(`${run.out}/metrics.json`)),
  );
  const a = result.aggregates;
  assert.equal(run.judgeRequests.length, 4, "the judge is asked once per run");
  assert.equal(a.evaluation?.llmCalls, 4);
  assert.equal(a.evaluation?.inputTokens, 4 * JUDGE_USAGE.input);
  assert.equal(a.evaluation?.outputTokens, 4 * JUDGE_USAGE.output);
  const judgeCallUsd = (JUDGE_USAGE.input * JUDGE_PRICE.inputPerMTok +
    JUDGE_USAGE.output * JUDGE_PRICE.outputPerMTok) / 1e6;
  assert.ok(
    Math.abs(a.evaluation!.costUsd! - 4 * judgeCallUsd) < 1e-12,
    `${a.evaluation!.costUsd} vs ${4 * judgeCallUsd}`,
  );
  assert.deepEqual(a.evaluation?.evaluators.map((e) => [e.evaluator, e.llmCalls]), [
    ["correctness", 4],
  ]);
  // "Noted: you like it." is likes-tea's reference, not likes-rain's.
  assert.deepEqual(
    a.scores.map((s) => [s.key, s.kind, s.scoredRuns, s.mean, s.errorRuns]),
    [["correctness", "boolean", 4, 0.5, 0], ["exact_match", "boolean", 4, 0.5, 0]],
  );
  assert.deepEqual(a.scores[1].worst.slice(0, 2).map((w) => [w.inputId, w.score]), [
    ["likes-rain", 0],
    ["likes-rain", 0],
  ]);
  for (const body of run.judgeRequests) {
    const prompt = (JSON.parse(body).messages as { content: string }[]).map((m) => m.content)
      .join("\n");
    // openevals (memory-agent-lc1's judge) formats the messages by their class, with roles; the
    // hand-written judges of the 0.3.x projects ask about the answer alone.
    assert.match(
      prompt,
      project === "memory-agent-lc1"
        ? /Answer: \{"messages":\[\{"role":"user",.*\{"role":"assistant"/
        : /Answer: Noted: you like it\.\n/,
    );
  }
  using store = openResultsStore(run.db);
  // Stored in the order the runs finished, which concurrency leaves open: read in plan order.
  const records = store.loadRuns(store.resolveBenchmark("latest"))
    .toSorted((a, b) => a.repeat - b.repeat || a.inputId.localeCompare(b.inputId));
  assert.deepEqual(
    records.map((r) => [r.inputId, r.evaluation?.scores.map((s) => [s.key, s.score, s.error])]),
    [
      ["likes-rain", [["correctness", 0, null], ["exact_match", 0, null]]],
      ["likes-tea", [["correctness", 1, null], ["exact_match", 1, null]]],
      ["likes-rain", [["correctness", 0, null], ["exact_match", 0, null]]],
      ["likes-tea", [["correctness", 1, null], ["exact_match", 1, null]]],
    ],
  );
  for (const record of records) {
    const [cost] = record.evaluation!.costs;
    assert.deepEqual(
      [cost.evaluator, cost.totals.inputTokens, cost.totals.outputTokens, cost.calls[0].model],
      ["correctness", JUDGE_USAGE.input, JUDGE_USAGE.output, JUDGE_MODEL],
    );
  }
  const report = await Deno.readTextFile(`${run.out}/report.md`);
  assert.match(report, /\| Evaluators \| correctness, exactMatch \|/);
  assert.match(report, /\| correctness \| 4 \| 1,200 \| 160 \|/);
}

/**
 * The fixture projects, a version matrix: @langchain/core 0.3.40 + LangGraph 0.2.74 (yarn),
 * core 0.3.72 + LangGraph 0.4.9 (pnpm's symlinked node_modules), core 1.4 + LangGraph 1.7 (npm).
 */
const PROJECTS: [string, PackageManager, "anthropic" | "openai"][] = [
  ["memory-agent-lc03", "yarn", "anthropic"],
  ["memory-agent-lg04", "pnpm", "anthropic"],
  ["memory-agent-lc1", "npm", "openai"],
];

Deno.test("bench --graph from a LangChain 0.3.x / LangGraph 0.2.74 project installed with yarn (Anthropic 0.3.3)", async () => {
  const run = await benchProject("memory-agent-lc03", "yarn", "anthropic");
  await checkProjectRun(run, "anthropic");
});

Deno.test("bench --graph from a LangChain 0.3.x / LangGraph 0.4.9 project installed with pnpm (Anthropic 0.3.26)", async () => {
  const run = await benchProject("memory-agent-lg04", "pnpm", "anthropic");
  await checkProjectRun(run, "anthropic");
});

Deno.test("bench --graph from a LangChain 1.x project installed with npm (OpenAI)", async () => {
  const run = await benchProject("memory-agent-lc1", "npm", "openai");
  await checkProjectRun(run, "openai");
});

Deno.test("bench --graph --evaluator in each project (openevals from the npm one's node_modules; a judge on LangChain 0.3.x with yarn and pnpm): run in its worker, its own .js module, the judge metered apart to the token", async (t) => {
  for (const [project, manager, provider] of PROJECTS) {
    await t.step(project, async () => {
      const run = await benchProject(project, manager, provider, { evaluators: true });
      await checkProjectRun(run, provider);
      await checkProjectEvaluations(run, project);
    });
  }
});

Deno.test("bench --graph --evaluator that cannot be loaded in the project (missing export, syntax error, missing package): one line, exit 2, before any run", async () => {
  const dir = await installedProject("memory-agent-lc1", "npm");
  const work = await Deno.makeTempDir();
  // Files of the user's, written into the project for this test and removed after it.
  const broken = `graphmeter-test-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.writeTextFile(`${dir}/${broken}-syntax.ts`, "export const judge = (;\n");
  await Deno.writeTextFile(
    `${dir}/${broken}-package.ts`,
    'import { Levenshtein } from "autoevals";\nexport const judge = Levenshtein;\n',
  );
  const cases: [string, string][] = [
    [
      "./evals.ts:nope",
      `${dir}/evals.ts has no export "nope" (its exports: correctness, exactMatch)`,
    ],
    [
      `./${broken}-syntax.ts:judge`,
      `cannot import ${dir}/${broken}-syntax.ts: SyntaxError: Expression expected ` +
      `(${dir}/${broken}-syntax.ts:1:23)`,
    ],
    [
      `./${broken}-package.ts:judge`,
      `cannot import ${dir}/${broken}-package.ts: it imports "autoevals", which is not one of ` +
      "the project's packages: add it to the project (npm install autoevals, or your package " +
      "manager's add)",
    ],
  ];
  try {
    for (const [flag, message] of cases) {
      const { code, stderr } = await new Deno.Command(Deno.execPath(), {
        args: [
          ...["run", "-A", CLI, "bench", "--graph", "agent", "--dataset", "dataset.jsonl"],
          ...["--evaluator", flag, "--db", `${work}/g.db`, "--out", `${work}/out`],
        ],
        cwd: dir,
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).output();
      assert.equal(code, 2, flag);
      assert.equal(new TextDecoder().decode(stderr), `bench: --evaluator ${flag}: ${message}\n`);
    }
    // Before any run: no store was even opened.
    assert.equal(await Deno.stat(`${work}/g.db`).then(() => true, () => false), false);
  } finally {
    await Deno.remove(`${dir}/${broken}-syntax.ts`);
    await Deno.remove(`${dir}/${broken}-package.ts`);
    await Deno.remove(work, { recursive: true });
  }
});

Deno.test("bench --graph: a model bound with withConfig survives the run's thread_id on LangGraph 0.2.74", async () => {
  // 0.2.x replaced a bound `configurable` with the one given to invoke (the benchmark's thread);
  // the worker merges the bound config under the run's, as 1.x does.
  const run = await benchProject("memory-agent-lc03", "yarn", "anthropic", {
    graph: "bound",
    config: false,
  });
  await checkProjectRun(run, "anthropic");
});

Deno.test("the published CLI (served as JSR lays it out) benchmarks and scores every fixture project: deno run -A jsr:@graphmeter/graphmeter/cli bench", async () => {
  const pkg = await publishedPackage();
  await using registry = await serveRegistry(pkg);
  for (const [index, [project, manager, provider]] of PROJECTS.entries()) {
    // The first as the README's command has it; the others with --no-lock, which leaves the
    // project untouched (Deno writes no deno.lock into it).
    const noLock = index > 0;
    const run = await benchProject(project, manager, provider, {
      command: [
        "run",
        "-A",
        ...(noLock ? ["--no-lock"] : []),
        `jsr:${pkg.name}@${pkg.version}/cli`,
        "bench",
      ],
      env: { JSR_URL: registry.url },
      // And its evaluators (openevals in the npm project): they load where the graph runs.
      evaluators: true,
    });
    await checkProjectRun(run, provider);
    await checkProjectEvaluations(run, project);
    const lockWritten = await Deno.stat(`${run.dir}/deno.lock`).then(() => true, () => false);
    assert.equal(lockWritten, !noLock, project);
  }
  // The worker itself came from the registry, not from this repository.
  assert.ok(registry.requests.includes(`/${pkg.name}/${pkg.version}/worker/main.ts`));
  assert.ok(registry.requests.includes(`/${pkg.name}/${pkg.version}/worker/load_evaluators.ts`));
});

Deno.test("bench --graph in a project whose packages are not installed: one line naming the command", async () => {
  const source = new URL("./fixtures/projects/memory-agent-lc03/", import.meta.url).pathname;
  const dir = await Deno.makeTempDir();
  for (const file of ["package.json", "yarn.lock", "langgraph.json", "dataset.jsonl"]) {
    await Deno.copyFile(`${source}${file}`, `${dir}/${file}`);
  }
  await Deno.mkdir(`${dir}/src/memory_agent`, { recursive: true });
  await Deno.copyFile(
    `${source}src/memory_agent/graph.ts`,
    `${dir}/src/memory_agent/graph.ts`,
  );
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "bench", "--graph", "agent", "--dataset", "../dataset.jsonl"],
    cwd: `${dir}/src`, // langgraph.json is found from here upward
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(stderr);
  assert.equal(code, 2, text);
  assert.equal(
    text,
    "bench: the project's packages are not installed (@langchain/anthropic is missing from " +
      `node_modules): run yarn install in ${dir}\n`,
  );
  await Deno.remove(dir, { recursive: true });
});
