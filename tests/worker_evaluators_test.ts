/**
 * `bench --graph --evaluator`, the evaluators in the graph's worker (a subprocess in the fixture
 * project's folder, as a user runs it): they see the project's env, and when they misbehave —
 * a NaN score, a rejection nobody awaited, an evaluation that never ends, a CPU loop — that
 * key's error is recorded on that run, the run stays ok, and the benchmark ends with the worker
 * gone; an LLM judge's calls made in the worker count against --max-cost; a project whose
 * LangChain cannot scope a handler is told its judges' calls go unmetered.
 */
import assert from "node:assert/strict";
import {
  finish,
  modesDataset,
  processesWith,
  startBench,
  writtenResult,
} from "./support/hostile_graph.ts";
import { BenchmarkResult } from "../benchmark/result/benchmark_result.ts";
import { openResultsStore } from "../store/mod.ts";
import { JUDGE_USAGE, startJudgeServer } from "./support/judge.ts";
import { projectMeteringScope } from "../worker/metering_scope.ts";

/** Runs `bench` in the fixture project to its end. */
function bench(args: string[], env: Record<string, string> = {}) {
  return finish(startBench(args, env));
}

Deno.test("worker evaluators: they see the project's env; a NaN, an unhandled rejection and a hang are their key's errors, the runs stay ok", async () => {
  const dir = await Deno.makeTempDir();
  const data = await modesDataset(dir, ["ok", "eval-nan", "eval-unhandled", "eval-hang"]);
  const { code, stderr } = await bench([
    ...["--graph", "./src/hostile.ts:graph", "--dataset", data, "--evaluator-timeout", "1"],
    ...["--evaluator", "./hostile_evaluators.ts:projectEnv"],
    ...["--evaluator", "./hostile_evaluators.ts:misbehaves"],
    ...["--db", `${dir}/g.db`, "--out", `${dir}/out`],
  ]);
  assert.equal(code, 0, stderr);
  const { runs, aggregates } = await writtenResult(dir);
  assert.deepEqual(runs.map((run) => [run.inputId, run.ok, run.llmCalls]), [
    ["ok", true, 1],
    ["eval-nan", true, 1],
    ["eval-unhandled", true, 1],
    ["eval-hang", true, 1],
  ]);
  const [env, misbehaving] = aggregates.scores;
  // The command line never loads the project's .env: only the worker does.
  assert.deepEqual([env.key, env.kind, env.scoredRuns, env.mean], ["project_env", "boolean", 4, 1]);
  assert.deepEqual([misbehaving.key, misbehaving.scoredRuns, misbehaving.errorRuns], [
    "misbehaves",
    1,
    3,
  ]);
  const errors = Object.fromEntries(misbehaving.errors.map((e) => [e.inputId, e.error]));
  // A NaN crosses the process boundary as a NaN: malformed, as in process, not a silent null.
  assert.match(errors["eval-nan"], /^returned a malformed result.*"score":null\} \(score: /);
  assert.equal(
    errors["eval-unhandled"],
    "Error: unhandled promise rejection in the evaluator: a promise nobody awaited",
  );
  assert.equal(errors["eval-hang"], "Error: timed out after 1 s");
  assert.match(stderr, /warning: evaluator errors \(the runs stay ok\): misbehaves failed on 3/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("worker evaluators: an evaluator in a CPU loop times out, and the benchmark ends with its worker gone", async () => {
  const dir = await Deno.makeTempDir();
  const data = await modesDataset(dir, ["eval-loop"]);
  const marker = crypto.randomUUID();
  try {
    const startedAt = performance.now();
    const { code, stderr } = await bench([
      ...["--graph", "./src/hostile.ts:graph", "--dataset", data, "--evaluator-timeout", "1"],
      ...["--evaluator", "./hostile_evaluators.ts:misbehaves"],
      ...["--config", JSON.stringify({ configurable: { marker } })],
      ...["--db", `${dir}/g.db`, "--out", `${dir}/out`],
    ]);
    const tookMs = performance.now() - startedAt;
    assert.equal(code, 0, stderr);
    const [run] = (await writtenResult(dir)).runs;
    assert.equal(run.ok, true);
    assert.equal(
      (await writtenResult(dir)).aggregates.scores[0].errors[0].error,
      "Error: timed out after 1 s",
    );
    assert.ok(tookMs < 20_000, `the benchmark took ${tookMs} ms`);
    assert.deepEqual(await processesWith(marker), [], "the worker is gone");
  } finally {
    for (const pid of await processesWith(marker)) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("worker evaluators: a judge's calls made in the worker count against --max-cost", async () => {
  await using server = startJudgeServer();
  const dir = await Deno.makeTempDir();
  // The pipeline at $5,000 / $10,000 per million tokens; the judge's call at $1,000 / $2,000.
  await Deno.writeTextFile(
    `${dir}/prices.json`,
    JSON.stringify({
      "gpt-4o-mini": { inputPerMTok: 5e3, outputPerMTok: 1e4 },
      "gpt-4.1-mini-2025-04-14": { inputPerMTok: 1e3, outputPerMTok: 2e3 },
    }),
  );
  const question = "What is the capital of Peru?";
  await Deno.writeTextFile(
    `${dir}/q.jsonl`,
    JSON.stringify({ id: "q", inputs: { question }, outputs: { answer: "Lima" } }) + "\n",
  );
  // The run's two calls: 275 tokens in, 40 out = $1.775; its judge call $0.38: $2.155 in all.
  const pipelineUsd = ((100 + 6 + 28 + 100 + 13 + 28) * 5e3 + 40 * 1e4) / 1e6;
  const judgeUsd = (JUDGE_USAGE.input * 1e3 + JUDGE_USAGE.output * 2e3) / 1e6;
  assert.equal(question.length, 28);
  const common = [
    ...["--graph", "agent", "--dataset", `${dir}/q.jsonl`, "--prices", `${dir}/prices.json`],
    ...["--max-cost", "2"],
  ];
  const unjudged = await bench([...common, "--db", `${dir}/a.db`, "--out", `${dir}/a`]);
  assert.equal(unjudged.code, 0, unjudged.stderr);
  assert.doesNotMatch(unjudged.stderr, /budget/);
  const a = BenchmarkResult.parse(JSON.parse(await Deno.readTextFile(`${dir}/a/metrics.json`)));
  assert.ok(Math.abs(a.aggregates.costUsd! - pipelineUsd) < 1e-9);

  const judged = await bench(
    [
      ...common,
      ...["--evaluator", "./evaluators.ts:correctness", "--db", `${dir}/j.db`, "--out", `${dir}/j`],
    ],
    { JUDGE_BASE_URL: server.origin },
  );
  assert.equal(server.requests.length, 1);
  assert.ok(pipelineUsd < 2 && pipelineUsd + judgeUsd > 2);
  // The judge's call crossed the budget: the run was stopped in flight, none is stored.
  assert.match(
    judged.stderr,
    /stopped: the calls made cost \$2\.16, past the budget of \$2\.00/,
    judged.stderr,
  );
  using store = openResultsStore(`${dir}/j.db`);
  assert.equal(store.loadRuns(store.resolveBenchmark("latest")).length, 0);
  await Deno.remove(dir, { recursive: true });
});

/** A project with a stand-in `@langchain/core` 0.3.x: its `context` and `singletons` exports. */
async function projectWithCore(context: string): Promise<string> {
  const dir = await Deno.makeTempDir();
  const core = `${dir}/node_modules/@langchain/core`;
  await Deno.mkdir(core, { recursive: true });
  await Deno.writeTextFile(
    `${core}/package.json`,
    JSON.stringify({
      name: "@langchain/core",
      type: "module",
      exports: {
        "./context": { import: "./context.js" },
        "./singletons": { import: "./singletons.js" },
      },
    }),
  );
  await Deno.writeTextFile(`${core}/context.js`, context);
  await Deno.writeTextFile(
    `${core}/singletons.js`,
    "export const AsyncLocalStorageProviderSingleton = { getInstance: () => " +
      "({ getStore: () => undefined, run: (_store, callback) => callback() }) };\n",
  );
  return dir;
}

Deno.test("worker evaluators: the metering scope is the project's own LangChain's; before registerConfigureHook (0.3.23) it says the judges' calls go unmetered", async () => {
  const old = await projectWithCore(
    "export function setContextVariable() {}\nexport function getContextVariable() {}\n",
  );
  const unmetered = await projectMeteringScope(old);
  assert.equal(unmetered.scope, null);
  assert.equal(
    unmetered.reason,
    "the project's @langchain/core has no registerConfigureHook (added in 0.3.23), so the " +
      "evaluators' own LLM calls are not metered; upgrade @langchain/core to meter them",
  );
  const current = await projectWithCore(
    "export const seen = [];\n" +
      "export function registerConfigureHook(hook) { seen.push(['hook', hook.contextVar]); }\n" +
      "export function setContextVariable(name, value) { seen.push(['set', name, value.name]); }\n",
  );
  const metering = await projectMeteringScope(current);
  assert.equal(metering.reason, null);
  assert.equal(await metering.scope!({ name: "forwarder" }, () => Promise.resolve(7)), 7);
  const { seen } = await import(
    new URL(`file://${current}/node_modules/@langchain/core/context.js`).href
  );
  assert.deepEqual(seen, [
    ["hook", "graphmeter_evaluation_handler"],
    ["set", "graphmeter_evaluation_handler", "forwarder"],
  ]);
  await Deno.remove(old, { recursive: true });
  await Deno.remove(current, { recursive: true });
});
