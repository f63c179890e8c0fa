/**
 * A benchmark's runs broken down by one key: a dataset example's metadata (LangSmith's
 * `dataset_split`, a difficulty, a language) or an attribution key the handler recorded
 * (`user_id`, `tenant_id`), so a report shows what each group costs, how fast it runs and how
 * well it scores.
 *
 * @module
 */
import { isSuccessfulRun, type RunRecord } from "../run_record.ts";
import type { GroupAggregate, GroupBreakdown } from "./benchmark_result.ts";

/** The group of runs that have no value for the key. */
export const NO_GROUP = "(none)";

/** Keys read under another name too: `split` is LangSmith's `dataset_split`. */
const ALIASES: Readonly<Record<string, string>> = { split: "dataset_split" };

function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value === "" ? null : value;
  if (Array.isArray(value)) {
    const parts = value.map(textOf).filter((part): part is string => part !== null);
    return parts.length === 0 ? null : parts.join(", ");
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * A run's value of a key: from its input's metadata (the key, or what it stands for: `split` ->
 * `dataset_split`), else from the attribution keys its handler recorded; a list is joined.
 *
 * @param record The run.
 * @param key The key.
 * @returns The value, or {@linkcode NO_GROUP}.
 *
 * @example Usage
 * ```ts
 * import { groupValueOf } from "./groups.ts";
 * import type { RunRecord } from "../run_record.ts";
 * import assert from "node:assert/strict";
 *
 * const record = {
 *   inputMetadata: { dataset_split: ["test"] },
 *   metrics: { attributes: { user_id: "u-1" } },
 * } as unknown as RunRecord;
 * assert.equal(groupValueOf(record, "split"), "test");
 * assert.equal(groupValueOf(record, "user_id"), "u-1");
 * assert.equal(groupValueOf(record, "tenant_id"), "(none)");
 * ```
 */
export function groupValueOf(record: RunRecord, key: string): string {
  const metadata = record.inputMetadata;
  const alias = ALIASES[key];
  return textOf(metadata?.[key]) ?? (alias === undefined ? null : textOf(metadata?.[alias])) ??
    textOf(record.metrics.attributes?.[key]) ?? NO_GROUP;
}

/** The nearest-rank percentile of values sorted in increasing order. */
function nearestRank(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function aggregateGroup(value: string, records: readonly RunRecord[]): GroupAggregate {
  const ok = records.filter(isSuccessfulRun);
  const times = ok.map((r) => r.metrics.wallTimeMs).sort((a, b) => a - b);
  let pricedUsd = 0;
  let llmCalls = 0;
  let pricedCalls = 0;
  for (const record of ok) {
    const totals = record.metrics.totals;
    llmCalls += totals.llmCalls;
    pricedCalls += totals.llmCalls - totals.unpricedCalls;
    pricedUsd += totals.costUsd ?? 0;
  }
  // Unknown is never zero: no successful run, or calls none of which could be priced.
  const costUsd = ok.length === 0 || (llmCalls > 0 && pricedCalls === 0) ? null : pricedUsd;
  const sums = new Map<string, { total: number; runs: number }>();
  const add = (name: string, score: number) => {
    const sum = sums.get(name) ?? { total: 0, runs: 0 };
    sums.set(name, { total: sum.total + score, runs: sum.runs + 1 });
  };
  for (const record of ok) {
    for (const [name, score] of Object.entries(record.quality ?? {})) add(name, score);
    // Evaluator scores (a boolean as 1 or 0: its mean is the pass rate); an unscored key is left out.
    for (const score of record.evaluation?.scores ?? []) {
      if (score.score !== null) add(score.key, score.score);
    }
  }
  return {
    value,
    runs: records.length,
    failedRuns: records.length - ok.length,
    llmCalls,
    costUsd,
    costPerRunUsd: costUsd === null || ok.length === 0 ? null : costUsd / ok.length,
    wallTimeP50Ms: times.length === 0 ? null : nearestRank(times, 0.5),
    wallTimeP95Ms: times.length === 0 ? null : nearestRank(times, 0.95),
    quality: Object.fromEntries([...sums].map(([name, { total, runs }]) => [name, total / runs])),
  };
}

/**
 * Breaks runs down by one key.
 *
 * @param records The runs.
 * @param key The key (`split`, `user_id`, any metadata key).
 * @returns The groups, in value order, `(none)` last.
 *
 * @example Usage
 * ```ts
 * import { groupRuns } from "./groups.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(groupRuns([], "split"), { key: "split", groups: [] });
 * ```
 */
export function groupRuns(records: readonly RunRecord[], key: string): GroupBreakdown {
  const byValue = new Map<string, RunRecord[]>();
  for (const record of records) {
    const value = groupValueOf(record, key);
    const group = byValue.get(value);
    if (group) group.push(record);
    else byValue.set(value, [record]);
  }
  const values = [...byValue.keys()].sort((a, b) =>
    a === NO_GROUP ? 1 : b === NO_GROUP ? -1 : a < b ? -1 : a > b ? 1 : 0
  );
  return { key, groups: values.map((value) => aggregateGroup(value, byValue.get(value)!)) };
}
