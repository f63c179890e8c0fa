/** Grouping a benchmark's runs by a key: values, order, costs that are unknown, quality means. */
import assert from "node:assert/strict";
import { groupRuns, groupValueOf } from "../benchmark/result/groups.ts";
import type { RunRecord } from "../benchmark/run_record.ts";

function record(
  inputId: string,
  options: {
    metadata?: Record<string, unknown>;
    attributes?: Record<string, string>;
    costUsd?: number | null;
    unpricedCalls?: number;
    wallTimeMs?: number;
    error?: string;
    quality?: Record<string, number>;
  },
): RunRecord {
  return {
    inputId,
    repeat: 0,
    inputAmount: null,
    outputSummary: null,
    quality: options.quality ?? null,
    error: options.error ?? null,
    ...(options.metadata ? { inputMetadata: options.metadata } : {}),
    metrics: {
      status: options.error ? "error" : "ok",
      wallTimeMs: options.wallTimeMs ?? 100,
      attributes: options.attributes ?? {},
      totals: {
        llmCalls: 2,
        costUsd: options.costUsd ?? 0.5,
        unpricedCalls: options.unpricedCalls ?? 0,
      },
    },
  } as unknown as RunRecord;
}

Deno.test("a run's group value: metadata first (split is dataset_split), then attribution, lists joined", () => {
  const r = record("a", {
    metadata: { dataset_split: ["base", "test"], lang: 3 },
    attributes: { lang: "x" },
  });
  assert.equal(groupValueOf(r, "split"), "base, test");
  assert.equal(groupValueOf(r, "lang"), "3");
  assert.equal(groupValueOf(record("b", { attributes: { user_id: "u" } }), "user_id"), "u");
  assert.equal(groupValueOf(record("c", { metadata: { split: "" } }), "split"), "(none)");
});

Deno.test("groups: value order with (none) last; costs, failures, wall times and quality means", () => {
  const runs = [
    {
      ...record("a", {
        metadata: { tier: "pro" },
        costUsd: 1,
        wallTimeMs: 300,
        quality: { score: 1 },
      }),
      evaluation: {
        scores: [
          { key: "correct", score: 1, kind: "boolean", comment: null, error: null },
          { key: "judged", score: null, kind: "number", comment: null, error: "timed out" },
        ],
        costs: [],
      },
    } as RunRecord,
    record("b", { metadata: { tier: "free" }, costUsd: 0.25, wallTimeMs: 100 }),
    record("c", { metadata: { tier: "pro" }, costUsd: 3, wallTimeMs: 100, quality: { score: 0 } }),
    record("d", { metadata: { tier: "pro" }, error: "boom", costUsd: 9 }),
    record("e", { costUsd: null, unpricedCalls: 2 }),
  ];
  const { key, groups } = groupRuns(runs, "tier");
  assert.equal(key, "tier");
  assert.deepEqual(groups.map((g) => g.value), ["free", "pro", "(none)"]);
  const pro = groups[1];
  assert.deepEqual(
    [pro.runs, pro.failedRuns, pro.llmCalls, pro.costUsd, pro.costPerRunUsd],
    [3, 1, 4, 4, 2],
  );
  assert.deepEqual([pro.wallTimeP50Ms, pro.wallTimeP95Ms], [100, 300]);
  // The quality function's measures and the evaluators' keys; an unscored key is left out.
  assert.deepEqual(pro.quality, { score: 0.5, correct: 1 });
  // Calls none of which could be priced: unknown, never $0.
  assert.equal(groups[2].costUsd, null);
  assert.equal(groups[2].costPerRunUsd, null);
  // A group of failed runs only: no cost, no wall time.
  const failed = groupRuns([record("x", { metadata: { tier: "t" }, error: "e" })], "tier");
  assert.deepEqual(
    [failed.groups[0].costUsd, failed.groups[0].wallTimeP50Ms, failed.groups[0].failedRuns],
    [null, null, 1],
  );
});
