import assert from "node:assert/strict";
import { compareBenchmarks, Comparison } from "../compare/compare_benchmarks.ts";
import { formatComparisonMarkdown } from "../compare/compare_markdown.ts";
import { checkGate, parseGateRules } from "../compare/gate.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { simulatedBenchmark } from "./support/simulated_benchmark.ts";

const STAGE = "relationship_analysis";
const mini = await simulatedBenchmark();
const miniAgain = await simulatedBenchmark();
const dearStage = await simulatedBenchmark({ stageModels: { [STAGE]: "gpt-4.1" } });

function figure(comparison: ReturnType<typeof compareBenchmarks>, stage: string | null, f: string) {
  const scope = comparison.scopes.find((s) => s.stage === stage);
  assert.ok(scope, `no scope ${stage}`);
  return scope.figures.find((x) => x.figure === f)!;
}

Deno.test("one stage on a dearer model: exactly that stage's price ratio, regressed", () => {
  // The simulated model gives the same tokens under any model name for a seed.
  mini.forEach((run, i) => {
    assert.equal(
      dearStage[i].metrics.stages[STAGE].inputTokens,
      run.metrics.stages[STAGE].inputTokens,
    );
    assert.equal(dearStage[i].metrics.totals.outputTokens, run.metrics.totals.outputTokens);
  });
  const comparison = compareBenchmarks(mini, dearStage);
  assert.equal(comparison.pairing, "run");
  assert.equal(comparison.pairs, 6);
  const cost = figure(comparison, STAGE, "cost");
  // gpt-4.1 costs 5x gpt-4.1-mini for input, cached input and output ($2/$0.5/$8 vs
  // $0.4/$0.1/$1.6 per million, https://platform.openai.com/docs/pricing, 2026-11-27).
  assert.ok(
    Math.abs(cost.candidate! / cost.baseline! - 5) < 1e-9,
    `ratio ${cost.candidate! / cost.baseline!}`,
  );
  assert.ok(Math.abs(cost.relativeDelta! - 4) < 1e-9);
  assert.equal(cost.verdict, "regressed");
  assert.ok(cost.interval![0] > 0);
  for (const stage of ["segmentation", "integration_decision", "node_extraction"]) {
    assert.equal(figure(comparison, stage, "cost").delta, 0, stage);
    assert.equal(figure(comparison, stage, "cost").verdict, "no significant change", stage);
  }
  assert.equal(figure(comparison, null, "cost").verdict, "regressed");
  for (const f of ["inputTokens", "outputTokens", "tokens", "calls", "errors"]) {
    assert.equal(figure(comparison, null, f).verdict, "no significant change", f);
  }
  const markdown = formatComparisonMarkdown(comparison);
  assert.match(
    markdown,
    /\| cost per run \| \$0\.00\d+ \| \$0\.0\d+ \| \+\$0\.0\d+ \+400\.0% \(×5\.00\) \|/,
  );
  // The other way round, the same stage improved.
  assert.equal(figure(compareBenchmarks(dearStage, mini), STAGE, "cost").verdict, "improved");
});

Deno.test("the same benchmark twice: no significant change for cost and tokens", () => {
  const comparison = compareBenchmarks(mini, miniAgain);
  for (const stage of [null, "segmentation", STAGE, "integration_decision"]) {
    for (const f of ["cost", "inputTokens", "outputTokens", "tokens", "calls"]) {
      const result = figure(comparison, stage, f);
      assert.equal(result.verdict, "no significant change", `${stage} ${f}`);
      assert.equal(result.delta, 0, `${stage} ${f}`);
    }
  }
  assert.match(
    formatComparisonMarkdown(comparison),
    /\*\*No significant change\.\*\*|Changed:.*latency/,
  );
});

Deno.test("the comparison is deterministic for a seed and validates against its schema", () => {
  const first = compareBenchmarks(mini, dearStage, { seed: 3 });
  assert.deepEqual(compareBenchmarks(mini, dearStage, { seed: 3 }), first);
  assert.deepEqual(Comparison.parse(JSON.parse(JSON.stringify(first))), first);
});

Deno.test("pairing: by run, by input when repeats differ, unpaired when inputs differ", () => {
  assert.equal(compareBenchmarks(mini, dearStage.filter((r) => r.repeat === 0)).pairing, "input");
  const other = dearStage.filter((r) => r.inputId !== "standup");
  const unpaired = compareBenchmarks(mini, other);
  assert.equal(unpaired.pairing, "none");
  assert.equal(unpaired.pairs, 0);
  assert.equal(figure(unpaired, STAGE, "cost").verdict, "regressed");
});

Deno.test("a failed run is counted in errors and left out of latency", () => {
  const failed = mini.map((run, i): RunRecord =>
    i === 0 ? { ...run, error: "boom", metrics: { ...run.metrics, status: "error" } } : run
  );
  const comparison = compareBenchmarks(mini, failed);
  assert.equal(figure(comparison, null, "errors").candidate, 1 / 6);
  assert.equal(comparison.candidate.failedRuns, 1);
  // Every run failing is significant.
  const allFailed = mini.map((run): RunRecord => ({ ...run, error: "boom" }));
  assert.equal(figure(compareBenchmarks(mini, allFailed), null, "errors").verdict, "regressed");
  assert.equal(figure(compareBenchmarks(mini, allFailed), null, "p95").verdict, "not comparable");
});

Deno.test("names are escaped: a stage or label named <img src=x onerror=alert(1)> shows as text", () => {
  const evil = "<img src=x onerror=alert(1)>";
  const rename = (run: RunRecord): RunRecord => {
    const { [STAGE]: stage, ...rest } = run.metrics.stages;
    return {
      ...run,
      inputId: evil,
      metrics: { ...run.metrics, stages: { ...rest, [evil]: { ...stage, name: evil } } },
    };
  };
  const comparison = compareBenchmarks(mini.map(rename), dearStage.map(rename), {
    baselineLabel: evil,
    candidateLabel: `main|${evil}`,
  });
  const gate = checkGate(comparison, parseGateRules(`${evil}.cost:+5%`));
  assert.equal(gate[0].failed, true);
  const markdown = formatComparisonMarkdown(comparison, gate);
  assert.match(markdown, /### Stage \\<img src=x onerror=alert\\\(1\\\)\\>/);
  // Outside code spans, no raw tag survives.
  const outsideCode = markdown.replace(/`[^`]*`/g, "");
  assert.doesNotMatch(outsideCode, /(?<!\\)<img/);
  assert.match(markdown, /main\\\|/);
});

Deno.test("the gate: past the threshold fails, within it passes, unknown stage is an error", () => {
  const comparison = compareBenchmarks(mini, dearStage);
  const results = checkGate(
    comparison,
    parseGateRules("cost:+5%,relationship_analysis.cost:+500%,tokens:+0,errors:+0"),
  );
  assert.deepEqual(results.map((r) => r.failed), [true, false, false, false]);
  const markdown = formatComparisonMarkdown(comparison, results);
  assert.match(markdown, /### Gate: FAILED \(1 of 4 rules\)/);
  assert.match(
    markdown,
    /❌ FAILED `cost:\+5%`: cost per run regressed by .*past the limit \+5\.0%/,
  );
  assert.match(markdown, /✅ passed `relationship_analysis\.cost:\+500%`/);
  assert.throws(() => checkGate(comparison, parseGateRules("nope.cost:+1%")), /no stage "nope"/);
  for (const bad of ["", "cost", "cost:5x", "cost:-5%", "latency:+5%", ".cost:+1%"]) {
    assert.throws(() => parseGateRules(bad), Error, bad);
  }
  // The cost rise is +142%: a limit above it passes.
  assert.equal(checkGate(comparison, parseGateRules("cost:+150%"))[0].failed, false);
});

Deno.test("p95 needs 40 runs a side for a verdict; with them, a slower candidate regresses", () => {
  assert.equal(figure(compareBenchmarks(mini, dearStage), null, "p95").verdict, "too few runs");
  const many = (scale: number) =>
    Array.from({ length: 48 }, (_, i): RunRecord => {
      const run = mini[i % mini.length];
      // Wall times spread over 100..570 ms, then scaled: the same spread, a slower candidate.
      const wallTimeMs = (100 + 10 * i) * scale;
      return { ...run, repeat: i, metrics: { ...run.metrics, wallTimeMs } };
    });
  const comparison = compareBenchmarks(many(1), many(1.2));
  const p95 = figure(comparison, null, "p95");
  assert.equal(p95.verdict, "regressed");
  assert.ok(Math.abs(p95.relativeDelta! - 0.2) < 1e-9);
  assert.equal(figure(comparison, null, "cost").verdict, "no significant change");
  const gate = checkGate(compareBenchmarks(mini, dearStage), parseGateRules("p95:+1%"));
  assert.equal(gate[0].failed, false);
  assert.match(
    formatComparisonMarkdown(compareBenchmarks(mini, dearStage), gate),
    /⚠️ not judged `p95:\+1%`: p95 wall time cannot be judged: too few runs \(needs 40 a side\)/,
  );
});
