/**
 * `deno task bench` (in-process) against faulty loopback providers and bad input: every fault
 * ends in bounded time, with one clear line, the right exit code and nothing recorded lost.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { BenchmarkResult } from "../benchmark/result/benchmark_result.ts";
import { openResultsStore } from "../store/mod.ts";
import { formatUsd } from "../report/format.ts";
import { runBenchCli } from "../cli/bench.ts";
import { chatUsage, startOpenAIServer } from "./fixtures/openai_server.ts";
import { jsonResponse, startScriptedServer } from "./fixtures/scripted_server.ts";

const TRANSCRIPT = "Good morning everyone. The release is planned for Friday. Anna will finish " +
  "the billing migration today. The login page still has a bug on mobile.";
const KEY = { OPENAI_API_KEY: "test-key-not-secret" };

async function bench(args: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const started = performance.now();
  const code = await runBenchCli(args, {
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    errIsTerminal: false,
    env: (name) => env[name],
  });
  return { code, stdout, stderr, seconds: (performance.now() - started) / 1000 };
}

/** A temp folder with one transcript; removed by `await using`. */
async function workspace(text = TRANSCRIPT) {
  const dir = await Deno.makeTempDir({ prefix: "graphmeter_faults_" });
  await Deno.writeTextFile(`${dir}/standup.txt`, text);
  return {
    dir,
    transcript: `${dir}/standup.txt`,
    out: `${dir}/out`,
    db: `${dir}/graphmeter.db`,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

const lines = (text: string) => text.trimEnd().split("\n").filter((l) => !/^\d+\/\d+ runs/.test(l));

async function resultOf(out: string): Promise<BenchmarkResult> {
  return BenchmarkResult.parse(JSON.parse(await Deno.readTextFile(`${out}/metrics.json`)));
}

Deno.test("faults: a provider that hangs times out per call, named, and the report is written", async () => {
  await using ws = await workspace();
  // Never answers while the test runs (the pending answers are released at the end).
  const pending: (() => void)[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Promise<Response>((resolve) => pending.push(() => resolve(new Response("late")))),
  );
  try {
    const base = `http://127.0.0.1:${server.addr.port}/v1`;
    const { code, stderr, seconds } = await bench([
      ...["--model", "openai:gpt-4.1-mini", "--base-url", base, "--input", ws.transcript],
      ...["--out", ws.out, "--db", ws.db, "--timeout", "0.3", "--max-retries", "0"],
    ], KEY);
    assert.equal(code, 1, stderr);
    assert.ok(seconds < 10, `${seconds} s`);
    assert.match(
      stderr,
      new RegExp(`1 run\\(s\\) failed \\(first: openai at ${base}: timed out after 0\\.3 s`),
    );
    const [run] = (await resultOf(ws.out)).runs;
    assert.match(run.error ?? "", /^openai at .*: timed out after 0\.3 s \(--timeout\)/);
  } finally {
    pending.forEach((answer) => answer());
    await server.shutdown();
  }
});

Deno.test("faults: HTTP 500 is retried, then named with its status and attempts", async () => {
  await using ws = await workspace();
  await using server = startScriptedServer(
    () => ({ status: 500, errorBody: { error: { message: "boom" } } }),
    () => jsonResponse({}),
  );
  const { code, stderr, seconds } = await bench([
    ...["--model", "openai:gpt-4.1-mini", "--base-url", `${server.origin}/v1`],
    ...["--input", ws.transcript, "--out", ws.out, "--db", ws.db, "--max-retries", "1"],
  ], KEY);
  assert.equal(code, 1, stderr);
  assert.ok(seconds < 15, `${seconds} s`);
  assert.equal(server.requests.length, 2); // one attempt and one retry
  const [run] = (await resultOf(ws.out)).runs;
  assert.equal(run.error, `openai at ${server.origin}/v1: HTTP 500 after 2 attempts (500 boom)`);
  // The progress line showed the failed call and the retry as they happened.
  assert.match(stderr, /1\/1 runs \(1 failed\) · 1 call failed · .* · 2 failed attempts\n/);
});

Deno.test("faults: garbage from the provider is 'invalid JSON from the provider'", async () => {
  await using ws = await workspace();
  await using server = startScriptedServer(
    () => ({}),
    () => new Response("{not json", { headers: { "content-type": "application/json" } }),
  );
  const { code, stderr } = await bench([
    ...["--model", "openai:gpt-4.1-mini", "--base-url", `${server.origin}/v1`],
    ...["--input", ws.transcript, "--out", ws.out, "--db", ws.db, "--max-retries", "0"],
  ], KEY);
  assert.equal(code, 1, stderr);
  const [run] = (await resultOf(ws.out)).runs;
  assert.match(run.error ?? "", /^openai at .*: invalid JSON from the provider \(/);
});

Deno.test("faults: a budget with a model no price table knows is refused before any call", async () => {
  await using ws = await workspace();
  const { code, stdout, stderr } = await bench(
    ["--model", "simulated:acme-internal-model", "--input", ws.transcript, "--max-cost", "1"],
  );
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.equal(
    stderr,
    "bench: --max-cost: no price is known for simulated:acme-internal-model, so the budget " +
      "could not be held; give its rates with --prices FILE, or drop --max-cost\n",
  );
  // Priced by --prices, the same command starts.
  await Deno.writeTextFile(
    `${ws.dir}/p.json`,
    '{"acme-internal-model": {"inputPerMTok": 1, "outputPerMTok": 2}}',
  );
  const priced = await bench([
    ...["--model", "simulated:acme-internal-model", "--input", ws.transcript],
    ...["--max-cost", "1", "--prices", `${ws.dir}/p.json`, "--out", ws.out, "--db", ws.db],
  ]);
  assert.equal(priced.code, 0, priced.stderr);
});

Deno.test("faults: a provider that sends no usage stops a budgeted benchmark at the first call", async () => {
  await using ws = await workspace();
  await using server = startOpenAIServer(() => ({
    model: "gpt-4.1-mini",
    text: "{}",
    usage: null,
  }));
  const { code, stderr } = await bench([
    ...["--model", "openai:gpt-4.1-mini", "--base-url", `${server.origin}/v1`],
    ...[
      "--input",
      ws.transcript,
      "--out",
      ws.out,
      "--db",
      ws.db,
      "--runs",
      "3",
      "--max-cost",
      "0.0001",
    ],
  ], KEY);
  assert.equal(code, 0, stderr);
  assert.equal(server.requests.length, 1);
  assert.ok(
    stderr.includes(
      "--max-cost: a call to openai:gpt-4.1-mini could not be priced, so the budget cannot be " +
        "held: stopping; price it with --prices FILE\n",
    ),
    stderr,
  );
  const result = await resultOf(ws.out);
  assert.equal(result.runs.length, 0);
  assert.equal(result.stoppedRuns.length, 1);
  assert.equal(result.notRun, 3);
  assert.match(await Deno.readTextFile(`${ws.out}/report.md`), /## Runs stopped in flight/);
});

Deno.test("faults: the budget is held live against a real integration", async () => {
  await using ws = await workspace(TRANSCRIPT.repeat(6)); // several windows per run
  // $10,000 per million tokens both ways (the ceiling): every call costs 1,100 x $0.01 = $11.
  await Deno.writeTextFile(
    `${ws.dir}/p.json`,
    '{"gpt-4.1-mini": {"inputPerMTok": 10000, "outputPerMTok": 10000}}',
  );
  const callUsd = (1000 + 100) * 10_000 / 1e6;
  await using server = startOpenAIServer(() => ({
    model: "gpt-4.1-mini",
    text: '{"chunks": [{"name": "a", "text": "Anna ships.", "is_complete": true}]}',
    usage: chatUsage(1000, 100),
    delayMs: 5,
  }));
  const budget = 3.5 * callUsd;
  const { code, stderr } = await bench([
    ...["--model", "openai:gpt-4.1-mini", "--base-url", `${server.origin}/v1`],
    ...[
      "--input",
      ws.transcript,
      "--out",
      ws.out,
      "--db",
      ws.db,
      "--runs",
      "2",
      "--concurrency",
      "1",
    ],
    ...["--max-cost", String(budget), "--prices", `${ws.dir}/p.json`],
  ], KEY);
  assert.equal(code, 0, stderr);
  // Crossed at the 4th call; sequential calls: none other in flight.
  assert.equal(server.requests.length, 4);
  const spent = server.requests.length * callUsd;
  assert.ok(spent <= budget + callUsd);
  assert.match(stderr, /stopped: the calls made cost \$44\.00, past the budget of \$38\.50/);
  assert.ok(!stderr.includes("matched no call"), stderr); // the stopped run's calls count too
  assert.match(
    stderr,
    /; continue with deno run .* cli\/bench\.ts --resume \d{8}-\d{6}-[0-9a-f]{4} --db \/tmp\/\S+ --out \/tmp\//,
  );
  const result = await resultOf(ws.out);
  assert.equal(result.runs.length + result.stoppedRuns.length, 1);
  // Every paid call is in the store: what it holds is what was printed.
  using store = openResultsStore(ws.db);
  const id = store.resolveBenchmark("latest");
  assert.equal(store.spentUsd(id), spent);
  assert.equal(formatUsd(store.spentUsd(id)), /the calls made cost (\S+),/.exec(stderr)?.[1]);
  assert.equal(store.readStoppedRuns(id).runs.length, result.stoppedRuns.length);
});

Deno.test("faults: binary or non-UTF-8 input is refused in one line; empty files are skipped", async () => {
  await using ws = await workspace();
  const cases: [Uint8Array, RegExp][] = [
    [new Uint8Array([0x47, 0x49, 0x46, 0x38, 0, 0, 1, 2]), /binary: it holds NUL bytes/],
    [new Uint8Array([0x48, 0x69, 0xff, 0xfe, 0x21]), /not valid UTF-8/],
  ];
  for (const [bytes, why] of cases) {
    await Deno.writeFile(`${ws.dir}/fake.txt`, bytes);
    const { code, stdout, stderr, seconds } = await bench(["--input", `${ws.dir}/fake.txt`]);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.ok(seconds < 5);
    assert.equal(lines(stderr).length, 1, stderr);
    assert.match(stderr, new RegExp(`^bench: --input ${ws.dir}/fake.txt: not a text transcript`));
    assert.match(stderr, why);
  }
  await Deno.remove(`${ws.dir}/fake.txt`);
  await Deno.writeTextFile(`${ws.dir}/empty.txt`, " \n\n");
  const { code, stderr } = await bench([
    "--input",
    ws.dir,
    "--out",
    ws.out,
    "--db",
    ws.db,
    "--max-windows",
    "1",
  ]);
  assert.equal(code, 0, stderr);
  assert.equal(
    stderr,
    "warning: --input: empty.txt is empty: skipped\n" + stderr.split("\n").slice(1).join("\n"),
  );
  const result = await resultOf(ws.out);
  assert.deepEqual(result.runs.map((r) => [r.inputId, r.quality?.windows]), [["standup", 1]]);
  await Deno.remove(ws.transcript);
  const none = await bench(["--input", ws.dir]);
  assert.equal(none.code, 2);
  assert.equal(none.stderr, `bench: --input ${ws.dir}: no transcript with any text in it\n`);
});

Deno.test("faults: absurd or invalid prices are one line, exit 2, before any run", async () => {
  await using ws = await workspace();
  const tables: [string, RegExp][] = [
    ['{"m": {"inputPerMTok": 1e308, "outputPerMTok": 1}}', /above \$10,000: a typo\?/],
    ['{"m": {"inputPerMTok": -1, "outputPerMTok": 1}}', /invalid price at m\.inputPerMTok/],
    ['{"m": {"inputPerMTok": 1}}', /invalid price at m\.outputPerMTok/],
    ["{nope", /not valid JSON/],
  ];
  for (const [table, message] of tables) {
    await Deno.writeTextFile(`${ws.dir}/p.json`, table);
    const { code, stderr } = await bench(
      ["--input", ws.transcript, "--prices", `${ws.dir}/p.json`, "--out", ws.out, "--db", ws.db],
    );
    assert.equal(code, 2);
    assert.equal(lines(stderr).length, 1, stderr);
    assert.match(stderr, message);
  }
});

Deno.test("faults: --out naming a file is one line", async () => {
  await using ws = await workspace();
  const asFile = await bench(["--input", ws.transcript, "--out", ws.transcript, "--db", ws.db]);
  assert.equal(asFile.code, 2);
  assert.equal(
    asFile.stderr,
    `bench: cannot create the output folder ${ws.transcript}: a file is in the way (is --out a ` +
      "file?); choose a folder for --out\n",
  );
});

Deno.test({
  name: "faults: --out where Deno may not write gives the exact command that works",
  permissions: { read: true, write: ["reports"], env: true, sys: true, run: ["git"] },
  fn: async () => {
    const out = `${Deno.cwd()}/not-allowed-${crypto.randomUUID()}`;
    const db = `reports/test-${crypto.randomUUID()}.db`;
    try {
      const args = ["--runs", "1", "--out", out, "--max-windows", "1", "--db", db];
      const { code, stderr } = await bench(args);
      assert.equal(code, 2);
      assert.equal(
        stderr,
        `bench: cannot create the output folder ${out}: Deno was not allowed to; run deno run ` +
          `--allow-read --allow-write=reports,${out} --allow-env --allow-net --allow-sys ` +
          `--allow-run cli/bench.ts ${args.join(" ")}\n`,
      );
    } finally {
      await Deno.remove(db).catch(() => {});
    }
  },
});

Deno.test("faults: --resume alone continues the benchmark with its stored settings", async () => {
  await using ws = await workspace();
  const first = await bench([
    ...["--input", ws.transcript, "--out", ws.out, "--db", ws.db],
    ...["--runs", "2", "--seed", "5", "--max-windows", "1"],
  ]);
  assert.equal(first.code, 0, first.stderr);
  const before = await resultOf(ws.out);
  // As if interrupted before the second run was stored (the counts it recorded lowered too, or
  // the store would be damaged).
  const db = new DatabaseSync(ws.db);
  db.exec(`PRAGMA foreign_keys = ON;
    UPDATE benchmarks SET recorded_runs = recorded_runs - 1,
      recorded_calls = recorded_calls - (SELECT COUNT(*) FROM calls WHERE repeat = 1);
    DELETE FROM runs WHERE repeat = 1`);
  db.close();
  const resumed = await bench(["--resume", "--db", ws.db, "--out", ws.out]);
  assert.equal(resumed.code, 0, resumed.stderr);
  const after = await resultOf(ws.out);
  assert.equal(after.runs.length, 2);
  assert.equal(after.meta.seed, 5);
  // The same run again: same seed, same windows, same tokens.
  assert.deepEqual(after.runs[1].inputTokens, before.runs[1].inputTokens);
  assert.equal(after.runs[1].quality?.windows, 1);
  // A flag that contradicts the stored settings is refused, naming it.
  const contradiction = await bench(["--resume", "--db", ws.db, "--runs", "3"]);
  assert.equal(contradiction.code, 2);
  assert.match(
    contradiction.stderr,
    /^bench: --resume: benchmark .* was run with --runs 2, not 3;/,
  );
});

Deno.test("faults: --help states the budget's guarantee and --seed's meaning", async () => {
  const { stdout } = await bench(["--help"]);
  assert.match(
    stdout,
    /Guarantee: spent <= USD \+ the\s+cost\s+of\s+the\s+calls\s+already\s+in\s+flight\s+when\s+it\s+was\s+crossed/,
  );
  assert.match(
    stdout,
    /--seed 0 is a\s+seed\s+like\s+any\s+other;\s+without\s+--seed\s+the\s+simulated\s+model\s+uses\s+seed\s+0/,
  );
});

/**
 * Mounts a 32 KB file system at `dir` (a disk that fills up), or returns null where this process
 * may not (not root, no mount): then the test is skipped.
 */
function mountSmallDisk(dir: string): { [Symbol.dispose](): void } | null {
  try {
    const mount = new Deno.Command("mount", {
      args: ["-t", "tmpfs", "-o", "size=32k", "tmpfs", dir],
      stdout: "null",
      stderr: "null",
    }).outputSync();
    if (!mount.success) return null;
  } catch {
    return null;
  }
  return {
    [Symbol.dispose]: () => void new Deno.Command("umount", { args: [dir] }).outputSync(),
  };
}

/** Whether a small disk can be mounted here (root, with mount). */
function canMountSmallDisk(): boolean {
  try {
    const dir = Deno.makeTempDirSync();
    const disk = mountSmallDisk(dir);
    disk?.[Symbol.dispose]();
    Deno.removeSync(dir);
    return disk !== null;
  } catch {
    return false;
  }
}

Deno.test({
  name: "faults: a full disk is one line and the runs already stored are kept (needs root)",
  ignore: !canMountSmallDisk(),
  fn: async () => {
    await using ws = await workspace();
    // The report goes to a 32 KB disk: it fills up while the report is written (report.md or
    // report.html, as their sizes go).
    await Deno.mkdir(ws.out);
    using _disk = mountSmallDisk(ws.out)!;
    const full = await bench(["--input", ws.transcript, "--out", ws.out, "--db", ws.db]);
    assert.equal(full.code, 2);
    assert.match(
      lines(full.stderr).join("\n"),
      new RegExp(
        `^bench: cannot write ${ws.out}/report\\.(md|html): the disk is full; free some space and ` +
          `run again; what was already recorded is kept in ${ws.db}$`,
      ),
    );
    // Nothing half-made: no report file, no temporary file left.
    assert.deepEqual([...Deno.readDirSync(ws.out)], []);
    using store = openResultsStore(ws.db);
    assert.equal(store.loadRuns(store.resolveBenchmark("latest")).length, 1);
  },
});
