/**
 * Large benchmarks for timing `compareBenchmarks`: copies of a small simulated benchmark with
 * spread wall times, paired by input and repeat.
 *
 * @module
 */
import type { RunRecord } from "../../benchmark/run_record.ts";
import { simulatedBenchmark } from "./simulated_benchmark.ts";

/** A grower of benchmarks from one simulated benchmark's runs. */
export type GrowBenchmark = (n: number, scale: number) => RunRecord[];

/**
 * A function that makes `n` runs of a small benchmark (simulated once, unless its runs are given),
 * the i-th with a wall time of `(100 + (i * 7919) % 1000) * scale` ms.
 */
export async function benchmarkGrower(
  seedRuns?: readonly RunRecord[],
): Promise<GrowBenchmark> {
  const runs = seedRuns ?? await simulatedBenchmark({ repeats: 1 });
  return (n, scale) =>
    Array.from({ length: n }, (_, i) => {
      const run = runs[i % runs.length];
      return {
        ...run,
        repeat: i,
        metrics: { ...run.metrics, wallTimeMs: (100 + (i * 7919) % 1000) * scale },
      };
    });
}
