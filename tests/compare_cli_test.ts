import assert from "node:assert/strict";
import { Comparison } from "../compare/compare_benchmarks.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { runCompareCli } from "../cli/compare.ts";
import { openResultsStore } from "../store/mod.ts";
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
        ["nightly", candidate, "--db", `${dir}/x.db`],
        [baseline, candidate, "--seed", "x"],
      ]
    ) {
      const { code, err } = await cli(...argv);
      assert.equal(code, 2, argv.join(" "));
      assert.match(err, /^compare: [^\n]+\n$/, argv.join(" "));
    }
  });
  await t.step("--json writes the comparison, valid against its schema", async () => {
    const { code } = await cli(
      baseline,
      candidate,
      "--json",
      `${dir}/c.json`,
      "--html",
      `${dir}/report.html`,
    );
    assert.match(await Deno.readTextFile(`${dir}/report.html`), /Comparison with the baseline/);
    assert.equal(code, 0);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/c.json`));
    const comparison = Comparison.parse(json);
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

Deno.test("compare CLI: benchmarks by label, latest~N, and a report folder naming its store", async () => {
  const db = `${dir}/graphmeter.db`;
  {
    using store = openResultsStore(db);
    const sides = [
      ["base", "2026-11-27T10:00:00.000Z", `${baseline}/runs.jsonl`],
      ["cand", "2026-11-27T11:00:00.000Z", `${candidate}/runs.jsonl`],
    ];
    for (const [label, startedAt, log] of sides) {
      const id = store.createBenchmark({
        label,
        startedAt,
        gitCommit: null,
        settings: {},
        meta: {},
        plannedRuns: 6,
        shard: null,
      });
      const runLog = store.runLog(id);
      await runLog.create();
      for (const line of (await Deno.readTextFile(log)).trim().split("\n")) {
        await runLog.append(JSON.parse(line));
      }
    }
  }
  for (const argv of [["base", "cand"], ["latest~1", "latest"]]) {
    const { code, out, err } = await cli(...argv, "--db", db, "--fail-on", "cost:+5%");
    assert.equal(code, 1, err);
    assert.match(out, /## graphmeter compare: base → cand/);
    assert.match(out, /relationship\\_analysis cost per run regressed \+400\.0%/);
  }
  // A report folder's metrics.json names its benchmark and store: no --db needed.
  const folder = `${dir}/report`;
  await Deno.mkdir(folder);
  const candidateId = (() => {
    using store = openResultsStore(db);
    return store.resolveBenchmark("cand");
  })();
  await Deno.writeTextFile(
    `${folder}/metrics.json`,
    JSON.stringify({ benchmark: { id: candidateId, label: "cand", db } }),
  );
  const fromFolder = await cli(baseline, folder);
  assert.equal(fromFolder.code, 0, fromFolder.err);
  assert.match(fromFolder.out, /candidate cand: 6 runs/);
  const missing = await cli("nightly", "cand", "--db", db);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /^compare: no benchmark with id or label "nightly"/);
});
