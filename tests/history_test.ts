import assert from "node:assert/strict";
import { aggregateRuns } from "../benchmark/result/aggregate_runs.ts";
import {
  formatHistoryMarkdown,
  historyChartSvg,
  historyPointOf,
} from "../compare/history_points.ts";
import { simulatedBenchmark } from "./support/simulated_benchmark.ts";

Deno.test("history: cost per run and p95 of each benchmark, oldest first, table and chart", async () => {
  const cheap = await simulatedBenchmark({ repeats: 1, model: "gemini-2.5-flash-lite" });
  const dear = await simulatedBenchmark({ repeats: 1 });
  const points = [
    historyPointOf(dear, {
      label: "<img src=x onerror=alert(1)>",
      commit: "abcdef0123",
      date: "2026-11-20T10:00:00Z",
    }),
    historyPointOf(cheap, { label: "cheap", commit: null, date: "2026-11-10T10:00:00Z" }),
  ];
  assert.equal(points[0].costPerRunUsd, aggregateRuns(dear).costPerRunUsd);
  assert.equal(points[0].p95Ms, aggregateRuns(dear).wallTimeP95Ms);
  // gpt-4.1-mini is 4x gemini-2.5-flash-lite on the same tokens.
  assert.ok(Math.abs(points[0].costPerRunUsd! / points[1].costPerRunUsd! - 4) < 1e-9);
  const markdown = formatHistoryMarkdown(points);
  const rows = markdown.trim().split("\n").slice(2);
  assert.match(rows[0], /^\| 1 \| cheap \| – \| 2026-11-10T10:00:00Z \| \$0\.\d+ \| `█{6}` \|/);
  assert.match(
    rows[1],
    /^\| 2 \| \\<img src=x onerror=alert\\\(1\\\)\\> \| abcdef0 \|.*`█{24}` \|/,
  );
  const svg = await historyChartSvg(points);
  assert.match(svg, /^<svg/);
  assert.ok(!svg.includes("<img"));
  assert.match(svg, /1\. cheap/);
  assert.match(svg, /2\. &lt;img src=x onerror=alert\(1\)&gt; @abcdef0/);
});
