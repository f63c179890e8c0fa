/**
 * Runs that end early, through the runner and a real results store: a run that hangs without
 * calling a model fails at the run timeout and the others go on; an interrupt (the runner's
 * `signal`) stops the runs in flight and keeps their paid calls in the store, marked stopped; a
 * resume makes them again and still counts what they cost; after a budget stop, what the store
 * holds equals what the runner says was spent.
 */
import assert from "node:assert/strict";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { runBenchmark, type RunHooks, RunTimeoutError } from "../benchmark/mod.ts";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { openResultsStore } from "../store/mod.ts";
import { formatUsd } from "../report/format.ts";
import { ToyChatModel } from "./support/toy_graph.ts";

/** $1 per input token, $2 per output token: each toy call on "xx" costs 100 + 2 + 40 = $142. */
const PRICES = { "gpt-4o-mini": { inputPerMTok: 1e6, outputPerMTok: 2e6 } };
const CALL_USD = 142;
const createHandler = (hooks: RunHooks) =>
  new PerformanceCallbackHandler({ ...hooks, priceOverrides: PRICES });

/**
 * One node that calls the toy model `calls` times, `pauseMs` apart; with `hang`, it then awaits
 * forever (no model call, no timer: only the run's abort signal ends it).
 */
function workGraph(model = new ToyChatModel()) {
  const State = Annotation.Root({
    text: Annotation<string>,
    calls: Annotation<number>,
    pauseMs: Annotation<number>,
    hang: Annotation<boolean>,
  });
  return new StateGraph(State)
    .addNode("work", async (state) => {
      for (let i = 0; i < state.calls; i++) {
        await new Promise((resolve) => setTimeout(resolve, state.pauseMs));
        await model.invoke(state.text);
      }
      if (state.hang) await new Promise(() => {});
      return {};
    })
    .addEdge(START, "work")
    .addEdge("work", END)
    .compile();
}

const input = (id: string, calls: number, pauseMs = 1, hang = false) => ({
  id,
  input: { text: "xx", calls, pauseMs, hang },
});

function storedBenchmark() {
  const store = openResultsStore(":memory:");
  const id = store.createBenchmark({
    label: null,
    startedAt: new Date().toISOString(),
    gitCommit: null,
    settings: {},
    meta: {},
    plannedRuns: 0,
    shard: null,
  });
  return { store, id };
}

Deno.test("runner: a run that awaits forever fails at the run timeout; the others go on", async () => {
  const { store, id } = storedBenchmark();
  const started = performance.now();
  const result = await runBenchmark({
    graph: workGraph(),
    inputs: [input("a", 1), input("hangs", 1, 1, true), input("c", 2)],
    concurrency: 3,
    runTimeoutMs: 300,
    log: store.runLog(id),
    createHandler,
    describeError: (error) =>
      error instanceof RunTimeoutError ? `${error.message} (the test's words)` : String(error),
  });
  const seconds = (performance.now() - started) / 1000;
  assert.ok(seconds < 2, `${seconds} s`);
  assert.deepEqual(
    result.records.map((r) => [r.inputId, r.error]),
    [["a", null], ["hangs", "the run timed out after 0.3 s (the test's words)"], ["c", null]],
  );
  // The timed-out run is a finished, failed run: its call before the hang is stored, paid.
  const stored = store.loadRuns(id).find((r) => r.inputId === "hangs")!;
  assert.equal(stored.metrics.calls.length, 1);
  assert.equal(stored.metrics.totals.costUsd, CALL_USD);
  assert.equal(result.spentUsd, 4 * CALL_USD);
  assert.equal(store.spentUsd(id), 4 * CALL_USD);
  store.close();
});

Deno.test("runner: an interrupt stores the runs in flight as stopped, paid calls kept; a resume redoes them", async () => {
  const { store, id } = storedBenchmark();
  const interrupt = new AbortController();
  let calls = 0;
  const first = await runBenchmark({
    graph: workGraph(),
    // "quick" finishes; "slow-1" and "slow-2" are stopped after a few calls each.
    inputs: [input("quick", 1), input("slow-1", 1000, 5), input("slow-2", 1000, 5)],
    concurrency: 3,
    log: store.runLog(id),
    createHandler,
    signal: interrupt.signal,
    onCallEnd: () => {
      if (++calls === 7) interrupt.abort("SIGINT");
    },
  });
  assert.deepEqual(first.stop, { kind: "interrupted", reason: "SIGINT" });
  assert.deepEqual(first.records.map((r) => r.inputId), ["quick"]);
  assert.deepEqual(first.stoppedRuns?.map((r) => r.inputId).sort(), ["slow-1", "slow-2"]);
  const stopped = store.readStoppedRuns(id).runs;
  assert.deepEqual(stopped.map((s) => [s.record.inputId, s.attempt, s.reason]).sort(), [
    ["slow-1", 1, "interrupted (SIGINT)"],
    ["slow-2", 1, "interrupted (SIGINT)"],
  ]);
  // Every priced call made is in the store: the finished run's and the stopped runs'.
  const paidCalls = stopped.reduce((n, s) => n + s.record.metrics.totals.llmCalls, 0) + 1;
  assert.ok(paidCalls >= 7, `${paidCalls} calls`);
  assert.equal(first.spentUsd, paidCalls * CALL_USD);
  assert.equal(store.spentUsd(id), paidCalls * CALL_USD);
  assert.match(first.stoppedReason ?? "", /^stopped: interrupted \(SIGINT\); the calls made cost/);

  // The resume makes the stopped runs again (shorter now), and what they cost stays counted.
  const resumed = await runBenchmark({
    graph: workGraph(),
    inputs: [input("quick", 1), input("slow-1", 2), input("slow-2", 2)],
    log: store.runLog(id),
    resume: true,
    createHandler,
  });
  assert.equal(resumed.resumed, 1);
  assert.deepEqual(resumed.records.map((r) => [r.inputId, r.error]), [
    ["quick", null],
    ["slow-1", null],
    ["slow-2", null],
  ]);
  assert.equal(resumed.spentUsd, (paidCalls + 4) * CALL_USD);
  assert.equal(store.spentUsd(id), (paidCalls + 4) * CALL_USD);
  assert.equal(store.readStoppedRuns(id).runs.length, 2);
  store.checkCounts();
  store.close();
});

Deno.test("runner: after a budget stop the store holds exactly what the runner says was spent", async () => {
  const { store, id } = storedBenchmark();
  const result = await runBenchmark({
    graph: workGraph(),
    inputs: [input("a", 1), input("b", 50, 2), input("c", 50, 2), input("d", 50, 2)],
    concurrency: 2,
    maxCostUsd: 10 * CALL_USD + 1,
    log: store.runLog(id),
    createHandler,
  });
  assert.equal(result.stop?.kind, "budget-crossed");
  const spent = store.spentUsd(id);
  assert.equal(spent % CALL_USD, 0);
  assert.equal(result.spentUsd, spent);
  assert.ok(
    result.stoppedReason?.startsWith(`stopped: the calls made cost ${formatUsd(spent)}, past`),
    result.stoppedReason ?? "",
  );
  assert.ok(spent >= 11 * CALL_USD && spent <= 12 * CALL_USD, formatUsd(spent));
  assert.deepEqual(
    store.readStoppedRuns(id).runs.map((s) => s.reason),
    ["the budget of $1,421.00 was crossed", "the budget of $1,421.00 was crossed"],
  );
  store.close();
});
