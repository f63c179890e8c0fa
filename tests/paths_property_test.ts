/**
 * Property: on any graph shape (subgraphs nested up to 4 deep, loops, nodes and tools running side
 * by side, stages in parallel, runs inside nodes, failures), every path's inclusive figures are its
 * exclusive ones plus its children's inclusive ones, each stage's subtree adds up to the stage's
 * own figures (its time to its latency), and the critical path stays within the run; for one run,
 * merged runs, and runs read back from the results store.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { PipelineMetrics } from "../telemetry/metrics.ts";
import { openResultsStore } from "../store/mod.ts";
import { GraphEvents } from "./support/graph_events.ts";
import { assertTreeAddsUp } from "./support/path_checks.ts";

/** A small seeded random source (mulberry32). */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

type Event = { at: number; order: number; apply: () => void };

/**
 * Plans the items inside `[from, to]` under the run `parent` at `depth`: a few groups one after
 * the other, each of one to three items side by side (node executions, calls, tool runs).
 */
function plan(
  events: GraphEvents,
  pick: (n: number) => number,
  parent: () => string,
  depth: number,
  from: number,
  to: number,
  out: Event[],
): void {
  const groups = pick(4);
  const width = Math.floor((to - from) / Math.max(1, groups));
  for (let g = 0; g < groups && width >= 4; g++) {
    const slotFrom = from + g * width;
    for (let k = 1 + pick(3); k > 0; k--) {
      const start = slotFrom + 1 + pick(Math.max(1, Math.floor(width / 3)));
      const end = Math.min(slotFrom + width, start + 1 + pick(width));
      if (end <= start) continue;
      const kind = depth >= 4 ? 1 + pick(2) : pick(3);
      if (kind === 0) {
        const name = ["agent", "tools", "worker", "inner"][pick(4)];
        let id = "";
        let inner = "";
        const wrap = pick(2) === 0;
        out.push({
          at: start,
          order: depth,
          apply: () => {
            id = events.node(parent(), name, start);
            if (wrap) inner = events.inner(id, start);
          },
        });
        out.push({
          at: end,
          order: -depth - 1,
          apply: () => {
            if (wrap) events.end(inner, end);
            events.end(id, end, pick(5) === 0 ? "boom" : undefined);
          },
        });
        plan(events, pick, () => wrap ? inner : id, depth + 1, start, end, out);
      } else if (kind === 1) {
        const [input, output] = [pick(1000), pick(100)];
        out.push({
          at: start,
          order: depth,
          apply: () => void events.call(parent(), start, end, input, output),
        });
      } else {
        let id = "";
        const name = ["search", "lookup", "fetch"][pick(3)];
        out.push({
          at: start,
          order: depth,
          apply: () => (id = events.toolStart(parent(), name, start)),
        });
        out.push({
          at: end,
          order: -depth - 1,
          apply: () => events.toolEnd(id, end, pick(6) === 0 ? "timeout" : undefined),
        });
      }
    }
  }
}

/** Replays one random run, `[offset, offset + 1000]`, on the handler. */
function randomRun(events: GraphEvents, seed: number, offset: number): void {
  const pick = random(seed);
  let root = "";
  const out: Event[] = [{ at: offset, order: -1, apply: () => (root = events.root(offset)) }];
  plan(events, pick, () => root, 1, offset, offset + 1000, out);
  out.push({ at: offset + 1000, order: -100, apply: () => events.end(root, offset + 1000) });
  // By time; at one time, ends (deepest first) before starts (shallowest first). A call is
  // replayed whole at its start.
  out.sort((a, b) =>
    a.at - b.at || (a.order < 0 ? 0 : 1) - (b.order < 0 ? 0 : 1) || a.order - b.order
  );
  // The root starts first, whatever else starts at its time.
  const first = out.findIndex((event) => event.order === -1);
  out.unshift(...out.splice(first, 1));
  for (const event of out) event.apply();
}

Deno.test("property: exclusive figures add up to inclusive ones on any graph shape", () => {
  fc.assert(
    fc.property(fc.array(fc.integer(), { minLength: 1, maxLength: 3 }), (seeds) => {
      const events: GraphEvents = new GraphEvents(
        new PerformanceCallbackHandler({ clock: () => events.now }),
      );
      seeds.forEach((seed, index) => randomRun(events, seed, index * 2000));
      assert.equal(events.handler.handlerErrors, 0);
      for (const run of events.handler.runs) {
        const metrics = PipelineMetrics.parse(run);
        assertTreeAddsUp(metrics);
        const paths = Object.values(metrics.paths ?? {});
        const critical = paths.filter((p) => p.depth === 1)
          .reduce((sum, p) => sum + p.criticalInclusiveMs, 0);
        assert.ok(critical <= metrics.wallTimeMs + 1e-9, `${critical} > ${metrics.wallTimeMs}`);
        for (const path of metrics.criticalPath ?? []) {
          assert.equal(metrics.paths?.[path]?.criticalRuns, 1, path);
        }
      }
      assertTreeAddsUp(PipelineMetrics.parse(events.handler.metrics));
    }),
    { numRuns: 150 },
  );
});

Deno.test("property: the tree reads back from the results store as it was written", async () => {
  const events: GraphEvents = new GraphEvents(
    new PerformanceCallbackHandler({ clock: () => events.now }),
  );
  for (let seed = 1; seed <= 20; seed++) randomRun(events, seed * 7919, seed * 2000);
  using store = openResultsStore(":memory:");
  const id = store.createBenchmark({
    label: null,
    startedAt: "2026-12-06T00:00:00.000Z",
    gitCommit: null,
    settings: {},
    meta: {},
    plannedRuns: 20,
    shard: null,
  });
  const records = events.handler.runs.map((metrics, repeat) => ({
    inputId: "random",
    repeat,
    inputAmount: null,
    outputSummary: null,
    metrics,
    quality: null,
    error: null,
  }));
  store.appendRuns(id, records);
  const loaded = store.loadRuns(id);
  assert.deepEqual(loaded.map((r) => r.metrics.paths), records.map((r) => r.metrics.paths));
  assert.deepEqual(
    loaded.map((r) => r.metrics.criticalPath),
    records.map((r) => r.metrics.criticalPath),
  );
  for (const record of loaded) assertTreeAddsUp(record.metrics);
  assert.ok(loaded.some((r) => Object.keys(r.metrics.paths ?? {}).some((p) => p.includes("/"))));
  await Promise.resolve();
});
