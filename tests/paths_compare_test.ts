/**
 * `compare` addresses any node path: two benchmarks of the supervisor graph (real LangGraph, a
 * loopback OpenAI server) where only the slow tool changed show the change on that tool's node
 * path (and, inclusively, on the stage and the run that contain it) and "no significant change"
 * everywhere else; a gate rule on the path (`research_agent/tools.p95:+10%`) fails.
 *
 * Time is a virtual clock that moves only when the slow tool ends, by the tool's time: every
 * other node takes 0 ms on it in both benchmarks, so each verdict is certain (on the wall clock,
 * each time figure of an unchanged node has a 5% chance of a false "significant" verdict).
 */
import assert from "node:assert/strict";
import { runBenchmark } from "../benchmark/runner.ts";
import { openResultsStore } from "../store/mod.ts";
import { runCompareCli } from "../cli/compare.ts";
import type { Comparison } from "../compare/compare_benchmarks.ts";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import {
  startSupervisorServer,
  SUPERVISOR_INPUT,
  supervisorGraph,
} from "./fixtures/supervisor_graph.ts";

const RUNS = 40; // enough for a p95 verdict

/** Stores a benchmark of the supervisor graph whose slow tool takes `searchMs` (virtual). */
async function storeBenchmark(db: string, label: string, searchMs: number): Promise<void> {
  await using server = startSupervisorServer();
  let virtualMs = 0;
  // The tool sleeps 30 ms for real (the other branch is long done by then), then the virtual
  // clock moves on by the tool's time.
  const graph = supervisorGraph({
    origin: server.origin,
    searchMs: 30,
    afterSearch: () => (virtualMs += searchMs),
  });
  await graph.invoke(SUPERVISOR_INPUT); // warm up
  using store = openResultsStore(db);
  const id = store.createBenchmark({
    label,
    startedAt: new Date().toISOString(),
    gitCommit: null,
    settings: {},
    meta: {},
    plannedRuns: RUNS,
    shard: null,
  });
  await runBenchmark({
    graph,
    inputs: Array.from({ length: RUNS }, (_, i) => ({ id: `q${i}`, input: SUPERVISOR_INPUT })),
    log: store.runLog(id),
    concurrency: 1, // runs one after the other: one run's tool moves no other run's clock
    createHandler: (hooks) =>
      new PerformanceCallbackHandler({ clock: () => virtualMs, onCallEnd: hooks.onCallEnd }),
  });
}

Deno.test("compare: only the slow tool changed: its path regressed, no significant change elsewhere, the path gate fails", async () => {
  const dir = await Deno.makeTempDir();
  const db = `${dir}/graphmeter.db`;
  await storeBenchmark(db, "fast-search", 40);
  await storeBenchmark(db, "slow-search", 160);
  let out = "";
  let err = "";
  const io = { out: (text: string) => (out += text), err: (text: string) => (err += text) };
  const code = await runCompareCli([
    "fast-search",
    "slow-search",
    "--db",
    db,
    "--json",
    `${dir}/comparison.json`,
    "--fail-on",
    "research_agent/tools.p95:+10%,writer_agent/tools.exclusive:+0",
  ], io);
  assert.equal(code, 1, err);
  assert.match(err, /gate failed: research_agent\/tools\.p95:\+10%$/m);
  const comparison = JSON.parse(await Deno.readTextFile(`${dir}/comparison.json`)) as Comparison;

  // What changed: the tool's node (its own time and its latency), and inclusively its stage and
  // the run's wall time, which contain it (their service latency too: nothing waited, so it is
  // their latency). Nothing else.
  const changed = comparison.scopes.flatMap((scope) =>
    scope.figures.filter((f) => f.verdict !== "no significant change").map((f) =>
      `${scope.stage ?? "(pipeline)"}.${f.figure}:${f.verdict}`
    )
  ).sort();
  assert.deepEqual(changed, [
    "(pipeline).p50:regressed",
    "(pipeline).p95:regressed",
    "(pipeline).serviceP50:regressed",
    "(pipeline).serviceP95:regressed",
    "research_agent.p50:regressed",
    "research_agent.p95:regressed",
    "research_agent.serviceP50:regressed",
    "research_agent.serviceP95:regressed",
    "research_agent/tools.exclusive:regressed",
    "research_agent/tools.p50:regressed",
    "research_agent/tools.p95:regressed",
  ]);
  const tools = comparison.scopes.find((s) => s.stage === "research_agent/tools")!;
  assert.equal(tools.depth, 2);
  const exclusive = tools.figures.find((f) => f.figure === "exclusive")!;
  assert.deepEqual([exclusive.baseline, exclusive.candidate, exclusive.relativeDelta], [
    40,
    160,
    3,
  ]);
  // Every node path was compared: the stages' subgraph nodes are scopes of their own.
  assert.deepEqual(
    comparison.scopes.filter((s) => s.depth !== undefined).map((s) => s.stage).sort(),
    [
      "research_agent/agent",
      "research_agent/tools",
      "writer_agent/agent",
      "writer_agent/tools",
    ],
  );

  // The Markdown: the change named on the path, the rest "no significant change".
  assert.match(
    out,
    /\*\*Changed:\*\* .*research\\_agent\/tools exclusive time per run regressed \+300\.0%/,
  );
  const nested = out.slice(out.indexOf("### Nodes inside the stages"));
  const rows = nested.split("\n").filter((line) => line.startsWith("| `"));
  assert.equal(rows.length, 4);
  for (const row of rows) {
    if (row.startsWith("| `research_agent/tools`")) {
      assert.match(row, /\| 40 ms → 160 ms \(\*\*regressed\*\* \+300\.0%\) \|/);
      assert.match(row, /\*\*regressed\*\* exclusive time per run \+300\.0% \|$/);
    } else {
      assert.match(row, /\| no significant change \|$/, row);
    }
  }
  assert.match(out, /❌ FAILED `research_agent\/tools\.p95:\+10%`/);
  assert.match(out, /✅ passed `writer_agent\/tools\.exclusive:\+0`/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("compare: a gate rule naming no node path says which there are", async () => {
  const dir = await Deno.makeTempDir();
  const db = `${dir}/graphmeter.db`;
  await storeBenchmark(db, "a", 40);
  let err = "";
  const io = { out: () => {}, err: (text: string) => (err += text) };
  const code = await runCompareCli(
    ["a", "a", "--db", db, "--fail-on", "research_agent/search.p95:+10%"],
    io,
  );
  assert.equal(code, 2);
  assert.match(
    err,
    /^compare: --fail-on: rule "research_agent\/search\.p95:\+10%": no stage "research_agent\/search" \(nor node path\) in either benchmark; stages: supervisor, .* \(and 4 node paths inside them, e\.g\. "research_agent\/agent"\)$/m,
  );
  await Deno.remove(dir, { recursive: true });
});
