/**
 * `deno run --allow-all tools/tune_seeds.ts [seeds] [inputs]`: the search on the graph of known
 * truth (`tests/support/known_quality_graph.ts`: four stages × four models, 256 configurations)
 * for several seeds, each a new dataset and new noise. Per seed: how much of the true frontier
 * the returned frontier holds, its size, the runs against a grid's, whether the recommended
 * configuration meets the goal in truth, and — for scale — what a grid measuring every
 * configuration on every input would say by the same elimination rule (computed from the same
 * draws, without running it). The figures of `docs/tune.md`.
 *
 * @module
 */
import { tune } from "../tune/mod.ts";
import { choicesOf, configurationOf } from "../tune/knobs.ts";
import { dominates, NO_MARGINS } from "../tune/dominance.ts";
import { DEFAULT_ELIMINATION_CONFIDENCE, DEFAULT_QUALITY_TIE } from "../tune/search.ts";
import {
  accuracy,
  knownInputs,
  knownQualityGraph,
  knownRun,
  MODELS,
  STAGES,
  truth,
} from "../tests/support/known_quality_graph.ts";

const seeds = Number(Deno.args[0] ?? 5);
const inputCount = Number(Deno.args[1] ?? 64);
const knobs = STAGES.map((stage) => ({ key: stage, values: [...MODELS] }));
const nameOf = (index: number) => {
  const configuration = configurationOf(knobs, choicesOf(knobs, index));
  return STAGES.map((stage) => `${stage}=${configuration[stage]}`).join(", ");
};

/** What a grid of every configuration on every input keeps by the search's elimination rule. */
function gridFrontier(data: ReturnType<typeof knownInputs>, seed: number): Set<string> {
  const vectors = Array.from({ length: 256 }, (_, index) => {
    const choices = choicesOf(knobs, index);
    const runs = data.map((input, i) => knownRun(choices, input, i, 0, seed));
    const quality = Float64Array.from(runs, (r) => r.accuracy);
    return {
      index,
      vectors: { quality, keys: [quality], costUsd: Float64Array.from(runs, (r) => r.costUsd) },
      quality: quality.reduce((a, b) => a + b) / runs.length,
      costUsd: runs.reduce((a, r) => a + r.costUsd, 0) / runs.length,
    };
  });
  const all = vectors.flatMap((v) => [...v.vectors.quality]);
  const rule = {
    confidence: DEFAULT_ELIMINATION_CONFIDENCE,
    resamples: 2000,
    qualityTie: DEFAULT_QUALITY_TIE,
    qualityRange: Math.max(...all) - Math.min(...all),
  };
  return new Set(
    vectors.filter((x) =>
      !vectors.some((y) =>
        y !== x && y.quality >= x.quality - rule.qualityTie && y.costUsd <= x.costUsd &&
        dominates(y.vectors, x.vectors, data.length, NO_MARGINS, rule, 7)
      )
    ).map((x) => nameOf(x.index)),
  );
}

console.log(
  "| Seed | True frontier | Returned | Holds | Runs (share of the grid's) | Recommended meets the goal in truth | Grid by the same rule: kept, holds |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (let seed = 1; seed <= seeds; seed++) {
  const data = knownInputs(inputCount, seed);
  const indexOf = new Map(data.map((input, i) => [input.id, i]));
  const result = await tune({
    graph: knownQualityGraph(seed, (id) => indexOf.get(id)!),
    inputs: data.map((input) => ({ id: input.id, input: { input } })),
    evaluators: [accuracy],
    knobs,
    baseline: Object.fromEntries(STAGES.map((stage) => [stage, "gpt-4.1-mini"])),
    goal: { kind: "cheapest", maxDrop: 0.02 },
    concurrency: 8,
    seed,
  });
  const all = Array.from({ length: 256 }, (_, index) => ({
    name: nameOf(index),
    ...truth(choicesOf(knobs, index), data),
  }));
  const trueFrontier = all.filter((x) =>
    !all.some((y) =>
      y !== x && y.accuracy >= x.accuracy && y.costUsd <= x.costUsd &&
      (y.accuracy > x.accuracy || y.costUsd < x.costUsd)
    )
  );
  const returned = new Set(result.frontier);
  const held = trueFrontier.filter((x) => returned.has(x.name)).length;
  const base = all.find((x) => x.name === result.baseline)!;
  const recommended = all.find((x) => x.name === result.recommended?.name);
  const meets = recommended !== undefined && recommended.accuracy >= base.accuracy - 0.02;
  const grid = gridFrontier(data, seed);
  const gridHeld = trueFrontier.filter((x) => grid.has(x.name)).length;
  console.log(
    `| ${seed} | ${trueFrontier.length} | ${returned.size} | ${held} (${
      (100 * held / trueFrontier.length).toFixed(1)
    }%) | ${result.spend.runs} of ${result.spend.gridRuns} (${
      (100 * result.spend.runs / result.spend.gridRuns).toFixed(1)
    }%) | ${meets ? "yes" : "no"} (${
      recommended === undefined
        ? "none"
        : `−${(100 * (1 - recommended.costUsd / base.costUsd)).toFixed(1)}% cost`
    }) | ${grid.size}, ${gridHeld} (${(100 * gridHeld / trueFrontier.length).toFixed(1)}%) |`,
  );
}
