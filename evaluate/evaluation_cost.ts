/**
 * What evaluating a benchmark cost (pure): its evaluators' own LLM calls summed, in all and per
 * evaluator, by telemetry's rule (a cost is null when calls were made and none was priced). Never
 * part of the pipeline's cost per run.
 *
 * @module
 */
import { z } from "zod";
import { addTotals, emptyTotals, type MutableTotals } from "../telemetry/aggregate.ts";
import type { MetricsSchema } from "../telemetry/metrics.ts";
import type { SameKeys } from "../pricing/_same_keys.ts";
import type { EvaluatorCost } from "./score_record.ts";

const count = z.number().int().nonnegative();
const usd = z.number().nonnegative().nullable();

/** The zod schema of {@linkcode EvaluatorCostSummary}. */
export const evaluatorCostSummarySchema = z.object({
  evaluator: z.string(),
  llmCalls: count,
  inputTokens: count,
  outputTokens: count,
  costUsd: usd,
  unpricedCalls: count,
});

/** One evaluator's calls over a benchmark. */
export interface EvaluatorCostSummary {
  /** The evaluator's name. */
  readonly evaluator: string;
  /** LLM calls it made. */
  readonly llmCalls: number;
  /** Their input tokens (cached included). */
  readonly inputTokens: number;
  /** Their output tokens. */
  readonly outputTokens: number;
  /** Their priced cost; null when none could be priced. */
  readonly costUsd: number | null;
  /** Calls that could not be priced (not in `costUsd`). */
  readonly unpricedCalls: number;
}

/** The zod schema of {@linkcode EvaluationCostSummary}. */
export const evaluationCostSummarySchema = z.object({
  evaluatedRuns: count,
  llmCalls: count,
  inputTokens: count,
  outputTokens: count,
  costUsd: usd,
  costPerRunUsd: usd,
  unpricedCalls: count,
  evaluators: z.array(evaluatorCostSummarySchema),
});

/** What a benchmark's evaluators' LLM calls cost, apart from the pipeline's. */
export interface EvaluationCostSummary {
  /** Runs evaluated. */
  readonly evaluatedRuns: number;
  /** LLM calls the evaluators made. */
  readonly llmCalls: number;
  /** Their input tokens (cached included). */
  readonly inputTokens: number;
  /** Their output tokens. */
  readonly outputTokens: number;
  /** Their priced cost; null when calls were made and none was priced. */
  readonly costUsd: number | null;
  /** `costUsd` per evaluated run, or null. */
  readonly costPerRunUsd: number | null;
  /** Calls that could not be priced (not in `costUsd`). */
  readonly unpricedCalls: number;
  /** Per evaluator that made calls, in the order they first did. */
  readonly evaluators: readonly EvaluatorCostSummary[];
}

/**
 * Validates an evaluation cost summary.
 *
 * @example Usage
 * ```ts
 * import { EvaluationCostSummary, summarizeEvaluationCost } from "./evaluation_cost.ts";
 * import assert from "node:assert/strict";
 *
 * const summary = summarizeEvaluationCost([{ costs: [] }]);
 * assert.deepEqual(EvaluationCostSummary.parse(summary), summary);
 * ```
 */
export const EvaluationCostSummary: MetricsSchema<EvaluationCostSummary> =
  evaluationCostSummarySchema;

const _sameFields: [
  SameKeys<EvaluatorCostSummary, z.infer<typeof evaluatorCostSummarySchema>>,
  SameKeys<EvaluationCostSummary, z.infer<typeof evaluationCostSummarySchema>>,
] = [true, true];

function costOf(totals: MutableTotals): number | null {
  return totals.llmCalls === 0 ? 0 : totals.costUsd;
}

/**
 * Sums the evaluators' calls over the evaluated runs.
 *
 * @param runs The evaluated runs' evaluator costs.
 * @returns The sums, in all and per evaluator.
 *
 * @example Usage
 * ```ts
 * import { summarizeEvaluationCost } from "./evaluation_cost.ts";
 * import assert from "node:assert/strict";
 *
 * const summary = summarizeEvaluationCost([{ costs: [] }, { costs: [] }]);
 * assert.equal(summary.evaluatedRuns, 2);
 * assert.equal(summary.costUsd, 0);
 * assert.equal(summary.costPerRunUsd, 0);
 * ```
 */
export function summarizeEvaluationCost(
  runs: readonly { readonly costs: readonly EvaluatorCost[] }[],
): EvaluationCostSummary {
  const all = emptyTotals();
  const byEvaluator = new Map<string, MutableTotals>();
  for (const run of runs) {
    for (const cost of run.costs) {
      addTotals(all, cost.totals);
      const totals = byEvaluator.get(cost.evaluator) ?? emptyTotals();
      addTotals(totals, cost.totals);
      byEvaluator.set(cost.evaluator, totals);
    }
  }
  const costUsd = costOf(all);
  return {
    evaluatedRuns: runs.length,
    llmCalls: all.llmCalls,
    inputTokens: all.inputTokens,
    outputTokens: all.outputTokens,
    costUsd,
    costPerRunUsd: costUsd === null || runs.length === 0 ? null : costUsd / runs.length,
    unpricedCalls: all.unpricedCalls,
    evaluators: [...byEvaluator].map(([evaluator, totals]) => ({
      evaluator,
      llmCalls: totals.llmCalls,
      inputTokens: totals.inputTokens,
      outputTokens: totals.outputTokens,
      costUsd: costOf(totals),
      unpricedCalls: totals.unpricedCalls,
    })),
  };
}
