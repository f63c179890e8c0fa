/**
 * The hostile cases a new user meets first (issue 18's table), each as the CLI answers it,
 * in process against real SQLite stores and loopback servers: one clear line and exit 2 where
 * the user must act, nothing written when refused, a run that hangs failing alone.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { runBenchCli } from "../cli/bench.ts";
import { runCompareCli } from "../cli/compare.ts";
import { runExportCli } from "../cli/export.ts";
import { runHistoryCli } from "../cli/history.ts";
import { runMergeCli } from "../cli/merge.ts";
import { runPricesCli } from "../cli/prices.ts";
import { runCheckStoreCli } from "../cli/check_store.ts";
import { openResultsStore } from "../store/mod.ts";
import { rerunCommand } from "../cli/bench/out_dir.ts";

const TRANSCRIPTS = new URL("../workload/transcripts/", import.meta.url).pathname;
const FIXTURES = new URL("./fixtures/", import.meta.url).pathname;

/** Output streams that keep what was written. */
function capture() {
  const io = { stdout: "", stderr: "" };
  return {
    io,
    cli: { out: (t: string) => (io.stdout += t), err: (t: string) => (io.stderr += t) },
    bench: {
      out: (t: string) => (io.stdout += t),
      err: (t: string) => (io.stderr += t),
      errIsTerminal: false,
      env: () => undefined,
    },
  };
}

async function bench(args: string[]) {
  const { io, bench } = capture();
  const code = await runBenchCli(args, bench);
  return { code, ...io };
}

/** The lines of stderr but the progress ones. */
const lines = (text: string) => text.trimEnd().split("\n").filter((l) => !/^\d+\/\d+ runs/.test(l));

/** A store holding one small benchmark of the bundled workload (2 runs). */
async function storeWithBenchmark(dir: string): Promise<string> {
  const db = `${dir}/graphmeter.db`;
  const run = await bench([
    ...["--input", `${TRANSCRIPTS}standup.txt`, "--runs", "2", "--latency-scale", "0"],
    ...["--db", db, "--out", `${dir}/first`, "--seed", "3"],
  ]);
  assert.equal(run.code, 0, run.stderr);
  return db;
}

const benchmarkCount = (db: string): number => {
  using store = openResultsStore(db);
  return store.listBenchmarks().length;
};

Deno.test("hostile: a store with 8 KB of random bytes in the middle: every command says so in one line, exit 2, nothing written", async () => {
  const dir = await Deno.makeTempDir();
  const db = `${dir}/graphmeter.db`;
  // A store of ~150 pages (a third of them call rows).
  for (const seed of ["1", "2", "3"]) {
    const run = await bench([
      ...["--input", TRANSCRIPTS, "--runs", "2", "--latency-scale", "0", "--seed", seed],
      ...["--db", db, "--out", `${dir}/run-${seed}`],
    ]);
    assert.equal(run.code, 0, run.stderr);
  }
  const size = (await Deno.stat(db)).size;
  const file = await Deno.open(db, { write: true });
  await file.seek(Math.floor(size / 2 / 4096) * 4096 + 1000, Deno.SeekMode.Start);
  let state = 7;
  await file.write(
    Uint8Array.from({ length: 8192 }, () => (state = (state * 1103515245 + 12345) >>> 0) >>> 24),
  );
  file.close();
  const before = await Deno.readFile(db);
  const commands: [string, () => Promise<number>, ReturnType<typeof capture>][] = [];
  const add = (name: string, run: (c: ReturnType<typeof capture>) => Promise<number>) => {
    const c = capture();
    commands.push([name, () => run(c), c]);
  };
  add("bench", (c) => runBenchCli(["--db", db, "--out", `${dir}/new`, "--runs", "1"], c.bench));
  add("export", (c) => runExportCli(["latest", "--db", db, "--out", `${dir}/calls.jsonl`], c.cli));
  add("export stdout", (c) => runExportCli(["latest", "--db", db], c.cli));
  add("compare", (c) => runCompareCli(["latest~1", "latest", "--db", db], c.cli));
  add("history", (c) => runHistoryCli(["--db", db], c.cli));
  add("merge", (c) => runMergeCli([db, "--db", `${dir}/merged.db`], c.cli));
  add("check-store", (c) => runCheckStoreCli(["--db", db], c.cli));
  for (const [name, run, { io }] of commands) {
    const code = await run();
    assert.equal(code, 2, `${name}: ${io.stderr}`);
    assert.equal(lines(io.stderr).length, 1, `${name}: ${io.stderr}`);
    assert.match(io.stderr, /is damaged/, name);
    if (name !== "check-store") assert.equal(io.stdout, "", `${name} showed a figure`);
  }
  // Nothing written: the store unchanged, no report, no export, no merged store.
  assert.deepEqual(await Deno.readFile(db), before);
  for (const path of ["new", "calls.jsonl", "merged.db"]) {
    await assert.rejects(Deno.stat(`${dir}/${path}`), Deno.errors.NotFound, path);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("hostile: a refused start (--out is a file) stores no benchmark", async () => {
  const dir = await Deno.makeTempDir();
  const db = await storeWithBenchmark(dir);
  await Deno.writeTextFile(`${dir}/a-file`, "");
  const refused = await bench(["--db", db, "--out", `${dir}/a-file`, "--latency-scale", "0"]);
  assert.equal(refused.code, 2);
  assert.match(
    lines(refused.stderr).join("\n"),
    /^bench: cannot create the output folder .*a-file: a file is in the way/,
  );
  assert.equal(benchmarkCount(db), 1);
  // So the latest is still the one to resume: its runs are there, nothing to run.
  const resumed = await bench(["--resume", "--db", db, "--out", `${dir}/again`]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /: 2 runs stored in /);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("hostile: --baseline of another graph is not compared; compare refuses it; --fail-on exits 2", async () => {
  const dir = await Deno.makeTempDir();
  const db = await storeWithBenchmark(dir);
  const dataset = `${dir}/d.jsonl`;
  await Deno.writeTextFile(dataset, '{"inputs": {"text": "a"}}\n{"inputs": {"text": "b"}}\n');
  const graph = ["--graph", `${FIXTURES}scale_graph.ts:graph`, "--dataset", dataset];
  const other = await bench([
    ...graph,
    "--db",
    db,
    "--out",
    `${dir}/other`,
    "--baseline",
    "latest",
  ]);
  assert.equal(other.code, 0, other.stderr);
  assert.ok(!other.stdout.includes("passed"), other.stdout);
  assert.match(
    other.stderr,
    /\nwarning: --baseline latest: they share no stage \(segmentation, relationship_analysis, integration_decision, node_extraction; respond\): benchmarks of different graphs are not compared\n/,
  );
  const gated = await bench([
    ...graph,
    ...["--db", db, "--out", `${dir}/gated`, "--baseline", "latest~1", "--fail-on", "cost:+5%"],
  ]);
  assert.equal(gated.code, 2, gated.stderr);
  assert.match(
    gated.stderr,
    /bench: --fail-on: the gate cannot judge benchmarks of different graphs\n$/,
  );
  const compared = capture();
  assert.equal(await runCompareCli(["latest~2", "latest", "--db", db], compared.cli), 2);
  assert.equal(compared.io.stdout, "");
  assert.match(compared.io.stderr, /^compare: \S+ and \S+: they share no stage \(/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("hostile: export --out into a missing folder is one line", async () => {
  const dir = await Deno.makeTempDir();
  const db = await storeWithBenchmark(dir);
  const c = capture();
  assert.equal(
    await runExportCli(["latest", "--db", db, "--out", `${dir}/no/such/x.csv`], c.cli),
    2,
  );
  assert.equal(c.io.stderr, `export: cannot write ${dir}/no/such/x.csv: no such file or folder\n`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test({
  name: "hostile: a read-only store: bench says so in one line, readers still read it (needs root)",
  ignore: Deno.uid() !== 0,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const db = await storeWithBenchmark(dir);
    // Root writes a chmod 444 file all the same: make it immutable instead.
    const chattr = (flag: string) => new Deno.Command("chattr", { args: [flag, db] }).outputSync();
    assert.ok(chattr("+i").success, "chattr +i");
    try {
      const refused = await bench(["--db", db, "--out", `${dir}/new`, "--latency-scale", "0"]);
      assert.equal(refused.code, 2);
      assert.match(
        lines(refused.stderr).join("\n"),
        new RegExp(
          `^bench: the results store ${db} is read-only \\(SQLite: attempt to write a readonly ` +
            "database\\); make it writable \\(or free some space\\), or choose another --db$",
        ),
      );
      const history = capture();
      assert.equal(await runHistoryCli(["--db", db], history.cli), 0, history.io.stderr);
      assert.match(history.io.stdout, /2\/2 /);
    } finally {
      chattr("-i");
    }
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test("hostile: reserved labels, --resume with a label, and a plan too big are refused up front", async () => {
  for (const label of ["latest", "latest~1", "20260101-000000-ab12"]) {
    const refused = await bench(["--label", label]);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      new RegExp(`^bench: --label ${label}: .*; choose another label\n$`),
    );
  }
  const started = performance.now();
  const huge = await bench(["--runs", "100000000", "--latency-scale", "0"]);
  assert.equal(huge.code, 2);
  assert.equal(
    huge.stderr,
    "bench: --runs 100000000 x 7 input(s) plans 700000000 runs, more than 1000000 in one " +
      "benchmark; give fewer --runs (or split the inputs into several benchmarks)\n",
  );
  assert.ok(performance.now() - started < 10_000);
});

Deno.test("hostile: the command printed when Deno may not write is the bench task's own, paths aside", async () => {
  const task: string = JSON.parse(
    await Deno.readTextFile(new URL("../deno.json", import.meta.url)),
  ).tasks.bench;
  assert.equal(rerunCommand([], "reports"), task);
});

Deno.test("hostile: prices --help, and --update to a server that never answers gives up", async () => {
  const help = capture();
  assert.equal(await runPricesCli(["--help"], help.cli), 0);
  assert.match(help.io.stdout, /^Usage: deno task prices /);
  const pending: (() => void)[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Promise<Response>((resolve) => pending.push(() => resolve(new Response("late")))),
  );
  try {
    const dir = await Deno.makeTempDir();
    const update = capture();
    const started = performance.now();
    const code = await runPricesCli([
      ...["--update", "--url", `http://127.0.0.1:${server.addr.port}/data.json`],
      ...["--file", `${dir}/prices.json`, "--timeout", "0.5"],
    ], update.cli);
    assert.equal(code, 2);
    assert.ok(performance.now() - started < 5000);
    assert.equal(
      update.io.stderr,
      `prices: could not fetch http://127.0.0.1:${server.addr.port}/data.json (no answer ` +
        "within 0.5 s (--timeout)); the bundled catalog stays in use.\n",
    );
    await assert.rejects(Deno.stat(`${dir}/prices.json`), Deno.errors.NotFound);
    await Deno.remove(dir, { recursive: true });
  } finally {
    pending.forEach((answer) => answer());
    await server.shutdown();
  }
});

Deno.test("hostile: a dataset with a BOM runs; UTF-16 or one pretty-printed object is named", async () => {
  const dir = await Deno.makeTempDir();
  const graph = ["--graph", `${FIXTURES}scale_graph.ts:graph`, "--db", `${dir}/g.db`];
  const cases: [string, Uint8Array, RegExp | null][] = [
    ["bom.jsonl", new TextEncoder().encode('\ufeff{"inputs": {"text": "a"}}\n'), null],
    [
      "utf16.jsonl",
      Uint8Array.from([
        0xff,
        0xfe,
        ...[...'{"inputs": {}}\n'].flatMap((c) => [c.charCodeAt(0), 0]),
      ]),
      /: it is UTF-16 text; save it as UTF-8$/,
    ],
    [
      "pretty.json",
      new TextEncoder().encode('{\n  "examples": [\n    {"inputs": {"text": "a"}}\n  ]\n}\n'),
      /: it is one JSON object over several lines, not JSONL .* \(its "examples" holds a list\)$/,
    ],
  ];
  for (const [name, bytes, refusal] of cases) {
    await Deno.writeFile(`${dir}/${name}`, bytes);
    const run = await bench([
      ...graph,
      "--dataset",
      `${dir}/${name}`,
      "--out",
      `${dir}/${name}-out`,
    ]);
    if (refusal === null) {
      assert.equal(run.code, 0, run.stderr);
    } else {
      assert.equal(run.code, 2, run.stderr);
      assert.equal(lines(run.stderr).length, 1);
      assert.match(lines(run.stderr)[0], refusal);
    }
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("hostile: a node that awaits forever fails at --run-timeout; the other runs go on", async () => {
  const dir = await Deno.makeTempDir();
  const dataset = `${dir}/d.jsonl`;
  await Deno.writeTextFile(
    dataset,
    [
      '{"id": "a", "inputs": {"text": "x"}}',
      '{"id": "stuck", "inputs": {"text": "x", "hang": true}}',
      '{"id": "c", "inputs": {"text": "x"}}',
    ].join("\n"),
  );
  const started = performance.now();
  const run = await bench([
    ...["--graph", `${FIXTURES}hanging_graph.ts:graph`, "--dataset", dataset],
    ...["--run-timeout", "1", "--db", `${dir}/g.db`, "--out", `${dir}/out`],
  ]);
  assert.ok(performance.now() - started < 15_000);
  assert.equal(run.code, 1, run.stderr);
  assert.match(
    run.stderr,
    // A --graph runs in its worker, which holds the run timeout (the runner holds it in process:
    // tests/runner_stops_test.ts).
    /\n1 run\(s\) failed \(first: Error: the run took longer than 1 s \(--run-timeout\) and was stopped\); see "Failed runs"/,
  );
  // Its call before the hang is stored and priced, with the others'.
  const db = new DatabaseSync(`${dir}/g.db`);
  const rows = db.prepare("SELECT input_id, error, llm_calls FROM runs ORDER BY input_id").all();
  db.close();
  assert.deepEqual(rows.map((r) => [r.input_id, r.error === null, r.llm_calls]), [
    ["a", true, 1],
    ["c", true, 1],
    ["stuck", false, 1],
  ]);
  await Deno.remove(dir, { recursive: true });
});
