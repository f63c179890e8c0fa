import assert from "node:assert/strict";
import { writeHtmlReport } from "../compare/html/html_report.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { simulatedBenchmark } from "./support/simulated_benchmark.ts";

const seed = await simulatedBenchmark({ repeats: 1 });
const copies = (runs: number): RunRecord[] =>
  Array.from(
    { length: runs },
    (_, i) => ({ ...seed[i % seed.length], repeat: Math.floor(i / seed.length) }),
  );

Deno.test("report.html stays the same size at 100x the runs: every chart aggregates", async () => {
  const small = await writeHtmlReport(copies(30), { label: "30 runs" });
  const large = await writeHtmlReport(copies(3_000), { label: "3,000 runs" });
  assert.ok(large.length < small.length * 1.2, `${small.length} -> ${large.length} characters`);
  assert.equal(large.match(/<svg /g)?.length, 5);
  assert.match(large, /Runs<b>3000 ok, 0 failed<\/b>/);
});
