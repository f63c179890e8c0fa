import { awaitAllCallbacks } from "@langchain/core/callbacks/promises";
import assert from "node:assert/strict";
import { RunnableLambda } from "@langchain/core/runnables";
import { type BenchmarkEvent, type BenchmarkRun, runBenchmark } from "../benchmark/runner.ts";
import { Annotation, END, MemorySaver, START, StateGraph } from "@langchain/langgraph";
import { memoryRunLog, parseRunLog } from "../benchmark/run_log.ts";
import { jsonlRunLog } from "./support/jsonl_run_log.ts";
import { budgetDecision, planRuns } from "../benchmark/schedule.ts";
import { RunRecord } from "../benchmark/run_record.ts";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { ToyChatModel, toyGraph, type ToyInput } from "./support/toy_graph.ts";

const inputs = (texts: string[]) =>
  texts.map((text, i) => ({ id: `t${i}`, input: { text } as ToyInput }));

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

Deno.test("runner: measures every run with a fresh handler", async () => {
  const result = await runBenchmark({
    graph: toyGraph(),
    inputs: inputs(["hello there", "good morning"]),
    repeats: 2,
  });
  assert.equal(result.records.length, 4);
  assert.deepEqual(
    result.records.map((r) => `${r.inputId}#${r.repeat}`),
    ["t0#0", "t1#0", "t0#1", "t1#1"],
  );
  for (const record of result.records) {
    RunRecord.parse(record);
    assert.equal(record.error, null);
    assert.equal(record.metrics.runCount, 1);
    assert.equal(record.metrics.totals.llmCalls, 2);
    assert.deepEqual(Object.keys(record.metrics.stages), ["summarize", "classify"]);
    assert.ok(record.metrics.totals.costUsd !== null && record.metrics.totals.costUsd > 0);
  }
});

Deno.test("runner: every run is measured by the handler factory's handler", async () => {
  // $1 and $2 per token: every cost is a whole number of dollars, exact in floating point.
  const priceOverrides = { "gpt-4o-mini": { inputPerMTok: 1e6, outputPerMTok: 2e6 } };
  const result = await runBenchmark({
    graph: toyGraph(),
    inputs: inputs(["hello there", "good morning"]),
    createHandler: (hooks) => new PerformanceCallbackHandler({ ...hooks, priceOverrides }),
  });
  for (const record of result.records) {
    assert.equal(record.metrics.pricing.overrideModels, 1);
    for (const call of record.metrics.calls) {
      assert.equal(call.costSource, "override");
      assert.equal(call.costUsd, call.inputTokens + 2 * call.outputTokens);
    }
    const { inputTokens, outputTokens, costUsd } = record.metrics.totals;
    assert.equal(costUsd, inputTokens + 2 * outputTokens);
  }
});

Deno.test("runner: keeps the user's callbacks and config", async () => {
  const seen: string[] = [];
  const result = await runBenchmark({
    graph: toyGraph(),
    inputs: inputs(["hi"]),
    config: {
      callbacks: [{ handleChainStart: () => void seen.push("chain") }],
      metadata: { team: "x" },
    },
  });
  assert.equal(result.records[0].metrics.totals.llmCalls, 2);
  await awaitAllCallbacks(); // plain-object callbacks run in the background
  assert.ok(seen.length > 0);
});

Deno.test("runner: never has more runs in flight than the concurrency", async () => {
  let active = 0;
  let maxActive = 0;
  const graph = toyGraph({
    onStart: async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await tick();
      active--;
    },
  });
  const result = await runBenchmark({
    graph,
    inputs: inputs(["a", "b", "c", "d", "e", "f", "g"]),
    repeats: 2,
    concurrency: 3,
  });
  assert.equal(result.records.length, 14);
  assert.equal(maxActive, 3);
});

Deno.test("runner: appends each run to the JSONL file as soon as it finishes", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/runs.jsonl`;
  const linesSeenAtStart: number[] = [];
  const progressLines: number[] = [];
  const graph = toyGraph({
    onStart: async () => {
      const text = await Deno.readTextFile(path);
      linesSeenAtStart.push(text.split("\n").filter(Boolean).length);
    },
  });
  await runBenchmark({
    graph,
    inputs: inputs(["a", "b", "c"]),
    concurrency: 1,
    log: jsonlRunLog(path),
    onProgress: (p) => p.running === 0 && progressLines.push(p.done),
  });
  assert.deepEqual(linesSeenAtStart, [0, 1, 2]);
  assert.deepEqual(progressLines, [0, 1, 2, 3]);
  const parsed = parseRunLog(await Deno.readTextFile(path));
  assert.equal(parsed.records.length, 3);
  assert.deepEqual(parsed.skipped, []);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("runner: resume skips logged runs and redoes a truncated last line's run", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/runs.jsonl`;
  const texts = ["a", "b", "c"];
  await runBenchmark({ graph: toyGraph(), inputs: inputs(texts), log: jsonlRunLog(path) });
  const lines = (await Deno.readTextFile(path)).split("\n").filter(Boolean);
  // Keep two runs and half of the third, as a crash mid-write would.
  await Deno.writeTextFile(path, `${lines[0]}\n${lines[1]}\n${lines[2].slice(0, 50)}`);

  const invoked: string[] = [];
  const events: BenchmarkEvent[] = [];
  const result = await runBenchmark({
    graph: toyGraph({ onStart: (text) => void invoked.push(text) }),
    inputs: inputs(texts),
    log: jsonlRunLog(path),
    resume: true,
    onEvent: (e) => events.push(e),
  });
  const done = new Set(lines.slice(0, 2).map((l) => JSON.parse(l).inputId));
  assert.deepEqual(invoked, texts.filter((_, i) => !done.has(`t${i}`)));
  assert.deepEqual(events, [{
    kind: "log-records-skipped",
    skipped: [{ location: `${path} line 3`, reason: "cut short (the last line, no line break)" }],
  }]);
  assert.equal(result.resumed, 2);
  assert.equal(result.records.length, 3);
  // Nothing recorded is deleted: the cut line stays (on a line of its own), the redone run follows.
  const after = parseRunLog(await Deno.readTextFile(path));
  assert.equal(after.records.length, 3);
  assert.equal(after.skipped.length, 1);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("runner: resume skips a corrupt line in the middle once and redoes its run", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/runs.jsonl`;
  const texts = ["a", "b", "c"];
  await runBenchmark({ graph: toyGraph(), inputs: inputs(texts), log: jsonlRunLog(path) });
  const lines = (await Deno.readTextFile(path)).split("\n").filter(Boolean);
  await Deno.writeTextFile(path, `${lines[0]}\n@@garbage@@\n${lines[2]}\n`);
  const invoked: string[] = [];
  const events: BenchmarkEvent[] = [];
  const result = await runBenchmark({
    graph: toyGraph({ onStart: (text) => void invoked.push(text) }),
    inputs: inputs(texts),
    log: jsonlRunLog(path),
    resume: true,
    onEvent: (e) => events.push(e),
  });
  const lost = texts.find((_, i) =>
    ![lines[0], lines[2]].some((l) => JSON.parse(l).inputId === `t${i}`)
  );
  assert.deepEqual(invoked, [lost]);
  assert.deepEqual(events, [{
    kind: "log-records-skipped",
    skipped: [{ location: `${path} line 2`, reason: "not JSON" }],
  }]);
  assert.equal(result.records.length, 3);
  assert.equal(result.resumed, 2);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("runner: refuses to start over a log that holds runs", async () => {
  const log = memoryRunLog();
  await runBenchmark({ graph: toyGraph(), inputs: inputs(["a"]), log });
  await assert.rejects(
    () => runBenchmark({ graph: toyGraph(), inputs: inputs(["a"]), log }),
    /already holds runs/,
  );
});

Deno.test("runner: a throwing run is recorded with its partial metrics, the rest go on", async () => {
  const log = memoryRunLog();
  const result = await runBenchmark({
    graph: toyGraph(),
    inputs: inputs(["fine", "FAIL here", "also fine"]),
    log,
    quality: () => ({ score: 1 }),
  });
  assert.equal(log.lines.length, 3);
  const [ok1, failed, ok2] = result.records;
  assert.equal(ok1.error, null);
  assert.equal(ok2.error, null);
  assert.deepEqual(ok1.quality, { score: 1 });
  assert.match(failed.error ?? "", /summarize failed on purpose/);
  assert.equal(failed.quality, null);
  assert.equal(failed.metrics.status, "error");
  assert.equal(failed.metrics.stages.summarize.llmCalls, 1);
  assert.equal(failed.metrics.stages.classify, undefined);
});

Deno.test("runner: max cost stops launching before the budget would be passed", async () => {
  const probe = await runBenchmark({ graph: toyGraph(), inputs: inputs(["same text"]) });
  const oneRunUsd = probe.records[0].metrics.totals.costUsd ?? 0;
  assert.ok(oneRunUsd > 0);
  let launched = 0;
  const result = await runBenchmark({
    graph: toyGraph({ onStart: () => void launched++ }),
    inputs: inputs(Array(6).fill("same text")),
    concurrency: 4,
    maxCostUsd: oneRunUsd * 2.5,
  });
  assert.equal(launched, 2);
  assert.equal(result.records.length, 2);
  assert.equal(result.notRun, 4);
  assert.match(result.stoppedReason ?? "", /budget/);
  const spent = result.records.reduce((s, r) => s + (r.metrics.totals.costUsd ?? 0), 0);
  assert.ok(spent <= oneRunUsd * 2.5);
});

Deno.test("runner: max cost estimates the next run at the dearest so far, never passing it", async () => {
  // $1 per input token, $2 per output token: a run of text t costs $(303 + t.length), exactly.
  const priceOverrides = { "gpt-4o-mini": { inputPerMTok: 1e6, outputPerMTok: 2e6 } };
  const long = "a".repeat(101);
  const result = await runBenchmark({
    graph: toyGraph(),
    inputs: inputs(["a", long, long, long, long, long]),
    concurrency: 1,
    maxCostUsd: 1100,
    createHandler: (hooks) => new PerformanceCallbackHandler({ ...hooks, priceOverrides }),
  });
  assert.deepEqual(result.records.map((r) => r.metrics.totals.costUsd), [304, 404]);
  assert.equal(result.notRun, 4);
  // The mean ($354) would have launched a third run: $708 + $404 = $1,112, past the budget.
  assert.equal(
    result.stoppedReason,
    "stopped launching runs: one more (up to about $404.00, the dearest run so far) would pass " +
      "the budget of $1,100.00 (spent $708.00); 4 of 6 runs not run",
  );
});

Deno.test("runner: under a budget, an unpriced call stops the benchmark at once", async () => {
  const events: BenchmarkEvent[] = [];
  let launched = 0;
  const result = await runBenchmark({
    graph: toyGraph({ onStart: () => void launched++ }, new ToyChatModel("my-private-model-x")),
    inputs: inputs(["a", "b", "c"]),
    concurrency: 1,
    maxCostUsd: 0.01,
    onEvent: (event) => events.push(event),
  });
  // The first call (summarize) was unpriced: its run was aborted, no other run launched.
  assert.equal(launched, 1);
  assert.equal(result.records.length, 0);
  assert.equal(result.notRun, 3);
  assert.equal(result.stoppedRuns?.length, 1);
  assert.equal(result.stoppedRuns?.[0].metrics.totals.llmCalls, 1);
  assert.deepEqual(result.stop, {
    kind: "unpriced-call",
    budgetUsd: 0.01,
    provider: "openai",
    model: "my-private-model-x",
  });
  assert.deepEqual(events.map((e) => e.kind), ["budget-unenforceable", "run-stopped"]);
  assert.match(result.stoppedReason ?? "", /openai:my-private-model-x could not be priced/);
});

Deno.test("runner: without a budget, unpriced calls are counted and the runs go on", async () => {
  const seen: (number | null)[] = [];
  const result = await runBenchmark({
    graph: toyGraph({}, new ToyChatModel("my-private-model-x")),
    inputs: inputs(["a", "b"]),
    concurrency: 1,
    onProgress: (p) => seen.push(p.costUsd),
  });
  assert.equal(result.records.length, 2);
  // Unknown is never $0: the progress says unpriced (null) once a call was made.
  assert.deepEqual(seen, [0, null, null, null, null, null, null]);
});

Deno.test("runner: progress counts runs, failures and cost", async () => {
  const seen: { done: number; failed: number; costUsd: number | null; eta: boolean }[] = [];
  let failedCalls = 0;
  await runBenchmark({
    graph: toyGraph(),
    inputs: inputs(["a", "FAIL"]),
    concurrency: 1,
    onProgress: (p) => {
      failedCalls = p.failedCalls;
      // Between runs (nothing in flight); the other reports come after each call.
      if (p.running > 0) return;
      seen.push({ done: p.done, failed: p.failed, costUsd: p.costUsd, eta: p.etaMs !== null });
    },
  });
  assert.deepEqual(seen.map((p) => [p.done, p.failed, p.eta]), [
    [0, 0, false],
    [1, 0, true],
    [2, 1, true],
  ]);
  assert.ok(seen[2].costUsd! > seen[1].costUsd!);
  assert.equal(failedCalls, 0); // the node failed, not a call
});

Deno.test("schedule: plans repeat by repeat and decides on the budget", () => {
  assert.throws(() => planRuns(["a", "a"], 1), /share the id/);
  assert.equal(planRuns(["a", "b"], 3).length, 6);
  const base = { maxCostUsd: 1, spentUsd: 0, finishedRuns: 0, dearestRunUsd: 0, inFlight: 0 };
  const one = { ...base, spentUsd: 0.5, finishedRuns: 1, dearestRunUsd: 0.5 };
  assert.equal(budgetDecision(base), "launch");
  assert.equal(budgetDecision({ ...base, inFlight: 1 }), "wait");
  assert.equal(budgetDecision(one), "launch");
  assert.equal(budgetDecision({ ...one, inFlight: 1 }), "wait");
  assert.equal(budgetDecision({ ...one, spentUsd: 0.6, dearestRunUsd: 0.6 }), "stop");
  // $0.10 and $0.40 spent: the mean ($0.25) fits under $0.75, the dearest run ($0.40) does not.
  const two = { ...base, maxCostUsd: 0.75, spentUsd: 0.5, finishedRuns: 2, dearestRunUsd: 0.4 };
  assert.equal(budgetDecision(two), "stop");
  assert.equal(budgetDecision({ ...two, maxCostUsd: 0.9 }), "launch");
  // Runs in flight are counted at the dearest run's cost too.
  assert.equal(budgetDecision({ ...two, maxCostUsd: 1.3, inFlight: 1 }), "launch");
  assert.equal(budgetDecision({ ...two, maxCostUsd: 1.2, inFlight: 2 }), "wait");
  assert.equal(budgetDecision({ ...base, maxCostUsd: undefined, inFlight: 9 }), "launch");
});

Deno.test("run log: bad lines anywhere are skipped and located, never fatal", () => {
  assert.deepEqual(parseRunLog("{}\nnope\n", "runs.jsonl").skipped, [
    { location: "runs.jsonl line 1", reason: "not a run record" },
    { location: "runs.jsonl line 2", reason: "not JSON" },
  ]);
  assert.equal(parseRunLog("\n\n").records.length, 0);
});

Deno.test("runner: a failed log write ends the benchmark and launches no more runs", async () => {
  const log = memoryRunLog();
  log.append = () => Promise.reject(new Error("disk full"));
  let launched = 0;
  await assert.rejects(
    () =>
      runBenchmark({
        graph: toyGraph({ onStart: () => void launched++ }),
        inputs: inputs(["a", "b", "c", "d", "e"]),
        concurrency: 2,
        log,
      }),
    /disk full/,
  );
  await tick();
  await tick();
  assert.equal(launched, 2);
});

Deno.test("runner: an output that cannot be summarized is left unsummarized, the run counts", async () => {
  const events: BenchmarkEvent[] = [];
  const graph = RunnableLambda.from((text: string) => ({ text, size: BigInt(text.length) }));
  const result = await runBenchmark({
    graph,
    inputs: [{ id: "a", input: "hi" }, { id: "b", input: "there" }],
    onEvent: (event) => events.push(event),
  });
  assert.deepEqual(result.records.map((r) => [r.inputId, r.outputSummary, r.error]), [
    ["a", null, null],
    ["b", null, null],
  ]);
  const reason = "TypeError: Do not know how to serialize a BigInt";
  assert.deepEqual(events, [
    { kind: "output-not-summarized", run: { inputIndex: 0, inputId: "a", repeat: 0 }, reason },
    { kind: "output-not-summarized", run: { inputIndex: 1, inputId: "b", repeat: 0 }, reason },
  ]);
});

Deno.test("runner: a run the handler never saw is an error, not a success with zeros", async () => {
  // A wrapper that drops the config: the measuring handler never hears of the run.
  const graph = { invoke: (input: string) => Promise.resolve(input.toUpperCase()) };
  const result = await runBenchmark({ graph, inputs: [{ id: "a", input: "hi" }] });
  const [record] = result.records;
  assert.equal(
    record.error,
    "the handler saw no run: pass the config (callbacks) through to invoke",
  );
  assert.equal(record.metrics.runCount, 0);
  assert.equal(record.outputSummary, '"HI"');
});

/** A graph with a checkpointer that counts its runs per thread and says which thread it ran on. */
function checkpointedGraph() {
  const State = Annotation.Root({
    runs: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
    threadId: Annotation<string>,
  });
  return new StateGraph(State)
    .addNode("count", (_state, config) => ({
      runs: 1,
      threadId: String(config.configurable?.thread_id),
    }))
    .addEdge(START, "count")
    .addEdge("count", END)
    .compile({ checkpointer: new MemorySaver() });
}

const runsAndThreads = (result: BenchmarkRun) =>
  result.records.map((r) => [r.error, r.outputSummary && JSON.parse(r.outputSummary)]);

Deno.test("runner: a graph with a checkpointer gets a thread per run", async () => {
  const result = await runBenchmark({
    graph: checkpointedGraph(),
    inputs: [{ id: "a", input: {} }, { id: "b", input: {} }],
    repeats: 2,
  });
  const [first] = result.records;
  const benchmarkId = JSON.parse(first.outputSummary!).threadId.split("/")[0];
  assert.match(benchmarkId, /^graphmeter-[0-9a-f-]{36}$/);
  assert.deepEqual(runsAndThreads(result), [
    [null, { runs: 1, threadId: `${benchmarkId}/a#0` }],
    [null, { runs: 1, threadId: `${benchmarkId}/b#0` }],
    [null, { runs: 1, threadId: `${benchmarkId}/a#1` }],
    [null, { runs: 1, threadId: `${benchmarkId}/b#1` }],
  ]);
});

Deno.test("runner: config can be a function of the planned run", async () => {
  const result = await runBenchmark({
    graph: checkpointedGraph(),
    inputs: [{ id: "a", input: {} }, { id: "b", input: {} }],
    config: (run) => ({ configurable: { thread_id: `mine-${run.inputId}-${run.repeat}` } }),
  });
  assert.deepEqual(runsAndThreads(result), [
    [null, { runs: 1, threadId: "mine-a-0" }],
    [null, { runs: 1, threadId: "mine-b-0" }],
  ]);
});

Deno.test("runner: a thread_id in the config is kept: the runs share that thread", async () => {
  const result = await runBenchmark({
    graph: checkpointedGraph(),
    inputs: [{ id: "a", input: {} }, { id: "b", input: {} }],
    concurrency: 1,
    config: { configurable: { thread_id: "shared" } },
  });
  assert.deepEqual(runsAndThreads(result), [
    [null, { runs: 1, threadId: "shared" }],
    [null, { runs: 2, threadId: "shared" }],
  ]);
});

/** A graph whose one node calls the toy model `state.calls` times in a row, ~2 ms apart. */
function loopingGraph(model = new ToyChatModel()) {
  const State = Annotation.Root({ text: Annotation<string>, calls: Annotation<number> });
  return new StateGraph(State)
    .addNode("work", async (state) => {
      for (let i = 0; i < state.calls; i++) {
        await tick();
        await model.invoke(state.text);
      }
      return {};
    })
    .addEdge(START, "work")
    .addEdge("work", END)
    .compile();
}

Deno.test("runner: the budget is held live: crossing it aborts the runs in flight", async () => {
  // $1 per input token, $2 per output token: each call on "xx" costs 100 + 2 + 40 = $142.
  const priceOverrides = { "gpt-4o-mini": { inputPerMTok: 1e6, outputPerMTok: 2e6 } };
  const callUsd = 142;
  const log = memoryRunLog();
  const calls: number[] = []; // priced calls (an aborted call never started and costs nothing)
  const events: BenchmarkEvent[] = [];
  const result = await runBenchmark({
    graph: loopingGraph(),
    // One short run first (the runner measures one run before running several at once).
    inputs: [
      { id: "a", input: { text: "xx", calls: 1 } },
      { id: "b", input: { text: "xx", calls: 50 } },
      { id: "c", input: { text: "xx", calls: 50 } },
      { id: "d", input: { text: "xx", calls: 50 } },
    ],
    concurrency: 2,
    maxCostUsd: 10 * callUsd + 1,
    log,
    createHandler: (hooks) => new PerformanceCallbackHandler({ ...hooks, priceOverrides }),
    onCallEnd: (_run, call) => call.error === null && calls.push(call.costUsd ?? NaN),
    onEvent: (event) => events.push(event),
  });
  await new Promise((resolve) => setTimeout(resolve, 30)); // any call still going ends now
  assert.ok(calls.every((usd) => usd === callUsd));
  const spent = calls.length * callUsd;
  // Crossed at the 11th call; the other run had at most one call in flight then.
  assert.ok(spent <= 10 * callUsd + 1 + callUsd, `spent $${spent}`);
  assert.ok(calls.length >= 11 && calls.length <= 12, `${calls.length} calls`);
  assert.equal(result.stop?.kind, "budget-crossed");
  assert.deepEqual(result.records.map((r) => r.inputId), ["a"]);
  assert.equal(log.lines.length, 1); // stopped runs are not logged: a resume makes them again
  assert.deepEqual(result.stoppedRuns?.map((r) => r.inputId), ["b", "c"]);
  assert.equal(result.notRun, 3);
  assert.deepEqual(events.map((e) => e.kind), ["run-stopped", "run-stopped"]);
  const stoppedUsd = result.stoppedRuns!.reduce((s, r) => s + (r.metrics.totals.costUsd ?? 0), 0);
  assert.ok(stoppedUsd >= 9 * callUsd && stoppedUsd <= spent - callUsd);
  assert.match(result.stoppedReason ?? "", /past the budget of \$1,421\.00; the runs in flight/);
  assert.match(result.stoppedRuns![0].error ?? "", /BenchmarkStopped/);
});
