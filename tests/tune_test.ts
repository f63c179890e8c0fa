/**
 * `tune()` from code, on real LangGraph graphs: knobs the graph never reads are reported and left
 * out (identical runs; models no call asked for), a read knob never is, the budget holds over the
 * whole search, a search whose logs hold its runs makes none again, and a configuration is
 * eliminated only when another dominates it significantly.
 */
import assert from "node:assert/strict";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import type { RunnableConfig } from "@langchain/core/runnables";
import { type ConfigurationLog, tune } from "../tune/mod.ts";
import { memoryRunLog } from "../benchmark/run_log.ts";
import { searchFrontier } from "../tune/search.ts";
import { ScriptedChatModel, usage } from "./support/scripted_chat_model.ts";

const State = Annotation.Root({
  question: Annotation<string>,
  answer: Annotation<string>,
});

/** A one-node graph asking the model `configurable.model` names (or a fixed one). */
function answerGraph(options: { readsModel: boolean; noisy?: boolean }) {
  const models = new Map<string, ScriptedChatModel>();
  const modelOf = (name: string) => {
    let model = models.get(name);
    if (model === undefined) {
      model = new ScriptedChatModel({
        modelName: name,
        replies: [{ text: "ok", usage: usage(1000, 100) }],
      });
      models.set(name, model);
    }
    return model;
  };
  return new StateGraph(State)
    .addNode("respond", async (state, config?: RunnableConfig) => {
      const name = options.readsModel
        ? String(config?.configurable?.model ?? "gpt-4.1-mini").replace(/^openai:/, "")
        : "gpt-4.1-mini";
      const reply = await modelOf(name).invoke(state.question, config);
      // A real model's sampling: the answer varies run to run, whatever the knobs.
      const noise = options.noisy ? ` #${crypto.randomUUID()}` : "";
      return { answer: `${reply.content} (${name})${noise}` };
    })
    .addEdge(START, "respond")
    .addEdge("respond", END)
    .compile();
}

const inputs = Array.from({ length: 12 }, (_, i) => ({
  id: `q${i}`,
  input: { question: `question ${i}` },
}));
const answered = ({ outputs }: { outputs: unknown }) => ({
  key: "answered",
  score: String((outputs as { answer: string }).answer).startsWith("ok"),
});

Deno.test("tune: a knob the graph never reads is reported, left out after its first round, and never searched", async () => {
  const result = await tune({
    graph: answerGraph({ readsModel: true }),
    inputs,
    evaluators: [answered],
    knobs: { model: ["openai:gpt-4.1-mini", "openai:gpt-4.1-nano"], temperature: [0, 0.7] },
  });
  assert.deepEqual(result.unreadKnobs, [{
    key: "temperature",
    values: [0, 0.7],
    evidence: "its 2 values gave identical runs (outputs, LLM calls and tokens) on every one of " +
      "10 inputs",
  }]);
  // Searched: the model only (2 configurations, every input); temperature=0.7's probe: 10 runs.
  assert.deepEqual(result.knobs.map((k) => k.key), ["model"]);
  assert.equal(result.spend.gridRuns, 2 * 12);
  assert.deepEqual(
    result.configurations.map((c) => c.configuration),
    [{ model: "openai:gpt-4.1-mini" }, { model: "openai:gpt-4.1-nano" }],
  );
  assert.equal(result.spend.runs, 12 + 12 + 10);
  // nano: the same answers for a quarter of the price.
  assert.equal(result.recommended?.name, "model=openai:gpt-4.1-nano, temperature=0");
  assert.equal(result.recommended?.comparison.scopes[0].figures[0].verdict, "improved");
});

Deno.test("tune: a model knob none of whose models any call asked for is reported, even when runs vary", async () => {
  const result = await tune({
    graph: answerGraph({ readsModel: false, noisy: true }),
    inputs,
    evaluators: [answered],
    knobs: { model: ["openai:gpt-4.1-nano", "anthropic:claude-haiku-4-5"] },
  });
  assert.equal(result.unreadKnobs.length, 1);
  assert.equal(
    result.unreadKnobs[0].evidence,
    "none of its models (openai:gpt-4.1-nano, anthropic:claude-haiku-4-5) was asked for by any " +
      "LLM call: the calls asked for gpt-4.1-mini whatever its value (configurable.model)",
  );
  assert.equal(result.configurations.length, 0);
  assert.equal(result.recommended, null);
});

Deno.test("tune: a knob that is read is searched, however its runs vary", async () => {
  const result = await tune({
    graph: answerGraph({ readsModel: true, noisy: true }),
    inputs,
    evaluators: [answered],
    knobs: { model: ["openai:gpt-4.1-mini", "openai:gpt-4.1-nano"] },
  });
  assert.deepEqual(result.unreadKnobs, []);
  assert.equal(result.configurations.length, 2);
});

Deno.test("tune: --max-cost holds over the whole search, and the same logs continue it, spending nothing twice", async () => {
  const graph = answerGraph({ readsModel: true });
  const logs = new Map<string, ConfigurationLog>();
  const options = {
    graph,
    inputs,
    evaluators: [answered],
    knobs: { model: ["openai:gpt-4.1-mini", "openai:gpt-4.1-nano", "openai:gpt-4.1"] },
    concurrency: 1,
    logs: (_configuration: unknown, name: string) => {
      if (!logs.has(name)) logs.set(name, memoryRunLog());
      return logs.get(name)!;
    },
  };
  // One call per run: gpt-4.1-mini $0.00056, nano $0.00014, gpt-4.1 $0.0028.
  const budget = 0.012;
  const stopped = await tune({ ...options, maxCostUsd: budget });
  assert.match(stopped.stoppedReason ?? "", /budget of \$0\.012/);
  assert.ok(stopped.spend.costUsd <= budget + 0.0028, `${stopped.spend.costUsd}`);
  assert.equal(stopped.recommended, null);
  const madeFirst = stopped.spend.runs;

  const finished = await tune(options);
  assert.equal(finished.stoppedReason, null);
  assert.equal(finished.spend.runsNow, finished.spend.runs - madeFirst);
  const again = await tune(options);
  assert.equal(again.spend.runsNow, 0);
  assert.deepEqual(again.frontier, finished.frontier);
  assert.equal(again.recommended?.name, finished.recommended?.name);
});

/** A measure callback of fixed per-input scores and costs, for the search alone. */
function fixed(scores: number[][], costs: number[]) {
  return (config: number, count: number) =>
    Promise.resolve(Array.from({ length: count }, (_, i) => ({
      inputId: `i${i}`,
      scores: { q: scores[config][i] },
      costUsd: costs[config],
      wallTimesMs: [1],
      runs: 1,
      failedRuns: 0,
      spentUsd: costs[config],
    })));
}

Deno.test("search: a dearer configuration of the same quality is eliminated only once the inputs rule out a difference", async () => {
  const knobs = [{ key: "model", values: ["dear", "cheap"] }];
  // The same score on every input: with 40 inputs, an unseen difference of 11% of the score
  // range cannot be ruled out (the rule of three); with 600, one above the tie (0.01) can.
  for (const [n, dominated] of [[40, false], [600, true]] as const) {
    const scores = Array.from({ length: n }, (_, i) => (i % 4) / 4);
    const outcome = await searchFrontier({
      knobs,
      baseline: [0],
      inputCount: n,
      measure: fixed([scores, scores], [0.02, 0.01]),
    });
    assert.equal(outcome.configurations[0].status, dominated ? "dominated" : "frontier", `${n}`);
    assert.equal(outcome.configurations[1].status, "frontier");
  }
});

Deno.test("search: noise never eliminates: two configurations of equal quality, one slightly noisier, both stay", async () => {
  const n = 64;
  const knobs = [{ key: "model", values: ["a", "b"] }];
  const a = Array.from({ length: n }, (_, i) => 0.5 + 0.3 * Math.sin(i * 12.9898) % 0.3);
  const b = a.map((value, i) => value + (i % 2 === 0 ? 0.05 : -0.05));
  const outcome = await searchFrontier({
    knobs,
    baseline: [0],
    inputCount: n,
    measure: fixed([a, b], [0.02, 0.019]),
  });
  assert.deepEqual(outcome.configurations.map((c) => c.status), ["frontier", "frontier"]);
});
