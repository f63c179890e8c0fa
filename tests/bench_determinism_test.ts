import assert from "node:assert/strict";
import { runBenchCli } from "../cli/bench.ts";
import { BenchmarkResult } from "../benchmark/result/benchmark_result.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { openResultsStore } from "../store/mod.ts";

async function benchBundledTranscripts(
  seed: string,
  out: string,
): Promise<BenchmarkResult & { records: RunRecord[] }> {
  const input = new URL("../workload/transcripts/", import.meta.url).pathname;
  let stderr = "";
  const code = await runBenchCli(
    [
      ...["--input", input, "--out", out, "--db", `${out}/graphmeter.db`, "--seed", seed],
      ...["--runs", "1", "--concurrency", "4"],
    ],
    { out: () => {}, err: (text) => (stderr += text), errIsTerminal: false, env: () => undefined },
  );
  assert.equal(code, 0, stderr);
  const result = BenchmarkResult.parse(JSON.parse(await Deno.readTextFile(`${out}/metrics.json`)));
  using store = openResultsStore(`${out}/graphmeter.db`);
  return { ...result, records: store.loadRuns(result.benchmark!.id) };
}

/** What must not change between two runs with one seed: every call's tokens and cost, in order. */
function fingerprint(result: { records: RunRecord[] }) {
  return result.records
    .map((run) => ({
      input: run.inputId,
      calls: run.metrics.calls.map((call) => [
        call.stage,
        call.model,
        call.inputTokens,
        call.outputTokens,
        call.cacheReadTokens,
        call.costUsd,
      ]),
      totals: [
        run.metrics.totals.inputTokens,
        run.metrics.totals.outputTokens,
        run.metrics.totals.costUsd,
      ],
    }))
    .sort((a, b) => a.input.localeCompare(b.input));
}

Deno.test("the same seed gives the same tokens and cost twice, at concurrency 4", async () => {
  const dir = await Deno.makeTempDir();
  const first = await benchBundledTranscripts("42", `${dir}/a`);
  const second = await benchBundledTranscripts("42", `${dir}/b`);
  assert.equal(first.runs.length, 7);
  assert.deepEqual(fingerprint(second), fingerprint(first));
  assert.equal(second.aggregates.costUsd, first.aggregates.costUsd);
  assert.equal(second.aggregates.inputTokens, first.aggregates.inputTokens);
  assert.ok(first.aggregates.llmCalls > 100);
  // The report says plainly that the calls were simulated and at which time scale.
  assert.match(first.meta.notes?.Calls ?? "", /0\.02× real time/);
  const report = await Deno.readTextFile(`${dir}/a/report.md`);
  assert.match(
    report,
    /\| Calls \| simulated \\\(no provider called; real token counts and prices\\\); latencies from a latency profile run at 0\\\.02× real time/,
  );
  await Deno.remove(dir, { recursive: true });
});
