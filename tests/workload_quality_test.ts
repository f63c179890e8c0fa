/**
 * The bundled workload's quality: reference trees written against the transcripts, evaluators
 * of the tree a run builds, and the simulated model's quality profile (a small model errs at
 * simulated rates; its calls report the clean answer's tokens; other models answer as before).
 */
import assert from "node:assert/strict";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import {
  buildTranscriptTreeGraph,
  buildTranscriptTreeInput,
  loadReferenceTrees,
  loadTranscripts,
  qualityProfileFor,
  SimulatedChatModel,
  simulatedModelFor,
  TRANSCRIPT_IDS,
  TREE_EVALUATORS,
} from "../workload/mod.ts";
import { termsFound } from "../workload/reference_tree.ts";
import { contentWords } from "../workload/text.ts";
import { relationshipAnalysisPrompt } from "../workload/prompts/relationship_analysis.ts";
import { runBenchmark } from "../benchmark/runner.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { compareBenchmarks } from "../compare/compare_benchmarks.ts";
import type { NamedEvaluator } from "../evaluate/evaluator.ts";

const transcripts = await loadTranscripts();
const references = await loadReferenceTrees(TRANSCRIPT_IDS);

Deno.test("reference trees: every key term is a word of its transcript, every topic is spoken of", () => {
  assert.equal(references.length, 7);
  references.forEach((tree, index) => {
    const spoken = new Set(contentWords(transcripts[index].text));
    assert.equal(tree.transcript, transcripts[index].id);
    assert.ok(tree.topics.length >= 9, tree.transcript);
    assert.ok(tree.topics.filter((t) => t.parent !== null).length >= 4, tree.transcript);
    for (const topic of tree.topics) {
      for (const term of topic.terms) {
        const words = contentWords(term);
        assert.ok(
          words.length > 0 && words.every((w) => spoken.has(w)),
          `${tree.transcript}: ${term}`,
        );
      }
      assert.ok(
        termsFound(topic, transcripts[index].text).enough,
        `${tree.transcript}: ${topic.topic}`,
      );
    }
  });
});

Deno.test("simulated quality profile: small tiers err, others answer as written", () => {
  assert.deepEqual(qualityProfileFor("gpt-4.1-nano"), {
    dropRelationshipRate: 0.3,
    misplaceNodeRate: 0.15,
    malformedRate: 0.08,
  });
  for (
    const model of [
      "gpt-4.1-mini",
      "gpt-4.1",
      "gpt-4o-mini",
      "claude-haiku-4-5",
      "gemini-2.5-flash",
    ]
  ) {
    assert.equal(qualityProfileFor(model).dropRelationshipRate, 0, model);
  }
  assert.equal(qualityProfileFor("gemini-2.5-flash-lite").misplaceNodeRate, 0.15);
  // gpt-4.1-mini "by model" is the model as it always was: same answers, same usage.
  const plain = new SimulatedChatModel({ model: "gpt-4.1-mini", seed: 3, timeScale: 0 });
  const byModel = new SimulatedChatModel({
    model: "gpt-4.1-mini",
    seed: 3,
    timeScale: 0,
    mistakes: "by-model",
  });
  assert.deepEqual(byModel.behaviour, plain.behaviour);
});

Deno.test("a mistake changes what an answer says, never what the call reports", async () => {
  const tree = "- Release Date | The release moves to Friday. | parent: none\n" +
    "- Budget Review | The budget review is due. | parent: none";
  const chunks = [
    { name: "Friday Release", text: "The release on Friday needs QA sign-off.", is_complete: true },
    {
      name: "Budget Numbers",
      text: "The budget numbers for the review are late.",
      is_complete: true,
    },
    {
      name: "Release Notes",
      text: "Release notes for Friday go out with the release.",
      is_complete: true,
    },
  ];
  const { system, user } = relationshipAnalysisPrompt({ treeSummary: tree, chunks });
  const messages = [new SystemMessage(system), new HumanMessage(user)];
  const clean = new SimulatedChatModel({ model: "gpt-4.1-nano", seed: 0, timeScale: 0 });
  const answers = [];
  // Every chunk related, every one dropped: the text differs, the usage does not.
  const erring = new SimulatedChatModel({
    model: "gpt-4.1-nano",
    seed: 0,
    timeScale: 0,
    mistakes: { dropRelationshipRate: 1 },
  });
  for (const model of [clean, erring]) answers.push(await model.invoke(messages));
  const [given, wrong] = answers.map((a) => JSON.parse(a.text).analyses);
  assert.ok(
    given.every((a: { relevant_node_name: string }) => a.relevant_node_name !== "NO_RELEVANT_NODE"),
  );
  assert.ok(
    wrong.every((a: { relevant_node_name: string }) => a.relevant_node_name === "NO_RELEVANT_NODE"),
  );
  assert.notEqual(answers[0].text, answers[1].text);
  assert.deepEqual(answers[1].usage_metadata, answers[0].usage_metadata);
  // A malformed answer is cut short, and still reports the clean answer's tokens.
  const truncating = new SimulatedChatModel({
    model: "gpt-4.1-nano",
    timeScale: 0,
    mistakes: { malformedRate: 1 },
  });
  const cut = await truncating.invoke(messages);
  assert.throws(() => JSON.parse(cut.text));
  assert.deepEqual(cut.usage_metadata, answers[0].usage_metadata);
});

/** The bundled workload over every transcript, relationship analysis on `model`, scored. */
async function bundled(model: string, seed: number): Promise<RunRecord[]> {
  const make = (name: string) =>
    new SimulatedChatModel({ model: name, seed, timeScale: 0, mistakes: "by-model" });
  const mini = make("gpt-4.1-mini");
  const graph = buildTranscriptTreeGraph({
    segmentation: mini,
    relationship_analysis: model === "gpt-4.1-mini" ? mini : make(model),
    integration_decision: mini,
  });
  const { records } = await runBenchmark({
    graph,
    inputs: transcripts.map((t, index) => ({
      id: t.id,
      input: buildTranscriptTreeInput(t.text, { id: t.id }),
      referenceOutputs: references[index],
    })),
    concurrency: 4,
    evaluators: TREE_EVALUATORS as unknown as NamedEvaluator[],
  });
  return records;
}

Deno.test("relationship analysis on the simulated nano: the stage costs a quarter, quality regresses", async () => {
  const mini = await bundled("gpt-4.1-mini", 1);
  const nano = await bundled("gpt-4.1-nano", 1);
  const comparison = compareBenchmarks(mini, nano);
  const quality = Object.fromEntries(comparison.quality.map((q) => [q.key, q]));
  assert.deepEqual(Object.keys(quality), [
    "topic_recall",
    "relationship_accuracy",
    "transcript_coverage",
    "valid_json",
  ]);
  // gpt-4.1-nano is a quarter of gpt-4.1-mini ($0.10/$0.025/$0.40 vs $0.40/$0.10/$1.60); the
  // stage's tokens differ only as nano's answers change what later prompts carry.
  const stage = comparison.scopes.find((s) => s.stage === "relationship_analysis")!.figures[0];
  assert.equal(stage.verdict, "improved");
  assert.ok(Math.abs(stage.relativeDelta! + 0.75) < 0.02, `${stage.relativeDelta}`);
  // Its malformed answers fail runs' valid_json and lose windows' text; both regress.
  assert.equal(quality.valid_json.baseline, 1);
  assert.equal(quality.valid_json.verdict, "regressed");
  assert.equal(quality.transcript_coverage.verdict, "regressed");
  assert.ok(quality.relationship_accuracy.candidate! < quality.relationship_accuracy.baseline!);
  // The same benchmark twice: no change on any key.
  const again = compareBenchmarks(mini, await bundled("gpt-4.1-mini", 1));
  for (const q of again.quality) {
    assert.equal(q.delta, 0, q.key);
    assert.equal(q.verdict, "no significant change", q.key);
  }
});

Deno.test("a run's configurable may name a stage's model (a knob a search can vary)", async () => {
  const mini = new SimulatedChatModel({ model: "gpt-4.1-mini", seed: 2, timeScale: 0 });
  const graph = buildTranscriptTreeGraph(
    { segmentation: mini, relationship_analysis: mini, integration_decision: mini },
    { modelFor: simulatedModelFor({ seed: 2, timeScale: 0 }) },
  );
  const [standup] = transcripts.filter((t) => t.id === "standup");
  const input = buildTranscriptTreeInput(standup.text, { id: "standup" });
  input.windows = input.windows.slice(0, 3);
  const { records } = await runBenchmark({
    graph,
    inputs: [{ id: "standup", input }],
    repeats: 2,
    config: (run) => ({
      configurable: run.repeat === 0 ? {} : { relationship_analysis: "simulated:gpt-4.1-nano" },
    }),
  });
  const models = (
    record: RunRecord,
    stage: string,
  ) => [...new Set(record.metrics.calls.filter((c) => c.stage === stage).map((c) => c.model))];
  assert.deepEqual(models(records[0], "relationship_analysis"), ["gpt-4.1-mini"]);
  assert.deepEqual(models(records[1], "relationship_analysis"), ["gpt-4.1-nano"]);
  assert.deepEqual(models(records[1], "segmentation"), ["gpt-4.1-mini"]);
});
