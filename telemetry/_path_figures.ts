/**
 * Node path figures while they are summed: zero, add, merge by path, path segments, freeze; and
 * the bounds (`_path_bounds.ts` keeps them). Shared by one run's tree (`paths.ts`) and merges of
 * runs (`aggregate.ts`).
 *
 * @module
 */
import type { ExecutionSpan } from "./metrics.ts";
import type { PathFigures, PathMetrics, ToolSpan } from "./path_metrics.ts";

/** Paths a metrics value keeps at most (a graph with more folds the rest into `(other)`). */
export const MAX_PATHS = 500;
/** Levels a path keeps at most; deeper nodes fold into their ancestor's `(other)`. */
export const MAX_PATH_DEPTH = 16;
/** Tool names a path's figures keep at most; the rest are summed as `(other)`. */
export const MAX_TOOL_NAMES = 50;
/** A node name longer than this is cut (`…` and a hash of the whole name). */
export const MAX_NAME_CHARS = 100;
/** The name of what is folded together. */
export const OTHER = "(other)";

/** {@linkcode PathFigures} while summed. */
export type MutableFigures =
  & { -readonly [K in Exclude<keyof PathFigures, "tools">]: PathFigures[K] }
  & { tools: Record<string, number> };

/** {@linkcode PathMetrics} while summed. */
export type MutablePath =
  & {
    -readonly [
      K in Exclude<keyof PathMetrics, "exclusive" | "inclusive" | "executionSpans" | "toolSpans">
    ]: PathMetrics[K];
  }
  & {
    exclusive: MutableFigures;
    inclusive: MutableFigures;
    executionSpans: ExecutionSpan[];
    toolSpans: ToolSpan[];
  };

/** Figures at zero. */
export function emptyFigures(): MutableFigures {
  return {
    timeMs: 0,
    llmCalls: 0,
    llmLatencyMs: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    unpricedCalls: 0,
    toolCalls: 0,
    toolLatencyMs: 0,
    tools: {},
    errors: 0,
  };
}

/** A path record at zero. */
export function emptyPath(path: string, depth: number): MutablePath {
  return {
    path,
    depth,
    executions: 0,
    latencyMs: 0,
    exclusive: emptyFigures(),
    inclusive: emptyFigures(),
    criticalRuns: 0,
    criticalExclusiveMs: 0,
    criticalInclusiveMs: 0,
    executionSpans: [],
    toolSpans: [],
  };
}

/**
 * Adds figures into others, in place. The cost follows telemetry's one rule: null means "calls
 * were made and none was priced", never $0.
 */
export function addFigures(target: MutableFigures, source: PathFigures): void {
  if (source.llmCalls > 0) {
    if (source.costUsd !== null) target.costUsd = (target.costUsd ?? 0) + source.costUsd;
    else if (target.llmCalls === 0) target.costUsd = null;
  }
  target.timeMs += source.timeMs;
  target.llmCalls += source.llmCalls;
  target.llmLatencyMs += source.llmLatencyMs;
  target.inputTokens += source.inputTokens;
  target.outputTokens += source.outputTokens;
  target.unpricedCalls += source.unpricedCalls;
  target.toolCalls += source.toolCalls;
  target.toolLatencyMs += source.toolLatencyMs;
  target.errors += source.errors;
  for (const [name, ms] of Object.entries(source.tools)) {
    target.tools[name] = (target.tools[name] ?? 0) + ms;
  }
}

/** Adds a path's sums (not its spans) into another's, in place. */
export function addPath(target: MutablePath, source: PathMetrics): void {
  target.executions += source.executions;
  target.latencyMs += source.latencyMs;
  addFigures(target.exclusive, source.exclusive);
  addFigures(target.inclusive, source.inclusive);
  target.criticalRuns += source.criticalRuns;
  target.criticalExclusiveMs += source.criticalExclusiveMs;
  target.criticalInclusiveMs += source.criticalInclusiveMs;
}

/**
 * A node name as one segment of a path: `%` and `/` percent-encoded (so `/` only ever separates
 * segments), cut past {@linkcode MAX_NAME_CHARS} characters with `…` and a hash of the whole name.
 *
 * @param name The node's name.
 * @returns The segment.
 *
 * @example Usage
 * ```ts
 * import { pathSegment } from "./_path_figures.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(pathSegment("a/b"), "a%2Fb");
 * assert.equal(pathSegment("x".repeat(10_000)).length, 100);
 * ```
 */
export function pathSegment(name: string): string {
  const escaped = name.replace(/[%/]/g, (char) => char === "%" ? "%25" : "%2F");
  if (escaped.length <= MAX_NAME_CHARS) return escaped;
  return `${escaped.slice(0, MAX_NAME_CHARS - 9)}…${fnv1a(name)}`;
}

/** The 32-bit FNV-1a hash of a text, as 8 hex digits (Unicode code units). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/** The parent of a path (`a/b` -> `a`), or null for a stage. */
export function parentPath(path: string): string | null {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? null : path.slice(0, slash);
}

/** Freezes figures. */
function freezeFigures(figures: MutableFigures): PathFigures {
  if (Object.isFrozen(figures)) return figures; // a leaf's exclusive and inclusive are one
  if (Object.keys(figures.tools).length === 0) figures.tools = NO_TOOLS;
  Object.freeze(figures.tools);
  return Object.freeze(figures);
}

/** One frozen empty tool table and span list for every path that has none (most of them). */
const NO_TOOLS: Record<string, number> = Object.freeze({}) as Record<string, number>;
const NO_SPANS: never[] = Object.freeze([]) as never[];

/**
 * The paths as a frozen record keyed by path, in order.
 *
 * @param paths The ordered, bounded paths.
 * @returns The record.
 */
export function freezePaths(paths: readonly MutablePath[]): Readonly<Record<string, PathMetrics>> {
  const record: Record<string, PathMetrics> = {};
  for (const path of paths) {
    freezeFigures(path.exclusive);
    freezeFigures(path.inclusive);
    for (const span of path.executionSpans) Object.freeze(span);
    for (const span of path.toolSpans) Object.freeze(span);
    if (path.executionSpans.length === 0) path.executionSpans = NO_SPANS;
    if (path.toolSpans.length === 0) path.toolSpans = NO_SPANS;
    Object.freeze(path.executionSpans);
    Object.freeze(path.toolSpans);
    record[path.path] = Object.freeze(path);
  }
  return Object.freeze(record);
}

/**
 * Merges several runs' paths by path (spans left out: they belong to one run).
 *
 * @param runs Each run's paths.
 * @param into The running sums (modified), by path in first-seen order.
 */
export function mergePaths(
  runs: Iterable<Readonly<Record<string, PathMetrics>> | undefined>,
  into: Map<string, MutablePath>,
): void {
  for (const paths of runs) {
    for (const path of Object.values(paths ?? {})) {
      let merged = into.get(path.path);
      if (merged === undefined) into.set(path.path, merged = emptyPath(path.path, path.depth));
      addPath(merged, path);
    }
  }
}

/** An independent copy of merged path sums (spans are never kept in merges). */
export function clonePaths(paths: ReadonlyMap<string, MutablePath>): Map<string, MutablePath> {
  const copy = new Map<string, MutablePath>();
  for (const [key, path] of paths) {
    const clone = emptyPath(path.path, path.depth);
    addPath(clone, path as PathMetrics);
    copy.set(key, clone);
  }
  return copy;
}
