/**
 * The node paths in the reports: `metrics.json`'s path aggregates (exact sums over runs, valid),
 * report.md's nested tables (top N by cost and by exclusive time, depth-limited) and critical
 * path, and `writePerformanceSection(metrics, { depth })`'s nested rows; bounded for a graph with
 * 2,000 paths.
 */
import assert from "node:assert/strict";
import { buildBenchmarkResult } from "../benchmark/result/aggregate_runs.ts";
import { BenchmarkResult } from "../benchmark/result/benchmark_result.ts";
import { writeBenchmarkReport } from "../benchmark/markdown/benchmark_report.ts";
import { pathsSection } from "../benchmark/markdown/_paths_section.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { writePerformanceSection } from "../report/performance_section.ts";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { SUMMARIZE_BRANCHES, SUPERVISOR_USAGE } from "./fixtures/supervisor_graph.ts";
import { supervisorBenchmark } from "./support/supervisor_benchmark.ts";
import { GraphEvents } from "./support/graph_events.ts";
import { assertClose } from "./support/path_checks.ts";
import { writeHtmlReport } from "../compare/html/html_report.ts";
import { checkHtmlInChromium, chromiumMissing } from "../tools/html_check.ts";

const META = {
  createdAt: "2026-12-06T00:00:00.000Z",
  gitCommit: null,
  models: { "*": "openai:gpt-4o-mini" },
  inputSource: "inline",
  repeats: 1,
  concurrency: 1,
  maxCostUsd: null,
  seed: null,
};

function resultOf(records: RunRecord[]): BenchmarkResult {
  const result = buildBenchmarkResult(
    { records, total: records.length, resumed: 0, notRun: 0, stoppedReason: null },
    META,
  );
  // What metrics.json holds validates, and reads back as written.
  return BenchmarkResult.parse(JSON.parse(JSON.stringify(result)));
}

/** The rows of the Markdown table under `heading`, as cells. */
function tableUnder(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(heading);
  assert.ok(start >= 0, `no "${heading}"`);
  const lines = markdown.slice(start).split("\n").slice(1);
  const first = lines.findIndex((line) => line.startsWith("|"));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(line.slice(2, -2).split(" | "));
  }
  return rows;
}

Deno.test("report: the supervisor benchmark's nested tables and critical path", async () => {
  const records = await supervisorBenchmark({ searchMs: 150, inputs: 4 });
  assert.equal(records.length, 4);
  const result = resultOf(records);
  const paths = result.aggregates.paths ?? [];
  const byPath = new Map(paths.map((p) => [p.path, p]));
  // Sums over the 4 runs, exact.
  const agent = byPath.get("research_agent/agent")!;
  assert.deepEqual([agent.runs, agent.executions, agent.exclusive.llmCalls], [4, 8, 8]);
  assert.equal(
    agent.exclusive.inputTokens,
    4 * (SUPERVISOR_USAGE.agentAsks[0] + SUPERVISOR_USAGE.agentAnswers[0]),
  );
  assert.equal(byPath.get("summarize")?.executions, 4 * SUMMARIZE_BRANCHES);
  assertClose(
    byPath.get("research_agent")?.inclusive.costUsd ?? null,
    records.reduce((sum, r) => sum + (r.metrics.stages.research_agent.costUsd ?? 0), 0),
    "research_agent cost",
  );
  assert.equal(byPath.get("research_agent/tools")?.criticalRuns, 4);
  assert.equal(byPath.get("writer_agent")?.criticalRuns, 0);
  assert.ok(byPath.get("research_agent")!.criticalShare > 0.2);

  const markdown = writeBenchmarkReport(result);
  const byTime = tableUnder(markdown, "by exclusive time");
  assert.equal(byTime[0][0], "`research_agent/tools`");
  assert.match(byTime[0][6], /`web_search` \d+ ms/);
  const byCost = tableUnder(markdown, "by cost");
  // The agents cost the most (two calls of 200-300 tokens each); their stage holds the same.
  assert.deepEqual(byCost.slice(0, 4).map((row) => row[0]).sort(), [
    "`research_agent/agent`",
    "`research_agent`",
    "`writer_agent/agent`",
    "`writer_agent`",
  ]);
  const critical = tableUnder(markdown, "## Critical path");
  assert.ok(
    critical.some((row) => row[0] === "`research_agent/tools`" && row[1] === "4 of 4 runs"),
  );
  assert.ok(!critical.some((row) => row[0].startsWith("`writer_agent")));
  assert.match(markdown, /The slowest run's: `supervisor` → `research_agent` → /);
  // The slowest run's performance section shows the nodes inside its stages.
  assert.match(markdown, /\| ↳ research\\_agent\/tools \| \d+\.\d{3} \| 0 \| 0 \| 0 \| 0 \|/);

  // Depth-limited and top N: stages only, 2 rows.
  const shallow = pathsSection(result, { depth: 1, top: 2 });
  assert.equal(tableUnder(shallow, "by exclusive time").length, 2);
  assert.ok(!shallow.includes("research_agent/"));
});

Deno.test("report: writePerformanceSection nests rows down to the depth asked, the total unchanged", () => {
  const events: GraphEvents = new GraphEvents(
    new PerformanceCallbackHandler({ clock: () => events.now }),
  );
  const root = events.root(0);
  const stage = events.node(root, "agent_sg", 0);
  const agent = events.node(stage, "agent", 1);
  const inner = events.node(agent, "plan", 2);
  events.call(inner, 3, 9, 1000, 100);
  events.end(inner, 10);
  events.end(agent, 1500);
  events.end(stage, 2000);
  events.end(root, 2000);
  const metrics = events.handler.metrics;
  const flat = writePerformanceSection(metrics);
  assert.equal(writePerformanceSection(metrics, { depth: 1 }), flat);
  assert.doesNotMatch(flat, /↳/);
  const two = writePerformanceSection(metrics, { depth: 2 });
  assert.match(
    two,
    /\| agent\\_sg \| 2\.000 \| 1 \| 1,000 \| 100 \| 0\.00021 \|\n\| ↳ agent\\_sg\/agent \| 1\.499 \| 1 \| 1,000 \| 100 \| 0\.00021 \|\n\| \*\*Total\*\*/,
  );
  assert.match(two, /Rows marked ↳ are nodes inside the stage above/);
  assert.match(
    writePerformanceSection(metrics, { depth: 3 }),
    /\| ↳ agent\\_sg\/agent\/plan \| 0\.008 \|/,
  );
  // The total row is the stages', whatever the depth.
  const total = (text: string) => text.split("\n").find((line) => line.startsWith("| **Total**"));
  assert.equal(total(two), total(flat));
});

Deno.test("report: a graph with 2,000 node paths keeps its tables to the top N", () => {
  const events: GraphEvents = new GraphEvents(
    new PerformanceCallbackHandler({ clock: () => events.now }),
  );
  let t = 0;
  const root = events.root(t);
  const wide = events.node(root, "wide", t);
  for (let i = 0; i < 2000; i++) {
    const node = events.node(wide, `node_${i}_${"y".repeat(5000)}`, ++t);
    events.call(node, t, t + 1, 10, 1);
    events.end(node, t += 2);
  }
  events.end(wide, ++t);
  events.end(root, ++t);
  const record: RunRecord = {
    inputId: "wide",
    repeat: 0,
    inputAmount: null,
    outputSummary: null,
    metrics: events.handler.metrics,
    quality: null,
    error: null,
  };
  const result = resultOf([record]);
  assert.ok((result.aggregates.paths ?? []).length <= 500);
  const markdown = writeBenchmarkReport(result);
  assert.equal(tableUnder(markdown, "by exclusive time").length, 10);
  assert.ok(markdown.length < 200_000, `${markdown.length} characters`);
  // The paths metrics.json holds (the aggregates', the slowest run's) are bounded too.
  const size = (value: unknown) => JSON.stringify(value).length;
  assert.ok(size(result.aggregates.paths) < 500_000);
  assert.ok(size(result.slowestRun?.metrics.paths) < 500_000);
});

Deno.test("report.html: icicles of time and cost inside the stages, the critical path, in Chromium", async () => {
  const records = await supervisorBenchmark({ searchMs: 60, inputs: 3 });
  const html = await writeHtmlReport(records, { label: "supervisor" });
  assert.doesNotMatch(html, /<script/i);
  for (
    const heading of [
      "Inside the stages: time",
      "Inside the stages: cost",
      "Critical path",
      "Node paths by exclusive time (top 9)",
    ]
  ) assert.ok(html.includes(`<h2>${heading}</h2>`), heading);
  // Five stage charts, two icicles, the critical path: eight inline SVGs.
  assert.equal(html.match(/<svg /g)?.length, 8);
  // The icicle labels its boxes with the node names where they fit: the slow tool's node does.
  const icicle = html.slice(
    html.indexOf("Inside the stages: time"),
    html.indexOf("Inside the stages: cost"),
  );
  assert.match(icicle, /<text[^>]*>tools<\/text>/);
  assert.match(icicle, /<text[^>]*>research_agent<\/text>/);
  assert.match(html, /<td>research_agent\/tools<\/td><td>\d+ ms<\/td>/);
  const missing = await chromiumMissing();
  if (missing !== null) {
    console.log(`skipped the browser check: ${missing}`);
    return;
  }
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/report.html`, html);
  const check = await checkHtmlInChromium(`${dir}/report.html`, `${dir}/report.png`, {
    width: 1000,
    height: 3000,
  });
  assert.deepEqual(check.consoleMessages, []);
  assert.ok(check.screenshotBytes > 10_000);
  await Deno.remove(dir, { recursive: true });
});
