/**
 * Time in a tree of timed executions (a run, its stage executions, the node executions inside
 * them): who held each instant (the time shares behind exclusive time), and the critical path
 * (the chain of executions the run waited on). Pure functions of intervals; `paths.ts` feeds
 * them a run's node executions.
 *
 * @module
 */

/** An execution with a start, an end and the executions inside it. */
export interface TimedNode {
  /** Start, ms (any clock, the same for the whole tree). */
  readonly startMs: number;
  /** End, ms (≥ `startMs`). */
  readonly endMs: number;
  /** The executions that ran inside it (within its interval). */
  readonly children: readonly TimedNode[];
}

/** A stretch of time with the weight each of its instants carries. */
interface Stretch {
  readonly fromMs: number;
  readonly toMs: number;
  readonly weight: number;
}

/**
 * Shares out an execution's time: each instant goes to the innermost executions running then,
 * split evenly among concurrent ones (Datadog's "execution time" of a span); what falls to an
 * execution itself is its exclusive time. The shares of a tree add up to the top's duration.
 *
 * @param top The execution whose time is shared out.
 * @param into Receives each execution's share, ms (added to what it holds).
 *
 * @example Usage
 * ```ts
 * import { shareTime, type TimedNode } from "./critical_path.ts";
 * import assert from "node:assert/strict";
 *
 * // A node running two tools at once for 40 ms of its 50 ms: each tool holds 20 ms.
 * const a = { startMs: 5, endMs: 45, children: [] };
 * const b = { startMs: 5, endMs: 45, children: [] };
 * const node = { startMs: 0, endMs: 50, children: [a, b] };
 * const shares = new Map<TimedNode, number>();
 * shareTime(node, shares);
 * assert.deepEqual([shares.get(node), shares.get(a), shares.get(b)], [10, 20, 20]);
 * ```
 */
export function shareTime(top: TimedNode, into: Map<TimedNode, number>): void {
  share(top, [{ fromMs: top.startMs, toMs: top.endMs, weight: 1 }], into);
}

function share(node: TimedNode, stretches: readonly Stretch[], into: Map<TimedNode, number>): void {
  let own = 0;
  const children = node.children;
  if (children.length === 0) {
    for (const stretch of stretches) own += stretch.weight * (stretch.toMs - stretch.fromMs);
    into.set(node, (into.get(node) ?? 0) + own);
    return;
  }
  const points = new Set<number>();
  for (const stretch of stretches) points.add(stretch.fromMs).add(stretch.toMs);
  for (const child of children) points.add(child.startMs).add(child.endMs);
  const sorted = [...points].sort((a, b) => a - b);
  // A leaf's share is a sum; only a child with children of its own needs its stretches.
  const leafShares = new Float64Array(children.length);
  const stretchesOf = children.map((child) => child.children.length === 0 ? null : [] as Stretch[]);
  const byStart = children.map((_, index) => index)
    .sort((a, b) => children[a].startMs - children[b].startMs);
  let active: number[] = [];
  let entered = 0;
  let next = 0;
  for (let i = 0; i + 1 < sorted.length; i++) {
    const fromMs = sorted[i];
    const toMs = sorted[i + 1];
    while (entered < byStart.length && children[byStart[entered]].startMs <= fromMs) {
      active.push(byStart[entered++]);
    }
    active = active.filter((index) => children[index].endMs >= toMs);
    while (next < stretches.length && stretches[next].toMs <= fromMs) next++;
    const stretch = stretches[next];
    if (stretch === undefined || stretch.fromMs > fromMs) continue; // outside the shared time
    if (active.length === 0) {
      own += stretch.weight * (toMs - fromMs);
      continue;
    }
    const weight = stretch.weight / active.length;
    for (const index of active) {
      const list = stretchesOf[index];
      if (list === null) leafShares[index] += weight * (toMs - fromMs);
      else list.push({ fromMs, toMs, weight });
    }
  }
  into.set(node, (into.get(node) ?? 0) + own);
  children.forEach((child, index) => {
    const list = stretchesOf[index];
    if (list === null) into.set(child, (into.get(child) ?? 0) + leafShares[index]);
    else share(child, list, into);
  });
}

/** One stretch of a critical path: the innermost execution that held it, and for how long. */
export interface CriticalStretch {
  /** The execution (the tree's top for time between its children). */
  readonly node: TimedNode;
  /** Duration, ms. */
  readonly ms: number;
}

/** A tree's critical path. */
export interface CriticalPath {
  /** Its stretches, in time order (adjacent stretches of one execution joined, none of 0 ms). */
  readonly stretches: readonly CriticalStretch[];
  /** The executions it passed through (the top included). */
  readonly visited: ReadonlySet<TimedNode>;
  /** Time it spent in each execution itself, ms. */
  readonly exclusiveMs: ReadonlyMap<TimedNode, number>;
}

/**
 * The critical path of a tree: from the top's end backwards, the child it waited on last (the
 * one that ended last before the cursor; among those ending together, the longest), into it, then
 * from that child's start the one before it, and so on; time between children is the parent's
 * own. Under parallel branches it follows the branch that finished last: the one the run waited
 * for.
 *
 * @param top The tree's top (a run).
 * @returns The stretches, the executions passed through, and the time held by each.
 *
 * @example Usage
 * ```ts
 * import { criticalPath } from "./critical_path.ts";
 * import assert from "node:assert/strict";
 *
 * // Two branches in parallel after a first step: the slow one is on the path.
 * const first = { startMs: 0, endMs: 10, children: [] };
 * const fast = { startMs: 10, endMs: 20, children: [] };
 * const slow = { startMs: 10, endMs: 60, children: [] };
 * const run = { startMs: 0, endMs: 61, children: [first, fast, slow] };
 * const path = criticalPath(run);
 * assert.deepEqual(path.stretches.map((s) => s.ms), [10, 50, 1]);
 * assert.ok(path.visited.has(slow) && !path.visited.has(fast));
 * ```
 */
export function criticalPath(top: TimedNode): CriticalPath {
  const backwards: CriticalStretch[] = [];
  const visited = new Set<TimedNode>();
  const exclusiveMs = new Map<TimedNode, number>();
  const own = (node: TimedNode, ms: number) => {
    if (ms <= 0) return;
    exclusiveMs.set(node, (exclusiveMs.get(node) ?? 0) + ms);
    const last = backwards[backwards.length - 1];
    if (last?.node === node) backwards[backwards.length - 1] = { node, ms: last.ms + ms };
    else backwards.push({ node, ms });
  };
  const walk = (node: TimedNode, fromMs: number, toMs: number): void => {
    visited.add(node);
    const taken = new Set<TimedNode>();
    let cursor = toMs;
    while (cursor > fromMs) {
      let waitedOn: TimedNode | null = null;
      for (const child of node.children) {
        if (taken.has(child) || child.endMs > cursor || child.endMs <= fromMs) continue;
        if (
          waitedOn === null || child.endMs > waitedOn.endMs ||
          child.endMs === waitedOn.endMs && child.startMs < waitedOn.startMs
        ) waitedOn = child;
      }
      if (waitedOn === null) break;
      taken.add(waitedOn);
      own(node, cursor - waitedOn.endMs);
      const start = Math.max(waitedOn.startMs, fromMs);
      walk(waitedOn, start, waitedOn.endMs);
      cursor = start;
    }
    own(node, cursor - fromMs);
  };
  walk(top, top.startMs, top.endMs);
  return { stretches: backwards.reverse(), visited, exclusiveMs };
}
