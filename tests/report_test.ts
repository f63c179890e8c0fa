import assert from "node:assert/strict";
import { buildBenchmarkResult } from "../benchmark/result/aggregate_runs.ts";
import { BenchmarkResult } from "../benchmark/result/benchmark_result.ts";
import {
  formatCount,
  formatMean,
  formatMs,
  formatNumber,
  formatShare,
  formatUsd,
} from "../report/format.ts";
import { writeBenchmarkReport } from "../benchmark/markdown/benchmark_report.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import type { LLMCallMetrics } from "../telemetry/metrics.ts";
import { type BenchmarkRun, runBenchmark } from "../benchmark/runner.ts";
import { ToyChatModel, toyGraph, type ToyInput } from "./support/toy_graph.ts";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";

const meta = {
  createdAt: "2025-06-01T12:00:00.000Z",
  gitCommit: "abc1234",
  models: { "*": "openai:gpt-4o-mini" },
  inputSource: "toy inputs",
  repeats: 2,
  concurrency: 2,
  maxCostUsd: null,
  seed: 7,
};

async function toyBenchmark(
  texts: string[],
  model = new ToyChatModel(),
  classifyModel = model,
): Promise<BenchmarkRun> {
  return await runBenchmark({
    graph: toyGraph({}, model, classifyModel),
    inputs: texts.map((text, i) => ({ id: `t${i}`, input: { text } as ToyInput })),
    unit: {
      name: "1,000 words",
      amountOf: ({ input }) => (input as ToyInput).text.split(/\s+/).length / 1000,
    },
    repeats: 2,
    concurrency: 2,
    quality: (output) => ({ labelLength: String(output.label).length, words: output.text.length }),
  });
}

/** The rows of the Markdown table under a `## heading`, as cells (header and rule dropped). */
function tableUnder(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`\n## ${heading}`);
  assert.ok(start >= 0, `no section "${heading}"`);
  const rest = markdown.slice(start + 4 + heading.length);
  const end = rest.indexOf("\n## ");
  const lines = (end < 0 ? rest : rest.slice(0, end)).split("\n").filter((l) => l.startsWith("|"));
  return lines.slice(2).map((line) =>
    line.slice(2, -2).split(" | ").map((c) => c.trim().replace(/\\\|/g, "|"))
  );
}

function nearestRank(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(q * sorted.length) - 1];
}

const ok = (runs: RunRecord[]) => runs.filter((r) => r.error === null && r.metrics.status === "ok");
const sumOf = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The median time to first token of the streamed calls, as the report writes it. */
function ttftCell(calls: LLMCallMetrics[]): string {
  const times = calls.flatMap((call) => call.timeToFirstTokenMs ?? []);
  return times.length === 0 ? "–" : formatMs(nearestRank(times, 0.5));
}

Deno.test("report: every number in the stage table is recomputed from metrics.json", async () => {
  // summarize streams (a time to first token), classify does not.
  const run = await toyBenchmark(
    ["hello there", "a longer text to summarize", "FAIL now"],
    new ToyChatModel("gpt-4o-mini", {}, 3),
    new ToyChatModel(),
  );
  const json = BenchmarkResult.parse(JSON.parse(JSON.stringify(buildBenchmarkResult(run, meta))));
  const markdown = writeBenchmarkReport(json);
  // Per-run stages and calls live in the store, not metrics.json: recompute from the records.
  const runs = ok(run.records);
  assert.equal(runs.length, 4);
  const n = runs.length;
  const totalCost = sumOf(runs.map((r) => r.metrics.totals.costUsd ?? 0));
  const calls = runs.flatMap((r) => r.metrics.calls);

  const rows = tableUnder(markdown, "Stages across runs");
  assert.deepEqual(rows.map((r) => r[0]), ["summarize", "classify", "**Run (total)**"]);
  assert.notEqual(rows[0][5], "–");
  assert.ok(Number.parseFloat(rows[0][5]) >= 3, rows[0][5]);
  assert.equal(rows[1][5], "–");
  for (const row of rows.slice(0, -1)) {
    const stages = runs.map((r) => r.metrics.stages[row[0]]);
    const latencies = stages.map((s) => s.latencyMs);
    const cost = sumOf(stages.map((s) => s.costUsd ?? 0));
    assert.deepEqual(row.slice(1), [
      formatCount(n),
      formatMs(nearestRank(latencies, 0.5)),
      formatMs(nearestRank(latencies, 0.95)),
      formatMs(Math.max(...latencies)),
      ttftCell(calls.filter((call) => call.stage === row[0])),
      formatMean(sumOf(stages.map((s) => s.llmCalls)) / n),
      formatMean(sumOf(stages.map((s) => s.inputTokens)) / n),
      formatMean(sumOf(stages.map((s) => s.outputTokens)) / n),
      formatUsd(cost / n),
      formatShare(cost / totalCost),
    ]);
  }
  const wallTimes = runs.map((r) => r.metrics.wallTimeMs);
  assert.deepEqual(rows.at(-1)!.slice(1), [
    formatCount(n),
    formatMs(nearestRank(wallTimes, 0.5)),
    formatMs(nearestRank(wallTimes, 0.95)),
    formatMs(Math.max(...wallTimes)),
    ttftCell(calls),
    formatMean(sumOf(runs.map((r) => r.metrics.totals.llmCalls)) / n),
    formatMean(sumOf(runs.map((r) => r.metrics.totals.inputTokens)) / n),
    formatMean(sumOf(runs.map((r) => r.metrics.totals.outputTokens)) / n),
    formatUsd(totalCost / n),
    "100.0%",
  ]);
});

Deno.test("report: cost and quality tables match metrics.json, totals exact", async () => {
  const run = await toyBenchmark(["hello there", "a longer text to summarize", "FAIL now"]);
  const json = BenchmarkResult.parse(
    JSON.parse(
      JSON.stringify(buildBenchmarkResult(run, meta, { amount: 50, label: "50,000 words" })),
    ),
  );
  const markdown = writeBenchmarkReport(json);
  // Per-run stages and calls live in the store, not metrics.json: recompute from the records.
  const runs = ok(run.records);
  const a = json.aggregates;

  // Exact totals: integer sums agree across runs, stages and aggregates.
  const inputTokens = sumOf(runs.map((r) => r.metrics.totals.inputTokens));
  assert.equal(a.inputTokens, inputTokens);
  assert.equal(sumOf(a.stages.map((s) => s.inputTokens)), inputTokens);
  assert.equal(a.llmCalls, sumOf(runs.map((r) => r.metrics.calls.length)));
  const cost = sumOf(runs.map((r) => r.metrics.totals.costUsd ?? 0));
  assert.ok(Math.abs((a.costUsd ?? 0) - cost) < 1e-12);
  const allCost = sumOf(json.runs.map((r) => r.costUsd ?? 0));
  const thousands = sumOf(runs.map((r) => r.inputAmount ?? 0));

  const costRows = Object.fromEntries(tableUnder(markdown, "Cost"));
  assert.deepEqual(costRows, {
    "Cost of the successful runs": formatUsd(cost),
    "Cost of all runs (failed included)": formatUsd(allCost),
    "Cost per run": formatUsd(cost / runs.length),
    "LLM calls": formatCount(a.llmCalls),
    "Input tokens": formatCount(inputTokens),
    "Output tokens": formatCount(sumOf(runs.map((r) => r.metrics.totals.outputTokens))),
    "Input (1,000 words)": formatNumber(thousands),
    "Cost per 1,000 words": formatUsd(cost / thousands),
    "Projected daily cost at 50,000 words a day": formatUsd((cost / thousands) * 50),
  });

  const quality = tableUnder(markdown, "Quality");
  assert.deepEqual(quality.map((r) => r[0]), ["labelLength", "words"]);
  // Means per run, never totals (a sum of per-run ratios means nothing).
  assert.ok(markdown.includes("| Measure | Runs | Mean / run | Min | Max |"));
  for (const [name, count, mean, min, max] of quality) {
    const values = runs.map((r) => r.quality![name]);
    assert.deepEqual([count, mean, min, max], [
      formatCount(values.length),
      formatNumber(sumOf(values) / values.length),
      formatNumber(Math.min(...values)),
      formatNumber(Math.max(...values)),
    ]);
  }

  const failed = tableUnder(markdown, "Failed runs");
  assert.deepEqual(failed.map((r) => [r[0], r[1]]), [["t2", "0"], ["t2", "1"]]);
  assert.match(failed[0][2], /summarize failed on purpose/);
});

Deno.test("report: header, pictures and per-run sections", async () => {
  const run = await toyBenchmark(["hello there", "FAIL"]);
  const json = buildBenchmarkResult(run, meta);
  const markdown = writeBenchmarkReport(json);
  const header = Object.fromEntries(tableUnder("\n## H\n" + markdown.split("\n## ")[0], "H"));
  assert.equal(header["Git commit"], "abc1234");
  assert.equal(header["Models"], "`openai:gpt-4o-mini` (all stages)");
  assert.equal(
    header["Price catalog"],
    `${json.pricing!.catalog} ${json.pricing!.version} (prices up to ${json.pricing!.dataDate}); ` +
      "each call priced as of its own start",
  );
  assert.match(json.pricing!.dataDate ?? "", /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(header["Price overrides"], "none");
  assert.equal(header["Runs"], "4 planned: 2 ok, 2 failed, 0 not run");
  assert.match(markdown, /```mermaid\ngantt\n/);
  const ok = run.records.filter((r) => r.error === null);
  const slowest = ok.reduce((a, b) => b.metrics.wallTimeMs > a.metrics.wallTimeMs ? b : a);
  assert.deepEqual(json.slowestRun, slowest);
  assert.match(
    markdown,
    new RegExp(`Timeline of the slowest run \\(\`${slowest.inputId}\` repeat`),
  );
  const bars = markdown.match(/^ {4}execution \d+ \(.*\) :(crit, )?\d+, \d+$/gm) ?? [];
  const executions = Object.values(slowest.metrics.stages).map((s) => s.executionSpans.length);
  assert.equal(bars.length, sumOf(executions));
  assert.match(markdown, /```mermaid\npie showData\n/);
  const pie = [...markdown.matchAll(/^ {4}"[^"]+" : ([\d.]+)$/gm)].map((m) => Number(m[1]));
  assert.ok(Math.abs(sumOf(pie) - 100) < 0.02);
  // Every run has a row in the runs table; the slowest one its performance section.
  const runRows = tableUnder(markdown, "Runs").filter((row) => row.length === 8);
  assert.deepEqual(
    runRows.map((row) => [row[0], row[1], row[2]]),
    run.records.map((r) => [r.inputId, String(r.repeat), r.error === null ? "ok" : "failed"]),
  );
  assert.equal(markdown.match(/^### Slowest run: `t\d` repeat \d$/gm)?.length, 1);
});

Deno.test("report: an unpriced model shows unpriced, never $0", async () => {
  const run = await toyBenchmark(["hello"], new ToyChatModel("my-private-model-x"));
  const json = buildBenchmarkResult(run, meta);
  assert.equal(json.aggregates.costUsd, null);
  const markdown = writeBenchmarkReport(json);
  const rows = tableUnder(markdown, "Stages across runs");
  for (const row of rows) assert.equal(row[9], "unpriced");
  const costRows = Object.fromEntries(tableUnder(markdown, "Cost"));
  assert.equal(costRows["Cost of the successful runs"], "unpriced");
  assert.equal(costRows["Cost per 1,000 words"], "unpriced");
  assert.match(markdown, /No priced cost to share/);
});

Deno.test("report: a budget stop is stated", () => {
  const result = buildBenchmarkResult(
    { records: [], total: 6, resumed: 0, notRun: 6, stoppedReason: "stopped before the budget" },
    { ...meta, maxCostUsd: 0.01 },
  );
  const markdown = writeBenchmarkReport(result);
  assert.match(markdown, /\*\*Stopped early:\*\* stopped before the budget/);
  assert.match(markdown, /No successful run to aggregate/);
});

Deno.test("report: stage names are escaped and partial costs worded alike in every table", async () => {
  // One stage calls a priced model ($1 per input token, $2 per output token) and an unpriced one.
  const priced = new ToyChatModel("gpt-4o-mini");
  const unpriced = new ToyChatModel("my-private-model-x");
  const State = Annotation.Root({ text: Annotation<string> });
  const graph = new StateGraph(State)
    .addNode("extract_facts (v2)", async (state) => {
      await priced.invoke(state.text);
      await unpriced.invoke(state.text);
      return {};
    })
    .addEdge(START, "extract_facts (v2)")
    .addEdge("extract_facts (v2)", END)
    .compile();
  const priceOverrides = { "gpt-4o-mini": { inputPerMTok: 1e6, outputPerMTok: 2e6 } };
  const run = await runBenchmark({
    graph,
    inputs: [{ id: "t0", input: { text: "hello" } }],
    createHandler: (hooks) => new PerformanceCallbackHandler({ ...hooks, priceOverrides }),
  });
  const markdown = writeBenchmarkReport(buildBenchmarkResult(run, meta));
  const [pricedCall] = run.records[0].metrics.calls.filter((c) => c.model === "gpt-4o-mini");
  const costUsd = pricedCall.inputTokens + 2 * pricedCall.outputTokens;
  assert.equal(run.records[0].metrics.totals.costUsd, costUsd);
  const escaped = "extract\\_facts \\(v2\\)";
  const lines = markdown.split("\n");
  // Stages across runs: the aggregate row (name, cost per run, share of cost).
  const aggregate = tableUnder(markdown, "Stages across runs")[0];
  assert.deepEqual(
    [aggregate[0], aggregate[9], aggregate[10]],
    [escaped, `${formatUsd(costUsd)} (+1 unpriced)`, "100.0%"],
  );
  // Models per stage.
  assert.ok(
    lines.includes(`| ${escaped} | openai:gpt\\-4o\\-mini, openai:my\\-private\\-model\\-x |`),
    markdown,
  );
  // The run's performance section: the same wording, without the $ its header carries.
  const perRun = lines.filter((l) => l.startsWith(`| ${escaped} | `)).at(-1)!.split(" | ");
  assert.equal(perRun.at(-1), `${formatUsd(costUsd).slice(1)} (+1 unpriced) |`);
  assert.ok(
    lines.includes(`| Cost of the successful runs | ${formatUsd(costUsd)} (+1 unpriced) |`),
  );
});

Deno.test("report: says a stage's latency is the sum of its executions", async () => {
  const markdown = writeBenchmarkReport(buildBenchmarkResult(await toyBenchmark(["hi"]), meta));
  assert.ok(
    markdown.includes(
      "Latency is the sum of a stage's execution times within one run: under a parallel " +
        "fan-out (e.g. `Send`) it can exceed the time the stage took on the clock. Percentiles " +
        "are nearest-rank over the runs where the stage appears;",
    ),
  );
});

Deno.test("report: a per-unit figure of inputs without units is n/a, not unpriced", async () => {
  const run = await runBenchmark({
    graph: toyGraph(),
    inputs: [{ id: "empty", input: { text: "" } as ToyInput }],
    unit: { name: "1,000 words", amountOf: () => 0 },
  });
  const markdown = writeBenchmarkReport(buildBenchmarkResult(run, meta, {
    amount: 100,
    label: "100,000 words",
  }));
  const costRows = Object.fromEntries(tableUnder(markdown, "Cost"));
  assert.equal(costRows["Input (1,000 words)"], "0");
  assert.equal(costRows["Cost per 1,000 words"], "n/a");
  assert.equal(costRows["Projected daily cost at 100,000 words a day"], "n/a");
  // Without a unit, no per-unit rows at all: a user's graph does not pretend to have words.
  const noUnit = await runBenchmark({
    graph: toyGraph(),
    inputs: [{ id: "a", input: { text: "hi" } }],
  });
  const plain = writeBenchmarkReport(buildBenchmarkResult(noUnit, meta, null));
  assert.deepEqual(tableUnder(plain, "Cost").map((row) => row[0]), [
    "Cost of the successful runs",
    "Cost of all runs (failed included)",
    "Cost per run",
    "LLM calls",
    "Input tokens",
    "Output tokens",
  ]);
});

Deno.test("report: a note about the models is said wherever models are listed", async () => {
  const run = await toyBenchmark(["hi"]);
  const note = "simulated: no provider was called";
  const markdown = writeBenchmarkReport(buildBenchmarkResult(run, { ...meta, modelsNote: note }));
  assert.ok(markdown.includes(`| Models | \`openai:gpt-4o-mini\` (all stages) — simulated: no`));
  const section = markdown.slice(markdown.indexOf("## Models per stage"));
  assert.ok(section.startsWith(`## Models per stage (as answered)\n\n${note}\n`), section);
});

Deno.test("report: runs stopped in flight are listed with what they spent", async () => {
  const run = await toyBenchmark(["hello"]);
  const [stopped] = run.records.splice(1, 1);
  const json = buildBenchmarkResult(
    { ...run, stoppedRuns: [stopped], notRun: 1, stoppedReason: "stopped: past the budget" },
    { ...meta, maxCostUsd: 0.0001 },
  );
  const markdown = writeBenchmarkReport(json);
  assert.match(markdown, /\*\*Stopped early:\*\* stopped: past the budget/);
  const rows = tableUnder(markdown, "Runs stopped in flight");
  assert.deepEqual(rows, [["t0", "1", "2", formatUsd(stopped.metrics.totals.costUsd)]]);
  assert.equal(json.stoppedRuns[0].costUsd, stopped.metrics.totals.costUsd);
  const costRows = Object.fromEntries(tableUnder(markdown, "Cost"));
  assert.equal(
    costRows["Cost of the runs stopped in flight"],
    formatUsd(stopped.metrics.totals.costUsd),
  );
});

Deno.test("report: where the money goes, per stage by billed dimension, from metrics.json", async () => {
  const run = await toyBenchmark(["hello there", "a longer text to summarize", "FAIL now"]);
  const json = BenchmarkResult.parse(JSON.parse(JSON.stringify(buildBenchmarkResult(run, meta))));
  const rows = tableUnder(writeBenchmarkReport(json), "Where the money goes");
  const runs = ok(run.records);
  const stages = json.aggregates.stages.filter((s) => s.llmCalls > 0);
  assert.ok(stages.length >= 2);
  assert.deepEqual(rows.map((row) => row[0]), [...stages.map((s) => s.stage), "**Run (total)**"]);
  // gpt-4o-mini: $0.15 per million input tokens, $0.60 per million output tokens, no cache
  // (https://openai.com/api/pricing/, 2026-11-27). The toy model reports no cached tokens.
  for (const [index, stage] of stages.entries()) {
    const rowsOf = runs.map((r) => r.metrics.stages[stage.stage]).filter((s) => s !== undefined);
    const input = sumOf(rowsOf.map((s) => s.inputTokens));
    const output = sumOf(rowsOf.map((s) => s.outputTokens));
    const [_, uncached, cached, write5m, write1h, out, audio, tools, multipliers, total] =
      rows[index];
    assert.equal(uncached, formatUsd((input * 0.15e-6) / runs.length), stage.stage);
    assert.equal(out, `${formatUsd((output * 0.6e-6) / runs.length)} ($0)`);
    assert.deepEqual([cached, write5m, write1h, audio, tools, multipliers], Array(6).fill("$0"));
    assert.equal(total, formatUsd((stage.costUsd ?? 0) / runs.length));
  }
  const totalRow = rows.at(-1)!;
  assert.equal(totalRow.at(-1), `**${formatUsd(json.aggregates.costPerRunUsd)}**`);
  assert.ok(json.aggregates.costBreakdown.uncachedInputUsd > 0);
});
