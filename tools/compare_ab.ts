/**
 * `compareBenchmarks` of this tree against that of a git ref (default `main`), in one process:
 * first the two must give identical comparisons (deep strict equality, so even -0 and 0 differ)
 * on benchmarks paired by run, by input and unpaired, with failed runs, ties and several seeds;
 * then each size is timed old and new alternately and the medians are printed with their ratio.
 *
 * `deno run --allow-all tools/compare_ab.ts [ref] [rounds] [sizes]`: rounds per size (default 3),
 * sizes as runs a side, comma-separated (default `100,1000,10000`).
 */
import assert from "node:assert/strict";
import { compareBenchmarks, type CompareOptions } from "../compare/compare_benchmarks.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { simulatedBenchmark } from "../tests/support/simulated_benchmark.ts";
import { benchmarkGrower } from "../tests/support/grown_benchmark.ts";
import { exportGitTree } from "./_git_tree.ts";

type Compare = typeof compareBenchmarks;

/** The ref's `compareBenchmarks`, imported from its tree exported to a temporary folder. */
async function compareAt(ref: string): Promise<{ compare: Compare; folder: string }> {
  const folder = await exportGitTree(ref, "graphmeter-ab-");
  // Refs from before the layout move keep compare in benchmarker/compare/compare.ts.
  const moved = `${folder}/compare/compare_benchmarks.ts`;
  const entry = await Deno.stat(moved).then(
    () => moved,
    () => `${folder}/benchmarker/compare/compare.ts`,
  );
  const module = await import(`file://${entry}`);
  return { compare: module.compareBenchmarks as Compare, folder };
}

/** A small seeded generator for the test data (not the bootstrap's). */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const seedRuns = await simulatedBenchmark({ repeats: 1 });
const grow = await benchmarkGrower(seedRuns);

/** Runs with noisy times and costs, a few ties, some failures and some unpriced stages. */
function noisy(n: number, repeats: number, seed: number): RunRecord[] {
  const random = noise(seed);
  return Array.from({ length: n * repeats }, (_, i) => {
    const run = seedRuns[i % seedRuns.length];
    const stages = Object.fromEntries(
      Object.entries(run.metrics.stages).map(([name, stage]) => [name, {
        ...stage,
        latencyMs: Math.round(random() * 50) * 2,
        costUsd: random() < 0.05 ? null : (stage.costUsd ?? 0) * (1 + random()),
        inputTokens: stage.inputTokens + Math.floor(random() * 20),
      }]),
    );
    const failed = random() < 0.1;
    return {
      ...run,
      inputId: `input-${Math.floor(i / repeats)}`,
      repeat: i % repeats,
      error: failed ? "boom" : null,
      metrics: {
        ...run.metrics,
        status: failed ? "error" : "ok",
        wallTimeMs: random() < 0.2 ? 500 : random() * 1000,
        stages,
        totals: { ...run.metrics.totals, costUsd: run.metrics.totals.costUsd! * (1 + random()) },
      },
    } as RunRecord;
  });
}

const ref = Deno.args[0] ?? "main";
const rounds = Number(Deno.args[1] ?? 3);
const sizes = (Deno.args[2] ?? "100,1000,10000").split(",").map(Number);
const { compare: old, folder } = await compareAt(ref);

const cases: [string, RunRecord[], RunRecord[], CompareOptions][] = [
  ["paired by run, 30", noisy(30, 1, 1), noisy(30, 1, 2), {}],
  ["paired by run, 300", noisy(300, 1, 3), noisy(300, 1, 4), { seed: 9 }],
  ["paired by input, 50 x 3 and 50 x 2", noisy(50, 3, 5), noisy(50, 2, 6), {}],
  ["paired by input, 8 x 5 and 8 x 1", noisy(8, 5, 7), noisy(8, 1, 8), { resamples: 999 }],
  [
    "unpaired, 200 and 150",
    noisy(200, 1, 9),
    noisy(150, 1, 10).map((r) => ({
      ...r,
      inputId: `other-${r.inputId}`,
    })),
    { seed: 12345 },
  ],
  ["unpaired, 3 and 1", noisy(3, 1, 11), noisy(1, 1, 12).map((r) => ({ ...r, inputId: "x" })), {}],
  ["the scale benchmark, 1,000", grow(1_000, 1), grow(1_000, 1.05), {}],
];
for (const [name, baseline, candidate, options] of cases) {
  const comparison = compareBenchmarks(baseline, candidate, options);
  assert.deepStrictEqual(comparison, old(baseline, candidate, options), name);
  const verdicts = new Set(comparison.scopes.flatMap((s) => s.figures.map((f) => f.verdict)));
  console.log(`identical: ${name} (pairing ${comparison.pairing}; ${[...verdicts].join(", ")})`);
}

const median = (times: number[]) => times.toSorted((a, b) => a - b)[Math.floor(times.length / 2)];
for (const n of sizes) {
  const baseline = grow(n, 1);
  const candidate = grow(n, 1.05);
  const times = { old: [] as number[], new: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    for (const [side, compare] of [["old", old], ["new", compareBenchmarks]] as const) {
      const started = performance.now();
      compare(baseline, candidate);
      times[side].push(performance.now() - started);
    }
  }
  const [before, after] = [median(times.old), median(times.new)];
  console.log(
    `${n} runs a side: ${ref} ${before.toFixed(0)} ms, this tree ${after.toFixed(0)} ms ` +
      `(medians of ${rounds}, ${(before / after).toFixed(1)}x)`,
  );
}
await Deno.remove(folder, { recursive: true });
