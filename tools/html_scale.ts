/**
 * `deno run -A tools/html_scale.ts [runs…]`: times `writeHtmlReport` on N runs (the simulated
 * workload's runs copied with new repeat numbers; not part of `deno task test`) and prints the
 * page's size: report.html must stay bounded at any number of runs.
 */
import { writeHtmlReport } from "../compare/html/html_report.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { simulatedBenchmark } from "../tests/support/simulated_benchmark.ts";

const seed = await simulatedBenchmark({ repeats: 1 });
for (const runs of Deno.args.length ? Deno.args.map(Number) : [1_000, 15_000, 100_000]) {
  const records: RunRecord[] = Array.from(
    { length: runs },
    (_, i) => ({ ...seed[i % seed.length], repeat: Math.floor(i / seed.length) }),
  );
  const started = performance.now();
  const html = await writeHtmlReport(records, { label: `${runs} runs` });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${runs.toLocaleString("en-US")} runs: report.html in ${seconds.toFixed(2)} s, ` +
      `${(html.length / 1e6).toFixed(2)} MB`,
  );
}
