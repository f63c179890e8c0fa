/**
 * Mermaid pictures for benchmark reports, rendered wherever Markdown is read (GitHub, GitLab,
 * VS Code): a `gantt` timeline of a run's stage executions and a `pie` of cost share by stage.
 *
 * @module
 */
import type { PipelineMetrics } from "../../telemetry/metrics.ts";
import type { StageAggregate } from "../result/benchmark_aggregates.ts";
import { formatMs } from "../../report/format.ts";

/**
 * Stage executions drawn at most in a timeline; later ones are left out (and it says so).
 *
 * @example Usage
 * ```ts
 * import { ganttOfRun, MAX_TIMELINE_BARS } from "./mermaid_charts.ts";
 * import type { PipelineMetrics } from "../../telemetry/metrics.ts";
 * import assert from "node:assert/strict";
 *
 * const executionSpans = Array.from({ length: 100 }, (_, i) => ({
 *   startedAt: i * 10,
 *   latencyMs: 5,
 *   failed: false,
 * }));
 * const metrics = { stages: { loop: { executionSpans } } } as unknown as PipelineMetrics;
 * assert.match(ganttOfRun(metrics, "t"), new RegExp(`first ${MAX_TIMELINE_BARS} of 100`));
 * ```
 */
export const MAX_TIMELINE_BARS = 80;

/** Makes a name safe inside Mermaid text (no separators, commas, quotes or line breaks). */
function mermaidText(name: string): string {
  return name.replace(/[:;#",\n\r]/g, " ").trim() || "(unnamed)";
}

/**
 * A Mermaid `gantt` of one run: a section per stage, a bar per execution of the stage's node from
 * its start to its end (wall-clock times); failed executions are marked critical.
 *
 * @param metrics The run's metrics.
 * @param title The picture's title.
 * @returns A fenced `mermaid` block, or a sentence when no stage execution was recorded.
 *
 * @example Usage
 * ```ts
 * import { ganttOfRun } from "./mermaid_charts.ts";
 * import type { PipelineMetrics } from "../../telemetry/metrics.ts";
 * import assert from "node:assert/strict";
 *
 * const executionSpans = [{ startedAt: 1000, latencyMs: 250, failed: false }];
 * const metrics = { stages: { segmentation: { executionSpans } } } as unknown as PipelineMetrics;
 * const text = ganttOfRun(metrics, "Slowest run");
 * assert.match(text, /section segmentation/);
 * assert.match(text, /:1000, 1250/);
 * ```
 */
export function ganttOfRun(metrics: PipelineMetrics, title: string): string {
  const spans = Object.entries(metrics.stages)
    .flatMap(([stage, s]) => s.executionSpans.map((span, index) => ({ stage, index, span })))
    .sort((a, b) => a.span.startedAt - b.span.startedAt);
  if (spans.length === 0) return "_No stage execution was recorded: no timeline to draw._\n";
  const drawn = spans.slice(0, MAX_TIMELINE_BARS);
  const stages = [...new Set(drawn.map((bar) => bar.stage))];
  const lines = [
    "```mermaid",
    "gantt",
    `    title ${mermaidText(title)}`,
    "    dateFormat x",
    "    axisFormat %H:%M:%S",
  ];
  for (const stage of stages) {
    lines.push(`    section ${mermaidText(stage)}`);
    for (const { index, span } of drawn.filter((bar) => bar.stage === stage)) {
      const start = Math.round(span.startedAt);
      const end = Math.max(start + 1, Math.round(span.startedAt + span.latencyMs));
      const label = mermaidText(`execution ${index + 1} (${formatMs(span.latencyMs)})`);
      lines.push(`    ${label} :${span.failed ? "crit, " : ""}${start}, ${end}`);
    }
  }
  lines.push("```");
  const omitted = spans.length - drawn.length;
  const note = omitted > 0
    ? `\n_Only the first ${MAX_TIMELINE_BARS} of ${spans.length} stage executions are drawn._\n`
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
 * import { pieOfCostShare } from "./mermaid_charts.ts";
 * import type { StageAggregate } from "../result/benchmark_aggregates.ts";
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
