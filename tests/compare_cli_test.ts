import assert from "node:assert/strict";
import { ComparisonSchema } from "../benchmarker/compare/compare.ts";
import type { RunRecord } from "../benchmarker/run_record.ts";
import { runCompareCli } from "../scripts/compare.ts";
import { simulatedBenchmark } from "./support/simulated_benchmark.ts";

const dir = await Deno.makeTempDir();
async function writeFolder(name: string, runs: RunRecord[]): Promise<string> {
  await Deno.mkdir(`${dir}/${name}`);
  await Deno.writeTextFile(
    `${dir}/${name}/runs.jsonl`,
    runs.map((run) => JSON.stringify(run) + "\n").join(""),
  );
  return `${dir}/${name}`;
}
const baseline = await writeFolder("base", await simulatedBenchmark());
const candidate = await writeFolder(
  "cand",
  await simulatedBenchmark({ stageModels: { relationship_analysis: "gpt-4.1" } }),
);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCompareCli(argv, {
    out: (text) => (out += text),
    err: (text) => (err += text),
  });
  return { code, out, err };
}

Deno.test("compare CLI: the gate's exit codes", async (t) => {
  await t.step("0 when no rule fails", async () => {
    const { code, out } = await cli(baseline, candidate, "--fail-on", "tokens:+0,errors:+0");
    assert.equal(code, 0);
    assert.match(out, /### Gate: passed/);
  });
  await t.step("1 when a figure regressed past its limit, naming the line", async () => {
    const { code, out, err } = await cli(baseline, candidate, "--fail-on", "cost:+5%,p95:+1000%");
    assert.equal(code, 1);
    assert.match(out, /❌ FAILED `cost:\+5%`/);
    assert.match(err, /^compare: gate failed: cost:\+5%\n$/);
  });
  await t.step("0 with the same benchmark on both sides", async () => {
    const { code } = await cli(baseline, baseline, "--fail-on", "cost:+0,tokens:+0");
    assert.equal(code, 0);
  });
  await t.step("2 on bad usage, in one line", async () => {
    for (
      const argv of [
        [baseline],
        [baseline, candidate, "--fail-on", "speed:+5%"],
        [baseline, candidate, "--fail-on", "nope.cost:+5%"],
        [baseline, `${dir}/missing`],
        [baseline, candidate, "--bogus"],
        [baseline, candidate, "--db", `${dir}/x.db`],
        [baseline, candidate, "--seed", "x"],
      ]
    ) {
      const { code, err } = await cli(...argv);
      assert.equal(code, 2, argv.join(" "));
      assert.match(err, /^compare: [^\n]+\n$/, argv.join(" "));
    }
  });
  await t.step("--json writes the comparison, valid against its schema", async () => {
    const { code } = await cli(baseline, candidate, "--json", `${dir}/c.json`);
    assert.equal(code, 0);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/c.json`));
    const comparison = ComparisonSchema.parse(json);
    assert.equal(comparison.baseline.label, baseline);
    const stage = comparison.scopes.find((s) => s.stage === "relationship_analysis")!;
    assert.equal(stage.figures[0].verdict, "regressed");
  });
});

Deno.test("compare CLI: an invalid run log is a usage error", async () => {
  const bad = await writeFolder("bad", []);
  await Deno.writeTextFile(`${bad}/runs.jsonl`, '{"inputId": 1}\n');
  const { code, err } = await cli(baseline, bad);
  assert.equal(code, 2);
  assert.match(err, /line 1 is not a valid run record/);
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
