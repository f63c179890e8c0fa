/**
 * Checks the node path tree of a metrics value holds together: every path's inclusive figures are
 * its exclusive ones plus its children's inclusive ones, the stages' inclusive figures are the
 * stages' own, and the top-level paths add up to the run's totals.
 */
import assert from "node:assert/strict";
import type { PipelineMetrics } from "../../telemetry/metrics.ts";
import type { PathFigures, PathMetrics } from "../../telemetry/path_metrics.ts";
import { pathSegment } from "../../telemetry/_path_figures.ts";

/** Float sums in another order may differ in the last bits; everything else is exact. */
export function assertClose(actual: number | null, expected: number | null, what: string): void {
  if (actual === null || expected === null) {
    assert.equal(actual, expected, what);
    return;
  }
  const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} != ${expected}`);
}

const COUNTS = [
  "llmCalls",
  "inputTokens",
  "outputTokens",
  "unpricedCalls",
  "toolCalls",
  "errors",
] as const;
const TIMES = ["timeMs", "llmLatencyMs", "toolLatencyMs"] as const;

/** The children of a path (one level down). */
export function childrenOf(metrics: PipelineMetrics, path: string): PathMetrics[] {
  return Object.values(metrics.paths ?? {}).filter((candidate) =>
    candidate.path.startsWith(`${path}/`) && candidate.depth === path.split("/").length + 1
  );
}

/** `figures` equal the sum of `parts`, field by field (exact counts, floats to the last bits). */
export function assertSum(figures: PathFigures, parts: readonly PathFigures[], what: string): void {
  for (const field of COUNTS) {
    assert.equal(
      figures[field],
      parts.reduce((sum, part) => sum + part[field], 0),
      `${what} ${field}`,
    );
  }
  for (const field of TIMES) {
    assertClose(
      figures[field],
      parts.reduce((sum, part) => sum + part[field], 0),
      `${what} ${field}`,
    );
  }
  const priced = parts.filter((part) => part.llmCalls > 0);
  const cost = priced.length === 0
    ? 0
    : priced.every((part) => part.costUsd === null)
    ? null
    : priced.reduce((sum, part) => sum + (part.costUsd ?? 0), 0);
  assertClose(figures.costUsd, cost, `${what} costUsd`);
  const tools = new Map<string, number>();
  for (const part of parts) {
    for (const [name, ms] of Object.entries(part.tools)) {
      tools.set(name, (tools.get(name) ?? 0) + ms);
    }
  }
  assert.deepEqual(Object.keys(figures.tools).sort(), [...tools.keys()].sort(), `${what} tools`);
  for (const [name, ms] of tools) assertClose(figures.tools[name], ms, `${what} tools.${name}`);
}

/**
 * Checks the tree: inclusive = exclusive + children's inclusive for every path; each stage's
 * inclusive figures equal the stage's own (time = latency, calls, tokens, cost, tool runs); the
 * stages add up to the totals.
 */
export function assertTreeAddsUp(metrics: PipelineMetrics): void {
  const paths = Object.values(metrics.paths ?? {});
  for (const path of paths) {
    const children = childrenOf(metrics, path.path);
    assertSum(path.inclusive, [path.exclusive, ...children.map((c) => c.inclusive)], path.path);
    assertClose(
      path.criticalInclusiveMs,
      children.reduce((sum, c) => sum + c.criticalInclusiveMs, path.criticalExclusiveMs),
      `${path.path} criticalInclusiveMs`,
    );
  }
  const stages = paths.filter((path) => path.depth === 1);
  // A stage's path is its name as a path segment (escaped, cut past 100 characters).
  const stageOf = new Map(Object.values(metrics.stages).map((s) => [pathSegment(s.name), s]));
  assert.ok(
    stages.length === stageOf.size && stages.every((s) => stageOf.has(s.path)),
    "one top-level path per stage",
  );
  for (const path of stages) {
    const stage = stageOf.get(path.path)!;
    assert.equal(path.executions, stage.executions, `${path.path} executions`);
    assertClose(path.latencyMs, stage.latencyMs, `${path.path} latencyMs`);
    if (metrics.runCount === 1) {
      assertClose(path.inclusive.timeMs, stage.latencyMs, `${path.path} time = stage latency`);
    }
    assert.equal(path.inclusive.llmCalls, stage.llmCalls, `${path.path} llmCalls`);
    assert.equal(path.inclusive.inputTokens, stage.inputTokens, `${path.path} inputTokens`);
    assert.equal(path.inclusive.outputTokens, stage.outputTokens, `${path.path} outputTokens`);
    assertClose(path.inclusive.costUsd, stage.costUsd, `${path.path} costUsd`);
    assert.equal(path.inclusive.toolCalls, stage.toolCalls, `${path.path} toolCalls`);
    assertClose(path.inclusive.toolLatencyMs, stage.toolLatencyMs, `${path.path} toolLatencyMs`);
  }
  const top = stages.map((s) => s.inclusive);
  assert.equal(top.reduce((sum, f) => sum + f.llmCalls, 0), metrics.totals.llmCalls);
  assert.equal(top.reduce((sum, f) => sum + f.inputTokens, 0), metrics.totals.inputTokens);
  assert.equal(top.reduce((sum, f) => sum + f.outputTokens, 0), metrics.totals.outputTokens);
  assertClose(
    top.reduce((sum, f) => sum + (f.costUsd ?? 0), 0),
    metrics.totals.costUsd ?? 0,
    "totals costUsd",
  );
}
