/**
 * Node paths survive the worker: a user's graph runs in a worker process, whose forwarding handler
 * sends each LangChain callback (with its clock) to the CLI, where graphmeter's handler measures
 * it. The supervisor graph (real LangGraph) with both the forwarding handler, its events replayed
 * as the CLI replays them, and a handler in process: the same paths, executions, tokens, tool
 * names and critical path.
 */
import assert from "node:assert/strict";
import { forwardingHandler } from "../worker/forwarding_handler.ts";
import { fromPlain } from "../worker/plain.ts";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import {
  startSupervisorServer,
  SUPERVISOR_INPUT,
  supervisorGraph,
} from "./fixtures/supervisor_graph.ts";

Deno.test("worker: node paths measured from forwarded callbacks are the in-process handler's", async () => {
  await using server = startSupervisorServer();
  const graph = supervisorGraph({ origin: server.origin, searchMs: 30 });
  let clockMs = 0;
  const replayed = new PerformanceCallbackHandler({ clock: () => clockMs });
  const forwarding = forwardingHandler((method, atMs, args) => {
    // As the CLI gets it: JSON across the process boundary, replayed at the worker's time.
    clockMs = atMs;
    const plain = fromPlain(JSON.parse(JSON.stringify(args))) as unknown[];
    (replayed[method as keyof PerformanceCallbackHandler] as (...a: unknown[]) => void)
      .apply(replayed, plain);
  });
  const direct = new PerformanceCallbackHandler();
  await graph.invoke(SUPERVISOR_INPUT, { callbacks: [direct, forwarding] });

  const shape = (handler: PerformanceCallbackHandler) =>
    Object.values(handler.metrics.paths ?? {}).map((path) => ({
      path: path.path,
      executions: path.executions,
      calls: path.exclusive.llmCalls,
      tokens: path.exclusive.inputTokens + path.exclusive.outputTokens,
      tools: Object.keys(path.exclusive.tools),
      critical: path.criticalRuns,
    }));
  assert.equal(replayed.handlerErrors, 0);
  assert.deepEqual(shape(replayed), shape(direct));
  assert.deepEqual(replayed.metrics.criticalPath, direct.metrics.criticalPath);
  const tools = replayed.metrics.paths?.["research_agent/tools"];
  assert.deepEqual(Object.keys(tools?.exclusive.tools ?? {}), ["web_search"]);
  assert.ok((tools?.exclusive.tools.web_search ?? 0) >= 29);
});
