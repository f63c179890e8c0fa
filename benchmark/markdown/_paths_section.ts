/**
 * "Inside the stages" and "Critical path" in the benchmark report: the node paths that cost the
 * most and that held the most time on their own (top N each, depth-limited), and how often each
 * path was on the runs' critical path and how much of their wall time it held. From
 * `metrics.json`'s `aggregates.paths`.
 *
 * @module
 */
import type { BenchmarkResult } from "../result/benchmark_result.ts";
import type { PathAggregate } from "../result/path_aggregates.ts";
import { formatMean, formatMs, formatPartialCost, formatShare } from "../../report/format.ts";

/** How much of the tree the report shows. */
export interface PathsSectionOptions {
  /** Deepest level shown (1: stages only); default 3. */
  depth?: number;
  /** Rows per table; default 10. */
  top?: number;
}

/** A path as a code span in a table cell (only pipes and backticks need care there). */
function pathCell(path: string): string {
  return "`" + path.replace(/\|/g, "\\|").replace(/`/g, "'") + "`";
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map((_, i) => i === 0 ? "---" : "---:")), ...rows.map(line)]
    .join("\n") + "\n";
}

/** Tool time per run by tool, longest first: `web_search 152 ms, lookup 3.1 ms`. */
function toolsCell(tools: Readonly<Record<string, number>>, runs: number): string {
  const entries = Object.entries(tools).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return "–";
  const shown = entries.slice(0, 3).map(([name, ms]) => `${pathCell(name)} ${formatMs(ms / runs)}`);
  return shown.join(", ") + (entries.length > 3 ? `, +${entries.length - 3} more` : "");
}

/** A critical path with each node cut to its ancestor at `depth`, a repeat in a row once. */
function withinDepth(paths: readonly string[], depth: number): string[] {
  const cut: string[] = [];
  for (const path of paths) {
    const ancestor = path.split("/").slice(0, depth).join("/");
    if (cut[cut.length - 1] !== ancestor) cut.push(ancestor);
  }
  return cut;
}

/** Whether the tree says more than the stage table: nested nodes, or stages off the critical path. */
function worthShowing(paths: readonly PathAggregate[], runs: number): boolean {
  return paths.some((p) => p.depth > 1 || (p.depth === 1 && p.criticalRuns < runs));
}

/**
 * The node path sections of the benchmark report, or "" when the tree adds nothing to the stage
 * table (no nested node, every stage on every run's critical path).
 *
 * @param result The benchmark.
 * @param options Depth and rows shown.
 * @returns The Markdown sections, headings included, or "".
 */
export function pathsSection(result: BenchmarkResult, options: PathsSectionOptions = {}): string {
  const a = result.aggregates;
  const n = a.successfulRuns;
  const paths = a.paths ?? [];
  if (n === 0 || !worthShowing(paths, n)) return "";
  const depth = options.depth ?? 3;
  const top = options.top ?? 10;
  const shown = paths.filter((p) => p.depth <= depth);
  const perRun = (value: number) => value / n;
  const cost = (p: PathAggregate, side: "exclusive" | "inclusive") => {
    const figures = p[side];
    return figures.llmCalls === 0 ? "–" : formatPartialCost(
      figures.costUsd === null ? null : figures.costUsd / n,
      figures.unpricedCalls,
    );
  };
  const byCost = shown.filter((p) => p.inclusive.llmCalls > 0)
    .sort((x, y) => (y.inclusive.costUsd ?? 0) - (x.inclusive.costUsd ?? 0)).slice(0, top);
  const byTime = [...shown].sort((x, y) => y.exclusive.timeMs - x.exclusive.timeMs).slice(0, top);
  const byCritical = shown.filter((p) => p.criticalRuns > 0)
    .sort((x, y) => y.criticalShare - x.criticalShare).slice(0, top);
  let text = "\n## Inside the stages\n\n" +
    `Node paths (a stage, then the nodes of its subgraphs: \`stage/node\`) over ${n} ` +
    `successful run(s), at most ${depth} level(s) deep, per run. **Exclusive** is what a node ` +
    "held on its own (its code, with the LLM calls and tools it ran); **inclusive** adds the " +
    "nodes inside it. A stage execution's time is shared out among the innermost nodes running " +
    "at each instant (split evenly among nodes side by side), so the exclusive times of a " +
    "stage's nodes add up to its latency.\n";
  if (byCost.length > 0) {
    text += `\n### Top ${byCost.length} by cost\n\n` + table(
      [
        "Path",
        "Runs",
        "Executions / run",
        "Cost / run",
        "Exclusive cost",
        "Calls / run",
        "Tokens / run",
      ],
      byCost.map((p) => [
        pathCell(p.path),
        String(p.runs),
        formatMean(perRun(p.executions)),
        cost(p, "inclusive"),
        cost(p, "exclusive"),
        formatMean(perRun(p.inclusive.llmCalls)),
        formatMean(perRun(p.inclusive.inputTokens + p.inclusive.outputTokens)),
      ]),
    );
  }
  text += `\n### Top ${byTime.length} by exclusive time\n\n` + table(
    [
      "Path",
      "Exclusive / run",
      "Inclusive / run",
      "Latency p50",
      "Latency p95",
      "LLM time / run",
      "Tools / run",
    ],
    byTime.map((p) => [
      pathCell(p.path),
      formatMs(perRun(p.exclusive.timeMs)),
      formatMs(perRun(p.inclusive.timeMs)),
      p.latencyP50Ms === null ? "–" : formatMs(p.latencyP50Ms),
      p.latencyP95Ms === null ? "–" : formatMs(p.latencyP95Ms),
      formatMs(perRun(p.exclusive.llmLatencyMs)),
      toolsCell(p.exclusive.tools, n),
    ]),
  );
  if (byCritical.length > 0) {
    text += "\n## Critical path\n\nThe chain of node executions that set each run's wall time " +
      "(under parallel branches, the branch the run waited for): how often each path was on it " +
      "and how much of the runs' wall time it held there, itself and the nodes inside it. " +
      "Shorten what is on it to shorten the runs.\n\n" + table(
        ["Path", "On it in", "Share of wall time"],
        byCritical.map((p) => [
          pathCell(p.path),
          `${p.criticalRuns} of ${n} runs`,
          formatShare(p.criticalShare),
        ]),
      );
    const slowest = withinDepth(result.slowestRun?.metrics.criticalPath ?? [], depth);
    if (slowest.length > 0) {
      text += `\nThe slowest run's: ${slowest.map(pathCell).join(" → ")}.\n`;
    }
  }
  return text;
}
