import assert from "node:assert/strict";
import { parseBenchArgs, parseModelSpec } from "../cli/bench/args.ts";
import { UsageError } from "../cli/usage_error.ts";
import { runBenchCli } from "../cli/bench.ts";
import { runCli } from "../cli/mod.ts";
import { resolveApiKey } from "../cli/bench/models.ts";
import { formatProgress, progressReporter } from "../cli/bench/progress.ts";
import { BenchmarkResult } from "../benchmark/result/benchmark_result.ts";
import { formatUsd } from "../report/format.ts";
import { escapeMarkdown } from "../report/performance_section.ts";
import { openResultsStore } from "../store/mod.ts";
import { DEFAULT_SIMULATED_MODEL } from "../workload/mod.ts";

const STAGES = ["segmentation", "relationship_analysis", "integration_decision"];

Deno.test("bench args: defaults", () => {
  const args = parseBenchArgs([], STAGES);
  assert.deepEqual(args, {
    runs: 1,
    concurrency: 4,
    defaultModel: null,
    stageModels: {},
    baseUrl: null,
    input: null,
    out: null,
    maxCostUsd: null,
    seed: null,
    resume: false,
    resumeRef: null,
    dailyWords: 100_000,
    prices: null,
    graph: null,
    groupBy: null,
    dataset: null,
    config: null,
    loadTimeoutSeconds: 60,
    runTimeoutSeconds: 600,
    db: null,
    label: null,
    latencyScale: 0.02,
    shard: null,
    baseline: null,
    failOn: [],
    evaluators: [],
    evaluatorTimeoutSeconds: 300,
    passRules: [],
    timeoutSeconds: 60,
    maxRetries: 2,
    maxWindows: null,
    debug: false,
    interleave: null,
    rpm: [],
    tpm: [],
    help: false,
    given: new Set(),
  });
});

Deno.test("bench args: every flag", () => {
  const args = parseBenchArgs([
    "--runs=3",
    "--concurrency",
    "2",
    "--model",
    "ollama:qwen3:8b",
    "--model",
    "segmentation=ollama:llama3.2:3b",
    "--base-url",
    "http://localhost:11434",
    "--input",
    "t.txt",
    "--out",
    "reports/x",
    "--max-cost",
    "0.5",
    "--seed=-4",
    "--resume",
    "--daily-words",
    "2000",
    "--prices",
    "prices.json",
    "--rpm",
    "500",
    "--rpm",
    "api.openai.com=600",
    "--tpm",
    "openai=200000",
  ], STAGES);
  assert.equal(args.runs, 3);
  assert.equal(args.concurrency, 2);
  assert.deepEqual(args.defaultModel, { provider: "ollama", model: "qwen3:8b" });
  assert.deepEqual(args.stageModels, {
    segmentation: { provider: "ollama", model: "llama3.2:3b" },
  });
  assert.equal(args.maxCostUsd, 0.5);
  assert.equal(args.seed, -4);
  assert.equal(args.resume, true);
  assert.equal(args.dailyWords, 2000);
  assert.equal(args.prices, "prices.json");
  assert.deepEqual(args.rpm, [
    { target: null, perMinute: 500 },
    { target: "api.openai.com", perMinute: 600 },
  ]);
  assert.deepEqual(args.tpm, [{ target: "openai", perMinute: 200_000 }]);
});

Deno.test("bench args: bad flags and values are one-line usage errors", () => {
  const bad: [string[], RegExp][] = [
    [["--nope"], /Unknown option '--nope'/],
    [["extra"], /positional/i],
    [["--runs", "0"], /--runs must be a whole number ≥ 1/],
    [["--runs", "1.5"], /--runs/],
    [["--concurrency", "x"], /--concurrency/],
    [["--max-cost", "-1"], /--max-cost/],
    [["--seed", "1e3"], /--seed/],
    [["--daily-words", "0"], /--daily-words/],
    [["--model", "foo:bar"], /unknown provider "foo"/],
    [["--model", "openai"], /name a model/],
    [["--model", "nostage=openai:gpt-4o"], /unknown stage/],
    [["--model", "simulated:a", "--model", "simulated:b"], /two models for all stages/],
    [["--base-url", "http://x"], /needs a real provider/],
    [["--base-url", "ftp://x", "--model", "openai:m"], /http\(s\) URL/],
    [
      ["--model", "openai:a", "--model", "segmentation=anthropic:b", "--base-url", "http://x"],
      /one provider/,
    ],
    [["--latency-scale", "-1"], /--latency-scale must be a number ≥ 0/],
    [["--shard", "3/2"], /--shard must be i\/n with 1 ≤ i ≤ n/],
    [["--shard", "0/2"], /--shard must be i\/n/],
    [["--graph", "agent"], /--graph needs --dataset/],
    [["--dataset", "d.jsonl"], /--dataset needs --graph/],
    [["--prices", " "], /--prices needs a path/],
    [["--fail-on", "cost:+5%"], /--fail-on needs --baseline/],
    [["--rpm", "0"], /--rpm must be a number per minute above 0, or PROVIDER=N \/ HOST=N/],
    [["--tpm", "openai=x"], /--tpm must be a number per minute/],
    [["--rpm", "=5"], /--rpm "=5": the endpoint before "=" is empty/],
    [
      ["--interleave", "simulated:a", "--baseline", "main"],
      /--interleave runs its own baseline: drop --baseline/,
    ],
    [
      ["--interleave", "simulated:a", "--resume"],
      /--resume continues an interleaved benchmark beside the baseline it began with: drop --interleave/,
    ],
    [["--interleave", "nostage=simulated:a"], /unknown stage/],
    [["--interleave", " "], /--interleave needs a baseline/],
    [["--baseline", "main", "--fail-on", "speed:+5%"], /--fail-on: .*unknown figure "speed"/],
    [["--baseline", " "], /--baseline needs a benchmark/],
  ];
  for (const [argv, message] of bad) {
    assert.throws(() => parseBenchArgs(argv, STAGES), (error: unknown) => {
      assert.ok(error instanceof UsageError, `${argv.join(" ")}: ${error}`);
      assert.match(error.message, message);
      assert.equal(error.message.includes("\n"), false);
      return true;
    });
  }
});

Deno.test("bench args: model specs", () => {
  assert.deepEqual(parseModelSpec("simulated:gemini-2.5-flash-lite"), {
    stage: null,
    choice: { provider: "simulated", model: "gemini-2.5-flash-lite" },
  });
  assert.deepEqual(parseModelSpec("google-genai:gemini-2.0-flash").choice.provider, "google-genai");
  assert.throws(() => parseModelSpec("=openai:x"), /stage before "=" is empty/);
});

Deno.test("api keys: read from the usual variables, missing is a usage error", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assert.equal(resolveApiKey("anthropic", env({ ANTHROPIC_API_KEY: "a" }), null), "a");
  assert.equal(resolveApiKey("google-genai", env({ GOOGLE_API_KEY: "g" }), null), "g");
  assert.equal(resolveApiKey("openai", env({}), "http://localhost:8000/v1"), "not-needed");
  assert.throws(() => resolveApiKey("anthropic", env({}), null), UsageError);
  assert.equal(resolveApiKey("simulated", env({}), null), null);
});

Deno.test("progress: bar on a terminal, plain lines otherwise", () => {
  const progress = {
    done: 2,
    total: 4,
    failed: 1,
    running: 0,
    failedCalls: 0,
    elapsedMs: 1000,
    etaMs: null,
    costUsd: 0.5,
    unpricedCalls: 0,
  };
  assert.equal(
    formatProgress(progress, 4),
    "[##--] 2/4 runs (1 failed) · 0:01 elapsed · ETA ? · $0.50",
  );
  let text = "";
  let clock = 0;
  const bar = progressReporter((chunk) => (text += chunk), true, () => clock);
  bar.report({ ...progress, etaMs: 5000 });
  clock = 2000;
  bar.tick();
  bar.end();
  assert.ok(text.startsWith("\r\x1b[2K[############------------] 2/4 runs"), text);
  assert.match(text, /0:03 elapsed · ETA 0:03 · \$0\.50\n$/);
  assert.ok(text.endsWith("\n"));
});

/** Runs the CLI in this process (the test permissions allow no subprocess but git). */
async function bench(args: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runBenchCli(args, {
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    errIsTerminal: false,
    env: (name) => env[name],
  });
  return { code, stdout, stderr };
}

Deno.test("cli: a bad flag exits 2 with one line on stderr", async () => {
  for (const args of [["--bogus"], ["--runs", "zero"], ["--model", "nope:x"]]) {
    const { code, stdout, stderr } = await bench(args);
    assert.equal(code, 2, stderr);
    assert.equal(stdout, "");
    assert.equal(stderr.trimEnd().split("\n").length, 1, stderr);
    assert.match(stderr, /^bench: /);
  }
});

Deno.test("cli: a missing key exits 2 before any work", async () => {
  const dir = await Deno.makeTempDir();
  const { code, stderr } = await bench(
    ["--model", "openai:gpt-4.1-mini", "--out", `${dir}/out`],
  );
  assert.equal(code, 2);
  assert.equal(stderr.trim(), stderr.trim().split("\n")[0]);
  assert.match(stderr, /OPENAI_API_KEY is not set/);
  assert.equal(await Deno.stat(`${dir}/out`).then(() => true, () => false), false);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("cli: --help prints the usage and exits 0", async () => {
  const { code, stdout } = await bench(["--help"]);
  assert.equal(code, 0);
  assert.match(stdout, /^Usage: deno task bench/);
  assert.match(stdout, /--daily-words/);
  assert.match(stdout, /--prices FILE/);
});

const STANDUP = "Good morning everyone. The release is planned for Friday. Anna will finish the " +
  "billing migration today. The login page still has a bug on mobile. Tom will look into it " +
  "after lunch. Next week we start the search project. We need a designer for the new filters.";

Deno.test("cli: end to end on one short transcript with the simulated model", async () => {
  const dir = await Deno.makeTempDir();
  const transcript = `${dir}/standup.txt`;
  await Deno.writeTextFile(transcript, STANDUP);
  const out = `${dir}/out`;
  const db = `${dir}/graphmeter.db`;
  const { code, stdout, stderr } = await bench(
    ["--input", transcript, "--out", out, "--db", db, "--seed", "3", "--daily-words", "5000"],
  );
  assert.equal(code, 0, stderr);
  assert.deepEqual(
    stdout.trim().split("\n"),
    [`${out}/report.md`, `${out}/report.html`, `${out}/metrics.json`],
  );
  const result = BenchmarkResult.parse(JSON.parse(await Deno.readTextFile(`${out}/metrics.json`)));
  assert.equal(result.runs.length, 1);
  assert.equal(result.runs[0].inputId, "standup");
  assert.match(result.meta.modelsNote ?? "", /^simulated: no provider was called/);
  assert.deepEqual(result.aggregates.dailyVolume, { amount: 5, label: "5,000 words" });
  assert.ok(result.aggregates.llmCalls > 0);
  assert.ok((result.aggregates.costUsd ?? 0) > 0);
  {
    using store = openResultsStore(db);
    const [stored] = store.listBenchmarks();
    assert.equal(stored.runs, 1);
    assert.equal(result.benchmark?.id, stored.id);
    assert.equal(store.loadRuns(stored.id)[0].metrics.totals.costUsd, result.aggregates.costUsd);
  }
  const report = await Deno.readTextFile(`${out}/report.md`);
  assert.match(report, /^# graphmeter benchmark/);
  assert.match(report, /## Quality/);
  assert.match(report, /```mermaid\ngantt/);
  const html = await Deno.readTextFile(`${out}/report.html`);
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<h2>Slowest run<\/h2><figure><svg /);
  assert.doesNotMatch(html, /Comparison with the baseline/);

  // Resuming the finished benchmark runs nothing new and writes the same runs.
  const again = await bench(
    ["--input", transcript, "--out", out, "--db", db, "--seed", "3", "--resume"],
  );
  assert.equal(again.code, 0, again.stderr);
  const resumed = BenchmarkResult.parse(JSON.parse(await Deno.readTextFile(`${out}/metrics.json`)));
  assert.deepEqual(resumed.runs, result.runs);
  assert.equal(resumed.benchmark?.id, result.benchmark?.id);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("cli: --prices prices every call of the simulated model from the file", async () => {
  const dir = await Deno.makeTempDir();
  // A bundled transcript long enough for the simulated model's prompt cache to be read.
  const transcript = new URL(
    "../workload/transcripts/voice_memo.txt",
    import.meta.url,
  ).pathname;
  // $10,000 per million uncached input tokens (the ceiling), $5,000 per million cached ones,
  // $10,000 per million output tokens; the second key matches no call and is warned about.
  const prices = `${dir}/prices.json`;
  await Deno.writeTextFile(
    prices,
    JSON.stringify({
      "gpt-4.1-mini": { inputPerMTok: 1e4, outputPerMTok: 1e4, cacheReadPerMTok: 5e3 },
      "openai:gpt-4.1-minii": { inputPerMTok: 1, outputPerMTok: 1 },
    }),
  );
  const out = `${dir}/out`;
  const db = `${dir}/graphmeter.db`;
  const { code, stderr } = await bench(
    ["--input", transcript, "--out", out, "--db", db, "--seed", "3", "--prices", prices],
  );
  assert.equal(code, 0, stderr);
  assert.deepEqual(stderr.split("\n").filter((line) => line.startsWith("warning:")), [
    `warning: --prices ${prices}: 1 of 2 price(s) matched no call ("openai:gpt-4.1-minii"): typos?`,
  ]);
  const result = BenchmarkResult.parse(JSON.parse(await Deno.readTextFile(`${out}/metrics.json`)));
  // The calls live in the results store.
  using store = openResultsStore(db);
  const [run] = store.loadRuns(result.benchmark!.id);
  assert.ok(run.metrics.calls.length > 0);
  for (const call of run.metrics.calls) {
    assert.equal(call.model, "gpt-4.1-mini");
    assert.equal(call.costSource, "override");
    const uncached = call.inputTokens - call.cacheReadTokens - call.cacheWriteTokens;
    // The published formula, to the rounding of a few floating-point operations.
    const expectedUsd = (uncached * 1e4 + call.cacheReadTokens * 5e3 +
      call.cacheWriteTokens * 1e4 + call.outputTokens * 1e4) / 1e6;
    assert.ok(Math.abs(call.costUsd! - expectedUsd) < 1e-12, `${call.costUsd} vs ${expectedUsd}`);
    // Streamed: every call has a time to first token within its latency.
    assert.ok(call.timeToFirstTokenMs !== null && call.timeToFirstTokenMs <= call.latencyMs);
  }
  const t = run.metrics.totals;
  assert.ok(t.cacheReadTokens > 0, "the prices' cache rate is exercised");
  const expected = ((t.inputTokens - t.cacheReadTokens - t.cacheWriteTokens) +
    0.5 * t.cacheReadTokens + t.cacheWriteTokens + t.outputTokens) / 100;
  // Sums of per-call costs: equal to the rounding of a few additions.
  assert.ok(Math.abs(t.costUsd! - expected) < 1e-9, `${t.costUsd} vs ${expected}`);
  assert.equal(result.aggregates.costUsd, t.costUsd);
  assert.equal(result.pricing?.overrideModels, 2);
  assert.equal(result.meta.notes?.["Price overrides"], `from ${prices}`);
  const report = await Deno.readTextFile(`${out}/report.md`);
  assert.ok(
    report.includes(`| Price overrides | 2 models (from ${escapeMarkdown(prices)}) |`),
    report,
  );
  assert.ok(report.includes(`| Cost of the successful runs | ${formatUsd(t.costUsd)} |`));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("cli: a bad --prices file exits 2 with one line, before any work", async () => {
  const dir = await Deno.makeTempDir();
  const files: [string, string, RegExp][] = [
    ["not-json.json", "{inputPerMTok: 1}", /not valid JSON/],
    ["string-rate.json", '{"m": {"inputPerMTok": "1", "outputPerMTok": 2}}', /at m\.inputPerMTok/],
    ["negative.json", '{"m": {"inputPerMTok": -1, "outputPerMTok": 2}}', /at m\.inputPerMTok/],
    ["no-output.json", '{"m": {"inputPerMTok": 1}}', /at m\.outputPerMTok/],
    ["unknown-field.json", '{"m": {"inputPerMTok": 1, "outputPerMTok": 2, "x": 1}}', /at m/],
    ["array.json", "[]", /top level/],
  ];
  for (const [name, text] of files) await Deno.writeTextFile(`${dir}/${name}`, text);
  const cases: [string, RegExp][] = [
    ...files.map(([name, , message]): [string, RegExp] => [`${dir}/${name}`, message]),
    [`${dir}/missing.json`, /no such file/],
    [dir, /expected a JSON file/],
  ];
  for (const [path, message] of cases) {
    const { code, stdout, stderr } = await bench(["--prices", path, "--out", `${dir}/out`]);
    assert.equal(code, 2, stderr);
    assert.equal(stdout, "");
    assert.match(stderr, /^bench: --prices /);
    assert.match(stderr, message);
    assert.equal(stderr.endsWith("\n"), true);
    assert.equal(stderr.trimEnd().split("\n").length, 1, stderr);
    assert.equal(await Deno.stat(`${dir}/out`).then(() => true, () => false), false);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("bench args: a negative number after a flag is its value, not a flag", () => {
  assert.equal(parseBenchArgs(["--seed", "-4"], STAGES).seed, -4);
  const messages: [string[], string][] = [
    [["--max-cost", "-1"], '--max-cost must be a positive number of US dollars, got "-1"'],
    [["--max-cost", "-0.5"], '--max-cost must be a positive number of US dollars, got "-0.5"'],
    [["--runs", "-2"], '--runs must be a whole number ≥ 1, got "-2"'],
  ];
  for (const [argv, message] of messages) {
    assert.throws(() => parseBenchArgs(argv, STAGES), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.equal(error.message, message);
      return true;
    });
  }
});

Deno.test("cli: --resume with other settings exits 2 naming the setting, running nothing", async () => {
  const dir = await Deno.makeTempDir();
  const transcript = `${dir}/standup.txt`;
  await Deno.writeTextFile(transcript, STANDUP);
  const prices = `${dir}/prices.json`;
  await Deno.writeTextFile(prices, '{"gpt-4.1-mini": {"inputPerMTok": 1, "outputPerMTok": 2}}');
  const out = `${dir}/out`;
  const db = `${dir}/graphmeter.db`;
  const base = ["--input", transcript, "--out", out, "--db", db, "--prices", prices];
  const first = await bench([...base, "--seed", "3", "--label", "standup"]);
  assert.equal(first.code, 0, first.stderr);
  const id = (() => {
    using store = openResultsStore(db);
    const [stored] = store.listBenchmarks();
    assert.deepEqual(Object.keys(store.getBenchmark(stored.id)!.settings as object), [
      "models",
      "seed",
      "input",
      "baseUrl",
      "maxWindows",
      "prices",
      "repeats",
      "shard",
      "defaults",
    ]);
    return stored.id;
  })();
  const runsStored = () => {
    using store = openResultsStore(db);
    return store.listBenchmarks().map((b) => [b.id, b.runs]);
  };
  const model = `simulated:${DEFAULT_SIMULATED_MODEL}`;
  const refusals: [string[], string][] = [
    [["--seed", "4"], "--seed 3, not 4"],
    [
      ["--seed", "3", "--model", "integration_decision=simulated:gpt-4o-mini"],
      `--model integration_decision=${model}, not simulated:gpt-4o-mini`,
    ],
    [["--seed", "3", "--runs", "2"], "--runs 1, not 2"],
  ];
  for (const [extra, difference] of refusals) {
    const { code, stdout, stderr } = await bench([...base, ...extra, "--resume"]);
    assert.equal(code, 2, stderr);
    assert.equal(stdout, "");
    assert.equal(
      stderr,
      `bench: --resume: benchmark ${id} was run with ${difference}; resume with the same ` +
        "settings, or start a new benchmark (without --resume)\n",
    );
  }
  // The same flags with another price table or other transcripts are other settings too.
  await Deno.writeTextFile(prices, '{"gpt-4.1-mini": {"inputPerMTok": 1, "outputPerMTok": 3}}');
  const repriced = await bench([...base, "--seed", "3", "--resume"]);
  assert.equal(repriced.code, 2);
  assert.match(repriced.stderr, /was run with another --prices table \(the file changed\);/);
  await Deno.writeTextFile(prices, '{"gpt-4.1-mini": {"inputPerMTok": 1, "outputPerMTok": 2}}');
  await Deno.writeTextFile(transcript, STANDUP + " One more sentence.");
  const edited = await bench([...base, "--seed", "3", "--resume"]);
  assert.equal(edited.code, 2);
  assert.match(edited.stderr, /was run with other --input transcripts \(their text changed\);/);
  assert.deepEqual(runsStored(), [[id, 1]]);
  // Put back as they were, the settings match and the resume goes on (by label, the same id).
  await Deno.writeTextFile(transcript, STANDUP);
  const resumed = await bench([...base, "--seed", "3", "--resume", "--label", "standup"]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual(runsStored(), [[id, 1]]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("graphmeter cli: lists and runs every command", async () => {
  let out = "";
  let err = "";
  const io = {
    out: (text: string) => (out += text),
    err: (text: string) => (err += text),
    errIsTerminal: false,
    env: () => undefined,
  };
  assert.equal(await runCli(["--help"], io), 0);
  const names = [...out.matchAll(/^ {2}(\w+) {2,}\S/gm)].map((match) => match[1]);
  assert.deepEqual(names, [
    "bench",
    "tune",
    "compare",
    "reprice",
    "history",
    "export",
    "merge",
    "prices",
  ]);
  // Each command is reached: its own --help (or its own one-line error) answers.
  for (
    const [command, answer] of [
      ["tune", /^Usage: deno task tune/],
      ["history", /^Usage: deno task history/],
      ["export", /^Usage: deno task export/],
      ["merge", /^Usage: deno task merge/],
    ] as const
  ) {
    out = "";
    assert.equal(await runCli([command, "--help"], io), 0, command);
    assert.match(out, answer);
  }
  err = "";
  assert.equal(await runCli(["prices", "--bogus"], io), 2);
  assert.match(err, /^prices: /);
  out = "";
  assert.equal(await runCli(["prices", "--file", "/nonexistent/prices.json"], io), 0);
  assert.match(out, /^prices: bundled @pydantic\/genai-prices /);
});
