/**
 * Node paths kept within bounds and in order: at most {@linkcode MAX_PATHS} paths,
 * {@linkcode MAX_PATH_DEPTH} levels and {@linkcode MAX_TOOL_NAMES} tool names, the rest folded
 * into `(other)` so every sum stays exact; parents first, siblings in first-seen order.
 *
 * @module
 */
import {
  addFigures,
  emptyPath,
  MAX_PATH_DEPTH,
  MAX_PATHS,
  MAX_TOOL_NAMES,
  type MutableFigures,
  type MutablePath,
  OTHER,
  parentPath,
} from "./_path_figures.ts";

/** Keeps a figures' tool table within {@linkcode MAX_TOOL_NAMES}, the rest as `(other)`. */
function boundTools(figures: MutableFigures): void {
  const names = Object.keys(figures.tools);
  if (names.length <= MAX_TOOL_NAMES) return;
  const ranked = names.sort((a, b) => figures.tools[b] - figures.tools[a]);
  const tools: Record<string, number> = {};
  ranked.forEach((name, rank) => {
    const kept = rank < MAX_TOOL_NAMES - 1 ? name : OTHER;
    tools[kept] = (tools[kept] ?? 0) + figures.tools[name];
  });
  figures.tools = tools;
}

/** Folds `source`'s whole subtree (its inclusive sums) into the `(other)` path `other`. */
function foldInto(other: MutablePath, source: MutablePath): void {
  other.executions += source.executions;
  other.latencyMs += source.latencyMs;
  addFigures(other.exclusive, source.inclusive);
  addFigures(other.inclusive, source.inclusive);
  // Within one run, "on the critical path" is 0 or 1; folded across runs it is a lower bound.
  other.criticalRuns = Math.max(other.criticalRuns, source.criticalRuns);
  other.criticalExclusiveMs += source.criticalInclusiveMs;
  other.criticalInclusiveMs += source.criticalInclusiveMs;
}

/**
 * Orders paths parents first, siblings in the order given, and bounds them: paths past
 * {@linkcode MAX_PATH_DEPTH} levels fold into their deepest kept ancestor's `(other)`; past
 * {@linkcode MAX_PATHS} paths, the stages and then the paths that held the most inclusive time are
 * kept (with their ancestors) and each parent's rest folds into its `(other)`. Inclusive figures must be
 * complete; sums stay exact (an `(other)` path holds its folded subtrees' inclusive figures).
 *
 * @param paths The paths, keyed by path, in first-seen order.
 * @returns The kept paths, ordered.
 */
export function orderAndBound(paths: ReadonlyMap<string, MutablePath>): MutablePath[] {
  const children = new Map<string | null, MutablePath[]>();
  for (const path of paths.values()) {
    const parent = parentPath(path.path);
    const list = children.get(parent);
    if (list) list.push(path);
    else children.set(parent, [path]);
  }
  const ordered: MutablePath[] = [];
  const visit = (parent: string | null) => {
    for (const child of children.get(parent) ?? []) {
      ordered.push(child);
      visit(child.path);
    }
  };
  visit(null);
  // A path whose parent is missing (merged from an older bound) still shows, at the end.
  if (ordered.length < paths.size) {
    const seen = new Set(ordered);
    for (const path of paths.values()) {
      if (!seen.has(path)) ordered.push(path);
    }
  }
  const deep = ordered.some((path) => path.depth > MAX_PATH_DEPTH);
  const bounded = deep ? foldDeep(ordered) : ordered;
  const kept = bounded.length > MAX_PATHS ? foldSmallest(bounded) : bounded;
  for (const path of kept) {
    boundTools(path.exclusive);
    boundTools(path.inclusive);
  }
  return kept;
}

/** Folds every path deeper than the bound into its ancestor's `(other)` path. */
function foldDeep(ordered: readonly MutablePath[]): MutablePath[] {
  const kept: MutablePath[] = [];
  const others = new Map<string, MutablePath>();
  for (const path of ordered) {
    if (path.depth <= MAX_PATH_DEPTH) {
      kept.push(path);
      continue;
    }
    if (path.depth !== MAX_PATH_DEPTH + 1) continue; // inside a subtree folded whole
    const parent = parentPath(path.path) ?? "";
    let other = others.get(parent);
    if (other === undefined) {
      other = emptyPath(`${parent}/${OTHER}`, MAX_PATH_DEPTH + 1);
      others.set(parent, other);
      kept.push(other);
    }
    foldInto(other, path);
  }
  return reorder(kept);
}

/** Keeps the named paths that held the most time (with their ancestors); folds the rest. */
function foldSmallest(ordered: readonly MutablePath[]): MutablePath[] {
  // Each kept parent may need an `(other)`: keep at most half the bound named.
  const budget = Math.floor((MAX_PATHS - 1) / 2);
  const byPath = new Map(ordered.map((path) => [path.path, path]));
  // Stages first (the stage table names each), then by time held.
  const ranked = [...ordered].sort((a, b) =>
    (a.depth === 1 ? 0 : 1) - (b.depth === 1 ? 0 : 1) || b.inclusive.timeMs - a.inclusive.timeMs
  );
  const keep = new Set<string>();
  for (const path of ranked) {
    const chain: string[] = [];
    for (let p: string | null = path.path; p !== null && !keep.has(p); p = parentPath(p)) {
      chain.push(p);
    }
    if (keep.size + chain.length > budget) continue;
    for (const p of chain) keep.add(p);
  }
  const kept: MutablePath[] = [];
  const others = new Map<string, MutablePath>();
  for (const path of ordered) {
    if (keep.has(path.path)) {
      kept.push(path);
      continue;
    }
    const parent = parentPath(path.path);
    if (parent !== null && !keep.has(parent)) continue; // inside a subtree folded whole
    const key = parent === null ? OTHER : `${parent}/${OTHER}`;
    let other = others.get(key);
    if (other === undefined) {
      // An `(other)` path kept from an earlier bound takes the rest too.
      const existing = keep.has(key) ? byPath.get(key) : undefined;
      other = existing ?? emptyPath(key, path.depth);
      others.set(key, other);
      if (existing === undefined) kept.push(other);
    }
    foldInto(other, path);
  }
  return reorder(kept);
}

/** Puts paths back in parents-first order after `(other)` paths were appended. */
function reorder(paths: readonly MutablePath[]): MutablePath[] {
  const children = new Map<string | null, MutablePath[]>();
  for (const path of paths) {
    const parent = parentPath(path.path);
    const list = children.get(parent);
    if (list) list.push(path);
    else children.set(parent, [path]);
  }
  const ordered: MutablePath[] = [];
  const visit = (parent: string | null) => {
    for (const child of children.get(parent) ?? []) {
      ordered.push(child);
      visit(child.path);
    }
  };
  visit(null);
  return ordered;
}
