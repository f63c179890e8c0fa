/**
 * `deno task compare <baseline> <candidate>`: compares two benchmarks per stage and in total, and
 * each evaluator key's scores (deltas, 95% bootstrap intervals, verdicts), prints Markdown for a
 * pull-request comment, and with `--fail-on` acts as a CI gate (exit 1 when a rule fails).
 *
 * @module
 */
import { compareBenchmarks, type Comparison } from "../compare/compare_benchmarks.ts";
import { formatComparisonMarkdown } from "../compare/compare_markdown.ts";
import { checkGate, type GateResult, GateRuleError } from "../compare/gate.ts";
import { writeHtmlReport } from "../compare/html/html_report.ts";
import { readBenchmarkRuns } from "./benchmark_source.ts";
import { differentGraphs } from "./bench/baseline.ts";
import { type CliIo, type CommandInput, defineCommand, processIo, runCommand } from "./command.ts";
import { writeFileForFlag } from "./errors.ts";
import { intFlag, pathFlag } from "./value_flags.ts";
import { DB_FLAG, FAIL_ON_RULES, failOnFlag } from "./shared_flags.ts";
import { UsageError } from "./usage_error.ts";

/** The flags of `deno task compare`, in the order `--help` shows them. */
const COMPARE_FLAGS = {
  failOn: failOnFlag(
    `CI gate, ${FAIL_ON_RULES}. Exit 1 when a figure regressed significantly past its limit.`,
  ),
  json: pathFlag("FILE", "also write the comparison as JSON"),
  html: pathFlag("FILE", "also write the candidate's report.html with the comparison"),
  db: DB_FLAG,
  seed: intFlag("N", "the bootstrap's seed", { default: 1, min: 0 }),
  resamples: intFlag("N", "bootstrap resamples per figure", { default: 2000, min: 100 }),
};

async function compare(
  { options, positionals }: CommandInput<typeof COMPARE_FLAGS>,
  io: CliIo,
): Promise<number> {
  // One after the other: when one side cannot be read, nothing is left reading the store when
  // the command returns (in parallel, the other side's store stayed open past the exit).
  const baseline = await readBenchmarkRuns(positionals[0], options.db);
  const candidate = await readBenchmarkRuns(positionals[1], options.db);
  for (const side of [baseline, candidate]) {
    if (side.runs.length === 0) throw new UsageError(`${side.label}: the benchmark has no runs`);
  }
  const unrelated = differentGraphs(baseline.runs, candidate.runs);
  if (unrelated !== null) {
    throw new UsageError(`${baseline.label} and ${candidate.label}: ${unrelated}`);
  }
  for (const side of [baseline, candidate]) {
    if (side.running) io.err(`compare: note: ${side.label} is still running: ${side.running}\n`);
  }
  const comparison: Comparison = compareBenchmarks(baseline.runs, candidate.runs, {
    baselineLabel: baseline.label,
    candidateLabel: candidate.label,
    seed: options.seed,
    resamples: options.resamples,
  });
  let gate: GateResult[];
  try {
    gate = checkGate(comparison, options.failOn);
  } catch (error) {
    if (error instanceof GateRuleError) throw new UsageError(`--fail-on: ${error.message}`);
    throw error;
  }
  io.out(formatComparisonMarkdown(comparison, gate));
  if (options.json !== null) {
    const json = {
      ...comparison,
      gate: gate.map((g) => ({ rule: g.rule.text, failed: g.failed })),
    };
    await writeFileForFlag("--json", options.json, JSON.stringify(json, null, 2) + "\n");
  }
  if (options.html !== null) {
    const html = await writeHtmlReport(candidate.runs, {
      label: candidate.label,
      createdAt: candidate.startedAt ?? undefined,
      gitCommit: candidate.gitCommit,
    }, comparison);
    await writeFileForFlag("--html", options.html, html);
  }
  const failed = gate.filter((g) => g.failed);
  if (failed.length > 0) {
    io.err(`compare: gate failed: ${failed.map((g) => g.rule.text).join(", ")}\n`);
    return 1;
  }
  return 0;
}

/**
 * `compare`, declared.
 *
 * @example Usage
 * ```ts
 * import { compareCommand } from "./compare.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(compareCommand.positionals, "<baseline> <candidate>");
 * ```
 */
export const compareCommand = defineCommand({
  name: "compare",
  about: "compare two benchmarks per stage and node path; --fail-on gates CI",
  positionals: "<baseline> <candidate>",
  description: `Compares two benchmarks in total, per stage and per node path inside the stages
(research_agent/tools): deltas, 95% bootstrap intervals, verdicts; prints Markdown for a
pull-request comment. Each side is a benchmark id, a label,
latest or latest~N in the results store, a report folder (the benchmark its metrics.json names),
or a runs.jsonl run log.`,
  flags: COMPARE_FLAGS,
  notes: "Exit status: 0 no gate failed, 1 a gate rule failed, 2 bad usage.",
  run: compare,
});

/**
 * Runs `deno task compare`: a usage mistake prints one line on `err` and returns 2; a bug prints
 * one line and returns 1 (its stack trace with `--debug`).
 *
 * @param argv The arguments.
 * @param io Output streams.
 * @returns 0 when no gate rule failed, 1 when one did, 2 on bad usage.
 *
 * @example Usage
 * ```ts
 * import { runCompareCli } from "./compare.ts";
 * import assert from "node:assert/strict";
 *
 * let err = "";
 * const io = { out: () => {}, err: (text: string) => (err += text) };
 * assert.equal(await runCompareCli(["only-one"], io), 2);
 * assert.match(err, /^compare: give <baseline> <candidate> \(see --help\)$/m);
 * ```
 */
export function runCompareCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(compareCommand, argv, io);
}

if (import.meta.main) Deno.exit(await runCompareCli(Deno.args, processIo()));
