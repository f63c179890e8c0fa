/**
 * One run's node paths and critical path, from the recorder's raw node executions, calls and tool
 * runs: each call and tool run counts where it was made (its innermost node execution), each
 * execution's time is shared out among the nodes running inside it (`critical_path.ts`), and
 * inclusive figures add up the exclusive ones of each subtree. Runs off the hot path, once per
 * run read, like the rest of `aggregate.ts`.
 *
 * @module
 */
import type { RawCall, RawExecution, RawPath, RawRoot } from "./recorder.ts";
import type { PathMetrics } from "./path_metrics.ts";
import { criticalPath, shareTime, type TimedNode } from "./critical_path.ts";
import {
  addFigures,
  emptyPath,
  freezePaths,
  type MutablePath,
  OTHER,
  parentPath,
  pathSegment,
} from "./_path_figures.ts";
import { orderAndBound } from "./_path_bounds.ts";

/** Stretches a run's critical path keeps at most; the shortest beyond fold into `(other)`. */
export const MAX_CRITICAL_SEGMENTS = 64;

/** A node execution as a timed node, with its place. */
interface ExecutionNode extends TimedNode {
  readonly execution: RawExecution | null;
  readonly children: ExecutionNode[];
}

/** What one run's paths are built from, besides its root. */
export interface RunPathsInput {
  /** Each call's price, in `root.calls` order (null: unpriced). */
  readonly callCosts: readonly (number | null)[];
  /** The run's end (monotonic ms), or now for a run still going. */
  readonly endMs: number;
}

/** One run's paths and critical path. */
export interface RunPaths {
  /** Its node paths, keyed by path, parents first. */
  readonly paths: Readonly<Record<string, PathMetrics>>;
  /** Its critical path, in time order (innermost paths, a repeat in a row once). */
  readonly criticalPath: readonly string[];
}

/** Paths of the recorder's path nodes, joined once (kept beside them, not on them). */
const keys = new WeakMap<RawPath, string>();

/** The path of a raw path node, from its segments. */
function keyOf(path: RawPath): string {
  let key = keys.get(path);
  if (key === undefined) {
    const segment = pathSegment(path.name);
    key = path.parent === null ? segment : `${keyOf(path.parent)}/${segment}`;
    keys.set(path, key);
  }
  return key;
}

/**
 * The call's node path (`research_agent/agent`): its innermost node execution's, else its stage.
 *
 * @param call The raw call.
 * @returns The path.
 */
export function callPath(call: RawCall): string {
  return call.execution === null ? pathSegment(call.stage) : keyOf(call.execution.path);
}

/**
 * One run's node paths and critical path.
 *
 * @param root The raw run.
 * @param input Each call's price and the run's end.
 * @returns Its paths (bounded, frozen) and critical path.
 */
export function runPaths(root: RawRoot, input: RunPathsInput): RunPaths {
  const paths = new Map<string, MutablePath>();
  const pathOf = (raw: RawPath): MutablePath => {
    const key = keyOf(raw);
    let path = paths.get(key);
    if (path === undefined) paths.set(key, path = emptyPath(key, raw.depth));
    return path;
  };
  // Stages first, in the order they first started, so the tree's order is theirs.
  for (const stage of root.stages.values()) {
    if (stage.path !== null) pathOf(stage.path);
    else paths.set(pathSegment(stage.name), emptyPath(pathSegment(stage.name), 1));
  }
  const stagePathOf = (stage: string): MutablePath => {
    const key = pathSegment(stage);
    let path = paths.get(key);
    if (path === undefined) paths.set(key, path = emptyPath(key, 1));
    return path;
  };
  const nodes = executionTree(root, input.endMs);
  for (const node of nodes.all) {
    const execution = node.execution!;
    const path = pathOf(execution.path);
    path.executions += 1; // started ones, as a stage's `executions`
    if (execution.endMs === null) continue; // unfinished: no span, no latency (as a stage's)
    path.latencyMs += execution.endMs - execution.startMs;
    path.executionSpans.push({
      startedAt: root.startedAt + (execution.startMs - root.startMs),
      latencyMs: execution.endMs - execution.startMs,
      failed: execution.failed,
    });
    if (execution.failed) path.exclusive.errors += 1;
  }
  root.calls.forEach((call, index) => {
    const figures = (call.execution ? pathOf(call.execution.path) : stagePathOf(call.stage))
      .exclusive;
    const cost = input.callCosts[index];
    addFigures(figures, {
      timeMs: 0,
      llmCalls: 1,
      llmLatencyMs: Math.max(0, (call.endMs ?? input.endMs) - call.startMs),
      inputTokens: call.usage?.inputTokens ?? 0,
      outputTokens: call.usage?.outputTokens ?? 0,
      costUsd: cost,
      unpricedCalls: cost === null ? 1 : 0,
      toolCalls: 0,
      toolLatencyMs: 0,
      tools: {},
      errors: call.error === null ? 0 : 1,
    });
  });
  for (const tool of root.toolRuns) {
    const path = tool.execution ? pathOf(tool.execution.path) : stagePathOf(tool.stage);
    const latencyMs = Math.max(0, (tool.endMs ?? input.endMs) - tool.startMs);
    const errors = tool.failed ? 1 : 0;
    path.exclusive.toolCalls += 1;
    path.exclusive.toolLatencyMs += latencyMs;
    path.exclusive.errors += errors;
    path.exclusive.tools[tool.name] = (path.exclusive.tools[tool.name] ?? 0) + latencyMs;
    if (tool.endMs !== null) {
      path.toolSpans.push({
        tool: tool.name,
        startedAt: root.startedAt + (tool.startMs - root.startMs),
        latencyMs,
        failed: tool.failed,
      });
    }
  }
  // Time: each finished stage execution's time, shared out among the nodes inside it.
  const shares = new Map<TimedNode, number>();
  for (const top of nodes.run.children) {
    if (top.execution!.endMs !== null) shareTime(top, shares);
  }
  for (const [node, ms] of shares) {
    pathOf((node as ExecutionNode).execution!.path).exclusive.timeMs += ms;
  }
  // The critical path, over every execution (unfinished ones end with the run).
  const critical = criticalPath(nodes.run);
  const onPath = new Set<MutablePath>();
  for (const node of critical.visited) {
    const execution = (node as ExecutionNode).execution;
    if (execution) onPath.add(pathOf(execution.path));
  }
  for (const [node, ms] of critical.exclusiveMs) {
    const execution = (node as ExecutionNode).execution;
    if (execution) pathOf(execution.path).criticalExclusiveMs += ms;
  }
  rollUp(paths, onPath);
  return {
    paths: freezePaths(orderAndBound(paths)),
    criticalPath: segmentsOf(critical.stretches),
  };
}

/** Inclusive figures: each path's exclusive ones plus its children's inclusive ones. */
function rollUp(paths: Map<string, MutablePath>, onPath: ReadonlySet<MutablePath>): void {
  const deepestFirst = [...paths.values()].sort((a, b) => b.depth - a.depth);
  const parents = new Set(deepestFirst.map((path) => parentPath(path.path)));
  for (const path of deepestFirst) {
    // A node with none inside holds the same inclusively: one frozen value serves both.
    if (parents.has(path.path)) addFigures(path.inclusive, path.exclusive);
    else path.inclusive = path.exclusive;
    path.criticalInclusiveMs += path.criticalExclusiveMs;
    if (onPath.has(path)) path.criticalRuns = 1;
    const parentKey = parentPath(path.path);
    const parent = parentKey === null ? undefined : paths.get(parentKey);
    if (parent === undefined) continue;
    addFigures(parent.inclusive, path.inclusive);
    parent.criticalInclusiveMs += path.criticalInclusiveMs;
  }
}

/** The run and its node executions as a tree of timed nodes (unfinished ones end at `endMs`). */
function executionTree(
  root: RawRoot,
  endMs: number,
): { run: ExecutionNode; all: ExecutionNode[] } {
  const runEnd = root.endMs ?? endMs;
  const run: ExecutionNode = {
    startMs: root.startMs,
    endMs: runEnd,
    execution: null,
    children: [],
  };
  const byExecution = new Map<RawExecution, ExecutionNode>();
  const all: ExecutionNode[] = [];
  for (const execution of root.executions) {
    const parent = execution.parent === null ? run : byExecution.get(execution.parent) ?? run;
    const node: ExecutionNode = {
      startMs: execution.startMs,
      endMs: Math.max(execution.startMs, execution.endMs ?? Math.min(parent.endMs, runEnd)),
      execution,
      children: [],
    };
    parent.children.push(node);
    byExecution.set(execution, node);
    all.push(node);
  }
  return { run, all };
}

/**
 * The critical path's stretches as the innermost paths in time order (the graph's own time left
 * out, a repeat in a row once), bounded to {@linkcode MAX_CRITICAL_SEGMENTS}: past that, the
 * longest stretches in time order and one `(other)`.
 */
function segmentsOf(stretches: readonly { node: TimedNode; ms: number }[]): readonly string[] {
  const joined: { path: string; ms: number }[] = [];
  for (const { node, ms } of stretches) {
    const execution = (node as ExecutionNode).execution;
    if (execution === null) continue;
    const path = keyOf(execution.path);
    const last = joined[joined.length - 1];
    if (last?.path === path) last.ms += ms;
    else joined.push({ path, ms });
  }
  if (joined.length <= MAX_CRITICAL_SEGMENTS) return Object.freeze(joined.map((s) => s.path));
  const longest = new Set(
    [...joined].sort((a, b) => b.ms - a.ms).slice(0, MAX_CRITICAL_SEGMENTS - 1),
  );
  return Object.freeze([...joined.filter((s) => longest.has(s)).map((s) => s.path), OTHER]);
}
