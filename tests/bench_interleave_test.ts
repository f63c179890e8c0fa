/**
 * `deno task bench --interleave`: a baseline (here other models) runs in one time window with the
 * benchmark, their runs alternating; both are stored, and the comparison pairs their runs and
 * says they ran interleaved.
 */
import assert from "node:assert/strict";
import { runBenchCli } from "../cli/bench.ts";
import { openResultsStore } from "../store/mod.ts";

const STANDUP = "Good morning everyone. The release is planned for Friday. Anna will finish the " +
  "billing migration today. The login page still has a bug on mobile. Tom will look into it " +
  "after lunch. Next week we start the search project. We need a designer for the new filters.";

Deno.test("bench --interleave: baseline and candidate in one window, stored, compared pair by pair", async () => {
  const dir = await Deno.makeTempDir({ prefix: "graphmeter_interleave_" });
  await Deno.writeTextFile(`${dir}/standup.txt`, STANDUP);
  let stdout = "";
  let stderr = "";
  const code = await runBenchCli([
    ...["--input", `${dir}/standup.txt`, "--runs", "4", "--concurrency", "2", "--seed", "1"],
    ...["--model", "simulated:gpt-4.1-mini", "--interleave", "simulated:gpt-4.1"],
    ...["--label", "pr", "--db", `${dir}/graphmeter.db`, "--out", `${dir}/out`],
    ...["--latency-scale", "0", "--fail-on", "cost:+5%"],
  ], {
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    errIsTerminal: false,
    env: () => undefined,
  });
  assert.equal(code, 0, stderr);
  using store = openResultsStore(`${dir}/graphmeter.db`);
  // The baseline is stored first, so `latest` is the candidate.
  assert.equal(store.resolveBenchmark("latest"), store.resolveBenchmark("pr"));
  const baseline = store.loadRuns(store.resolveBenchmark("pr.baseline"));
  const candidate = store.loadRuns(store.resolveBenchmark("pr"));
  assert.equal(baseline.length, 4);
  assert.equal(candidate.length, 4);
  // Same tokens (the simulated answers do not depend on the model's name), other prices.
  assert.equal(baseline[0].metrics.totals.inputTokens, candidate[0].metrics.totals.inputTokens);
  assert.ok(baseline[0].metrics.totals.costUsd! > candidate[0].metrics.totals.costUsd!);
  assert.match(stdout, /## graphmeter compare: pr\\\.baseline → pr\n/);
  assert.match(stdout, /runs paired by input and repeat \(4 pairs\)/);
  assert.match(stdout, /The two sides ran interleaved, in one time window\./);
  assert.match(stdout, /✅ passed `cost:\+5%`/);
  assert.match(stderr, /baseline \S+ \(pr\.baseline\): 4 runs interleaved with them/);
  const html = await Deno.readTextFile(`${dir}/out/report.html`);
  assert.match(html, /Comparison with the baseline/);
  await Deno.remove(dir, { recursive: true });
});
