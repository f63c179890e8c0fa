/**
 * The frontier picture: every configuration a search ran as a point (its mean cost per run, its
 * mean quality), the frontier's points joined cheapest first with both their 95% intervals as
 * bars, the dominated ones faint, the baseline and the recommended one named. A Vega-Lite
 * specification (rendered to inline SVG by the HTML page). Pure.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { TuneResult } from "./result.ts";

/** How a point is drawn: its role in the search. */
const ROLES = [
  "frontier",
  "frontier, stopped early (off the goal)",
  "dominated",
  "baseline",
  "recommended",
] as const;
const COLORS = ["#4c78a8", "#9ecae9", "#c7c7c7", "#222222", "#e45756"];

/**
 * The frontier picture's specification, or null when no configuration has a quality and a
 * priced cost.
 *
 * @param result What `tune()` returned.
 * @returns The Vega-Lite specification, or null.
 *
 * @example Usage
 * ```ts
 * import { frontierChartSpec } from "./frontier_chart.ts";
 * import type { TuneResult } from "./result.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(frontierChartSpec({ configurations: [], frontier: [] } as unknown as TuneResult), null);
 * ```
 */
export function frontierChartSpec(result: TuneResult): TopLevelSpec | null {
  const onFrontier = new Set(result.frontier);
  const points = result.configurations.flatMap((c) => {
    if (c.quality === null || c.costPerRunUsd === null) return [];
    const role = c.name === result.recommended?.name
      ? "recommended"
      : c.name === result.baseline
      ? "baseline"
      : !onFrontier.has(c.name)
      ? "dominated"
      : c.stoppedBecause === null
      ? "frontier"
      : "frontier, stopped early (off the goal)";
    return [{
      name: c.name,
      role,
      onFrontier: onFrontier.has(c.name),
      label: role === "baseline" || role === "recommended" ? role : "",
      usd: c.costPerRunUsd.value,
      usdLow: c.costPerRunUsd.low,
      usdHigh: c.costPerRunUsd.high,
      quality: c.quality.value,
      qualityLow: c.quality.low,
      qualityHigh: c.quality.high,
      inputs: c.inputs,
    }];
  });
  if (points.length === 0) return null;
  const frontier = points.filter((p) => p.onFrontier).sort((a, b) => a.usd - b.usd);
  // The line joins the frontier's points no other one beats on both means: a staircase.
  let best = -Infinity;
  const staircase = frontier.filter((p) => p.quality > best && (best = p.quality, true));
  const x = {
    field: "usd",
    type: "quantitative",
    title: "cost per run ($, log scale)",
    scale: { type: "log", nice: false, padding: 12 },
    axis: { format: "$.2~g" },
  } as const;
  const y = {
    field: "quality",
    type: "quantitative",
    title: `quality (${result.goal.keys.length === 1 ? result.goal.keys[0] : "mean of the keys"})`,
    scale: { zero: false },
  } as const;
  const color = {
    field: "role",
    type: "nominal",
    title: null,
    scale: { domain: [...ROLES], range: COLORS },
    legend: { orient: "bottom", columns: 2, labelLimit: 360 },
  } as const;
  return {
    title: {
      text: "Quality versus cost per run: the frontier",
      subtitle:
        `${result.configurations.length} configurations run of ${
          result.knobs.reduce((product, k) => product * k.values.length, 1)
        }; the frontier's points with their 95% intervals, the line through those no other ` +
        "beats on both means",
    },
    width: 640,
    height: 380,
    layer: [
      {
        data: { values: staircase },
        mark: { type: "line", color: "#4c78a8", interpolate: "step-after", opacity: 0.7 },
        encoding: { x, y, order: { field: "usd" } },
      },
      {
        data: { values: frontier },
        mark: { type: "rule", color: "#4c78a8", opacity: 0.5 },
        encoding: { x, y: { ...y, field: "qualityLow" }, y2: { field: "qualityHigh" } },
      },
      {
        data: { values: frontier },
        mark: { type: "rule", color: "#4c78a8", opacity: 0.5 },
        encoding: { y, x: { ...x, field: "usdLow" }, x2: { field: "usdHigh" } },
      },
      {
        data: { values: points },
        mark: { type: "circle", size: 55, opacity: 0.9 },
        encoding: { x, y, color },
      },
      {
        data: { values: points.filter((p) => p.role === "baseline") },
        mark: { type: "square", size: 180, opacity: 1 },
        encoding: { x, y, color },
      },
      {
        data: { values: points.filter((p) => p.role === "recommended") },
        mark: { type: "point", shape: "diamond", filled: true, size: 280, opacity: 1 },
        encoding: { x, y, color },
      },
      {
        data: { values: points.filter((p) => p.role === "recommended") },
        mark: { type: "text", align: "right", dx: -10, dy: -10, fontSize: 11, fontWeight: "bold" },
        encoding: { x, y, text: { field: "label" } },
      },
      {
        data: { values: points.filter((p) => p.role === "baseline") },
        mark: { type: "text", align: "left", dx: 10, dy: 12, fontSize: 11 },
        encoding: { x, y, text: { field: "label" } },
      },
    ],
  } as TopLevelSpec;
}
