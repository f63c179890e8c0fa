/**
 * Evaluators inside the benchmark runner: scored as each run finishes, errors per key and input
 * with the run still ok, the judge's cost apart from the pipeline's and counted by the budget,
 * never scored again on resume, and stored (a store from before scores migrates in place).
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import {
  ATTEMPTS_VERSION,
  downgradeTo,
  versionOf,
  withoutAttempts,
  withoutPaths,
} from "./support/store_versions.ts";
import { runBenchmark, type RunHooks } from "../benchmark/runner.ts";
import { memoryRunLog } from "../benchmark/run_log.ts";
import { RunRecord } from "../benchmark/run_record.ts";
import type { Evaluator } from "../evaluate/evaluator.ts";
import { openResultsStore, SCHEMA_VERSION } from "../store/mod.ts";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { JUDGE_USAGE, startJudge } from "./support/judge.ts";
import { toyGraph, type ToyInput } from "./support/toy_graph.ts";

/** $1 per input and $2 per output token: every cost is a whole number of dollars. */
const PRICES = {
  "gpt-4o-mini": { inputPerMTok: 1e6, outputPerMTok: 2e6 },
  "gpt-4.1-mini-2025-04-14": { inputPerMTok: 1e6, outputPerMTok: 2e6 },
};
const createHandler = (hooks: RunHooks) =>
  new PerformanceCallbackHandler({ ...hooks, priceOverrides: PRICES });
/** A judge call: 300 tokens in, 40 out. */
const JUDGE_USD = JUDGE_USAGE.input + 2 * JUDGE_USAGE.output;

const TEXTS = ["hello there", "good morning", "FAIL here", "see you"];
const inputs = TEXTS.map((text, i) => ({
  id: `t${i}`,
  input: { text } as ToyInput,
  referenceOutputs: { answer: i === 3 ? "nope" : "ok" },
}));
/** The toy graph's cost of one run on `text` (see ToyChatModel): two calls. */
const runUsd = (text: string) =>
  (100 + `summarize: ${text}`.length + 40) + (100 + "classify: ok".length + 40);

// Typed loosely, as a user's evaluator module would be (the runner's graph types its state).
const exactMatch: Evaluator = ({ outputs, referenceOutputs }) => ({
  key: "exact_match",
  score: (outputs as { label: string }).label === (referenceOutputs as { answer: string }).answer,
});

function throwsOnGoodMorning({ inputs }: { inputs: unknown }) {
  if ((inputs as ToyInput).text === "good morning") throw new Error("cannot score mornings");
  return { key: "throwsOnGoodMorning", score: 0.5 };
}

Deno.test("runner: each successful run is scored; an evaluator's error is recorded by key and input, the run stays ok", async () => {
  const { judge, server } = startJudge();
  await using _server = server;
  const scored = await runBenchmark({
    graph: toyGraph(),
    inputs,
    createHandler,
    evaluators: [exactMatch, throwsOnGoodMorning, { name: "correctness", evaluate: judge }],
  });
  const plain = await runBenchmark({ graph: toyGraph(), inputs, createHandler });
  // The failed run (FAIL) is not scored; the judge was asked once per successful run.
  assert.equal(server.requests.length, 3);
  const byInput = Object.fromEntries(scored.records.map((r) => [r.inputId, r]));
  assert.equal(byInput.t2.error !== null, true);
  assert.equal(byInput.t2.evaluation, undefined);
  assert.deepEqual(
    byInput.t1.evaluation?.scores.map((s) => [s.key, s.score, s.error]),
    [
      ["exact_match", 1, null],
      ["throwsOnGoodMorning", null, "Error: cannot score mornings"],
      ["correctness", 1, null],
    ],
  );
  assert.equal(byInput.t1.error, null);
  assert.equal(byInput.t1.metrics.status, "ok");
  assert.deepEqual(byInput.t3.evaluation?.scores.map((s) => s.score), [0, 0.5, 0]);
  // The pipeline's figures are those of the same benchmark without evaluators, to the token.
  scored.records.forEach((record, i) => {
    // Every count and cost is equal; only the measured times differ.
    const { latencyMs: _a, ...totals } = record.metrics.totals;
    const { latencyMs: _b, ...plainTotals } = plain.records[i].metrics.totals;
    assert.deepEqual(totals, plainTotals);
    // A failed run (FAIL) made its first call only.
    const expected = record.error ? 100 + `summarize: ${TEXTS[i]}`.length + 40 : runUsd(TEXTS[i]);
    assert.equal(record.metrics.totals.costUsd, expected);
    RunRecord.parse(record);
  });
  // The judge's own calls: apart, exact.
  for (const id of ["t0", "t1", "t3"]) {
    const [cost] = byInput[id].evaluation!.costs;
    assert.equal(cost.evaluator, "correctness");
    assert.deepEqual([cost.totals.inputTokens, cost.totals.outputTokens, cost.totals.costUsd], [
      JUDGE_USAGE.input,
      JUDGE_USAGE.output,
      JUDGE_USD,
    ]);
  }
});

Deno.test("runner: the judge's calls count against the budget", async () => {
  const { judge, server } = startJudge();
  await using _server = server;
  const many = Array.from({ length: 5 }, (_, i) => ({ ...inputs[0], id: `h${i}` }));
  const options = { graph: toyGraph(), inputs: many, concurrency: 1, createHandler };
  // $314 a run: five fit in $2,000; with a $380 judge call each, $694 a run: two do.
  assert.equal(runUsd("hello there"), 314);
  const unjudged = await runBenchmark({ ...options, maxCostUsd: 2000 });
  assert.equal(unjudged.finishedRuns, 5);
  const judged = await runBenchmark({
    ...options,
    maxCostUsd: 2000,
    evaluators: [{ name: "correctness", evaluate: judge }],
  });
  assert.equal(judged.finishedRuns, 2);
  assert.deepEqual(judged.stop, {
    kind: "budget-would-pass",
    budgetUsd: 2000,
    spentUsd: 2 * (314 + JUDGE_USD),
    dearestRunUsd: 314 + JUDGE_USD,
  });
  // A judge call that crosses the budget stops its run in flight: not logged, made again later.
  const crossed = await runBenchmark({
    ...options,
    maxCostUsd: 500,
    evaluators: [{ name: "correctness", evaluate: judge }],
  });
  assert.equal(crossed.finishedRuns, 0);
  assert.equal(crossed.stop?.kind, "budget-crossed");
  assert.equal(crossed.stoppedRuns?.length, 1);
  assert.match(crossed.stoppedRuns![0].error ?? "", /past the budget/);
});

Deno.test("runner: --resume never scores a scored run again", async () => {
  let calls = 0;
  const counting: Evaluator = () => ({ key: "counted", score: ++calls });
  const log = memoryRunLog();
  const first = await runBenchmark({
    graph: toyGraph(),
    inputs: inputs.slice(0, 2),
    log,
    evaluators: [counting],
  });
  assert.equal(calls, 2);
  const second = await runBenchmark({
    graph: toyGraph(),
    inputs: inputs.slice(0, 2),
    repeats: 2,
    log,
    resume: true,
    evaluators: [counting],
  });
  assert.equal(second.resumed, 2);
  assert.equal(calls, 4); // only the two new runs
  assert.deepEqual(
    second.records.slice(0, 2).map((r) => r.evaluation),
    first.records.map((r) => r.evaluation),
  );
});

Deno.test("store: scores and evaluation cost round-trip; a store from before scores migrates in place", async () => {
  const { judge, server } = startJudge();
  await using _server = server;
  const { records } = await runBenchmark({
    graph: toyGraph(),
    inputs,
    createHandler,
    evaluators: [exactMatch, throwsOnGoodMorning, { name: "correctness", evaluate: judge }],
  });
  const dir = await Deno.makeTempDir();
  const path = `${dir}/graphmeter.db`;
  const meta = {
    label: "scored",
    startedAt: "2026-12-01T00:00:00.000Z",
    gitCommit: null,
    settings: {},
    meta: {},
    plannedRuns: 4,
    shard: null,
  };
  let id: string;
  {
    using store = openResultsStore(path);
    id = store.createBenchmark(meta);
    store.appendRuns(id, records);
    assert.deepEqual(store.loadRuns(id), records);
    assert.deepEqual(store.scoreMeans(id), [
      { key: "exact_match", scoredRuns: 3, mean: 2 / 3 },
      { key: "throwsOnGoodMorning", scoredRuns: 2, mean: 0.5 },
      { key: "correctness", scoredRuns: 3, mean: 2 / 3 },
    ]);
  }
  // Any SQLite client reads the scores and the judges' cost.
  const db = new DatabaseSync(path);
  const errors = db.prepare(
    "SELECT input_id, key, error FROM scores WHERE error IS NOT NULL ORDER BY input_id",
  ).all();
  assert.deepEqual(errors.map((r) => ({ ...r })), [{
    input_id: "t1",
    key: "throwsOnGoodMorning",
    error: "Error: cannot score mornings",
  }]);
  const judged = db.prepare(
    "SELECT SUM(input_tokens) AS input, SUM(output_tokens) AS output, SUM(cost_usd) AS usd " +
      "FROM evaluations",
  ).get() as Record<string, number>;
  assert.deepEqual({ ...judged }, { input: 900, output: 120, usd: 3 * JUDGE_USD });
  // Back to the schema before scores: no scores, no evaluations (nor the node paths, the run
  // attribution, the shared store's tables and the HTTP attempts' columns migrated after them);
  // its runs must survive the migrations.
  const before = versionOf("CREATE TABLE scores") - 1;
  db.exec(downgradeTo(before));
  db.close();
  {
    using store = openResultsStore(path);
    const loaded = store.loadRuns(store.resolveBenchmark("scored"));
    const unscored = records.map(({ evaluation: _, ...rest }) => {
      const run = withoutPaths(rest);
      return { ...run, metrics: { ...run.metrics, threadId: null, attributes: {} } };
    });
    // A store from before attempts were tracked reads them back as unknown.
    assert.deepEqual(
      loaded,
      ATTEMPTS_VERSION > before ? unscored.map(withoutAttempts) : unscored,
    );
    store.appendRuns(store.createBenchmark({ ...meta, label: "again" }), records);
    assert.deepEqual(store.loadRuns(store.resolveBenchmark("again")), records);
  }
  const migrated = new DatabaseSync(path);
  assert.equal(
    (migrated.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
    SCHEMA_VERSION,
  );
  migrated.close();
  await Deno.remove(dir, { recursive: true });
});
