/**
 * The node path demo behind `docs/benchmark.md`'s picture: two benchmarks of the supervisor graph
 * (real LangGraph, two ReAct agent subgraphs and a `Send` fan-out, against a loopback OpenAI
 * server; tests/fixtures/supervisor_graph.ts) on the wall clock, the second with its slow tool
 * three times slower, made run by run in turn; prints report.md's node path sections and the comparison, and writes the
 * candidate's report.html and a screenshot of it (headless Chromium).
 *
 * Run: `deno run --allow-all tools/nested_report.ts docs/nested_report.png` (options: `--runs 12
 * --fast-ms 60 --slow-ms 180 --out <folder>`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { buildBenchmarkResult } from "../benchmark/result/aggregate_runs.ts";
import { writeBenchmarkReport } from "../benchmark/markdown/benchmark_report.ts";
import { compareBenchmarks } from "../compare/compare_benchmarks.ts";
import { formatComparisonMarkdown } from "../compare/compare_markdown.ts";
import { writeHtmlReport } from "../compare/html/html_report.ts";
import { checkHtmlInChromium } from "./html_check.ts";
import { htmlPage } from "../compare/html/page.ts";
import { interleavedSupervisorBenchmarks } from "../tests/support/supervisor_benchmark.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: "string", default: "12" },
    "fast-ms": { type: "string", default: "60" },
    "slow-ms": { type: "string", default: "180" },
    out: { type: "string" },
  },
});
const png = positionals[0] ?? "docs/nested_report.png";
const out = values.out ?? await Deno.makeTempDir({ prefix: "graphmeter-nested-" });
const inputs = Number(values.runs);
// Run by run in turn, so the machine's drift (warm-up, other work) falls on both alike.
const [baseline, candidate] = await interleavedSupervisorBenchmarks(
  [Number(values["fast-ms"]), Number(values["slow-ms"])],
  inputs,
);
const result = buildBenchmarkResult(
  { records: candidate, total: candidate.length, resumed: 0, notRun: 0, stoppedReason: null },
  {
    createdAt: new Date().toISOString(),
    gitCommit: null,
    models: { "*": "openai:gpt-4o-mini (loopback server)" },
    inputSource: "tests/fixtures/supervisor_graph.ts",
    repeats: 1,
    concurrency: 1,
    maxCostUsd: null,
    seed: null,
    graph: "supervisor",
  },
);
const markdown = writeBenchmarkReport(result);
await Deno.writeTextFile(`${out}/report.md`, markdown);
const comparison = compareBenchmarks(baseline, candidate, {
  baselineLabel: `search ${values["fast-ms"]} ms`,
  candidateLabel: `search ${values["slow-ms"]} ms`,
});
const html = await writeHtmlReport(candidate, {
  label: `supervisor, search ${values["slow-ms"]} ms`,
  createdAt: result.meta.createdAt,
  models: { "*": "gpt-4o-mini" },
}, comparison);
await Deno.writeTextFile(`${out}/report.html`, html);
const from = markdown.indexOf("\n## Inside the stages");
console.log(markdown.slice(from, markdown.indexOf("\n## ", markdown.indexOf("## Critical path"))));
const compared = formatComparisonMarkdown(comparison);
console.log(compared.slice(0, compared.indexOf("\n### ")));
console.log(compared.slice(compared.indexOf("### Nodes inside the stages")));
// The picture: the report's node path part (icicles, critical path, top paths).
const part = html.slice(html.indexOf("<h2>Inside the stages: time</h2>"), html.indexOf("</main>"));
await Deno.writeTextFile(
  `${out}/nested.html`,
  htmlPage({ title: "graphmeter: inside the stages", heading: "Inside the stages", body: part }),
);
const check = await checkHtmlInChromium(`${out}/nested.html`, png, { width: 1000, height: 1160 });
if (check.consoleMessages.length > 0) throw new Error(check.consoleMessages.join("\n"));
console.log(`${png}: ${check.screenshotBytes} bytes; ${out}/report.md, ${out}/report.html`);
