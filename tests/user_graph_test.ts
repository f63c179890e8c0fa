import { formatUsd } from "../report/format.ts";
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { BenchmarkResult } from "../benchmark/result/benchmark_result.ts";
import { openResultsStore } from "../store/mod.ts";
import { runBenchCli } from "../cli/bench.ts";
import { parseDataset } from "../cli/bench/dataset.ts";

const FIXTURE = new URL("./fixtures/user_graph/", import.meta.url).pathname;
const BENCH = new URL("../cli/bench.ts", import.meta.url).pathname;

/** $1 per input token and $2 per output token: every cost is an exact integer. */
// $5,000 and $10,000 per million tokens (under the CLI's $10,000 ceiling): whole cents per
// 2 tokens; compared to the rounding of a sum.
const PRICES = JSON.stringify({ "gpt-4o-mini": { inputPerMTok: 5e3, outputPerMTok: 1e4 } });

/**
 * The fixture graph's tokens per run: the toy model counts 100 + the prompt's characters in and
 * 20 out; `plan: <q>` and `answer: <q> (ok)`.
 */
function expectedTokens(question: string): { input: number; output: number } {
  return { input: 100 + 6 + question.length + 100 + 13 + question.length, output: 40 };
}

async function benchProcess(args: string[], cwd = FIXTURE): Promise<Deno.CommandOutput> {
  return await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", BENCH, ...args],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
}

Deno.test("cli: a user's graph from langgraph.json over a LangSmith-style dataset", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/prices.json`, PRICES);
  const dataset = `${FIXTURE}dataset.jsonl`;
  const { code, stderr } = await benchProcess([
    ...["--graph", "agent", "--dataset", dataset, "--runs", "2", "--label", "agent-v1"],
    ...["--db", `${dir}/g.db`, "--out", `${dir}/out`, "--prices", `${dir}/prices.json`],
  ]);
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const result = BenchmarkResult.parse(
    JSON.parse(await Deno.readTextFile(`${dir}/out/metrics.json`)),
  );
  const examples = parseDataset(await Deno.readTextFile(dataset));
  assert.deepEqual(
    result.runs.map((run) => [run.inputId, run.repeat]),
    [0, 1].flatMap((repeat) => examples.map((e) => [e.id, repeat])),
  );
  assert.equal(examples[2].id, "example-3"); // no id in the file: numbered in file order
  const tokens = examples.map((e) => expectedTokens((e.inputs as { question: string }).question));
  const input = 2 * tokens.reduce((sum, t) => sum + t.input, 0);
  const output = 2 * tokens.reduce((sum, t) => sum + t.output, 0);
  assert.equal(result.aggregates.inputTokens, input);
  assert.equal(result.aggregates.outputTokens, output);
  const expectedUsd = (input * 5e3 + output * 1e4) / 1e6;
  assert.ok(Math.abs(result.aggregates.costUsd! - expectedUsd) < 1e-9, `${expectedUsd}`);
  assert.deepEqual(result.aggregates.stages.map((s) => s.stage), ["planner", "responder"]);
  assert.equal(result.meta.graph, "agent");
  assert.equal(result.benchmark?.label, "agent-v1");
  // Every call is in the store, and the label names the benchmark.
  using store = openResultsStore(`${dir}/g.db`);
  const id = store.resolveBenchmark("agent-v1");
  const records = store.loadRuns(id);
  assert.equal(records.length, 6);
  assert.equal(records.flatMap((r) => r.metrics.calls).length, 12);
  const report = await Deno.readTextFile(`${dir}/out/report.md`);
  // 287 x $5,000 + 40 x $10,000 per million tokens = $1.835.
  const cost = formatUsd((287 * 5e3 + 40 * 1e4) / 1e6).replace(/[$.]/g, "\\$&");
  assert.match(
    report,
    new RegExp(
      `\\| q\\\\-weather \\| 0 \\| ok \\| [\\d.]+ ms \\| 2 \\| 287 \\| 40 \\| ${cost} \\|`,
    ),
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("cli: --graph path:export takes a function returning a graph; a JSON array dataset", async () => {
  const dir = await Deno.makeTempDir();
  let stderr = "";
  const io = {
    out: () => {},
    err: (t: string) => (stderr += t),
    errIsTerminal: false,
    env: () => undefined,
  };
  const code = await runBenchCli([
    ...["--graph", `${FIXTURE}src/agent.ts:makeGraph`, "--dataset", `${FIXTURE}dataset.json`],
    ...["--db", `${dir}/g.db`, "--out", `${dir}/out`],
  ], io);
  assert.equal(code, 0, stderr);
  const result = BenchmarkResult.parse(
    JSON.parse(await Deno.readTextFile(`${dir}/out/metrics.json`)),
  );
  assert.deepEqual(result.runs.map((r) => r.inputId), ["q-weather", "q-capital"]);
  assert.ok(result.runs.every((r) => r.ok && r.llmCalls === 2));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("cli: a graph or dataset that cannot be loaded is one line, exit 2", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/bad.jsonl`, '{"inputs": {"question": "ok"}}\n{"id": "x"}\n');
  await Deno.writeTextFile(
    `${dir}/dup.jsonl`,
    '{"id": 1, "inputs": 1}\n{"id": "1", "inputs": 2}\n',
  );
  await Deno.writeTextFile(`${dir}/broken.ts`, "export const graph = ;\n");
  const good = `${FIXTURE}dataset.jsonl`;
  const cases: [string[], RegExp][] = [
    [
      ["--graph", "nope", "--dataset", good],
      /not in .*langgraph\.json \(its graphs: agent, factory\)/,
    ],
    [["--graph", `${FIXTURE}src/agent.ts:missing`, "--dataset", good], /has no export "missing"/],
    [
      ["--graph", `${FIXTURE}src/agent.ts:notAGraph`, "--dataset", good],
      /notAGraph is not a graph/,
    ],
    [["--graph", `${dir}/none.ts:graph`, "--dataset", good], /none\.ts does not exist/],
    [["--graph", `${dir}/broken.ts:graph`, "--dataset", good], /cannot import .*broken\.ts/],
    [["--graph", "agent", "--dataset", `${dir}/none.jsonl`], /cannot read it \(no such file\)/],
    [["--graph", "agent", "--dataset", `${dir}/bad.jsonl`], /line 2 is not an example .*inputs/],
    [["--graph", "agent", "--dataset", `${dir}/dup.jsonl`], /two examples share the id "1"/],
    [
      ["--graph", "agent", "--dataset", good, "--model", "simulated:gpt-4o"],
      /--model is for the bundled/,
    ],
  ];
  const originalCwd = Deno.cwd();
  Deno.chdir(FIXTURE); // where langgraph.json is
  try {
    for (const [args, expected] of cases) {
      let stderr = "";
      let stdout = "";
      const code = await runBenchCli([...args, "--db", `${dir}/g.db`], {
        out: (t) => (stdout += t),
        err: (t) => (stderr += t),
        errIsTerminal: false,
        env: () => undefined,
      });
      assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
      assert.equal(stdout, "");
      assert.equal(stderr.split("\n").length, 2, stderr); // one line and its newline
      assert.match(stderr, expected);
    }
  } finally {
    Deno.chdir(originalCwd);
  }
  await Deno.remove(dir, { recursive: true });
});

function storedRuns(db: string): number {
  const connection = new DatabaseSync(db, { readOnly: true });
  try {
    return (connection.prepare("SELECT COUNT(*) AS n FROM runs").get() as { n: number }).n;
  } catch {
    return 0; // not created yet
  } finally {
    connection.close();
  }
}

Deno.test("cli: kill -9 mid-benchmark, then --resume: exactly the planned runs stored", async () => {
  const dir = await Deno.makeTempDir();
  const db = `${dir}/g.db`;
  const args = [
    ...["--graph", "agent", "--dataset", `${FIXTURE}dataset.jsonl`, "--runs", "150"],
    ...["--concurrency", "4", "--db", db, "--out", `${dir}/out`, "--label", "killed"],
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", BENCH, ...args],
    cwd: FIXTURE,
    stdout: "null",
    stderr: "null",
  }).spawn();
  // Wait until some runs are stored, then kill without warning.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    try {
      await Deno.stat(db);
    } catch {
      continue;
    }
    if (storedRuns(db) >= 20) break;
  }
  child.kill("SIGKILL");
  const status = await child.status;
  assert.equal(status.signal, "SIGKILL");
  const before = storedRuns(db);
  assert.ok(before >= 20 && before < 450, `${before} runs stored when killed`);

  // `--resume` alone: the graph, dataset, runs and label come from the stored settings.
  const resumed = await benchProcess(["--resume", "--db", db, "--out", `${dir}/out`]);
  assert.equal(resumed.code, 0, new TextDecoder().decode(resumed.stderr));
  using store = openResultsStore(db);
  const benchmarks = store.listBenchmarks();
  assert.equal(benchmarks.length, 1, "the same benchmark, continued");
  assert.equal(benchmarks[0].label, "killed");
  assert.equal(benchmarks[0].runs, 450);
  assert.equal(benchmarks[0].plannedRuns, 450);
  const keys = new Set(store.loadRuns(benchmarks[0].id).map((r) => `${r.inputId}#${r.repeat}`));
  assert.equal(keys.size, 450);
  const result = BenchmarkResult.parse(
    JSON.parse(await Deno.readTextFile(`${dir}/out/metrics.json`)),
  );
  assert.equal(result.runs.length, 450);
  assert.equal(result.aggregates.failedRuns, 0);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("cli: deno task bench --graph works with the task's own permissions (it starts the worker)", async () => {
  const root = new URL("../", import.meta.url).pathname;
  const name = `task-graph-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(`${root}reports`, { recursive: true });
  try {
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        ...["task", "bench", "--graph", "./tests/fixtures/user_graph/src/agent.ts:graph"],
        ...["--dataset", "tests/fixtures/user_graph/dataset.jsonl"],
        ...["--db", `reports/${name}.db`, "--out", `reports/${name}`],
      ],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    const result = BenchmarkResult.parse(
      JSON.parse(await Deno.readTextFile(`${root}reports/${name}/metrics.json`)),
    );
    assert.equal(result.runs.length, 3);
    assert.deepEqual(result.aggregates.stages.map((s) => s.stage), ["planner", "responder"]);
  } finally {
    await Deno.remove(`${root}reports/${name}`, { recursive: true }).catch(() => {});
    for (const suffix of ["", "-wal", "-shm"]) {
      await Deno.remove(`${root}reports/${name}.db${suffix}`).catch(() => {});
    }
  }
});
