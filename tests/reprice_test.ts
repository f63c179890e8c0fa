import assert from "node:assert/strict";
import { compareBenchmarks } from "../compare/compare_benchmarks.ts";
import { repriceBenchmark } from "../compare/reprice_benchmark.ts";
import { formatRepriceMarkdown, REPRICE_CAVEAT } from "../compare/reprice_markdown.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { runRepriceCli } from "../cli/reprice.ts";
import { simulatedBenchmark } from "./support/simulated_benchmark.ts";

const STAGE = "relationship_analysis";
const mini = await simulatedBenchmark();

function meanCost(runs: RunRecord[], stage: string | null): number {
  const costs = runs.map((r) =>
    (stage === null ? r.metrics.totals.costUsd : r.metrics.stages[stage].costUsd) ?? NaN
  );
  return costs.reduce((a, b) => a + b, 0) / costs.length;
}

function close(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null, what);
  assert.ok(Math.abs(actual - expected) <= 1e-12 * expected, `${what}: ${actual} vs ${expected}`);
}

Deno.test("reprice equals a real run on the other model's prices when tokens are the same", async () => {
  for (
    const [provider, model] of [["openai", "gpt-4.1"], ["google_genai", "gemini-2.5-flash-lite"]]
  ) {
    const real = await simulatedBenchmark({ stageModels: { [STAGE]: model } });
    // Tokens are the same under any model name for a seed: the premise of the equality.
    real.forEach((run, i) => {
      const before = mini[i].metrics.stages[STAGE];
      assert.equal(run.metrics.stages[STAGE].inputTokens, before.inputTokens);
      assert.equal(run.metrics.stages[STAGE].outputTokens, before.outputTokens);
      assert.equal(run.metrics.stages[STAGE].cacheReadTokens, before.cacheReadTokens);
    });
    const repriced = repriceBenchmark(mini, { [STAGE]: [{ provider, model }] });
    const stage = repriced.stages.find((s) => s.stage === STAGE)!;
    close(stage.candidates[0].costPerRunUsd, meanCost(real, STAGE), `${model} stage`);
    close(stage.recordedCostPerRunUsd, meanCost(mini, STAGE), "recorded");
    // The candidate's column total (other stages as recorded) is the real run's cost per run.
    const total = repriced.stages.reduce(
      (sum, s) =>
        sum + (s.stage === STAGE ? s.candidates[0].costPerRunUsd! : s.recordedCostPerRunUsd!),
      0,
    );
    close(total, meanCost(real, null), `${model} total`);
    // And the comparison of the two benchmarks shows the same cost change.
    const compared = compareBenchmarks(mini, real).scopes.find((s) => s.stage === STAGE)!;
    close(compared.figures[0].candidate, stage.candidates[0].costPerRunUsd!, `${model} compare`);
  }
});

Deno.test("reprice from stage totals alone (no calls stored) gives the same figures", () => {
  const totalsOnly = mini.map((run) => ({ ...run, metrics: { ...run.metrics, calls: [] } }));
  const ref = { provider: "openai", model: "gpt-4.1" };
  const fromCalls = repriceBenchmark(mini, { [STAGE]: [ref] });
  const fromTotals = repriceBenchmark(totalsOnly, { [STAGE]: [ref] });
  assert.equal(fromCalls.method, "calls");
  assert.equal(fromTotals.method, "stage totals");
  close(
    fromTotals.stages[1].candidates[0].costPerRunUsd,
    fromCalls.stages[1].candidates[0].costPerRunUsd!,
    "totals vs calls",
  );
});

Deno.test("the cheapest mix picks, per stage, the cheapest of recorded and candidates", () => {
  const repriced = repriceBenchmark(mini, {
    "*": [{ provider: "google_genai", model: "gemini-2.5-flash-lite" }],
    [STAGE]: [{ provider: "openai", model: "gpt-4.1" }],
  });
  assert.deepEqual(repriced.cheapestMix, {
    segmentation: "google_genai:gemini-2.5-flash-lite",
    relationship_analysis: "google_genai:gemini-2.5-flash-lite",
    integration_decision: "google_genai:gemini-2.5-flash-lite",
    node_extraction: "recorded", // no LLM calls: no candidate
  });
  // gemini-2.5-flash-lite ($0.10 / $0.40 per million) is a quarter of gpt-4.1-mini ($0.40 / $1.60).
  close(repriced.cheapestMixCostPerRunUsd, repriced.recordedCostPerRunUsd! / 4, "mix");
  const markdown = formatRepriceMarkdown(repriced, "<img src=x onerror=alert(1)>");
  assert.ok(markdown.includes(REPRICE_CAVEAT));
  assert.match(markdown, /reprice: \\<img src=x onerror=alert\\\(1\\\)\\>/);
  assert.match(
    markdown,
    /\*\*Cheapest mix:\*\* segmentation → google\\_genai:gemini\\-2\\.5\\-flash\\-lite/,
  );
  assert.match(markdown, /per run \(−75\.0%\)/);
});

Deno.test("--prices applies: a private model priced by the user's table", async () => {
  const prices = { "my-model": { inputPerMTok: 3, outputPerMTok: 7 } };
  const real = await simulatedBenchmark({
    stageModels: { [STAGE]: "my-model" },
    priceOverrides: prices,
  });
  const repriced = repriceBenchmark(
    mini,
    { [STAGE]: [{ provider: "openai", model: "my-model" }] },
    {
      overrides: prices,
    },
  );
  close(repriced.stages[1].candidates[0].costPerRunUsd, meanCost(real, STAGE), "override");
  assert.equal(
    repriceBenchmark(mini, { [STAGE]: [{ provider: "openai", model: "my-model" }] }).stages[1]
      .candidates[0].costPerRunUsd,
    null,
  );
});

Deno.test("reprice CLI: prints the table, writes JSON, and says plainly what is wrong", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/runs.jsonl`, mini.map((r) => JSON.stringify(r) + "\n").join(""));
  await Deno.writeTextFile(
    `${dir}/prices.json`,
    JSON.stringify({ "my-model": { inputPerMTok: 1, outputPerMTok: 1 } }),
  );
  const cli = async (...argv: string[]) => {
    let out = "";
    let err = "";
    const code = await runRepriceCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  };
  const ok = await cli(
    dir,
    "--model",
    `${STAGE}=openai:gpt-4.1`,
    "--model",
    "google-genai:gemini-2.5-flash-lite",
    "--json",
    `${dir}/r.json`,
  );
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /\| openai:gpt\\-4\\\.1 \$\/run \|/);
  assert.match(ok.out, /Tokenizers and answer lengths differ/);
  const json = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
  assert.equal(json.stages[1].candidates[0].model, "openai:gpt-4.1");
  assert.equal(
    (await cli(dir, "--model", `${STAGE}=openai:my-model`, "--prices", `${dir}/prices.json`)).code,
    0,
  );
  for (
    const argv of [
      [dir],
      [dir, "--model", "nope=openai:gpt-4.1"],
      [dir, "--model", `${STAGE}=gpt-4.1`],
      [dir, "--model", `${STAGE}=openai:no-such-model`],
      [dir, "--model", `${STAGE}=openai:gpt-4.1`, "--prices", `${dir}/missing.json`],
      [`${dir}/missing`, "--model", "openai:gpt-4.1"],
    ]
  ) {
    const { code, err } = await cli(...argv);
    assert.equal(code, 2, argv.join(" "));
    assert.match(err, /^reprice: [^\n]+\n$/, argv.join(" "));
  }
  await Deno.remove(dir, { recursive: true });
});
