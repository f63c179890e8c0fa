import assert from "node:assert/strict";
import { runBenchCli } from "../cli/bench.ts";
import { openResultsStore } from "../store/mod.ts";

const STANDUP = "Good morning everyone. The release is planned for Friday. Anna will finish the " +
  "billing migration today. The login page still has a bug on mobile. Tom will look into it " +
  "after lunch. Next week we start the search project. We need a designer for the new filters.";

const dir = await Deno.makeTempDir();
const transcript = `${dir}/standup.txt`;
await Deno.writeTextFile(transcript, STANDUP);
const db = `${dir}/graphmeter.db`;

/** `deno task bench` on one short transcript, twice, with the simulated model at once. */
async function bench(out: string, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runBenchCli(
    [
      ...["--input", transcript, "--runs", "2", "--seed", "3", "--latency-scale", "0"],
      ...["--db", db, "--out", `${dir}/${out}`, ...args],
    ],
    {
      out: (text) => (stdout += text),
      err: (text) => (stderr += text),
      errIsTerminal: false,
      env: () => undefined,
    },
  );
  return { code, stdout, stderr };
}

function storedBenchmarks(): number {
  using store = openResultsStore(db);
  return store.listBenchmarks().length;
}

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("bench --baseline: benchmarks, compares, gates", async (t) => {
  const base = await bench("base", "--label", "base");
  assert.equal(base.code, 0, base.stderr);

  await t.step("a baseline that cannot be resolved: one line, exit 2, nothing run", async () => {
    for (
      const [argv, message] of [
        [["--baseline", "nope"], /^bench: --baseline no benchmark with id or label "nope"/],
        [
          ["--baseline", `${dir}/missing-folder/`],
          /^bench: --baseline no benchmark with id or label ".*missing-folder\/"/,
        ],
        [
          ["--baseline", "base", "--fail-on", "nostage.cost:+5%"],
          /^bench: --fail-on "nostage.cost:\+5%": the baseline has no stage "nostage"/,
        ],
      ] as const
    ) {
      const { code, stdout, stderr } = await bench("never", ...argv);
      assert.equal(code, 2, stderr);
      assert.match(stderr, message);
      assert.equal(stderr.trimEnd().split("\n").length, 1, stderr);
      assert.equal(stdout, "");
      assert.equal(storedBenchmarks(), 1, "no benchmark was started");
      assert.equal(await exists(`${dir}/never`), false);
    }
  });

  await t.step(
    "the same settings: no significant change in cost or tokens, gate passed",
    async () => {
      const { code, stdout, stderr } = await bench(
        "same",
        ...["--baseline", "base", "--fail-on", "cost:+0%,tokens:+0"],
      );
      assert.equal(code, 0, stderr);
      assert.match(stdout, /^## graphmeter compare: base → \d{8}\\-\d{6}\\-[0-9a-f]{4}\n/);
      // The verdict line: cost, tokens, calls and errors are equal; 2 runs judge no percentile.
      assert.match(stdout, /^\*\*No significant change\.\*\*$/m);
      assert.match(
        stdout,
        /\| cost per run \| (\$[\d.]+) \| \1 \| ±0 \| ±0 \| no significant change \|/,
      );
      assert.match(stdout, /\| tokens per run \|[^\n]*\| no significant change \|/);
      assert.match(stdout, /### Gate: passed/);
      assert.ok(
        stdout.endsWith(
          `${dir}/same/report.md\n${dir}/same/report.html\n${dir}/same/metrics.json\n`,
        ),
      );
      const html = await Deno.readTextFile(`${dir}/same/report.html`);
      assert.match(html, /Comparison with the baseline/);
      assert.match(html, /Baseline <b>base<\/b> \(2 runs\)/);
    },
  );

  await t.step("a dearer model: cost regressed, the gate's line fails, exit 1", async () => {
    // gpt-4.1 costs 5x gpt-4.1-mini (the simulated default) per token, answers alike.
    const { code, stdout, stderr } = await bench(
      "dear",
      ...["--model", "simulated:gpt-4.1", "--baseline", "latest~1", "--fail-on", "cost:+5%"],
    );
    assert.equal(code, 1, stderr);
    assert.match(stdout, /\*\*Changed:\*\* cost per run regressed \+400\.0%/);
    assert.match(stdout, /❌ FAILED `cost:\+5%`/);
    assert.match(stderr, /bench: gate failed: cost:\+5%\n$/);
    assert.match(await Deno.readTextFile(`${dir}/dear/report.html`), /regressed/);
  });
  await Deno.remove(dir, { recursive: true });
});
