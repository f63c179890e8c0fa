/**
 * Summarizes the runs' quality records (whatever numeric measures the workload's quality
 * function returns) measure by measure.
 *
 * @module
 */
import type { QualitySummary } from "./benchmark_aggregates.ts";
import type { RunRecord } from "../run_record.ts";

/**
 * Summarizes each quality measure over the runs that have it: total, mean per run, min and max.
 *
 * @param records The runs (typically the successful ones).
 * @returns One summary per measure, in the order measures first appear.
 *
 * @example Usage
 * ```ts
 * import { summarizeQuality } from "./quality_summary.ts";
 * import type { RunRecord } from "../run_record.ts";
 * import assert from "node:assert/strict";
 *
 * const records = [{ quality: { nodesCreated: 3 } }, { quality: { nodesCreated: 5 } }];
 * const [summary] = summarizeQuality(records as unknown as RunRecord[]);
 * assert.deepEqual(summary, { name: "nodesCreated", runs: 2, total: 8, mean: 4, min: 3, max: 5 });
 * ```
 */
export function summarizeQuality(records: readonly RunRecord[]): QualitySummary[] {
  const values = new Map<string, number[]>();
  for (const record of records) {
    for (const [name, value] of Object.entries(record.quality ?? {})) {
      if (!Number.isFinite(value)) continue;
      values.set(name, [...(values.get(name) ?? []), value]);
    }
  }
  return [...values].map(([name, list]) => {
    const total = list.reduce((sum, value) => sum + value, 0);
    return {
      name,
      runs: list.length,
      total,
      mean: total / list.length,
      min: Math.min(...list),
      max: Math.max(...list),
    };
  });
}
