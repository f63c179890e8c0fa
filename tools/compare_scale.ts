/**
 * How long `compareBenchmarks` takes as benchmarks grow (2,000 resamples, 5 scopes x 8 figures):
 * `deno run --allow-all tools/compare_scale.ts`. Runs are copies of a small simulated benchmark
 * with spread wall times, paired by input and repeat.
 */
import { compareBenchmarks } from "../compare/compare_benchmarks.ts";
import { benchmarkGrower } from "../tests/support/grown_benchmark.ts";

const grow = await benchmarkGrower();
for (const n of [100, 1_000, 10_000]) {
  const baseline = grow(n, 1);
  const candidate = grow(n, 1.05);
  compareBenchmarks(baseline.slice(0, 50), candidate.slice(0, 50)); // warm up
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    compareBenchmarks(baseline, candidate);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(`${n} runs a side: median ${times[1].toFixed(0)} ms of 3`);
}
