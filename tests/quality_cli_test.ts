/**
 * `deno task bench --graph … --evaluator FILE:EXPORT`, as a user runs it (a subprocess in the
 * project's folder): an openevals LLM-as-judge (its judge a loopback OpenAI server) and an exact
 * match against the dataset's `outputs`, every score stored and reported, the judge's cost apart
 * from the pipeline's to the token; an evaluator that throws on one input.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { BenchmarkResult } from "../benchmark/result/benchmark_result.ts";
import { openResultsStore } from "../store/mod.ts";
import { formatUsd } from "../report/format.ts";
import { runBenchCli } from "../cli/bench.ts";
import { runExportCli } from "../cli/export.ts";
import { runRepriceCli } from "../cli/reprice.ts";
import { JUDGE_USAGE, startJudgeServer } from "./support/judge.ts";

const FIXTURE = new URL("./fixtures/user_graph/", import.meta.url).pathname;
const BENCH = new URL("../cli/bench.ts", import.meta.url).pathname;

/** Pipeline: $5,000 / $10,000 per million tokens (gpt-4o-mini); judge: $1,000 / $2,000. */
const PRICES = JSON.stringify({
  "gpt-4o-mini": { inputPerMTok: 5e3, outputPerMTok: 1e4 },
  "gpt-4.1-mini-2025-04-14": { inputPerMTok: 1e3, outputPerMTok: 2e3 },
});
/** One judge call: 300 tokens in at $0.001, 40 out at $0.002 = $0.38. */
const JUDGE_CALL_USD = (JUDGE_USAGE.input * 1e3 + JUDGE_USAGE.output * 2e3) / 1e6;

/** Three questions with reference answers; the fixture graph answers "ok" to each. */
const DATASET = [
  {
    id: "q-weather",
    inputs: { question: "What is the weather like in Paris?" },
    outputs: { answer: "ok" },
  },
  {
    id: "q-capital",
    inputs: { question: "What is the capital of Peru?" },
    outputs: { answer: "Lima" },
  },
  { id: "q-sky", inputs: { question: "Why is the sky blue?" }, outputs: { answer: "ok" } },
].map((example) => JSON.stringify(example)).join("\n") + "\n";

/** The fixture graph's tokens per run: 100 + the prompt's characters in, 20 out, two calls. */
function pipelineTokens(question: string): { input: number; output: number } {
  return { input: 100 + 6 + question.length + 100 + 13 + question.length, output: 40 };
}

async function bench(args: string[], env: Record<string, string>): Promise<Deno.CommandOutput> {
  return await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", BENCH, ...args],
    cwd: FIXTURE,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
}

Deno.test("bench --graph --evaluator: an openevals judge and an exact match, stored, reported, the judge's cost apart", async () => {
  await using server = startJudgeServer();
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/prices.json`, PRICES);
  await Deno.writeTextFile(`${dir}/dataset.jsonl`, DATASET);
  const run = await bench([
    ...["--graph", "agent", "--dataset", `${dir}/dataset.jsonl`, "--runs", "2"],
    ...["--evaluator", "./evaluators.ts:correctness", "--evaluator", "./evaluators.ts:exactMatch"],
    ...["--db", `${dir}/g.db`, "--out", `${dir}/out`, "--prices", `${dir}/prices.json`],
    ...["--label", "judged"],
  ], { JUDGE_BASE_URL: server.origin });
  const stderr = new TextDecoder().decode(run.stderr);
  assert.equal(run.code, 0, stderr);
  assert.doesNotMatch(stderr, /evaluator errors/);
  // The judge's price matched its calls: no "matched no call" warning.
  assert.doesNotMatch(stderr, /warning/);
  assert.equal(server.requests.length, 6, "the judge is asked once per run");

  const result = BenchmarkResult.parse(
    JSON.parse(await Deno.readTextFile(`${dir}/out/metrics.json`)),
  );
  const questions = DATASET.trim().split("\n").map((line) => JSON.parse(line).inputs.question);
  const input = 2 * questions.reduce((sum, q) => sum + pipelineTokens(q).input, 0);
  const output = 2 * questions.reduce((sum, q) => sum + pipelineTokens(q).output, 0);
  // The pipeline's figures hold the graph's calls alone, to the token.
  const a = result.aggregates;
  assert.equal(a.inputTokens, input);
  assert.equal(a.outputTokens, output);
  assert.equal(a.llmCalls, 12);
  assert.ok(Math.abs(a.costUsd! - (input * 5e3 + output * 1e4) / 1e6) < 1e-9);
  assert.deepEqual(a.stages.map((s) => s.stage), ["planner", "responder"]);
  // The judge's, apart: six calls of 300 in and 40 out.
  assert.equal(a.evaluation?.llmCalls, 6);
  assert.equal(a.evaluation?.inputTokens, 6 * JUDGE_USAGE.input);
  assert.equal(a.evaluation?.outputTokens, 6 * JUDGE_USAGE.output);
  assert.ok(Math.abs(a.evaluation!.costUsd! - 6 * JUDGE_CALL_USD) < 1e-12);
  assert.deepEqual(a.evaluation?.evaluators.map((e) => [e.evaluator, e.llmCalls]), [[
    "correctness",
    6,
  ]]);
  // Scores: "ok" matches q-weather's and q-sky's reference, not q-capital's "Lima".
  assert.deepEqual(
    a.scores.map((s) => [s.key, s.kind, s.scoredRuns, s.evaluatedRuns, s.mean, s.errorRuns]),
    [["correctness", "boolean", 6, 6, 4 / 6, 0], ["exact_match", "boolean", 6, 6, 4 / 6, 0]],
  );
  assert.deepEqual(a.scores[0].worst.slice(0, 2).map((w) => [w.inputId, w.repeat, w.score]), [
    ["q-capital", 0, 0],
    ["q-capital", 1, 0],
  ]);
  // Cost per passing run: all six runs cost, four pass both keys.
  assert.deepEqual(a.passing?.rules, ["correctness>=1", "exact_match>=1"]);
  assert.equal(a.passing?.passingRuns, 4);
  assert.ok(Math.abs(a.passing!.costPerPassingRunUsd! - a.costUsd! / 4) < 1e-12);

  // Every score is in the store, and the judge's calls beside them.
  const db = new DatabaseSync(`${dir}/g.db`, { readOnly: true });
  const scores = db.prepare(
    "SELECT key, COUNT(*) AS n, SUM(score) AS passed FROM scores GROUP BY key ORDER BY key",
  ).all().map((row) => ({ ...row }));
  assert.deepEqual(scores, [
    { key: "correctness", n: 6, passed: 4 },
    { key: "exact_match", n: 6, passed: 4 },
  ]);
  const judge = db.prepare(
    "SELECT COUNT(*) AS n, SUM(input_tokens) AS input, SUM(output_tokens) AS output FROM evaluations",
  ).get() as Record<string, number>;
  assert.deepEqual({ ...judge }, { n: 6, input: 1800, output: 240 });
  db.close();
  {
    using store = openResultsStore(`${dir}/g.db`);
    const records = store.loadRuns(store.resolveBenchmark("judged"));
    assert.ok(records.every((r) => r.evaluation?.scores.length === 2));
    assert.ok(records.every((r) => r.metrics.calls.every((c) => c.model === "gpt-4o-mini")));
  }

  // export writes the scores (and the judges' cost) as it writes the calls.
  let csv = "";
  let said = "";
  const exported = await runExportCli(
    ["judged", "--table", "scores", "--format", "csv", "--db", `${dir}/g.db`],
    { out: (t) => (csv += t), err: (t) => (said += t) },
  );
  assert.equal(exported, 0, said);
  const lines = csv.trim().split("\n");
  assert.equal(lines[0], "benchmark_id,input_id,repeat,key,position,score,kind,comment,error");
  assert.equal(lines.length, 13);
  assert.match(lines.find((l) => l.includes("q-capital,0,correctness"))!, /,0,boolean,/);
  assert.match(said, /^export: 12 scores rows of benchmark/);
  let jsonl = "";
  await runExportCli(["judged", "--table", "evaluations", "--db", `${dir}/g.db`], {
    out: (t) => (jsonl += t),
    err: () => {},
  });
  const evaluations = jsonl.trim().split("\n").map((line) => JSON.parse(line));
  assert.equal(evaluations.length, 6);
  assert.deepEqual(
    [evaluations[0].evaluator, evaluations[0].input_tokens, evaluations[0].output_tokens],
    ["correctness", 300, 40],
  );

  // The report: the quality table, cost per passing run, the evaluation cost apart.
  const report = await Deno.readTextFile(`${dir}/out/report.md`);
  assert.match(
    report,
    /\| correctness \| 6 of 6 \| 66\.7% pass \| [\d.]+% … [\d.]+% \| 0 \| 1 \| 0 \|/,
  );
  assert.match(report, /\| exact\\_match \| 6 of 6 \| 66\.7% pass \|/);
  const perPassing = formatUsd(a.costUsd! / 4).replace(/[$.]/g, "\\$&");
  assert.match(
    report,
    new RegExp(`\\*\\*Cost per passing run:\\*\\* ${perPassing} — 4 of 6 runs pass`),
  );
  assert.match(report, /\| correctness \| 6 \| 1,800 \| 240 \| \$2\.28 \|/);
  assert.match(report, /\| Evaluators \| correctness, exactMatch \|/);
  const html = await Deno.readTextFile(`${dir}/out/report.html`);
  assert.match(html, /<h2>Quality<\/h2>/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("bench: an evaluator that throws on one input is reported by key and input; the other figures are unaffected", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/dataset.jsonl`, DATASET);
  const common = ["--graph", "agent", "--dataset", `${dir}/dataset.jsonl`, "--db", `${dir}/g.db`];
  const plain = await bench([...common, "--out", `${dir}/plain`], {});
  assert.equal(plain.code, 0, new TextDecoder().decode(plain.stderr));
  const failing = await bench([
    ...common,
    ...["--out", `${dir}/failing`, "--evaluator", "./evaluators.ts:failsOnWeather"],
  ], {});
  const stderr = new TextDecoder().decode(failing.stderr);
  assert.equal(failing.code, 0, stderr);
  assert.match(
    stderr,
    /warning: evaluator errors \(the runs stay ok\): failsOnWeather failed on 1 run \(first: q-weather#0: Error: cannot judge the weather\)/,
  );
  const read = async (name: string) =>
    BenchmarkResult.parse(JSON.parse(await Deno.readTextFile(`${dir}/${name}/metrics.json`)));
  const [before, after] = [await read("plain"), await read("failing")];
  const [score] = after.aggregates.scores;
  assert.deepEqual([score.key, score.scoredRuns, score.evaluatedRuns, score.errorRuns], [
    "failsOnWeather",
    2,
    3,
    1,
  ]);
  assert.deepEqual(score.errors, [{
    inputId: "q-weather",
    repeat: 0,
    error: "Error: cannot judge the weather",
  }]);
  // Every run stayed ok, and every figure but the scores is the same as without the evaluator.
  assert.equal(after.aggregates.failedRuns, 0);
  for (
    const field of ["successfulRuns", "llmCalls", "inputTokens", "outputTokens", "costUsd"] as const
  ) {
    assert.equal(after.aggregates[field], before.aggregates[field], field);
  }
  assert.deepEqual(after.aggregates.costBreakdown, before.aggregates.costBreakdown);
  assert.equal(after.aggregates.evaluation?.llmCalls, 0);
  const report = await Deno.readTextFile(`${dir}/failing/report.md`);
  assert.match(report, /\| failsOnWeather \| 2 of 3 \|/);
  assert.match(report, /### Evaluator errors/);
  assert.match(
    report,
    /\| failsOnWeather \| q\\-weather \| 0 \| Error: cannot judge the weather \|/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("bench: --evaluator and --pass mistakes are one line, exit 2; a resume keeps its evaluators", async () => {
  const dir = await Deno.makeTempDir();
  const dataset = `${FIXTURE}dataset.jsonl`;
  const cases: [string[], RegExp][] = [
    [["--evaluator", "evaluators.ts"], /--evaluator "evaluators\.ts": write FILE:EXPORT/],
    [["--evaluator", `${dir}/none.ts:x`], /none\.ts does not exist/],
    [["--evaluator", `${FIXTURE}evaluators.ts:missing`], /has no export "missing"/],
    [
      ["--evaluator", `${FIXTURE}evaluators.ts:notAnEvaluator`],
      /notAnEvaluator is not an evaluator/,
    ],
    [["--pass", "correctness>1"], /--pass "correctness>1": write KEY>=VALUE/],
    [["--evaluator-timeout", "0"], /--evaluator-timeout must be a number of seconds above 0/],
  ];
  for (const [args, expected] of cases) {
    let stderr = "";
    const code = await runBenchCli(
      [
        "--graph",
        `${FIXTURE}src/agent.ts:graph`,
        "--dataset",
        dataset,
        ...args,
        "--db",
        `${dir}/g.db`,
      ],
      { out: () => {}, err: (t) => (stderr += t), errIsTerminal: false, env: () => undefined },
    );
    assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
    assert.equal(stderr.split("\n").length, 2, stderr);
    assert.match(stderr, expected);
  }
  // A benchmark scored by one evaluator is resumed only with the same ones.
  const first = [
    ...["--graph", `${FIXTURE}src/agent.ts:graph`, "--dataset", dataset, "--db", `${dir}/r.db`],
    ...["--out", `${dir}/out`, "--evaluator", `${FIXTURE}evaluators.ts:exactMatch`],
  ];
  const io = () => {
    let err = "";
    return {
      io: {
        out: () => {},
        err: (t: string) => (err += t),
        errIsTerminal: false,
        env: () => undefined,
      },
      err: () => err,
    };
  };
  const once = io();
  assert.equal(await runBenchCli(first, once.io), 0, once.err());
  const other = io();
  const code = await runBenchCli(
    [...first.slice(0, -1), `${FIXTURE}evaluators.ts:failsOnWeather`, "--resume"],
    other.io,
  );
  assert.equal(code, 2, other.err());
  assert.match(other.err(), /--evaluator .*exactMatch, not .*failsOnWeather/);
  const same = io();
  assert.equal(
    await runBenchCli(["--resume", "--db", `${dir}/r.db`, "--out", `${dir}/out`], same.io),
    0,
    same.err(),
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("reprice says quality was not measured, and the command it prints measures it", async () => {
  const dir = await Deno.makeTempDir();
  const transcript = new URL("../workload/transcripts/standup.txt", import.meta.url).pathname;
  const io = () => {
    const text = { out: "", err: "" };
    return {
      text,
      io: {
        out: (t: string) => (text.out += t),
        err: (t: string) => (text.err += t),
        errIsTerminal: false,
        env: () => undefined,
      },
    };
  };
  const first = io();
  const common = ["--db", `${dir}/g.db`, "--latency-scale", "0"];
  assert.equal(
    await runBenchCli(
      [
        "--input",
        transcript,
        "--max-windows",
        "4",
        "--seed",
        "5",
        "--label",
        "mini",
        ...common,
        "--out",
        `${dir}/mini`,
      ],
      first.io,
    ),
    0,
    first.text.err,
  );
  const reprice = io();
  assert.equal(
    await runRepriceCli([
      "mini",
      "--model",
      "relationship_analysis=openai:gpt-4.1-nano",
      "--db",
      `${dir}/g.db`,
    ], reprice.io),
    0,
    reprice.text.err,
  );
  assert.match(reprice.text.out, /\*\*Quality was not measured for the candidates\.\*\*/);
  assert.match(
    reprice.text.out,
    /the recorded models scored transcript\\_coverage [\d.]+, valid\\_json 1\.000/,
  );
  const command = /measure it, run `([^`]+)`/.exec(reprice.text.out)?.[1];
  assert.equal(
    command,
    "deno task bench --model segmentation=simulated:gpt-4.1-mini " +
      "--model relationship_analysis=simulated:gpt-4.1-nano " +
      `--model integration_decision=simulated:gpt-4.1-mini --input ${transcript} ` +
      "--max-windows 4 --seed 5 --runs 1 --baseline mini",
  );
  // Run as printed (with this test's store): it benchmarks the mix and compares with "mini".
  const measured = io();
  const argv = command!.split(" ").slice(3);
  assert.equal(
    await runBenchCli([...argv, ...common, "--out", `${dir}/mix`], measured.io),
    0,
    measured.text.err,
  );
  assert.match(measured.text.out, /## graphmeter compare: mini → /);
  assert.match(measured.text.out, /### Quality/);
  assert.match(
    measured.text.out,
    /\| relationship\\_analysis cost per run|### Stage relationship\\_analysis/,
  );
  await Deno.remove(dir, { recursive: true });
});
