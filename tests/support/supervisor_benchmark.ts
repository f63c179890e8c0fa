/**
 * A benchmark of the supervisor graph (`fixtures/supervisor_graph.ts`): real LangGraph, one
 * loopback OpenAI server, the slow tool as slow as asked; optionally logged into a results store.
 */
import { runBenchmark } from "../../benchmark/runner.ts";
import type { RunLog } from "../../benchmark/run_log.ts";
import type { RunRecord } from "../../benchmark/run_record.ts";
import {
  startSupervisorServer,
  SUPERVISOR_INPUT,
  supervisorGraph,
} from "../fixtures/supervisor_graph.ts";

/** What to run. */
export interface SupervisorBenchmarkOptions {
  /** How long the slow tool takes, ms. */
  searchMs: number;
  /** Inputs (each run once); default 12. */
  inputs?: number;
  /** Runs in flight; default 1 (so the runs' times do not overlap). */
  concurrency?: number;
  /** Where each finished run goes (a results store's run log), if anywhere. */
  log?: RunLog;
}

/**
 * Runs the supervisor graph over `inputs` questions, after one warm-up invoke.
 *
 * @param options The slow tool's time, the inputs, the log.
 * @returns The run records, in plan order.
 */
export async function supervisorBenchmark(
  options: SupervisorBenchmarkOptions,
): Promise<RunRecord[]> {
  await using server = startSupervisorServer();
  const graph = supervisorGraph({ origin: server.origin, searchMs: options.searchMs });
  await graph.invoke(SUPERVISOR_INPUT); // the first request loads the OpenAI SDK
  const inputs = Array.from({ length: options.inputs ?? 12 }, (_, index) => ({
    id: `q${String(index + 1).padStart(2, "0")}`,
    input: SUPERVISOR_INPUT,
  }));
  const run = await runBenchmark({
    graph,
    inputs,
    concurrency: options.concurrency ?? 1,
    log: options.log,
  });
  return run.records;
}

/**
 * Benchmarks of the supervisor graph whose slow tool takes each of `searchMs`, made run by run in
 * turn (input 1 of each, then input 2 of each, ...), so whatever drifts on the machine (warm-up,
 * other work) falls on every benchmark alike.
 *
 * @param searchMs The slow tool's time in each benchmark, ms.
 * @param inputs Inputs (each run once per benchmark).
 * @returns Each benchmark's run records, in `searchMs` order.
 */
export async function interleavedSupervisorBenchmarks(
  searchMs: readonly number[],
  inputs: number,
): Promise<RunRecord[][]> {
  await using server = startSupervisorServer();
  const graphs = searchMs.map((ms) => supervisorGraph({ origin: server.origin, searchMs: ms }));
  for (const graph of graphs) {
    for (let i = 0; i < 3; i++) await graph.invoke(SUPERVISOR_INPUT); // warm up
  }
  const records = graphs.map((): RunRecord[] => []);
  for (let index = 0; index < inputs; index++) {
    const input = { id: `q${String(index + 1).padStart(2, "0")}`, input: SUPERVISOR_INPUT };
    for (const [variant, graph] of graphs.entries()) {
      const run = await runBenchmark({ graph, inputs: [input], concurrency: 1 });
      records[variant].push(...run.records);
    }
  }
  return records;
}
