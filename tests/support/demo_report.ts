/** A demo `report.html`: a simulated candidate with one stage on another model, vs a baseline. */
import { compareBenchmarks } from "../../compare/compare_benchmarks.ts";
import { writeHtmlReport } from "../../compare/html/html_report.ts";
import { simulatedBenchmark } from "./simulated_benchmark.ts";

/**
 * Writes the demo report's HTML.
 *
 * @param label The candidate's label (a test passes a hostile one).
 * @returns The HTML.
 */
export async function demoReportHtml(label = "gemini-for-relationships"): Promise<string> {
  // Latencies from the models' latency profiles at 2% of real time, as `deno task bench` runs.
  const timeScale = 0.02;
  const baseline = await simulatedBenchmark({ timeScale });
  const candidate = await simulatedBenchmark({
    stageModels: { relationship_analysis: "gemini-2.5-flash-lite" },
    timeScale,
  });
  return await writeHtmlReport(candidate, {
    label,
    createdAt: "2026-11-27T20:00:00.000Z",
    gitCommit: "0123abc",
    models: { "*": "gpt-4.1-mini", relationship_analysis: "gemini-2.5-flash-lite" },
  }, compareBenchmarks(baseline, candidate, { baselineLabel: "main", candidateLabel: label }));
}
