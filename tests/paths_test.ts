/**
 * Node paths on a fake clock, exact to the millisecond: a subgraph stage with a loop (its agent
 * runs twice), two tools at once and a `Send` fan-out inside it; parallel stages; a node that
 * fails; merges of runs. Exclusive figures add up to inclusive ones in every case.
 */
import assert from "node:assert/strict";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { PipelineMetrics } from "../telemetry/metrics.ts";
import { GraphEvents } from "./support/graph_events.ts";
import { assertClose, assertTreeAddsUp } from "./support/path_checks.ts";

/** gpt-4o-mini: $0.15 / $0.60 per million tokens (https://openai.com/api/pricing, 2026-12-06). */
const usd = (input: number, output: number) => (input * 0.15 + output * 0.6) / 1e6;

function handlerWithClock(): GraphEvents {
  const events: GraphEvents = new GraphEvents(
    new PerformanceCallbackHandler({ clock: () => events.now }),
  );
  return events;
}

/** A run: `agent_sg` (agent, tools with two tools at once, agent again, two `worker`s sent at
 * once), then `fanout`. */
function nestedRun(events: GraphEvents, offset = 0): void {
  const t = (ms: number) => offset + ms;
  const root = events.root(t(0));
  const stage = events.node(root, "agent_sg", t(0));
  const graph = events.inner(stage, t(0)); // the subgraph's own graph run, inside the node
  const agent1 = events.node(graph, "agent", t(1));
  const model = events.inner(agent1, t(1)); // the agent's runnable sequence
  events.call(model, t(2), t(12), 100, 10);
  events.end(model, t(13));
  events.end(agent1, t(13));
  const tools = events.node(graph, "tools", t(13));
  const search = events.toolStart(tools, "search", t(14));
  const lookup = events.toolStart(tools, "lookup", t(15));
  events.toolEnd(lookup, t(35));
  events.toolEnd(search, t(54));
  events.end(tools, t(55));
  const agent2 = events.node(graph, "agent", t(55));
  events.call(agent2, t(56), t(66), 200, 20);
  events.end(agent2, t(70));
  const worker1 = events.node(graph, "worker", t(70));
  const worker2 = events.node(graph, "worker", t(70));
  events.end(worker1, t(90));
  events.end(worker2, t(100));
  events.end(graph, t(101));
  events.end(stage, t(101));
  const fanout = events.node(root, "fanout", t(101));
  events.call(fanout, t(102), t(106), 50, 5);
  events.end(fanout, t(108));
  events.end(root, t(110));
}

Deno.test("paths: a looping, fanning-out subgraph stage, exact on a fake clock", () => {
  const events = handlerWithClock();
  nestedRun(events);
  const metrics = PipelineMetrics.parse(events.handler.metrics);
  const paths = metrics.paths ?? {};
  assert.deepEqual(Object.keys(paths), [
    "agent_sg",
    "agent_sg/agent",
    "agent_sg/tools",
    "agent_sg/worker",
    "fanout",
  ]);
  const pick = (key: string) => {
    const p = paths[key];
    return [p.depth, p.executions, p.latencyMs, p.exclusive.timeMs, p.inclusive.timeMs];
  };
  // The stage ran 101 ms: 2 its own (before its first node, after its last), 27 the agent's two
  // turns, 42 the tools', 30 the workers' (20 ms side by side, split evenly, then 10 alone).
  assert.deepEqual(pick("agent_sg"), [1, 1, 101, 2, 101]);
  assert.deepEqual(pick("agent_sg/agent"), [2, 2, 12 + 15, 27, 27]);
  assert.deepEqual(pick("agent_sg/tools"), [2, 1, 42, 42, 42]);
  assert.deepEqual(pick("agent_sg/worker"), [2, 2, 20 + 30, 30, 30]);
  assert.deepEqual(pick("fanout"), [1, 1, 7, 7, 7]);
  // Calls and tokens where they were made; the stage holds them inclusively.
  const agent = paths["agent_sg/agent"].exclusive;
  assert.deepEqual([agent.llmCalls, agent.llmLatencyMs, agent.inputTokens, agent.outputTokens], [
    2,
    20,
    300,
    30,
  ]);
  assertClose(agent.costUsd, usd(300, 30), "agent cost");
  assert.equal(paths.agent_sg.exclusive.llmCalls, 0);
  assertClose(paths.agent_sg.inclusive.costUsd, usd(300, 30), "stage cost");
  // Two tools at once: each one's own time, by name.
  const tools = paths["agent_sg/tools"].exclusive;
  assert.deepEqual([tools.toolCalls, tools.toolLatencyMs, tools.tools], [2, 60, {
    search: 40,
    lookup: 20,
  }]);
  assert.deepEqual(paths["agent_sg/tools"].toolSpans.map((s) => [s.tool, s.latencyMs]), [
    ["search", 40],
    ["lookup", 20],
  ]);
  assert.deepEqual(paths["agent_sg/worker"].executionSpans.map((s) => s.latencyMs), [20, 30]);
  assert.deepEqual(paths.agent_sg.inclusive.tools, { search: 40, lookup: 20 });
  assertTreeAddsUp(metrics);

  // The critical path: the stage, through both agent turns and the tools, the worker that ended
  // last, then fanout; the graph's own 2 ms at the end are no node's.
  assert.deepEqual(metrics.criticalPath, [
    "agent_sg",
    "agent_sg/agent",
    "agent_sg/tools",
    "agent_sg/agent",
    "agent_sg/worker",
    "agent_sg",
    "fanout",
  ]);
  const critical = Object.fromEntries(
    Object.values(paths).map((p) => [p.path, [p.criticalRuns, p.criticalExclusiveMs]]),
  );
  assert.deepEqual(critical, {
    "agent_sg": [1, 2],
    "agent_sg/agent": [1, 27],
    "agent_sg/tools": [1, 42],
    "agent_sg/worker": [1, 30],
    "fanout": [1, 7],
  });
  assert.equal(paths.agent_sg.criticalInclusiveMs, 101);
});

Deno.test("paths: parallel stages keep their own time; the critical path waits for the slower", () => {
  const events = handlerWithClock();
  const root = events.root(0);
  const fast = events.node(root, "fast", 0);
  const slow = events.node(root, "slow", 0);
  const step = events.node(slow, "step", 5);
  events.end(fast, 10);
  events.end(step, 25);
  events.end(slow, 30);
  events.end(root, 31);
  const metrics = PipelineMetrics.parse(events.handler.metrics);
  const paths = metrics.paths ?? {};
  // Stages each keep their whole time (as the stage table sums them); inside one, it is shared.
  assert.deepEqual(
    Object.values(paths).map((p) => [p.path, p.inclusive.timeMs, p.exclusive.timeMs]),
    [["fast", 10, 10], ["slow", 30, 10], ["slow/step", 20, 20]],
  );
  assert.deepEqual(metrics.criticalPath, ["slow", "slow/step", "slow"]);
  assert.deepEqual([paths.fast.criticalRuns, paths.slow.criticalRuns], [0, 1]);
  assertTreeAddsUp(metrics);
});

Deno.test("paths: a failed node, a failed tool and a retried node count their errors", () => {
  const events = handlerWithClock();
  const root = events.root(0);
  const stage = events.node(root, "sg", 0);
  const first = events.node(stage, "flaky", 1);
  const tool = events.toolStart(first, "search", 2);
  events.toolEnd(tool, 3, "timeout");
  events.end(first, 4, "boom");
  const retry = events.node(stage, "flaky", 4);
  events.end(retry, 6);
  events.end(stage, 7);
  events.end(root, 7);
  const metrics = PipelineMetrics.parse(events.handler.metrics);
  const flaky = (metrics.paths ?? {})["sg/flaky"];
  assert.equal(flaky.executions, 2);
  assert.deepEqual(flaky.executionSpans.map((s) => s.failed), [true, false]);
  assert.equal(flaky.exclusive.errors, 2); // its failed execution and its failed tool run
  assert.equal((metrics.paths ?? {}).sg.inclusive.errors, 2);
  assertTreeAddsUp(metrics);
});

Deno.test("paths: merged over runs (and folded past maxRetainedRuns), the sums still add up", () => {
  for (const maxRetainedRuns of [1000, 1]) {
    const events: GraphEvents = new GraphEvents(
      new PerformanceCallbackHandler({ clock: () => events.now, maxRetainedRuns }),
    );
    for (let run = 0; run < 3; run++) nestedRun(events, run * 200);
    const metrics = PipelineMetrics.parse(events.handler.metrics);
    assert.equal(metrics.runCount, 3);
    const worker = (metrics.paths ?? {})["agent_sg/worker"];
    assert.deepEqual([worker.executions, worker.latencyMs, worker.exclusive.timeMs], [6, 150, 90]);
    assert.deepEqual([worker.criticalRuns, worker.criticalExclusiveMs], [3, 90]);
    assert.deepEqual(worker.executionSpans, []); // spans belong to one run
    assert.deepEqual(metrics.criticalPath, []);
    assertClose((metrics.paths ?? {}).agent_sg.inclusive.costUsd, 3 * usd(300, 30), "merged cost");
    assertTreeAddsUp(metrics);
  }
});
