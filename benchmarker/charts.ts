/**
 * Mermaid pictures for benchmark reports, rendered wherever Markdown is read (GitHub, GitLab,
 * VS Code): a `gantt` timeline of a run's LLM calls by stage and a `pie` of cost share by stage.
 *
 * @module
 */
import type { PipelineMetrics } from "../telemetry/metrics.ts";
import type { StageAggregate } from "./benchmark_result.ts";
import { formatMs } from "./format.ts";

/** Calls drawn at most in a timeline; the rest are left out (and the picture says so). */
export const MAX_TIMELINE_CALLS = 60;

/** Makes a name safe inside Mermaid text (no separators, commas, quotes or line breaks). */
function mermaidText(name: string): string {
  return name.replace(/[:;#",\n\r]/g, " ").trim() || "(unnamed)";
}

/**
 * A Mermaid `gantt` of one run: a section per stage, a bar per LLM call from its start to its end
 * (wall-clock times).
 *
 * @param metrics The run's metrics.
 * @param title The picture's title.
 * @returns A fenced `mermaid` block, or a sentence when the run made no LLM call.
 *
 * @example Usage
 * ```ts
 * import { ganttOfRun } from "./charts.ts";
 * import type { PipelineMetrics } from "../telemetry/metrics.ts";
 * import assert from "node:assert/strict";
 *
 * const call = { stage: "segmentation", model: "gpt-4o-mini", startedAt: 1000, latencyMs: 250 };
 * const metrics = { wallTimeMs: 300, calls: [call] } as unknown as PipelineMetrics;
 * const text = ganttOfRun(metrics, "Slowest run");
 * assert.match(text, /section segmentation/);
 * assert.match(text, /1000, 1250/);
 * ```
 */
export function ganttOfRun(metrics: PipelineMetrics, title: string): string {
  if (metrics.calls.length === 0) return "_The run made no LLM call: no timeline to draw._\n";
  const calls = metrics.calls.slice(0, MAX_TIMELINE_CALLS);
  const stages = [...new Set(calls.map((call) => call.stage))];
  const lines = [
    "```mermaid",
    "gantt",
    `    title ${mermaidText(title)}`,
    "    dateFormat x",
    "    axisFormat %H:%M:%S",
  ];
  for (const stage of stages) {
    lines.push(`    section ${mermaidText(stage)}`);
    calls.forEach((call, index) => {
      if (call.stage !== stage) return;
      const start = Math.round(call.startedAt);
      const end = Math.max(start + 1, Math.round(call.startedAt + call.latencyMs));
      const label = `call ${index + 1} ${mermaidText(call.model)} ${formatMs(call.latencyMs)}`;
      lines.push(`    ${label} ${call.error ? ":crit, " : ":"}${start}, ${end}`);
    });
  }
  lines.push("```");
  const omitted = metrics.calls.length - calls.length;
  const note = omitted > 0
    ? `\n_Only the first ${MAX_TIMELINE_CALLS} of ${metrics.calls.length} calls are drawn._\n`
    : "";
  return lines.join("\n") + "\n" + note;
}

/**
 * A Mermaid `pie` of each stage's share of the priced cost, in percent.
 *
 * @param stages The stage aggregates (their `costShare`).
 * @param title The picture's title.
 * @returns A fenced `mermaid` block, or a sentence when nothing was priced.
 *
 * @example Usage
 * ```ts
 * import { pieOfCostShare } from "./charts.ts";
 * import type { StageAggregate } from "./benchmark_result.ts";
 * import assert from "node:assert/strict";
 *
 * const stages = [{ stage: "a", costShare: 0.25 }, { stage: "b", costShare: 0.75 }];
 * const text = pieOfCostShare(stages as StageAggregate[], "Cost share");
 * assert.match(text, /"b" : 75.00/);
 * ```
 */
export function pieOfCostShare(stages: readonly StageAggregate[], title: string): string {
  const shares = stages.filter((stage) => stage.costShare !== null && stage.costShare > 0);
  if (shares.length === 0) return "_No priced cost to share between stages._\n";
  const lines = ["```mermaid", "pie showData", `    title ${mermaidText(title)}`];
  for (const stage of shares) {
    lines.push(`    "${mermaidText(stage.stage)}" : ${((stage.costShare ?? 0) * 100).toFixed(2)}`);
  }
  lines.push("```");
  return lines.join("\n") + "\n";
}
