/**
 * Benchmarks by group, the way a user meets it: `bench --graph --dataset --group-by split` over a
 * LangSmith-style dataset whose examples carry `dataset_split` and `user_id`; report.md, report.html
 * and metrics.json break cost and latency down by split, the store and `export` keep the metadata
 * and the attribution keys.
 */
import assert from "node:assert/strict";
import { BenchmarkResult } from "../benchmark/result/benchmark_result.ts";
import { openResultsStore } from "../store/mod.ts";
import { runExportCli } from "../cli/export.ts";
import { formatUsd } from "../report/format.ts";

const FIXTURE = new URL("./fixtures/user_graph/", import.meta.url).pathname;
const BENCH = new URL("../cli/bench.ts", import.meta.url).pathname;
/** $5,000 and $10,000 per million tokens: costs are exact to the cent per 2 tokens. */
const PRICES = JSON.stringify({ "gpt-4o-mini": { inputPerMTok: 5e3, outputPerMTok: 1e4 } });

const EXAMPLES = [
  { id: "a", inputs: { question: "one" }, metadata: { dataset_split: ["train"], user_id: "u-1" } },
  {
    id: "b",
    inputs: { question: "two two" },
    metadata: { dataset_split: ["test"], user_id: "u-2" },
  },
  // "FAIL" makes the fixture graph's planner throw: a failed run in the test split.
  { id: "c", inputs: { question: "FAIL" }, metadata: { dataset_split: ["test"], user_id: "u-1" } },
  { id: "d", inputs: { question: "four" } },
];

/** A successful run's cost: the toy model counts 100 + the prompt's characters in, 20 out. */
function runUsd(question: string): number {
  const input = 100 + 6 + question.length + 100 + 13 + question.length;
  return (input * 5e3 + 40 * 1e4) / 1e6;
}

Deno.test("cli: --group-by split breaks report.md, report.html and metrics.json down by split", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/prices.json`, PRICES);
  await Deno.writeTextFile(
    `${dir}/dataset.jsonl`,
    EXAMPLES.map((example) => JSON.stringify(example)).join("\n") + "\n",
  );
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      ...["run", "--allow-all", BENCH, "--graph", "agent", "--dataset", `${dir}/dataset.jsonl`],
      ...["--runs", "2", "--group-by", "split", "--label", "grouped", "--db", `${dir}/g.db`],
      ...["--out", `${dir}/out`, "--prices", `${dir}/prices.json`],
    ],
    cwd: FIXTURE,
    stdout: "piped",
    stderr: "piped",
  }).output();
  // Exit 1: a run failed (on purpose); the reports are written all the same.
  assert.equal(code, 1, new TextDecoder().decode(stderr));
  assert.match(new TextDecoder().decode(stderr), /2 run\(s\) failed/);

  const result = BenchmarkResult.parse(
    JSON.parse(await Deno.readTextFile(`${dir}/out/metrics.json`)),
  );
  assert.equal(result.meta.groupBy, "split");
  const groups = result.groups!;
  assert.equal(groups.key, "split");
  assert.deepEqual(
    groups.groups.map((g) => [g.value, g.runs, g.failedRuns, g.llmCalls]),
    [["test", 4, 2, 4], ["train", 2, 0, 4], ["(none)", 2, 0, 4]],
  );
  const [test, train, none] = groups.groups;
  assert.ok(Math.abs(test.costUsd! - 2 * runUsd("two two")) < 1e-9, `${test.costUsd}`);
  assert.ok(Math.abs(test.costPerRunUsd! - runUsd("two two")) < 1e-9);
  assert.ok(Math.abs(train.costUsd! - 2 * runUsd("one")) < 1e-9);
  assert.ok(Math.abs(none.costUsd! - 2 * runUsd("four")) < 1e-9);
  assert.ok(test.wallTimeP50Ms !== null && test.wallTimeP95Ms! >= test.wallTimeP50Ms);

  const report = await Deno.readTextFile(`${dir}/out/report.md`);
  const usd = (value: number) => formatUsd(value).replace(/[$.]/g, "\\$&");
  assert.match(report, /## By split/);
  assert.match(report, new RegExp(`\\| test \\| 4 \\| 2 \\| ${usd(runUsd("two two"))} \\|`));
  assert.match(report, new RegExp(`\\| train \\| 2 \\| 0 \\| ${usd(runUsd("one"))} \\|`));
  assert.match(report, /\| \\\(none\\\) \| 2 \| 0 \|/);
  const html = await Deno.readTextFile(`${dir}/out/report.html`);
  assert.match(html, /<h2>By split<\/h2>/);
  assert.match(html, /<td>test<\/td><td>4<\/td><td>2<\/td>/);

  // The store keeps each run's input metadata and the attribution its handler read from it.
  {
    using store = openResultsStore(`${dir}/g.db`);
    const records = store.loadRuns(store.resolveBenchmark("grouped"));
    const a = records.find((r) => r.inputId === "a")!;
    assert.deepEqual(a.inputMetadata, { dataset_split: ["train"], user_id: "u-1" });
    assert.deepEqual(a.metrics.attributes, { user_id: "u-1" });
    assert.equal(records.find((r) => r.inputId === "d")!.inputMetadata, undefined);
  }
  // export writes them beside each call.
  let out = "";
  const exported = await runExportCli(["grouped", "--db", `${dir}/g.db`], {
    out: (text) => void (out += text),
    err: () => {},
  });
  assert.equal(exported, 0);
  const rows = out.trim().split("\n").map((line) => JSON.parse(line));
  const fromB = rows.filter((row) => row.input_id === "b");
  assert.equal(fromB.length, 4);
  assert.deepEqual(JSON.parse(fromB[0].input_metadata_json), EXAMPLES[1].metadata);
  assert.deepEqual(JSON.parse(fromB[0].attributes_json), { user_id: "u-2" });
  assert.match(fromB[0].thread_id, /\/b#\d$/);
  await Deno.remove(dir, { recursive: true });
});
