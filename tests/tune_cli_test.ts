/**
 * `deno task tune` as users run it: on the bundled workload (two simulated models per stage) it
 * finds a mix cheaper than all-gpt-4.1-mini whose quality is not significantly worse, and the
 * command it prints confirms it under compare; `--dry-run` plans and estimates without a run; a
 * search killed with SIGKILL continues where it stopped, making no run twice; a user's graph in
 * its worker is tuned on its `configurable`; usage mistakes are one line and exit code 2.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { runTuneCli } from "../cli/tune.ts";
import { runBenchCli } from "../cli/bench.ts";
import { openResultsStore } from "../store/mod.ts";
import { compareBenchmarks } from "../compare/compare_benchmarks.ts";
import { TuneResult } from "../tune/result.ts";
import { formatUsd } from "../report/format.ts";

const TUNE = new URL("../cli/tune.ts", import.meta.url).pathname;
const BENCH = new URL("../cli/bench.ts", import.meta.url).pathname;
const FIXTURE = new URL("./fixtures/user_graph/", import.meta.url).pathname;

/** Two simulated models per stage: the baseline's first (gpt-4.1-mini everywhere). */
const KNOBS = [
  "--try",
  "relationship_analysis=simulated:gpt-4.1-mini,simulated:gpt-4.1-nano",
  "--try",
  "segmentation=simulated:gpt-4.1-mini,simulated:gpt-4o-mini",
  "--try",
  "integration_decision=simulated:gpt-4.1-mini,simulated:gemini-2.0-flash",
];

function capture() {
  const io = { out: "", err: "" };
  return {
    io,
    cli: {
      out: (text: string) => void (io.out += text),
      err: (text: string) => void (io.err += text),
      errIsTerminal: false,
      env: () => undefined,
    },
  };
}

/** The words of a printed shell command (single quotes as the commands print them). */
function shellWords(command: string): string[] {
  return [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replaceAll(`'\\''`, "'") : m[2]
  );
}

/** The command in the answer's "Confirm it" block. */
function confirmCommand(markdown: string): string {
  const match = /Confirm it on the full dataset:\n\n```sh\n(.+)\n```/.exec(markdown);
  assert.ok(match, "the answer prints the confirming command");
  return match[1];
}

Deno.test("tune on the bundled workload: a cheaper mix, quality not significantly worse, confirmed by compare", async () => {
  const dir = await Deno.makeTempDir();
  const db = `${dir}/g.db`;
  const { io, cli } = capture();
  const code = await runTuneCli([
    ...KNOBS,
    ...["--try", "temperature=0,0.7"],
    ...["--seed", "42", "--latency-scale", "0", "--db", db, "--out", `${dir}/out`],
  ], cli);
  assert.equal(code, 0, io.err);
  assert.match(io.err, /warning: --try temperature: the bundled workload reads configurable/);
  const result = TuneResult.parse(JSON.parse(await Deno.readTextFile(`${dir}/out/tune.json`)));
  assert.equal(result.unreadKnobs[0].key, "temperature");
  const byName = new Map(result.configurations.map((c) => [c.name, c]));
  const baseline = byName.get(result.baseline)!;
  const recommended = byName.get(result.recommended!.name)!;
  assert.match(result.baseline, /^relationship_analysis=simulated:gpt-4\.1-mini, .*mini$/);
  // Cheaper than all-gpt-4.1-mini, and no evaluator key significantly worse.
  assert.ok(recommended.costPerRunUsd!.value < baseline.costPerRunUsd!.value);
  const comparison = result.recommended!.comparison;
  assert.equal(comparison.scopes[0].figures[0].verdict, "improved");
  assert.equal(comparison.quality.length, 4);
  for (const key of comparison.quality) assert.notEqual(key.verdict, "regressed", key.key);
  // A small model's simulated mistakes cost relationship_analysis its quality: not recommended.
  assert.match(recommended.name, /relationship_analysis=simulated:gpt-4\.1-mini/);
  assert.match(io.out, /## Recommended: /);
  assert.match(await Deno.readTextFile(`${dir}/out/report.html`), /<svg/);

  // The confirming command, run as printed (on the same store, at no latency), agrees.
  const command = confirmCommand(io.out);
  const words = shellWords(command);
  assert.deepEqual(words.slice(0, 3), ["deno", "task", "bench"]);
  const bench = capture();
  const benchCode = await runBenchCli(
    [...words.slice(3), "--db", db, "--latency-scale", "0", "--out", `${dir}/confirm`],
    bench.cli,
  );
  assert.equal(benchCode, 0, bench.io.err);
  assert.match(bench.io.out, /\*\*Changed:\*\* cost per run improved/);
  using store = openResultsStore(db);
  const base = store.loadRuns(
    store.resolveBenchmark(`tune/search/${result.baseline.replaceAll(", ", ",")}`),
  );
  const confirm = store.loadRuns(store.resolveBenchmark("tune/search/confirm"));
  const verdicts = compareBenchmarks(base, confirm);
  assert.equal(verdicts.scopes[0].figures[0].verdict, "improved");
  for (const key of verdicts.quality) assert.notEqual(key.verdict, "regressed", key.key);
  // The simulated model is deterministic: the confirming benchmark costs what the search measured.
  const confirmCost = confirm.reduce((sum, r) => sum + r.metrics.totals.costUsd!, 0) /
    confirm.length;
  assert.ok(Math.abs(confirmCost - recommended.costPerRunUsd!.value) < 1e-12);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("tune --dry-run: the plan and its cost from a stored benchmark's tokens, and no run", async () => {
  const dir = await Deno.makeTempDir();
  const db = `${dir}/g.db`;
  const common = ["--seed", "7", "--latency-scale", "0", "--max-windows", "2", "--db", db];
  const bench = capture();
  assert.equal(await runBenchCli([...common, "--out", `${dir}/b`], bench.cli), 0, bench.io.err);
  const recorded = JSON.parse(await Deno.readTextFile(`${dir}/b/metrics.json`));
  const { io, cli } = capture();
  assert.equal(await runTuneCli([...KNOBS, ...common, "--dry-run"], cli), 0, io.err);
  assert.match(io.out, /8 configurations; baseline relationship_analysis=simulated:gpt-4\.1-mini/);
  assert.match(io.out, /anchors: 4 configurations × 7 inputs × 1 run = 28 runs, about \$/);
  assert.match(io.out, /the grid: 56 runs, about \$/);
  // The baseline's estimate is the recorded cost per run (its models are the baseline's).
  const perRun = formatUsd(recorded.aggregates.costPerRunUsd);
  assert.ok(io.out.includes(`Estimated cost per run: baseline ${perRun}`), io.out);
  using store = openResultsStore(db);
  assert.equal(store.listBenchmarks().length, 1, "a dry run runs nothing");
  await Deno.remove(dir, { recursive: true });
});

/** Runs stored in a results store. */
function storedRuns(db: string): number {
  const sqlite = new DatabaseSync(db, { readOnly: true });
  try {
    return (sqlite.prepare("SELECT COUNT(*) AS n FROM runs").get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

async function tuneProcess(args: string[]): Promise<Deno.CommandOutput> {
  return await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", TUNE, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
}

Deno.test("tune killed with SIGKILL mid-search: the same command continues, making no run twice", async () => {
  const dir = await Deno.makeTempDir();
  // Latency changes no token, score or cost: only the killed session waits (to be killed).
  const args = (db: string, out: string, latencyScale = "0") => [
    ...KNOBS,
    ...["--seed", "3", "--max-windows", "3", "--latency-scale", latencyScale],
    ...["--concurrency", "2", "--db", db, "--out", out],
  ];
  // The same search uninterrupted, for reference.
  const whole = await tuneProcess(args(`${dir}/whole.db`, `${dir}/whole`));
  assert.equal(whole.code, 0, new TextDecoder().decode(whole.stderr));
  const total = storedRuns(`${dir}/whole.db`);

  const db = `${dir}/killed.db`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", TUNE, ...args(db, `${dir}/killed`, "0.03")],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    try {
      if (storedRuns(db) >= 8) break;
    } catch {
      // Not created yet.
    }
  }
  child.kill("SIGKILL");
  const status = await child.status;
  assert.equal(status.signal, "SIGKILL");
  const before = storedRuns(db);
  assert.ok(before >= 8 && before < total, `${before} of ${total} stored when killed`);

  const again = await tuneProcess(args(db, `${dir}/killed`));
  const stderr = new TextDecoder().decode(again.stderr);
  assert.equal(again.code, 0, stderr);
  const made = /(\d+) made now, (\d+) stored before/.exec(stderr);
  assert.ok(made, stderr);
  assert.equal(Number(made[2]), before, "every stored run was kept");
  assert.equal(Number(made[1]), total - before, "only the missing runs were made");
  assert.equal(storedRuns(db), total);
  // One benchmark per configuration, and the answer of the uninterrupted search.
  const sqlite = new DatabaseSync(db, { readOnly: true });
  const labels = sqlite.prepare("SELECT label FROM benchmarks").all().map((row) => row.label);
  sqlite.close();
  assert.equal(new Set(labels).size, labels.length);
  const read = async (folder: string) =>
    TuneResult.parse(JSON.parse(await Deno.readTextFile(`${folder}/tune.json`)));
  const [a, b] = [await read(`${dir}/whole`), await read(`${dir}/killed`)];
  assert.deepEqual(b.frontier, a.frontier);
  assert.equal(b.recommended?.name, a.recommended?.name);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("tune --graph: a user's graph in its worker, tuned on its configurable, an unread knob reported", async () => {
  const dir = await Deno.makeTempDir();
  const db = `${dir}/g.db`;
  const run = async (script: string, args: string[]) =>
    await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", script, ...args],
      cwd: FIXTURE,
      stdout: "piped",
      stderr: "piped",
    }).output();
  const tuned = await run(TUNE, [
    ...["--graph", "./src/tunable.ts:graph", "--dataset", "dataset.jsonl"],
    ...["--evaluator", "./evaluators.ts:exactMatch"],
    ...["--try", "model=gpt-4o-mini,gpt-4.1-nano", "--try", "temperature=0,0.7"],
    ...["--db", db, "--out", `${dir}/out`],
  ]);
  const out = new TextDecoder().decode(tuned.stdout);
  const err = new TextDecoder().decode(tuned.stderr);
  assert.equal(tuned.code, 0, err);
  assert.match(
    err,
    /warning: --try temperature: its 2 values gave identical runs \(outputs, LLM calls and tokens\) on every one of 3 inputs: left out/,
  );
  const result = TuneResult.parse(JSON.parse(await Deno.readTextFile(`${dir}/out/tune.json`)));
  assert.equal(result.recommended?.name, "model=gpt-4.1-nano, temperature=0");
  assert.deepEqual(result.recommended?.configurable, { model: "gpt-4.1-nano", temperature: 0 });
  const command = confirmCommand(out);
  assert.match(command, /--graph \.\/src\/tunable\.ts:graph --dataset dataset\.jsonl --config '\{/);
  const words = shellWords(command);
  const confirmed = await run(BENCH, [...words.slice(3), "--db", db, "--out", `${dir}/confirm`]);
  assert.equal(confirmed.code, 0, new TextDecoder().decode(confirmed.stderr));
  assert.match(
    new TextDecoder().decode(confirmed.stdout),
    /\*\*Changed:\*\* cost per run improved/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("tune: usage mistakes are one line and exit code 2, before any run", async () => {
  for (
    const [args, message] of [
      [[], /^tune: give at least one --try KEY=V1,V2/],
      [["--try", "segmentation"], /^tune: --try "segmentation": write key=value1,value2/],
      [
        ["--try", "segmentation=fast,slow"],
        /^tune: --try segmentation=fast: unknown provider "fast"; use one of openai/,
      ],
      [
        [
          "--try",
          "segmentation=simulated:gpt-4.1-mini",
          "--model",
          "segmentation=simulated:gpt-4.1",
        ],
        /^tune: --model segmentation=\.\.\. and --try segmentation=\.\.\. both set/,
      ],
      [
        ["--try", "a=1,2", "--goal", "quality", "--max-drop", "0.1"],
        /^tune: --max-drop is for --goal cheapest/,
      ],
      [["--try", "a=1", "--try", "a=2"], /^tune: --try a: given twice/],
    ] as const
  ) {
    const { io, cli } = capture();
    assert.equal(await runTuneCli([...args, "--db", "/nonexistent/g.db"], cli), 2, io.err);
    assert.match(io.err, message);
    assert.equal(io.err.trim().split("\n").length, 1, io.err);
  }
});
