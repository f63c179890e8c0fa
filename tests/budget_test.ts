/**
 * Budgets through real LangGraph and the real `ChatOpenAI` against a loopback OpenAI server: a hard
 * limit stops calls before they are sent, under concurrency, for one user only; a soft limit tells
 * once per crossing and stops nothing; the policies when the counter store fails.
 */
import assert from "node:assert/strict";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import {
  type BudgetCounter,
  type BudgetEvent,
  BudgetExceededError,
  BudgetGuard,
  type GuardedCall,
  MemoryBudgetCounter,
} from "../budget/mod.ts";
import {
  budgetGraph,
  CALL,
  invokeConcurrently,
  startBudgetServer,
} from "./support/budget_workload.ts";

const CAP_USD = 0.05;

/** The guard's stop errors, collected through onBudget. */
function stops(events: BudgetEvent[]): BudgetExceededError[] {
  return events.flatMap((event) => event.error ? [event.error] : []);
}

Deno.test("20 concurrent invocations by one user against a hard $0.05/user/day cap", async () => {
  await using server = startBudgetServer();
  const events: BudgetEvent[] = [];
  const budget = new BudgetGuard({
    limits: [{ per: "user_id", maxUsd: CAP_USD, window: "1d" }],
    onBudget: (event) => events.push(event),
  });
  const handler = new PerformanceCallbackHandler({ budget });
  assert.equal(handler.raiseError, true);
  const graph = budgetGraph(server.origin);
  // One user's 20 at once, and another user's 5 at the same time.
  const [heavy, other] = await Promise.all([
    invokeConcurrently(graph, handler, "heavy-user", 20),
    invokeConcurrently(graph, handler, "other-user", 5),
  ]);
  const estimatedMaxUsd = stops(events)[0].estimatedUsd as number;
  // The estimate: ~1,004 prompt tokens counted and max_tokens 200, at gpt-4o's prices.
  assert.ok(
    Math.abs(estimatedMaxUsd - (1004 * 2.5 + 200 * 10) / 1e6) < 1e-12,
    `${estimatedMaxUsd}`,
  );

  assert.deepEqual(heavy.otherErrors, []);
  assert.equal(heavy.ok + heavy.stopped, 20);
  assert.ok(heavy.stopped > 0 && heavy.ok > 0, JSON.stringify(heavy));
  // Spend stays within the cap plus one call's estimated maximum, and the guard let through all
  // it could: what it refused would not have fit.
  assert.ok(heavy.spentUsd <= CAP_USD + estimatedMaxUsd, `${heavy.spentUsd}`);
  assert.ok(heavy.spentUsd > CAP_USD - estimatedMaxUsd, `${heavy.spentUsd}`);
  assert.ok(Math.abs(heavy.spentUsd - heavy.ok * CALL.costUsd) < 1e-12);
  assert.equal(heavy.ok, 11); // 11 x $0.00451 reserved fits in $0.05, a 12th does not
  // The other user is unaffected.
  assert.deepEqual([other.ok, other.stopped, other.otherErrors], [5, 0, []]);
  assert.ok(Math.abs(other.spentUsd - 5 * CALL.costUsd) < 1e-12);
  // Stopped calls were never sent: the server saw only the calls let through.
  assert.equal(server.requests.length, heavy.ok + other.ok);
  // Each stop is one event and one failed, unpriced-at-$0 call in its run; the graph saw the error.
  assert.equal(stops(events).length, heavy.stopped);
  for (const error of stops(events)) {
    assert.equal(error.reason, "budget");
    assert.equal(error.value, "heavy-user");
    assert.equal(error.limit.name, "user_id/1d");
  }
  const stoppedRuns = handler.runs.filter((run) => run.status === "error");
  assert.equal(stoppedRuns.length, heavy.stopped);
  for (const run of stoppedRuns) {
    assert.match(run.error ?? "", /^budget user_id\/1d: user_id "heavy-user" has spent/);
    assert.equal(run.calls.length, 1);
    assert.equal(run.calls[0].costUsd, 0);
    assert.equal(run.calls[0].costSource, "failed");
  }
  assert.equal(handler.handlerErrors, 0);
  // The counter holds exactly what was spent (every reservation replaced by its actual cost).
  assert.ok(Math.abs((await budget.spentUsd("user_id/1d", "heavy-user")) - heavy.spentUsd) < 1e-9);
});

Deno.test("a hard budget holds a graph that catches nothing: invoke rejects with BudgetExceededError", async () => {
  await using server = startBudgetServer(0);
  const budget = new BudgetGuard({ limits: [{ per: "thread", maxUsd: 0.01 }] });
  const handler = new PerformanceCallbackHandler({ budget });
  const graph = budgetGraph(server.origin);
  const turn = () =>
    graph.invoke({ answer: "" }, { callbacks: [handler], configurable: { thread_id: "t-1" } });
  await turn();
  await turn();
  const error = await turn().then(() => null, (caught) => caught);
  assert.ok(error instanceof BudgetExceededError, String(error));
  assert.equal(error.value, "t-1");
  assert.ok(Math.abs((error.spentUsd as number) - 2 * CALL.costUsd) < 1e-12);
  assert.equal(handler.thread("t-1")?.totals.llmCalls, 3);
  assert.ok(Math.abs((handler.thread("t-1")?.totals.costUsd as number) - 0.009) < 1e-12);
  // Another thread is untouched.
  await graph.invoke({ answer: "" }, { callbacks: [handler], configurable: { thread_id: "t-2" } });
});

Deno.test("a node with a retryPolicy is not retried into a hard limit (status 402)", async () => {
  await using server = startBudgetServer(0);
  const { Annotation, END, START, StateGraph } = await import("@langchain/langgraph");
  const { ChatOpenAI } = await import("@langchain/openai");
  const model = new ChatOpenAI({
    model: "gpt-4o",
    maxTokens: 200,
    apiKey: "sk-test",
    configuration: { baseURL: `${server.origin}/v1` },
  });
  let attempts = 0;
  const State = Annotation.Root({ answer: Annotation<string> });
  const graph = new StateGraph(State)
    .addNode("respond", async () => {
      attempts++;
      return { answer: String((await model.invoke("hello")).content) };
    }, { retryPolicy: { maxAttempts: 3, initialInterval: 1 } })
    .addEdge(START, "respond")
    .addEdge("respond", END)
    .compile();
  const budget = new BudgetGuard({ limits: [{ per: "user_id", maxUsd: 0 }] });
  const handler = new PerformanceCallbackHandler({ budget });
  const error = await graph.invoke({ answer: "" }, {
    callbacks: [handler],
    metadata: { user_id: "u" },
  }).then(() => null, (caught) => caught);
  assert.ok(error instanceof BudgetExceededError);
  assert.equal(error.status, 402);
  assert.equal(attempts, 1);
  assert.equal(server.requests.length, 0);
});

Deno.test("soft mode raises onBudget once per crossing and stops nothing", async () => {
  await using server = startBudgetServer(5);
  const events: BudgetEvent[] = [];
  const budget = new BudgetGuard({
    limits: [{ per: "user_id", maxUsd: 0.02, window: "1d", mode: "soft" }],
    onBudget: (event) => events.push(event),
  });
  const handler = new PerformanceCallbackHandler({ budget });
  assert.equal(handler.raiseError, false);
  const graph = budgetGraph(server.origin);
  const first = await invokeConcurrently(graph, handler, "u-soft", 10);
  const second = await invokeConcurrently(graph, handler, "u-soft", 10);
  assert.deepEqual([first.ok, first.stopped, second.ok, second.stopped], [10, 0, 10, 0]);
  assert.equal(server.requests.length, 20);
  assert.equal(events.length, 1);
  const [crossed] = events;
  assert.equal(crossed.kind, "crossed");
  assert.equal(crossed.value, "u-soft");
  assert.equal(crossed.limit.mode, "soft");
  // Crossed by the 5th call: 4 x $0.0045 = $0.018 <= $0.02 < 5 x $0.0045.
  assert.ok(Math.abs((crossed.spentUsd as number) - 5 * CALL.costUsd) < 1e-9);
  assert.equal(crossed.windowStart, Math.floor(Date.now() / 86_400_000) * 86_400_000);
});

/** A call as the handler would show it, at a chosen time. */
function call(overrides: Partial<GuardedCall> = {}): GuardedCall {
  return {
    runId: crypto.randomUUID(),
    rootRunId: "root",
    threadId: null,
    attributes: { user_id: "u" },
    provider: "openai",
    model: "gpt-4o",
    promptTokens: 1000,
    maxOutputTokens: 200,
    startedAt: Date.UTC(2026, 0, 1, 23, 59),
    price: (input, output) => (input * 2.5 + output * 10) / 1e6,
    ...overrides,
  };
}

Deno.test("a soft limit crosses again in the next window; a window is a UTC day", () => {
  const events: BudgetEvent[] = [];
  const budget = new BudgetGuard({
    limits: [{ per: "user_id", maxUsd: 0.01, window: "1d", mode: "soft" }],
    onBudget: (event) => events.push(event),
  });
  const day1 = Date.UTC(2026, 0, 1, 23, 59);
  const day2 = Date.UTC(2026, 0, 2, 0, 1);
  for (const startedAt of [day1, day1, day1, day2, day2, day2, day2]) {
    const guarded = call({ startedAt });
    assert.equal(budget.beforeCall(guarded), null);
    budget.afterCall(guarded, 0.004);
  }
  assert.deepEqual(events.map((e) => [e.windowStart, e.spentUsd]), [
    [Date.UTC(2026, 0, 1), 0.012],
    [Date.UTC(2026, 0, 2), 0.012],
  ]);
});

Deno.test("a run limit counts one run only and forgets it when the run ends", () => {
  const budget = new BudgetGuard({ limits: [{ per: "run", maxUsd: 0.01 }] });
  const first = call({ rootRunId: "r1" });
  assert.equal(budget.beforeCall(first), null); // reserves $0.0045
  assert.equal(budget.beforeCall(call({ rootRunId: "r1" })), null); // $0.009
  const third = budget.beforeCall(call({ rootRunId: "r1" }));
  assert.ok(third instanceof BudgetExceededError && third.value === "r1");
  assert.equal(budget.beforeCall(call({ rootRunId: "r2" })), null);
  // The first call cost less than its estimate: the difference is given back.
  budget.afterCall(first, 0.001);
  assert.equal(budget.beforeCall(call({ rootRunId: "r1" })), null);
  budget.runEnded("r1");
  assert.equal(budget.beforeCall(call({ rootRunId: "r1" })), null);
});

Deno.test("an unpriced model under a hard limit is stopped: the limit could not be held", () => {
  const budget = new BudgetGuard({ limits: [{ per: "user_id", maxUsd: 1 }] });
  const stopped = budget.beforeCall(call({ model: "my-model", price: () => null }));
  assert.ok(stopped instanceof BudgetExceededError);
  assert.equal(stopped.reason, "unpriced");
  assert.match(stopped.message, /no price is known for my-model.*priceOverrides/);
  // A call of a run that has no user_id is not held by a user_id limit.
  assert.equal(budget.beforeCall(call({ attributes: {}, price: () => null })), null);
});

Deno.test("no max_tokens and an unlisted model: the estimate assumes defaultMaxOutputTokens", () => {
  const budget = new BudgetGuard({
    limits: [{ per: "user_id", maxUsd: 0.01 }],
    defaultMaxOutputTokens: 1000,
  });
  // 1,000 prompt + 1,000 assumed output tokens: $0.0125 > $0.01.
  const stopped = budget.beforeCall(call({ maxOutputTokens: null }));
  assert.ok(stopped instanceof BudgetExceededError);
  assert.equal(stopped.estimatedUsd, 0.0125);
  assert.throws(() => new BudgetGuard({ limits: [] }), /at least one limit/);
  assert.throws(() => new BudgetGuard({ limits: [{ per: "user_id", maxUsd: -1 }] }), /maxUsd/);
});

/** A counter store that fails, or never answers. */
function brokenCounter(kind: "throws" | "hangs"): BudgetCounter {
  const fail = () => {
    if (kind === "throws") throw new Error("ECONNREFUSED 127.0.0.1:6390");
    return new Promise<never>(() => {});
  };
  return { reserve: fail, add: fail };
}

Deno.test("an unreachable counter store: failOpen lets calls go with one warning", async () => {
  await using server = startBudgetServer(0);
  const warnings: string[] = [];
  const budget = new BudgetGuard({
    limits: [{ per: "user_id", maxUsd: 0.001, window: "1d" }],
    counter: brokenCounter("throws"),
    warn: (message) => warnings.push(message),
  });
  const handler = new PerformanceCallbackHandler({ budget });
  const outcome = await invokeConcurrently(budgetGraph(server.origin), handler, "u", 3);
  assert.deepEqual([outcome.ok, outcome.stopped], [3, 0]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /ECONNREFUSED.*calls go on unguarded/);
  assert.ok(budget.counterFailures >= 3);
  assert.equal(handler.handlerErrors, 0);
});

Deno.test("a counter store that never answers: the call waits counterTimeoutMs, then the policy", async () => {
  await using server = startBudgetServer(0);
  const budget = new BudgetGuard({
    limits: [{ per: "user_id", maxUsd: 1, window: "1d" }],
    counter: brokenCounter("hangs"),
    counterTimeoutMs: 50,
    failOpen: false,
    warn: () => {},
  });
  const handler = new PerformanceCallbackHandler({ budget });
  const started = performance.now();
  const outcome = await invokeConcurrently(budgetGraph(server.origin), handler, "u", 2);
  const waitedMs = performance.now() - started;
  assert.deepEqual([outcome.ok, outcome.stopped], [0, 2]);
  assert.ok(waitedMs < 2000, `${waitedMs} ms`);
  assert.equal(server.requests.length, 0);
  assert.match(handler.runs[0].error ?? "", /did not answer and failOpen is false/);
});

Deno.test("a reservation the store grants after the call stopped waiting is given back", async () => {
  // A store (the one small interface) that answers a reservation after 100 ms, and records adds.
  const memory = new MemoryBudgetCounter();
  const adds: number[] = [];
  const slow: BudgetCounter = {
    reserve: (entries, amount) =>
      new Promise((resolve) => setTimeout(() => resolve(memory.reserve(entries, amount)), 100)),
    add: (entries, amount) => {
      adds.push(amount);
      return memory.add(entries, amount);
    },
  };
  const budget = new BudgetGuard({
    limits: [{ per: "user_id", maxUsd: 1, window: "1d" }],
    counter: slow,
    counterTimeoutMs: 20,
    warn: () => {},
  });
  const guarded = call();
  assert.equal(await budget.beforeCall(guarded), null); // timed out: failOpen lets it go
  budget.afterCall(guarded, 0.001); // charged in full (the reservation was not known)
  await new Promise((resolve) => setTimeout(resolve, 150));
  await budget.flush();
  const reserved = Math.ceil((1000 * 2.5 + 200 * 10) / 1e6 * 1e9 - 1e-6);
  assert.deepEqual(adds, [1_000_000, -reserved]);
  assert.equal(await budget.spentUsd("user_id/1d", "u", guarded.startedAt), 0.001);
  assert.equal(budget.counterFailures, 1);
});

Deno.test("a guard's own bug is caught and counted; the call goes on", async () => {
  await using server = startBudgetServer(0);
  const errors: unknown[] = [];
  const handler = new PerformanceCallbackHandler({
    budget: {
      stopsCalls: true,
      beforeCall: () => {
        throw new TypeError("guard bug");
      },
      afterCall: () => {
        throw new TypeError("another guard bug");
      },
    },
    onError: (error) => errors.push(error),
  });
  const outcome = await invokeConcurrently(budgetGraph(server.origin), handler, "u", 1);
  assert.deepEqual([outcome.ok, outcome.stopped], [1, 0]);
  assert.deepEqual(errors.map((e) => (e as Error).message), ["guard bug", "another guard bug"]);
  assert.equal(handler.metrics.totals.llmCalls, 1);
});
