/**
 * Budgets shared by processes: two processes invoke the same user's graph at once under one hard
 * $0.05/user/day limit, counted in a SQLite file they share, then in a real `redis-server` they
 * share; a third process's user is unaffected. And what happens when Redis cannot be reached.
 */
import assert from "node:assert/strict";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { BudgetGuard } from "../budget/mod.ts";
import { SqliteBudgetCounter } from "../budget/sqlite_counter.ts";
import { RedisBudgetCounter } from "../budget/redis_counter.ts";
import {
  budgetGraph,
  CALL,
  invokeConcurrently,
  startBudgetServer,
} from "./support/budget_workload.ts";
import { freePort, redisMissing, startRedisServer } from "./fixtures/redis_server.ts";

const CAP_USD = 0.05;
const CHILD = new URL("./fixtures/budget_child.ts", import.meta.url).pathname;

interface ChildOutcome {
  ok: number;
  stopped: number;
  otherErrors: string[];
  spentUsd: number;
  estimatedMaxUsd: number | null;
  reasons: string[];
  counterFailures: number;
  handlerErrors: number;
}

/** Runs processes (user, invocations) at once against the shared store; their outcomes. */
async function runProcesses(
  kind: "sqlite" | "redis",
  target: string,
  origin: string,
  jobs: readonly [string, number][],
): Promise<ChildOutcome[]> {
  const dir = await Deno.makeTempDir();
  const go = `${dir}/go`;
  const children = jobs.map(([user, count]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CHILD, kind, target, origin, user, String(count)],
      env: { BUDGET_GO_FILE: go, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn()
  );
  await Deno.writeTextFile(go, "go");
  const outputs = await Promise.all(children.map((child) => child.output()));
  await Deno.remove(dir, { recursive: true });
  return outputs.map((output) => {
    const stdout = new TextDecoder().decode(output.stdout).trim().split("\n").pop() ?? "";
    assert.ok(output.success, new TextDecoder().decode(output.stderr));
    return JSON.parse(stdout) as ChildOutcome;
  });
}

/** What the two processes of one user and the third of another must show together. */
function assertHeld(outcomes: ChildOutcome[], requestsSeen: number): void {
  const [a, b, other] = outcomes;
  for (const outcome of outcomes) {
    assert.deepEqual(outcome.otherErrors, []);
    assert.equal(outcome.counterFailures, 0);
    assert.equal(outcome.handlerErrors, 0);
  }
  const ok = a.ok + b.ok;
  const stopped = a.stopped + b.stopped;
  const spent = a.spentUsd + b.spentUsd;
  const estimatedMaxUsd = (a.estimatedMaxUsd ?? b.estimatedMaxUsd) as number;
  assert.equal(ok + stopped, 20);
  assert.ok(stopped > 0 && ok > 0, JSON.stringify(outcomes));
  assert.ok(spent <= CAP_USD + estimatedMaxUsd, `${spent}`);
  assert.ok(spent > CAP_USD - estimatedMaxUsd, `${spent}`);
  assert.equal(ok, 11); // as in one process: 11 x $0.00451 reserved fits in $0.05, 12 do not
  assert.deepEqual([...new Set([...a.reasons, ...b.reasons])].filter(Boolean), ["budget"]);
  assert.deepEqual([other.ok, other.stopped], [5, 0]);
  assert.equal(requestsSeen, ok + other.ok); // the stopped calls were never sent
}

Deno.test("two processes sharing a SQLite counter hold one $0.05/user/day cap", async () => {
  await using server = startBudgetServer();
  const dir = await Deno.makeTempDir();
  const path = `${dir}/budget.db`;
  const outcomes = await runProcesses("sqlite", path, server.origin, [
    ["heavy-user", 10],
    ["heavy-user", 10],
    ["other-user", 5],
  ]);
  assertHeld(outcomes, server.requests.length);
  // The shared counter holds exactly what the calls cost (reservations replaced by actual costs).
  const counter = new SqliteBudgetCounter({ path });
  const guard = new BudgetGuard({
    limits: [{ per: "user_id", maxUsd: CAP_USD, window: "1d" }],
    counter,
  });
  const stored = await guard.spentUsd("user_id/1d", "heavy-user");
  assert.ok(
    Math.abs(stored - (outcomes[0].ok + outcomes[1].ok) * CALL.costUsd) < 1e-9,
    `${stored}`,
  );
  await guard.close();
  await Deno.remove(dir, { recursive: true });
});

const missing = await redisMissing();
if (missing !== null) console.log(`skipping the Redis budget tests: ${missing}`);

Deno.test({
  name: "two processes sharing a real redis-server hold one $0.05/user/day cap",
  ignore: missing !== null,
  fn: async () => {
    await using redis = await startRedisServer();
    await using server = startBudgetServer();
    const outcomes = await runProcesses("redis", redis.url, server.origin, [
      ["heavy-user", 10],
      ["heavy-user", 10],
      ["other-user", 5],
    ]);
    assertHeld(outcomes, server.requests.length);
    const guard = new BudgetGuard({
      limits: [{ per: "user_id", maxUsd: CAP_USD, window: "1d" }],
      counter: new RedisBudgetCounter({ url: redis.url }),
    });
    const stored = await guard.spentUsd("user_id/1d", "heavy-user");
    assert.ok(
      Math.abs(stored - (outcomes[0].ok + outcomes[1].ok) * CALL.costUsd) < 1e-9,
      `${stored}`,
    );
    await guard.close();
  },
});

Deno.test({
  name: "Redis windows expire with the window: the counter key has a TTL to the window's end",
  ignore: missing !== null,
  fn: async () => {
    await using redis = await startRedisServer();
    const counter = new RedisBudgetCounter({ url: redis.url, keyPrefix: "t:" });
    const entry = { key: "k", maxNanoUsd: 100, ttlMs: 60_000 };
    assert.deepEqual(await counter.reserve([entry], 60), { granted: true });
    assert.deepEqual(await counter.reserve([entry], 60), {
      granted: false,
      index: 0,
      spentNanoUsd: 60,
    });
    assert.deepEqual(await counter.add([entry, { ...entry, key: "j" }], -10), [50, -10]);
    // Read the TTL with the CLI's protocol: a raw RESP command on a socket.
    const connection = await Deno.connect({ hostname: "127.0.0.1", port: redis.port });
    await connection.write(new TextEncoder().encode("*2\r\n$4\r\nPTTL\r\n$3\r\nt:k\r\n"));
    const buffer = new Uint8Array(64);
    const read = await connection.read(buffer);
    connection.close();
    const ttl = Number(new TextDecoder().decode(buffer.subarray(0, read ?? 0)).slice(1));
    assert.ok(ttl > 55_000 && ttl <= 60_000, `${ttl}`);
    await counter.close();
  },
});

Deno.test("an unreachable Redis: calls go on (failOpen) with one warning, the graph never hangs", async () => {
  await using server = startBudgetServer(0);
  const warnings: string[] = [];
  const counter = new RedisBudgetCounter({ url: `redis://127.0.0.1:${freePort()}` });
  const budget = new BudgetGuard({
    limits: [{ per: "user_id", maxUsd: 0.001, window: "1d" }],
    counter,
    counterTimeoutMs: 200,
    warn: (message) => warnings.push(message),
  });
  const handler = new PerformanceCallbackHandler({ budget });
  const started = performance.now();
  const outcome = await invokeConcurrently(budgetGraph(server.origin), handler, "u", 4);
  const waitedMs = performance.now() - started;
  assert.deepEqual([outcome.ok, outcome.stopped], [4, 0]);
  assert.ok(waitedMs < 3000, `${waitedMs} ms`);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /budget counter store failed.*calls go on unguarded/);
  await budget.close();
});
