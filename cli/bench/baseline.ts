/**
 * `deno task bench --baseline <ref> [--fail-on RULES]`: the baseline is read (and its gate rules
 * checked against its stages) before any run starts, so a bad reference costs nothing; after the
 * runs, the new benchmark is compared with it as `deno task compare` would.
 *
 * @module
 */
import { compareBenchmarks, type Comparison } from "../../compare/compare_benchmarks.ts";
import { formatComparisonMarkdown } from "../../compare/compare_markdown.ts";
import { checkGate, type GateResult, type GateRule } from "../../compare/gate.ts";
import type { RunRecord } from "../../benchmark/run_record.ts";
import { userErrorLine } from "../errors.ts";
import { UsageError } from "../usage_error.ts";
import { type BenchmarkRuns, readBenchmarkRuns } from "../benchmark_source.ts";

/**
 * Reads the baseline's runs, refusing one without runs and a `--fail-on` rule naming a stage or
 * an evaluator key the baseline does not have (the gate could not judge it).
 *
 * @param ref The `--baseline` reference: an id, a label, `latest~N`, or a report folder.
 * @param db The results store (`--db`), or null for the default.
 * @param rules The `--fail-on` rules.
 * @returns The baseline's runs and name.
 * @throws {UsageError} When it cannot be found, has no runs, or a rule names an unknown stage.
 *
 * @example Usage
 * ```ts
 * import { readBaseline } from "./baseline.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await assert.rejects(readBaseline("nightly", `${dir}/none.db`, []), /no results store/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readBaseline(
  ref: string,
  db: string | null,
  rules: readonly GateRule[],
): Promise<BenchmarkRuns> {
  let baseline: BenchmarkRuns;
  try {
    baseline = await readBenchmarkRuns(ref, db);
  } catch (error) {
    const line = userErrorLine(error);
    if (line !== null) throw new UsageError(`--baseline ${line}`);
    throw error;
  }
  if (baseline.runs.length === 0) {
    throw new UsageError(`--baseline ${ref}: the benchmark has no runs to compare with`);
  }
  const stages = new Set(baseline.runs.flatMap((run) => Object.keys(run.metrics.stages)));
  const keys = new Set(
    baseline.runs.flatMap((run) => run.evaluation?.scores.map((s) => s.key) ?? []),
  );
  for (const rule of rules) {
    if (rule.figure === "quality" && !keys.has(rule.key!)) {
      throw new UsageError(
        `--fail-on "${rule.text}": the baseline has no scores for "${rule.key}"; keys: ` +
          ([...keys].join(", ") || "(none: it ran without evaluators)"),
      );
    }
    if (rule.stage !== null && !stages.has(rule.stage)) {
      throw new UsageError(
        `--fail-on "${rule.text}": the baseline has no stage "${rule.stage}"; stages: ` +
          ([...stages].join(", ") || "(none)"),
      );
    }
  }
  return baseline;
}

/**
 * Why two benchmarks are not of one graph, or null: they share no stage (a comparison of them
 * would call every stage "improved -100%" and pass any gate).
 *
 * @param baseline The baseline's runs.
 * @param candidate The candidate's runs.
 * @returns One sentence, or null when they share a stage (or either has none).
 *
 * @example Usage
 * ```ts
 * import { differentGraphs } from "./baseline.ts";
 * import type { RunRecord } from "../../benchmark/run_record.ts";
 * import assert from "node:assert/strict";
 *
 * const runOf = (...stages: string[]) =>
 *   ({ metrics: { stages: Object.fromEntries(stages.map((s) => [s, {}])) } }) as unknown as RunRecord;
 * assert.equal(differentGraphs([runOf("a", "b")], [runOf("b")]), null);
 * assert.equal(
 *   differentGraphs([runOf("a", "b")], [runOf("c")]),
 *   "they share no stage (a, b; c): benchmarks of different graphs are not compared",
 * );
 * ```
 */
export function differentGraphs(
  baseline: readonly RunRecord[],
  candidate: readonly RunRecord[],
): string | null {
  const stagesOf = (
    runs: readonly RunRecord[],
  ) => [...new Set(runs.flatMap((run) => Object.keys(run.metrics.stages)))];
  const [before, after] = [stagesOf(baseline), stagesOf(candidate)];
  if (before.length === 0 || after.length === 0) return null;
  if (after.some((stage) => before.includes(stage))) return null;
  return `they share no stage (${before.join(", ")}; ${after.join(", ")}): benchmarks of ` +
    "different graphs are not compared";
}

/** A finished benchmark compared with its baseline. */
export interface BaselineComparison {
  /** The comparison (for `report.html`), or null when the two are of different graphs. */
  comparison: Comparison | null;
  /** Why the two were not compared (they share no stage), or null. */
  unrelated: string | null;
  /** Each `--fail-on` rule's result. */
  gate: GateResult[];
  /** The comparison as Markdown (the gate's lines included); empty when not compared. */
  markdown: string;
  /** The rules that failed, as written. */
  failedRules: string[];
}

/**
 * Compares a finished benchmark with its baseline and checks the gate.
 *
 * @param baseline The baseline, from {@linkcode readBaseline}.
 * @param records The new benchmark's runs.
 * @param candidateLabel The new benchmark's name (its label or id).
 * @param rules The `--fail-on` rules.
 * @returns The comparison, the gate's results and the Markdown.
 *
 * @example Usage
 * ```ts
 * import { compareWithBaseline } from "./baseline.ts";
 * import assert from "node:assert/strict";
 *
 * const baseline = { label: "old", runs: [], id: null, startedAt: null, gitCommit: null };
 * const { markdown, failedRules } = compareWithBaseline(baseline, [], "new", []);
 * assert.match(markdown, /No significant change/);
 * assert.deepEqual(failedRules, []);
 * ```
 */
export function compareWithBaseline(
  baseline: BenchmarkRuns,
  records: readonly RunRecord[],
  candidateLabel: string,
  rules: readonly GateRule[],
): BaselineComparison {
  const unrelated = differentGraphs(baseline.runs, records);
  if (unrelated !== null) {
    return { comparison: null, unrelated, gate: [], markdown: "", failedRules: [] };
  }
  const comparison = compareBenchmarks(baseline.runs, records, {
    baselineLabel: baseline.label,
    candidateLabel,
  });
  const gate = checkGate(comparison, rules);
  return {
    comparison,
    unrelated: null,
    gate,
    markdown: formatComparisonMarkdown(comparison, gate),
    failedRules: gate.filter((result) => result.failed).map((result) => result.rule.text),
  };
}
