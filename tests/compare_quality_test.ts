/**
 * Quality in compare and the gate: each evaluator key's mean compared with a paired bootstrap
 * (runs paired by input), a verdict that knows lower is worse, `quality.<key>:-2%` and
 * `quality.<key>:-0.02` rules, "not judged" with too few scored runs, and the Markdown and HTML.
 */
import assert from "node:assert/strict";
import { compareBenchmarks, Comparison } from "../compare/compare_benchmarks.ts";
import { formatComparisonMarkdown } from "../compare/compare_markdown.ts";
import { checkGate, GateRuleError, parseGateRules } from "../compare/gate.ts";
import { writeHtmlReport } from "../compare/html/html_report.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import type { ScoreRecord } from "../evaluate/score_record.ts";
import { emptyTotals } from "../telemetry/aggregate.ts";
import { checkHtmlInChromium, chromiumMissing } from "../tools/html_check.ts";

/** A successful run costing `costUsd` with the given scores. */
function run(
  inputId: string,
  repeat: number,
  costUsd: number,
  scores: Record<string, number | boolean | null>,
): RunRecord {
  const records: ScoreRecord[] = Object.entries(scores).map(([key, score]) => ({
    key,
    score: typeof score === "boolean" ? (score ? 1 : 0) : score,
    kind: typeof score === "boolean" ? "boolean" : "number",
    comment: null,
    error: score === null ? "Error: judge offline" : null,
  }));
  return {
    inputId,
    repeat,
    error: null,
    metrics: {
      status: "ok",
      wallTimeMs: 100,
      startedAt: 0,
      stages: {},
      calls: [],
      totals: { ...emptyTotals(), costUsd, inputTokens: 10, outputTokens: 5, llmCalls: 1 },
    },
    evaluation: { scores: records, costs: [] },
  } as unknown as RunRecord;
}

const INPUTS = ["a", "b", "c", "d", "e", "f", "g", "h"];
/** Recall 0.9, 0.85, 0.8, … by input; two repeats each; correct on all but the last input. */
const baseline = INPUTS.flatMap((id, i) =>
  [0, 1].map((repeat) => run(id, repeat, 0.04, { recall: 0.9 - i * 0.05, correct: i < 7 }))
);
/** A cheaper model: a quarter the cost, recall down 0.1 on every input, five more wrong. */
const cheaper = INPUTS.flatMap((id, i) =>
  [0, 1].map((repeat) => run(id, repeat, 0.01, { recall: 0.8 - i * 0.05, correct: i < 2 }))
);

function quality(comparison: Comparison, key: string) {
  const found = comparison.quality.find((q) => q.key === key);
  assert.ok(found, key);
  return found;
}

Deno.test("compare: a lower score is a regression, with its paired interval; the other way an improvement", () => {
  const comparison = compareBenchmarks(baseline, cheaper);
  const recall = quality(comparison, "recall");
  assert.equal(recall.kind, "number");
  assert.ok(Math.abs(recall.delta! + 0.1) < 1e-12, `${recall.delta}`);
  // Every input dropped by exactly 0.1: the paired interval is that drop, nothing else.
  assert.ok(
    Math.abs(recall.interval![0] + 0.1) < 1e-12 && Math.abs(recall.interval![1] + 0.1) < 1e-12,
  );
  assert.equal(recall.verdict, "regressed");
  assert.deepEqual([recall.baselineScored, recall.candidateScored], [16, 16]);
  const correct = quality(comparison, "correct");
  assert.equal(correct.kind, "boolean");
  assert.equal(correct.baseline, 7 / 8);
  assert.equal(correct.candidate, 2 / 8);
  assert.equal(correct.verdict, "regressed");
  assert.ok(correct.interval![1] < 0);
  // Cost fell to a quarter, significantly.
  const cost = comparison.scopes[0].figures.find((f) => f.figure === "cost")!;
  assert.equal(cost.verdict, "improved");
  assert.equal(quality(compareBenchmarks(cheaper, baseline), "recall").verdict, "improved");
  assert.deepEqual(Comparison.parse(JSON.parse(JSON.stringify(comparison))), comparison);
});

Deno.test("compare: the same scores twice are no significant change, ±0", () => {
  const comparison = compareBenchmarks(baseline, baseline);
  for (const key of ["recall", "correct"]) {
    const q = quality(comparison, key);
    assert.equal(q.delta, 0);
    assert.deepEqual(q.interval, [0, 0]);
    assert.equal(q.verdict, "no significant change");
  }
  assert.match(formatComparisonMarkdown(comparison), /\*\*No significant change\.\*\*/);
});

Deno.test("compare: repeats of one input are one unit: repeating every run changes no interval", () => {
  const side = (repeats: number, drop: (i: number) => number) =>
    INPUTS.flatMap((id, i) =>
      Array.from(
        { length: repeats },
        (_, repeat) => run(id, repeat, 0.01, { recall: 0.9 - drop(i) }),
      )
    );
  const once = compareBenchmarks(side(1, () => 0), side(1, (i) => 0.02 * i));
  const thrice = compareBenchmarks(side(3, () => 0), side(3, (i) => 0.02 * i));
  assert.equal(thrice.pairing, "run"); // cost and tokens pair by run …
  // … quality pairs by input: three identical repeats are no more evidence than one.
  const [a, b] = [quality(thrice, "recall").interval!, quality(once, "recall").interval!];
  assert.ok(Math.abs(a[0] - b[0]) < 1e-12 && Math.abs(a[1] - b[1]) < 1e-12, `${a} vs ${b}`);
  assert.ok(quality(once, "recall").interval![0] < quality(once, "recall").interval![1]);
});

Deno.test("compare: too few scored runs is 'too few runs', and the gate does not judge it", () => {
  // Four inputs scored on the baseline, a failed judge on most of the candidate: 3 scored.
  const few = INPUTS.slice(0, 4).map((id) => run(id, 0, 0.04, { recall: 0.9 }));
  const fewer = INPUTS.slice(0, 4).map((id, i) => run(id, 0, 0.04, { recall: i < 3 ? 0.5 : null }));
  const q = quality(compareBenchmarks(few, fewer), "recall");
  assert.deepEqual([q.baselineScored, q.candidateScored], [4, 3]);
  assert.equal(q.verdict, "too few runs");
  const gate = checkGate(compareBenchmarks(few, fewer), parseGateRules("quality.recall:-2%"));
  assert.equal(gate[0].failed, false);
  assert.match(
    formatComparisonMarkdown(compareBenchmarks(few, fewer), gate),
    /⚠️ not judged `quality\.recall:-2%`: quality recall cannot be judged: too few scored runs/,
  );
});

Deno.test("gate: quality.<key>:-2% and quality.<key>:-0.02 fail on a significant drop past the limit", () => {
  const comparison = compareBenchmarks(baseline, cheaper);
  // recall 0.725 -> 0.625: −0.1, −13.8%.
  const results = checkGate(
    comparison,
    parseGateRules(
      "quality.recall:-2%, quality.recall:-20%, quality.recall:-0.05, quality.recall:-0.2, cost:+5%",
    ),
  );
  assert.deepEqual(results.map((r) => r.failed), [true, false, true, false, false]);
  const markdown = formatComparisonMarkdown(comparison, results);
  assert.match(
    markdown,
    /❌ FAILED `quality\.recall:-2%`: quality recall regressed by −0\.1 −13\.8% \(95% CI −0\.1 … −0\.1\), past the limit −2\.0%/,
  );
  assert.match(markdown, /✅ passed `quality\.recall:-20%`/);
  assert.match(
    markdown,
    /\*\*Changed:\*\* quality recall regressed −0\.1 −13\.8%; quality correct regressed −62\.5 pts −71\.4%; cost per run improved/,
  );
  assert.match(
    markdown,
    /\| recall \| 0\.725 \| 0\.625 \| −0\.1 −13\.8% \| −0\.1 … −0\.1 \| \*\*regressed\*\* \| 16 \/ 16 \|/,
  );
  assert.match(markdown, /\| correct \| 87\.5% \| 25\.0% \| −62\.5 pts −71\.4% \|/);
  // The same benchmark twice passes the gate.
  assert.equal(
    checkGate(compareBenchmarks(baseline, baseline), parseGateRules("quality.recall:-2%"))[0]
      .failed,
    false,
  );
});

Deno.test("gate: a quality rule must name a drop and a key the benchmarks scored", () => {
  assert.throws(
    () => parseGateRules("quality.recall:+2%"),
    /a score may only drop: write -<number>%/,
  );
  assert.throws(() => parseGateRules("quality.:-2%"), /name the key/);
  assert.throws(
    () => checkGate(compareBenchmarks(baseline, cheaper), parseGateRules("quality.precision:-2%")),
    (error: unknown) =>
      error instanceof GateRuleError &&
      /no evaluator key "precision".*keys: recall, correct/.test(error.message),
  );
});

Deno.test("report.html: the comparison's quality rows and the quality-versus-cost picture, names escaped", async () => {
  const evil = "<img src=x onerror=alert(1)>";
  const named = (records: RunRecord[]) =>
    records.map((r) => ({
      ...r,
      evaluation: {
        ...r.evaluation!,
        scores: r.evaluation!.scores.map((s) => ({ ...s, key: s.key === "recall" ? evil : s.key })),
      },
    }));
  const comparison = compareBenchmarks(named(baseline), named(cheaper), {
    baselineLabel: "mini",
    candidateLabel: "nano",
  });
  const html = await writeHtmlReport(named(cheaper), { label: "nano" }, comparison);
  assert.match(html, /<h2>Quality versus cost<\/h2><figure><svg /);
  assert.match(html, /<h3>Quality \(higher is better; runs paired by input\)<\/h3>/);
  assert.match(html, /<h2>Quality<\/h2>/);
  assert.ok(!html.includes(evil));
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  // Each side is a point with its own intervals.
  assert.ok(comparison.baseline.costPerRunUsd !== null);
  assert.equal(comparison.candidate.costPerRunUsd?.value, 0.01);
  assert.ok(quality(comparison, "correct").baselineInterval![0] < 7 / 8);
});

const chromium = await chromiumMissing();
if (chromium !== null) console.log(`skipping the headless Chromium check: ${chromium}`);

Deno.test({
  name: "report.html with quality and the quality-versus-cost picture renders in headless Chromium",
  ignore: chromium !== null,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const comparison = compareBenchmarks(baseline, cheaper, {
        baselineLabel: "mini",
        candidateLabel: "nano",
      });
      await Deno.writeTextFile(
        `${dir}/report.html`,
        await writeHtmlReport(cheaper, { label: "nano" }, comparison),
      );
      const check = await checkHtmlInChromium(`${dir}/report.html`, `${dir}/report.png`, {
        width: 1000,
        height: 2400,
      });
      assert.deepEqual(check.consoleMessages, []);
      assert.ok(check.screenshotBytes > 30_000, `screenshot of ${check.screenshotBytes} bytes`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
