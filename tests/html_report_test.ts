import assert from "node:assert/strict";
import { compareBenchmarks } from "../compare/compare_benchmarks.ts";
import { writeHtmlReport } from "../compare/html/html_report.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { checkHtmlInChromium, chromiumMissing } from "../tools/html_check.ts";
import { demoReportHtml } from "./support/demo_report.ts";
import { simulatedBenchmark } from "./support/simulated_benchmark.ts";

const EVIL = "<img src=x onerror=alert(1)>";
const runs = await simulatedBenchmark({ repeats: 1 });

/** The runs with a stage, the input ids and every call's model renamed to a hostile name. */
function hostile(records: RunRecord[]): RunRecord[] {
  return records.map((run) => {
    const { relationship_analysis: stage, ...rest } = run.metrics.stages;
    return {
      ...run,
      inputId: `${EVIL}${run.inputId}`,
      metrics: {
        ...run.metrics,
        stages: { ...rest, [EVIL]: { ...stage, name: EVIL } },
        calls: run.metrics.calls.map((call) => ({
          ...call,
          model: EVIL,
          stage: call.stage === "relationship_analysis" ? EVIL : call.stage,
        })),
      },
    };
  });
}

Deno.test("report.html: self-contained, no script, charts inline as SVG", async () => {
  const html = await writeHtmlReport(runs, { label: "today" });
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /https?:\/\/(?!www\.w3\.org)/); // nothing to fetch: only SVG namespaces
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  // Per-stage cost, latency, distribution, breakdown, waterfall: five charts without a baseline.
  assert.equal(html.match(/<svg /g)?.length, 5);
  assert.match(html, /<h2>Slowest run<\/h2>/);
  const withBaseline = await writeHtmlReport(
    runs,
    { label: "today" },
    compareBenchmarks(runs, runs),
  );
  assert.equal(withBaseline.match(/<svg /g)?.length, 7);
  assert.match(withBaseline, /Comparison with the baseline/);
});

Deno.test("report.html: a stage, label, input id or model named <img …> shows as text", async () => {
  const evilRuns = hostile(runs);
  const html = await writeHtmlReport(
    evilRuns,
    { label: EVIL, gitCommit: EVIL, models: { [EVIL]: EVIL } },
    compareBenchmarks(evilRuns, evilRuns, { baselineLabel: EVIL, candidateLabel: EVIL }),
  );
  assert.ok(!html.includes("<img"), "a raw <img tag in the HTML");
  assert.match(html, /<td>&lt;img src=x onerror=alert\(1\)&gt;<\/td>/);
  assert.match(html, /<title>graphmeter: &lt;img src=x onerror=alert\(1\)&gt;<\/title>/);
  // Inside the SVG charts, Vega escapes the text it draws.
  assert.match(html, /<text[^>]*>&lt;img src=x onerror=alert\(1\)&gt;<\/text>/);
});

const missing = await chromiumMissing();
if (missing !== null) console.log(`skipping the headless Chromium check: ${missing}`);

Deno.test({
  name: "report.html renders in headless Chromium without console errors",
  ignore: missing !== null,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${dir}/report.html`, await demoReportHtml(EVIL));
      const check = await checkHtmlInChromium(`${dir}/report.html`, `${dir}/report.png`, {
        width: 1000,
        height: 2400,
      });
      assert.deepEqual(check.consoleMessages, []);
      assert.ok(check.screenshotBytes > 50_000, `screenshot of ${check.screenshotBytes} bytes`);
      // The check can fail: a page with a script error is caught.
      await Deno.writeTextFile(`${dir}/bad.html`, "<p>x</p><script>notDefined()</script>");
      const bad = await checkHtmlInChromium(`${dir}/bad.html`, `${dir}/bad.png`, {
        width: 200,
        height: 200,
      });
      assert.equal(bad.consoleMessages.length, 1);
      assert.match(bad.consoleMessages[0], /notDefined is not defined/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
