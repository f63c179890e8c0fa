/**
 * The search on a graph whose truth is known (`support/known_quality_graph.ts`): four stages, four
 * models each (256 configurations), noisy per-stage quality and cost. Seeds fixed. The frontier
 * the search returns holds at least 90% of the true frontier, the configuration it recommends
 * meets the goal's constraint in truth, and it made at most 15% of a grid's runs.
 */
import assert from "node:assert/strict";
import { tune } from "../tune/mod.ts";
import { choicesOf, configurationOf } from "../tune/knobs.ts";
import {
  accuracy,
  knownInputs,
  knownQualityGraph,
  MODELS,
  STAGES,
  truth,
} from "./support/known_quality_graph.ts";

const INPUTS = 64;
const SEED = 1;

Deno.test("tune finds the true frontier of 256 configurations with at most 15% of a grid's runs", async () => {
  const data = knownInputs(INPUTS, SEED);
  const indexOf = new Map(data.map((input, i) => [input.id, i]));
  const graph = knownQualityGraph(SEED, (id) => indexOf.get(id)!);
  const knobs = STAGES.map((stage) => ({ key: stage, values: [...MODELS] }));
  const started = performance.now();
  const result = await tune({
    graph,
    inputs: data.map((input) => ({ id: input.id, input: { input } })),
    evaluators: [accuracy],
    knobs,
    baseline: Object.fromEntries(STAGES.map((stage) => [stage, "gpt-4.1-mini"])),
    goal: { kind: "cheapest", maxDrop: 0.02 },
    concurrency: 8,
    seed: SEED,
  });
  const seconds = (performance.now() - started) / 1000;

  // The truth, exactly: every configuration's mean accuracy and cost per run on these inputs.
  const all = Array.from({ length: 256 }, (_, index) => {
    const configuration = configurationOf(knobs, choicesOf(knobs, index));
    return {
      name: STAGES.map((stage) => `${stage}=${configuration[stage]}`).join(", "),
      ...truth(choicesOf(knobs, index), data),
    };
  });
  const dominated = (x: typeof all[number]) =>
    all.some((y) =>
      y !== x && y.accuracy >= x.accuracy && y.costUsd <= x.costUsd &&
      (y.accuracy > x.accuracy || y.costUsd < x.costUsd)
    );
  const trueFrontier = all.filter((x) => !dominated(x));
  const returned = new Set(result.frontier);
  const found = trueFrontier.filter((x) => returned.has(x.name));
  const share = found.length / trueFrontier.length;
  const runShare = result.spend.runs / result.spend.gridRuns;

  const base = all.find((x) => x.name === result.baseline)!;
  const recommended = all.find((x) => x.name === result.recommended?.name)!;
  const feasible = all.filter((x) => x.accuracy >= base.accuracy - 0.02)
    .sort((a, b) => a.costUsd - b.costUsd);
  console.log(
    `true frontier ${trueFrontier.length} configurations; returned ${returned.size}, holding ` +
      `${found.length} (${(share * 100).toFixed(1)}%); runs ${result.spend.runs} of a grid's ` +
      `${result.spend.gridRuns} (${(runShare * 100).toFixed(1)}%), $${
        result.spend.costUsd.toFixed(4)
      } of ` +
      `about $${
        result.spend.gridCostUsd?.toFixed(4)
      }; ${result.configurations.length} configurations run; ` +
      `recommended ${recommended.name}: true accuracy ${
        recommended.accuracy.toFixed(4)
      } (baseline ` +
      `${base.accuracy.toFixed(4)}), $${recommended.costUsd.toFixed(5)} per run; the true answer ` +
      `${feasible[0].name} at $${feasible[0].costUsd.toFixed(5)}; ${seconds.toFixed(1)} s`,
  );
  assert.ok(share >= 0.9, `the frontier holds ${found.length} of ${trueFrontier.length}`);
  assert.ok(runShare <= 0.15, `${result.spend.runs} runs of ${result.spend.gridRuns}`);
  assert.ok(
    recommended.accuracy >= base.accuracy - 0.02,
    "the recommended meets the goal in truth",
  );
  assert.ok(recommended.costUsd < base.costUsd, "and is cheaper than the baseline");
  assert.equal(result.unreadKnobs.length, 0);
});
