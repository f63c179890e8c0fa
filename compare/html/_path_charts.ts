/**
 * The node path pictures of `report.html`, as Vega-Lite specifications (rendered to SVG by
 * `_vega.ts`, like the other charts): an icicle of the stages and the nodes inside them, each as
 * wide as its inclusive time (or cost) per run, inside its parent; and the critical path's share
 * of wall time per node path. Pure functions of the path aggregates.
 *
 * @module
 */
import type { PathAggregate } from "../../benchmark/result/path_aggregates.ts";
import type { TopLevelSpec } from "./_vega.ts";

const WIDTH = 860;
/** Levels the icicle draws at most (deeper nodes are inside the last level's boxes). */
export const ICICLE_DEPTH = 6;

/** What an icicle's widths measure. */
export type IcicleMeasure = "time" | "cost";

/** One box of the icicle. */
interface IcicleBox {
  path: string;
  name: string;
  level: string;
  stage: string;
  x0: number;
  x1: number;
  value: number;
  label: string;
}

function valueOf(path: PathAggregate, measure: IcicleMeasure, runs: number): number {
  const figures = path.inclusive;
  return Math.max(0, (measure === "time" ? figures.timeMs : figures.costUsd ?? 0) / runs);
}

/** The parent of a path (`a/b` -> `a`), or null for a stage. */
function parentOf(path: string): string | null {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? null : path.slice(0, slash);
}

/**
 * The boxes of an icicle: stages side by side, each node inside its parent's box (from its left
 * edge, in order), as wide as its inclusive value; what is left of a parent's box is its own.
 */
export function icicleBoxes(
  paths: readonly PathAggregate[],
  measure: IcicleMeasure,
  runs: number,
): IcicleBox[] {
  const boxes: IcicleBox[] = [];
  const nextX = new Map<string | null, number>(); // where a parent's next child starts
  const total = paths.filter((p) => p.depth === 1)
    .reduce((sum, p) => sum + valueOf(p, measure, runs), 0);
  for (const path of paths) {
    if (path.depth > ICICLE_DEPTH) continue;
    const value = valueOf(path, measure, runs);
    const parent = parentOf(path.path);
    const x0 = nextX.get(parent) ?? (parent === null ? 0 : undefined);
    if (x0 === undefined) continue; // its parent was not drawn
    const x1 = x0 + value;
    nextX.set(parent, x1);
    nextX.set(path.path, x0);
    const name = path.path.slice(path.path.lastIndexOf("/") + 1);
    boxes.push({
      path: path.path,
      name,
      level: `level ${path.depth}`,
      stage: path.path.split("/")[0],
      x0,
      x1,
      value,
      // A label only where it fits (about 7 px a character at this width).
      label: total > 0 && ((x1 - x0) / total) * WIDTH > 7 * Math.min(name.length, 24) + 8
        ? name.slice(0, 24)
        : "",
    });
  }
  return boxes;
}

/**
 * An icicle of the node paths: one row per level, each box as wide as its inclusive time (or
 * cost) per successful run, inside its parent's box.
 *
 * @param paths The path aggregates, parents first.
 * @param measure What the widths measure.
 * @param runs The successful runs the sums are over.
 * @returns The specification.
 */
export function icicleSpec(
  paths: readonly PathAggregate[],
  measure: IcicleMeasure,
  runs: number,
): TopLevelSpec {
  const values = icicleBoxes(paths, measure, Math.max(1, runs));
  const levels = new Set(values.map((box) => box.level)).size;
  const unit = measure === "time" ? "ms per run" : "$ per run";
  const x = {
    field: "x0",
    type: "quantitative",
    title: `${measure === "time" ? "inclusive time" : "inclusive cost"}, ${unit}`,
    axis: measure === "time" ? { format: ",.0f" } : { format: "$.2~g" },
  };
  const y = { field: "level", type: "ordinal", title: null, sort: "ascending" };
  return {
    title: measure === "time"
      ? "Inside the stages: where each run's time went (inclusive, per run)"
      : "Inside the stages: where each run's money went (inclusive, per run)",
    width: WIDTH,
    height: 34 * Math.max(1, levels),
    data: { values },
    layer: [
      {
        mark: { type: "rect", stroke: "white", strokeWidth: 1 },
        encoding: {
          x,
          x2: { field: "x1" },
          y,
          color: {
            field: "stage",
            type: "nominal",
            title: "stage",
            scale: { scheme: "tableau20" },
            legend: null, // the boxes are labelled where they fit; the tooltip names each
          },
          tooltip: [{ field: "path" }, {
            field: "value",
            format: measure === "time" ? ",.1f" : "$.3~g",
          }],
        },
      },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 11, color: "white" },
        encoding: { x, y, text: { field: "label" } },
      },
    ],
  } as TopLevelSpec;
}

/**
 * The critical path's share of wall time per node path (the top `top`), as bars, with how many
 * runs it was on.
 *
 * @param paths The path aggregates.
 * @param runs The successful runs.
 * @param top Bars at most.
 * @returns The specification.
 */
export function criticalPathSpec(
  paths: readonly PathAggregate[],
  runs: number,
  top = 15,
): TopLevelSpec {
  const values = paths.filter((p) => p.criticalRuns > 0)
    .sort((a, b) => b.criticalShare - a.criticalShare).slice(0, top)
    .map((p) => ({
      path: p.path,
      share: p.criticalShare,
      runs: `${p.criticalRuns} of ${runs} runs`,
    }));
  return {
    title: "Critical path: share of the runs' wall time held by each node path",
    width: 560,
    data: { values },
    mark: { type: "bar", color: "#e45756" },
    encoding: {
      y: { field: "path", type: "nominal", sort: null, title: null },
      x: {
        field: "share",
        type: "quantitative",
        title: "share of wall time on the critical path",
        axis: { format: ".0%" },
        scale: { domain: [0, 1] },
      },
      tooltip: [{ field: "path" }, { field: "share", format: ".1%" }, { field: "runs" }],
    },
  } as TopLevelSpec;
}
