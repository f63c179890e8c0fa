/**
 * Node paths through real LangGraph: a supervisor graph with two ReAct agent subgraphs
 * (`createReactAgent`, `ChatOpenAI` against a loopback OpenAI server; one agent's tool is slow)
 * and a `Send` fan-out stage. Every path's executions, tokens and cost are exact, the exclusive
 * figures add up to the inclusive ones, the slow tool's path holds the most exclusive time and
 * the critical path runs through the slow branch.
 */
import assert from "node:assert/strict";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { PipelineMetrics } from "../telemetry/metrics.ts";
import {
  startSupervisorServer,
  SUMMARIZE_BRANCHES,
  SUPERVISOR_INPUT,
  SUPERVISOR_USAGE,
  supervisorGraph,
} from "./fixtures/supervisor_graph.ts";
import { assertClose, assertTreeAddsUp } from "./support/path_checks.ts";

// Published per-million-token prices of gpt-4o-mini (https://openai.com/api/pricing, read
// 2026-12-06): input $0.15, output $0.60.
const usd = ([input, output]: readonly [number, number]) => (input * 0.15 + output * 0.6) / 1e6;
const SEARCH_MS = 150;

Deno.test("supervisor graph: every node path exact, adding up, the slow tool on top and on the critical path", async () => {
  await using server = startSupervisorServer();
  const graph = supervisorGraph({ origin: server.origin, searchMs: SEARCH_MS });
  await graph.invoke(SUPERVISOR_INPUT); // warm up: the first request loads the OpenAI SDK
  const handler = new PerformanceCallbackHandler();
  await graph.invoke(SUPERVISOR_INPUT, { callbacks: [handler] });
  const metrics = PipelineMetrics.parse(handler.metrics);
  const paths = metrics.paths ?? {};

  // The paths, parents first (the two agents run in one superstep: their order is LangGraph's).
  const keys = Object.keys(paths);
  assert.deepEqual(keys.sort(), [
    "fanout",
    "research_agent",
    "research_agent/agent",
    "research_agent/tools",
    "summarize",
    "supervisor",
    "writer_agent",
    "writer_agent/agent",
    "writer_agent/tools",
  ]);
  for (const [index, key] of Object.keys(paths).entries()) {
    const parent = key.includes("/") ? key.slice(0, key.lastIndexOf("/")) : null;
    if (parent) assert.ok(Object.keys(paths).indexOf(parent) < index, `${parent} before ${key}`);
  }
  const executions = Object.fromEntries(keys.map((key) => [key, paths[key].executions]));
  assert.deepEqual(executions, {
    "fanout": 1,
    "research_agent": 1,
    "research_agent/agent": 2, // asks for the tool, then answers
    "research_agent/tools": 1,
    "summarize": SUMMARIZE_BRANCHES, // Send: one execution per branch
    "supervisor": 1,
    "writer_agent": 1,
    "writer_agent/agent": 2,
    "writer_agent/tools": 1,
  });
  assert.equal(paths["research_agent/agent"].depth, 2);

  // Tokens and cost, exact, where the calls were made (exclusive) and rolled up (inclusive).
  const agent = [
    SUPERVISOR_USAGE.agentAsks[0] + SUPERVISOR_USAGE.agentAnswers[0],
    SUPERVISOR_USAGE.agentAsks[1] + SUPERVISOR_USAGE.agentAnswers[1],
  ] as const;
  for (const name of ["research_agent", "writer_agent"]) {
    const own = paths[`${name}/agent`].exclusive;
    assert.deepEqual([own.llmCalls, own.inputTokens, own.outputTokens], [2, ...agent]);
    assertClose(
      own.costUsd,
      usd(SUPERVISOR_USAGE.agentAsks) + usd(SUPERVISOR_USAGE.agentAnswers),
      name,
    );
    // The subgraph's node and its tool node made no call themselves; the stage holds both.
    assert.deepEqual([paths[name].exclusive.llmCalls, paths[`${name}/tools`].exclusive.llmCalls], [
      0,
      0,
    ]);
    assert.equal(paths[name].exclusive.costUsd, 0);
    assert.deepEqual([paths[name].inclusive.inputTokens, paths[name].inclusive.outputTokens], [
      ...agent,
    ]);
    assertClose(paths[name].inclusive.costUsd, own.costUsd, `${name} inclusive`);
    assert.equal(paths[`${name}/tools`].exclusive.toolCalls, 1);
  }
  assert.deepEqual(Object.keys(paths["research_agent/tools"].exclusive.tools), ["web_search"]);
  assert.deepEqual(Object.keys(paths["writer_agent/tools"].exclusive.tools), ["word_count"]);
  const summarize = paths.summarize.exclusive;
  assert.deepEqual(
    [summarize.llmCalls, summarize.inputTokens, summarize.outputTokens],
    [3, 3 * SUPERVISOR_USAGE.summarize[0], 3 * SUPERVISOR_USAGE.summarize[1]],
  );
  assertClose(summarize.costUsd, 3 * usd(SUPERVISOR_USAGE.summarize), "summarize");
  assertClose(paths.supervisor.exclusive.costUsd, usd(SUPERVISOR_USAGE.supervisor), "supervisor");
  assert.equal(paths.fanout.inclusive.llmCalls, 0);
  // Each call names its path.
  assert.deepEqual(
    metrics.calls.map((call) => call.path).sort(),
    [
      "research_agent/agent",
      "research_agent/agent",
      "summarize",
      "summarize",
      "summarize",
      "supervisor",
      "writer_agent/agent",
      "writer_agent/agent",
    ],
  );

  // Exclusive figures add up to inclusive ones, and the stages' to the stage table's.
  assertTreeAddsUp(metrics);

  // The slow tool's node holds the most exclusive time; the tool's own time is in it.
  const byExclusive = Object.values(paths).sort((a, b) => b.exclusive.timeMs - a.exclusive.timeMs);
  assert.equal(byExclusive[0].path, "research_agent/tools");
  assert.ok(paths["research_agent/tools"].exclusive.tools.web_search >= SEARCH_MS - 1);

  // The critical path runs through the slow branch, never the fast one.
  const criticalPath = metrics.criticalPath ?? [];
  assert.ok(criticalPath.includes("research_agent/tools"), criticalPath.join());
  assert.ok(!criticalPath.some((path) => path.startsWith("writer_agent")));
  assert.deepEqual(criticalPath.slice(0, 2), ["supervisor", "research_agent"]);
  assert.equal(criticalPath[criticalPath.length - 1], "summarize");
  assert.equal(paths.research_agent.criticalRuns, 1);
  assert.equal(paths["research_agent/tools"].criticalRuns, 1);
  assert.equal(paths.writer_agent.criticalRuns, 0);
  assert.equal(paths.writer_agent.criticalInclusiveMs, 0);
  assert.ok(paths["research_agent/tools"].criticalExclusiveMs >= SEARCH_MS - 1);
  // The critical path's time is within the run's wall time.
  const critical = Object.values(paths).filter((path) => path.depth === 1)
    .reduce((sum, path) => sum + path.criticalInclusiveMs, 0);
  assert.ok(critical <= metrics.wallTimeMs && critical > SEARCH_MS);

  // The OpenAI requests the graph made are the 8 calls above.
  assert.equal(server.requests.length, 2 * 8); // the warm-up run made its own 8
});
