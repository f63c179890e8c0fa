/**
 * The report's charts as Vega-Lite specifications, data inline: pure functions of the runs (or of
 * a comparison, or of a history), rendered to SVG by `_vega.ts`.
 *
 * @module
 */
import type { StageAggregate } from "../../benchmark/result/benchmark_aggregates.ts";
import { isSuccessfulRun, type RunRecord } from "../../benchmark/run_record.ts";
import type { Comparison } from "../compare_benchmarks.ts";
import type { Figure } from "../figures.ts";
import type { TopLevelSpec } from "./_vega.ts";
import type { HistoryPoint } from "../history_points.ts";

const WIDTH = 560;
const stageAxis = { field: "stage", type: "nominal", sort: null, title: null } as const;

/** Cost per run of each stage, as bars. */
export function stageCostSpec(stages: readonly StageAggregate[]): TopLevelSpec {
  return {
    title: "Cost per run by stage (US dollars)",
    width: WIDTH,
    data: { values: stages.map((s) => ({ stage: s.stage, usd: s.costPerRunUsd ?? 0 })) },
    mark: { type: "bar", color: "#4c78a8" },
    encoding: {
      y: stageAxis,
      x: { field: "usd", type: "quantitative", title: "$ per run", axis: { format: "$.2~g" } },
      tooltip: [{ field: "stage" }, { field: "usd", format: "$.3~g" }],
    },
  } as TopLevelSpec;
}

/** p50 and p95 latency of each stage, as paired bars. */
export function stageLatencySpec(stages: readonly StageAggregate[]): TopLevelSpec {
  const values = stages.flatMap((s) => [
    { stage: s.stage, percentile: "p50", ms: s.latencyP50Ms },
    { stage: s.stage, percentile: "p95", ms: s.latencyP95Ms },
  ]);
  return {
    title: "Stage latency per run, p50 and p95 (ms)",
    width: WIDTH,
    data: { values },
    mark: "bar",
    encoding: {
      y: stageAxis,
      yOffset: { field: "percentile", type: "nominal" },
      x: { field: "ms", type: "quantitative", title: "milliseconds" },
      color: { field: "percentile", type: "nominal", scale: { range: ["#72b7b2", "#e45756"] } },
    },
  } as TopLevelSpec;
}

/** Each stage's per-run latency over the successful runs, as box plots (min to max). */
export function latencyDistributionSpec(records: readonly RunRecord[]): TopLevelSpec {
  const values = records.filter(isSuccessfulRun).flatMap((record) =>
    Object.entries(record.metrics.stages).map(([stage, row]) => ({ stage, ms: row.latencyMs }))
  );
  return {
    title: "Latency distribution per stage, over runs (ms)",
    width: WIDTH,
    data: { values },
    mark: { type: "boxplot", extent: "min-max", color: "#54a24b" },
    encoding: {
      y: stageAxis,
      x: { field: "ms", type: "quantitative", title: "milliseconds per run" },
    },
  } as TopLevelSpec;
}

/** One run's stage executions on a time line from the run's start. */
export function waterfallSpec(record: RunRecord): TopLevelSpec {
  const spans = Object.entries(record.metrics.stages).flatMap(([stage, row]) =>
    row.executionSpans.map((span) => ({ stage, span }))
  );
  const start = Math.min(record.metrics.startedAt, ...spans.map(({ span }) => span.startedAt));
  const values = spans
    .sort((a, b) => a.span.startedAt - b.span.startedAt)
    .map(({ stage, span }) => ({
      stage,
      startMs: span.startedAt - start,
      endMs: span.startedAt - start + Math.max(span.latencyMs, 0.5),
      ms: span.latencyMs,
      outcome: span.failed ? "failed" : "ok",
    }));
  return {
    title: `Slowest run's waterfall (${record.inputId}, repeat ${record.repeat})`,
    width: WIDTH,
    data: { values },
    mark: "bar",
    encoding: {
      y: stageAxis,
      x: { field: "startMs", type: "quantitative", title: "ms since the run started" },
      x2: { field: "endMs" },
      color: {
        field: "outcome",
        type: "nominal",
        scale: { domain: ["ok", "failed"], range: ["#4c78a8", "#e45756"] },
      },
      tooltip: [{ field: "stage" }, { field: "ms", format: ".1f" }],
    },
  } as TopLevelSpec;
}

/** Cost per run by stage and model (from the calls; by stage alone when none were stored). */
export function costBreakdownSpec(records: readonly RunRecord[]): TopLevelSpec {
  const sums = new Map<string, { stage: string; model: string; usd: number }>();
  const add = (stage: string, model: string, usd: number | null) => {
    const key = JSON.stringify([stage, model]);
    const entry = sums.get(key) ?? { stage, model, usd: 0 };
    entry.usd += (usd ?? 0) / Math.max(1, records.length);
    sums.set(key, entry);
  };
  for (const record of records) {
    if (record.metrics.calls.length > 0) {
      for (const call of record.metrics.calls) add(call.stage, call.model, call.costUsd);
    } else {
      for (const [stage, row] of Object.entries(record.metrics.stages)) {
        if (row.llmCalls > 0) add(stage, "(all models)", row.costUsd);
      }
    }
  }
  return {
    title: "Cost breakdown: $ per run by stage and model",
    width: WIDTH,
    data: { values: [...sums.values()] },
    mark: "bar",
    encoding: {
      y: stageAxis,
      x: { field: "usd", type: "quantitative", stack: "zero", title: "$ per run" },
      color: { field: "model", type: "nominal", title: "model" },
      tooltip: [{ field: "stage" }, { field: "model" }, { field: "usd", format: "$.3~g" }],
    },
  } as TopLevelSpec;
}

/** One figure's relative change per scope, with its 95% interval, colored by verdict. */
export function comparisonSpec(comparison: Comparison, figure: Figure): TopLevelSpec {
  const values = comparison.scopes.flatMap((scope) => {
    const f = scope.figures.find((x) => x.figure === figure);
    if (!f || f.delta === null || f.interval === null || !f.baseline) return [];
    // Node paths inside the stages only where they changed: there may be hundreds.
    const changed = f.verdict === "regressed" || f.verdict === "improved";
    if (scope.depth !== undefined && !changed) return [];
    return [{
      stage: scope.stage ?? "(whole pipeline)",
      change: (f.delta / f.baseline) * 100,
      low: (f.interval[0] / f.baseline) * 100,
      high: (f.interval[1] / f.baseline) * 100,
      verdict: f.verdict,
    }];
  });
  const y = stageAxis;
  const x = { type: "quantitative", title: "% change, candidate vs baseline" } as const;
  return {
    title: `${figure === "cost" ? "Cost per run" : "p95 latency"}: change with 95% interval`,
    width: WIDTH,
    data: { values },
    layer: [
      { mark: { type: "rule", color: "#888" }, encoding: { x: { datum: 0, ...x } } },
      {
        mark: "rule",
        encoding: { y, x: { field: "low", ...x }, x2: { field: "high" } },
      },
      {
        mark: { type: "point", filled: true, size: 70 },
        encoding: {
          y,
          x: { field: "change", ...x },
          color: {
            field: "verdict",
            type: "nominal",
            scale: {
              domain: ["improved", "no significant change", "regressed"],
              range: ["#54a24b", "#9d9d9d", "#e45756"],
            },
          },
        },
      },
    ],
  } as TopLevelSpec;
}

/**
 * Quality versus cost: for each evaluator key, each side of a comparison as one point (its mean
 * cost per run, its mean score) with both its 95% intervals as bars; one panel per key. Null
 * when there is nothing to draw (no key scored on both sides, or no priced cost).
 */
export function qualityCostSpec(comparison: Comparison): TopLevelSpec | null {
  const sides = [
    { name: `baseline: ${comparison.baseline.label}`, side: comparison.baseline, at: "baseline" },
    {
      name: `candidate: ${comparison.candidate.label}`,
      side: comparison.candidate,
      at: "candidate",
    },
  ] as const;
  const values = comparison.quality.flatMap((q) =>
    sides.flatMap(({ name, side, at }) => {
      const score = q[at];
      const interval = at === "baseline" ? q.baselineInterval : q.candidateInterval;
      const cost = side.costPerRunUsd;
      if (score === null || interval === null || cost === null) return [];
      return [{
        key: q.key,
        side: name,
        usd: cost.value,
        usdLow: cost.low,
        usdHigh: cost.high,
        score,
        scoreLow: interval[0],
        scoreHigh: interval[1],
      }];
    })
  );
  if (values.length === 0) return null;
  const color = {
    field: "side",
    type: "nominal",
    title: null,
    scale: { domain: sides.map((s) => s.name), range: ["#4c78a8", "#e45756"] },
    legend: { orient: "top", labelLimit: 420 },
  } as const;
  const x = {
    field: "usd",
    type: "quantitative",
    title: "$ per run",
    scale: { zero: false },
    axis: { format: "$.2~g" },
  } as const;
  const y = {
    field: "score",
    type: "quantitative",
    title: "mean score",
    scale: { zero: false },
  } as const;
  return {
    title: {
      text: "Quality versus cost per run",
      subtitle: "each side: its mean cost and mean score (a pass rate for true/false keys), " +
        "with their 95% intervals",
    },
    data: { values },
    facet: {
      field: "key",
      type: "nominal",
      title: null,
      sort: comparison.quality.map((q) => q.key),
      header: { labelFontSize: 13, labelFontWeight: "bold" },
    },
    columns: 2,
    resolve: { scale: { x: "independent", y: "independent" } },
    spec: {
      width: 250,
      height: 190,
      layer: [
        {
          mark: { type: "rule", strokeWidth: 2 },
          encoding: { x, y: { ...y, field: "scoreLow" }, y2: { field: "scoreHigh" }, color },
        },
        {
          mark: { type: "rule", strokeWidth: 2 },
          encoding: { y, x: { ...x, field: "usdLow" }, x2: { field: "usdHigh" }, color },
        },
        {
          mark: { type: "point", filled: true, size: 110, opacity: 1 },
          encoding: {
            x,
            y,
            color,
            tooltip: [
              { field: "side" },
              { field: "usd", format: "$.3~g" },
              { field: "score", format: ".3f" },
            ],
          },
        },
      ],
    },
  } as TopLevelSpec;
}

/** Cost per run, p95 wall time and each key's mean score over the benchmarks, oldest first. */
export function historySpec(points: readonly HistoryPoint[]): TopLevelSpec {
  const values = points.map((p, index) => ({
    benchmark: `${index + 1}. ${p.label}${p.commit ? ` @${p.commit.slice(0, 7)}` : ""}`,
    usd: p.costPerRunUsd,
    ms: p.p95Ms,
  }));
  const x = { field: "benchmark", type: "nominal", sort: null, title: null } as const;
  const line = (field: string, title: string, color: string, format: string) => ({
    width: WIDTH,
    height: 160,
    title,
    mark: { type: "line", point: true, color },
    encoding: {
      x,
      y: { field, type: "quantitative", title: null, axis: { format } },
    },
  });
  const scores = points.flatMap((p, index) =>
    Object.entries(p.quality ?? {}).flatMap(([key, mean]) =>
      mean === null ? [] : [{ benchmark: values[index].benchmark, key, mean }]
    )
  );
  const quality = scores.length === 0 ? [] : [{
    width: WIDTH,
    height: 160,
    title: "Quality: mean score per evaluator key",
    data: { values: scores },
    mark: { type: "line", point: true },
    encoding: {
      x,
      y: { field: "mean", type: "quantitative", title: null },
      color: { field: "key", type: "nominal", title: "key" },
    },
  }];
  return {
    data: { values },
    vconcat: [
      line("usd", "Cost per run (US dollars)", "#4c78a8", "$.2~g"),
      line("ms", "p95 wall time (ms)", "#e45756", ",.0f"),
      ...quality,
    ],
  } as TopLevelSpec;
}
