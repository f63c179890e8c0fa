/**
 * What a benchmark records of itself before its first run: the settings `--resume` must match
 * and the report's facts (`BenchmarkMeta`), from the command line and its target.
 *
 * @module
 */
import type { BenchmarkMeta } from "../../benchmark/result/benchmark_result.ts";
import { planRuns, shardRuns } from "../../benchmark/schedule.ts";
import type { NamedEvaluator } from "../../evaluate/evaluator.ts";
import { formatPassRule } from "../../evaluate/passing.ts";
import type { PriceOverrides } from "../../pricing/overrides.ts";
import type { BenchArgs } from "./args.ts";
import type { BenchTarget } from "./bench_target.ts";
import { gitCommit } from "./git_commit.ts";
import type { BenchSettings } from "./settings.ts";

/** A benchmark's facts, as it is stored. */
export interface BenchFacts {
  /** What `--resume` must match. */
  settings: BenchSettings;
  /** The report's facts. */
  meta: BenchmarkMeta;
  /** `INDEX/COUNT` of `--shard`, or null. */
  shard: string | null;
  /** The runs this process plans (its shard's). */
  plannedRuns: number;
}

/**
 * The settings and facts of a benchmark of `target` as the command line asks for it.
 *
 * @param args The command line.
 * @param target What is benchmarked.
 * @param evaluators The evaluators that score its runs.
 * @param priceOverrides The `--prices` table, if any.
 * @returns The facts; `meta.createdAt` is now, `meta.gitCommit` the current folder's commit.
 *
 * @example Usage
 * ```ts
 * import { benchFacts } from "./facts.ts";
 * import { parseBenchArgs } from "./args.ts";
 * import { workloadTarget } from "./workload_target.ts";
 * import { LLM_STAGES } from "../../workload/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const args = parseBenchArgs(["--runs", "3", "--shard", "1/2"], LLM_STAGES);
 * const target = await workloadTarget(args, { out: () => {}, err: () => {} }, () => {}, undefined);
 * const facts = await benchFacts(args, target, [], undefined);
 * assert.equal(facts.shard, "1/2");
 * assert.equal(facts.plannedRuns, 11); // shard 1 of 2 of 7 inputs x 3 repeats
 * assert.equal(facts.settings.repeats, 3);
 * assert.equal(facts.meta.repeats, 3);
 * ```
 */
export async function benchFacts(
  args: BenchArgs,
  target: BenchTarget,
  evaluators: readonly NamedEvaluator[],
  priceOverrides: PriceOverrides | undefined,
): Promise<BenchFacts> {
  const shard = args.shard === null ? null : `${args.shard.index}/${args.shard.count}`;
  const passRules = args.passRules.map(formatPassRule);
  const settings: BenchSettings = {
    ...target.settings,
    prices: args.prices === null ? null : { file: args.prices, table: priceOverrides },
    repeats: args.runs,
    shard,
    ...(args.evaluators.length === 0 ? {} : { evaluators: args.evaluators }),
    defaults: {
      concurrency: args.concurrency,
      maxCostUsd: args.maxCostUsd,
      dailyWords: args.dailyWords,
      timeoutSeconds: args.timeoutSeconds,
      maxRetries: args.maxRetries,
      evaluatorTimeoutSeconds: args.evaluatorTimeoutSeconds,
      passRules,
      runTimeoutSeconds: args.runTimeoutSeconds,
    },
  };
  const evaluatorNote: Record<string, string> = evaluators.length === 0
    ? {}
    : { Evaluators: evaluators.map((evaluator) => evaluator.name).join(", ") };
  const meta: BenchmarkMeta = {
    createdAt: new Date().toISOString(),
    gitCommit: await gitCommit(),
    ...target.meta,
    notes: { ...target.meta.notes, ...evaluatorNote },
    repeats: args.runs,
    concurrency: args.concurrency,
    maxCostUsd: args.maxCostUsd,
    seed: args.seed,
    ...(passRules.length === 0 ? {} : { passRules }),
    ...(args.groupBy === null ? {} : { groupBy: args.groupBy }),
  };
  const plannedRuns = shardRuns(
    planRuns(target.inputs.map((input) => input.id), args.runs),
    args.shard ?? undefined,
  ).length;
  return { settings, meta, shard, plannedRuns };
}
