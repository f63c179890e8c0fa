/**
 * Evaluators in the ecosystem's shape: what they may return, the real `openevals` LLM-as-judge
 * (its judge answering from a loopback OpenAI server) metered apart from the graph, and real
 * `autoevals` scorers through the adapter.
 */
import assert from "node:assert/strict";
import { ExactMatch, Levenshtein } from "autoevals";
import { evaluateRun } from "../evaluate/evaluate_run.ts";
import { fromAutoevals } from "../evaluate/autoevals.ts";
import { readEvaluatorResults } from "../evaluate/read_results.ts";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { JUDGE_USAGE, startJudge } from "./support/judge.ts";
import { ToyChatModel, toyGraph } from "./support/toy_graph.ts";

/** $1 per input and $2 per output token: every cost is a whole number of dollars. */
const PRICES = {
  "gpt-4o-mini": { inputPerMTok: 1e6, outputPerMTok: 2e6 },
  "gpt-4.1-mini-2025-04-14": { inputPerMTok: 1e6, outputPerMTok: 2e6 },
};

Deno.test("an evaluator may return one result, a list, or { results }; booleans count 1 or 0", () => {
  const one = readEvaluatorResults({ key: "a", score: 0.25, comment: "why" }, "ev");
  const list = readEvaluatorResults([{ key: "a", score: true }, { key: "b", score: null }], "ev");
  const results = readEvaluatorResults({ results: [{ key: "a", score: false }] }, "ev");
  assert.deepEqual(one, [{ key: "a", score: 0.25, kind: "number", comment: "why", error: null }]);
  assert.deepEqual(list.map((s) => [s.key, s.score, s.kind]), [["a", 1, "boolean"], [
    "b",
    null,
    "number",
  ]]);
  assert.deepEqual(results.map((s) => [s.key, s.score, s.kind]), [["a", 0, "boolean"]]);
  // A comment that is not text is kept as JSON (openevals may pass a structured one).
  assert.equal(
    readEvaluatorResults({ key: "a", score: 1, comment: { n: 1 } }, "ev")[0].comment,
    '{"n":1}',
  );
});

Deno.test("a malformed result is an error under the evaluator's name, valid ones are kept", () => {
  for (
    const [returned, why] of [
      [undefined, /result undefined/],
      [0.5, /result 0\.5/],
      [{ key: "", score: 1 }, /key/],
      [{ key: "a", score: "high" }, /score/],
      [{ key: "a", score: Number.NaN }, /score/],
      [[], /returned no result/],
    ] as const
  ) {
    const [error] = readEvaluatorResults(returned, "judge");
    assert.equal(error.key, "judge");
    assert.equal(error.score, null);
    assert.match(error.error ?? "", why, JSON.stringify(returned));
  }
  const mixed = readEvaluatorResults([{ key: "a", score: 1 }, { score: 2 }], "judge");
  assert.deepEqual(mixed.map((s) => [s.key, s.score]), [["a", 1], ["judge", null]]);
  assert.match(mixed[1].error!, /result 2 of 2/);
});

Deno.test("evaluateRun: throws, timeouts and twice-returned keys are recorded per key, never thrown", async () => {
  const record = await evaluateRun(
    [
      function exact({ outputs, referenceOutputs }) {
        return { key: "exact", score: outputs === referenceOutputs };
      },
      function boom() {
        throw new TypeError("judge offline");
      },
      { name: "slow", evaluate: () => new Promise(() => {}) },
      () => [{ key: "dup", score: 1 }],
      () => ({ key: "dup", score: 0 }),
    ],
    { inputs: "Capital of Peru?", outputs: "Lima", referenceOutputs: "Lima" },
    { timeoutMs: 50 },
  );
  assert.deepEqual(record.scores.map((s) => [s.key, s.score, s.error]), [
    ["exact", 1, null],
    ["boom", null, "TypeError: judge offline"],
    ["slow", null, "Error: timed out after 0.05 s"],
    ["dup", null, 'the key "dup" was returned twice: give each score a key of its own'],
  ]);
});

Deno.test("openevals' LLM-as-judge plugs in unchanged; its calls are metered apart from the graph", async () => {
  const { judge, server } = startJudge();
  await using _server = server;
  const graph = toyGraph({}, new ToyChatModel());
  const graphHandler = new PerformanceCallbackHandler({ priceOverrides: PRICES });
  const outputs = await graph.invoke({ text: "hello there" }, { callbacks: [graphHandler] });
  const judged: string[] = [];
  const record = await evaluateRun(
    [{ name: "correctness", evaluate: judge }],
    { inputs: { text: "hello there" }, outputs, referenceOutputs: { answer: "ok" } },
    {
      createHandler: (hooks) =>
        new PerformanceCallbackHandler({ ...hooks, priceOverrides: PRICES }),
      onCallEnd: (call) => judged.push(call.model),
    },
  );
  assert.equal(server.requests.length, 1);
  const [score] = record.scores;
  assert.deepEqual([score.key, score.score, score.kind, score.error], [
    "correctness",
    1,
    "boolean",
    null,
  ]);
  assert.match(score.comment ?? "", /matches the reference/);
  // The judge's call: its exact tokens and cost, in the evaluation record alone.
  const [cost] = record.costs;
  assert.equal(cost.evaluator, "correctness");
  assert.deepEqual(
    [cost.totals.llmCalls, cost.totals.inputTokens, cost.totals.outputTokens, cost.totals.costUsd],
    [1, JUDGE_USAGE.input, JUDGE_USAGE.output, JUDGE_USAGE.input + 2 * JUDGE_USAGE.output],
  );
  assert.deepEqual(judged, ["gpt-4.1-mini-2025-04-14"]);
  // The graph's handler saw its two toy calls and nothing of the judge.
  const graphTotals = graphHandler.metrics.totals;
  assert.equal(graphTotals.llmCalls, 2);
  assert.deepEqual(graphHandler.metrics.calls.map((c) => c.model), ["gpt-4o-mini", "gpt-4o-mini"]);
  // And after the evaluation, a graph run outside its scope is not metered by the judge's handler.
  const again = new PerformanceCallbackHandler();
  await graph.invoke({ text: "hello there" }, { callbacks: [again] });
  assert.equal(again.metrics.totals.llmCalls, 2);
  assert.equal(cost.calls.length, 1);
});

Deno.test("autoevals scorers through fromAutoevals: { input, output, expected } -> { key, score }", async () => {
  const record = await evaluateRun(
    [fromAutoevals(Levenshtein), fromAutoevals(ExactMatch, { key: "exact" })],
    { inputs: { q: "capital of Peru" }, outputs: "Lima", referenceOutputs: "Lime" },
  );
  assert.deepEqual(record.scores.map((s) => [s.key, s.score, s.error]), [
    ["Levenshtein", 0.75, null], // one edit in four characters
    ["exact", 0, null],
  ]);
  // A bare number or boolean takes the key given (or the scorer's name).
  const bare = fromAutoevals(function short({ output }) {
    return String(output).length < 5;
  });
  assert.deepEqual(await bare({ inputs: null, outputs: "Lima" }), {
    key: "short",
    score: true,
    comment: null,
  });
});
