/**
 * `deno task compare <baseline> <candidate>`: compares two benchmarks per stage and in total
 * (deltas, 95% bootstrap intervals, verdicts), prints Markdown for a pull-request comment, and
 * with `--fail-on` acts as a CI gate (exit 1 when a rule fails).
 *
 * @module
 */
import { parseFlags, processIo, runCommand } from "./_store_command.ts";
import { compareBenchmarks, type Comparison } from "../compare/compare_benchmarks.ts";
import { formatComparisonMarkdown } from "../compare/compare_markdown.ts";
import { checkGate, type GateResult, GateRuleError, parseGateRules } from "../compare/gate.ts";
import { writeHtmlReport } from "../compare/html/html_report.ts";
import { UsageError } from "./bench/args.ts";
import { readBenchmarkRuns } from "./benchmark_source.ts";
import { differentGraphs } from "./bench/baseline.ts";

/** The help text of `deno task compare`. */
export const COMPARE_HELP = `Usage: deno task compare <baseline> <candidate> [options]

Each side is a benchmark id, a label, latest or latest~N in the results store, a report
folder (the benchmark its metrics.json names), or a runs.jsonl run log.

Options:
  --fail-on RULES   CI gate, e.g. "cost:+5%,p95:+10%,errors:+0"; figures cost, tokens, calls,
                    p50, p95, errors; <stage>.<figure> for one stage. Exit 1 when a figure
                    regressed significantly past its limit.
  --json FILE       also write the comparison as JSON
  --html FILE       also write the candidate's report.html with the comparison
  --db PATH         the results store (default reports/graphmeter.db)
  --seed N          the bootstrap's seed (default 1)
  --resamples N     bootstrap resamples per figure (default 2000)
  -h, --help        this text

Exit codes: 0 no gate failed, 1 a gate rule failed, 2 bad usage.
`;

/** Where the compare CLI writes. */
export interface CompareIo {
  /** Writes to standard output. */
  out: (text: string) => void;
  /** Writes to standard error. */
  err: (text: string) => void;
}

function wholeNumber(flag: string, text: string | undefined, fallback: number, min: number) {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new UsageError(`${flag} must be a whole number ≥ ${min}, got "${text}"`);
  }
  return value;
}

async function compare(argv: readonly string[], io: CompareIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    "fail-on": { type: "string" },
    json: { type: "string" },
    html: { type: "string" },
    db: { type: "string" },
    seed: { type: "string" },
    resamples: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.out(COMPARE_HELP);
    return 0;
  }
  if (positionals.length !== 2) {
    throw new UsageError("give two benchmarks: compare <baseline> <candidate> (see --help)");
  }
  let rules;
  try {
    rules = values["fail-on"] === undefined ? [] : parseGateRules(values["fail-on"]);
  } catch (error) {
    if (error instanceof GateRuleError) throw new UsageError(`--fail-on: ${error.message}`);
    throw error;
  }
  const seed = wholeNumber("--seed", values.seed, 1, 0);
  const resamples = wholeNumber("--resamples", values.resamples, 2000, 100);
  // One after the other: when one side cannot be read, nothing is left reading the store when
  // the command returns (in parallel, the other side's store stayed open past the exit).
  const baseline = await readBenchmarkRuns(positionals[0], values.db ?? null);
  const candidate = await readBenchmarkRuns(positionals[1], values.db ?? null);
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
    seed,
    resamples,
  });
  let gate: GateResult[];
  try {
    gate = checkGate(comparison, rules);
  } catch (error) {
    if (error instanceof GateRuleError) throw new UsageError(`--fail-on: ${error.message}`);
    throw error;
  }
  io.out(formatComparisonMarkdown(comparison, gate));
  if (values.json !== undefined) {
    const json = {
      ...comparison,
      gate: gate.map((g) => ({ rule: g.rule.text, failed: g.failed })),
    };
    try {
      await Deno.writeTextFile(values.json, JSON.stringify(json, null, 2) + "\n");
    } catch (error) {
      throw new UsageError(`--json ${values.json}: cannot write (${(error as Error).message})`);
    }
  }
  if (values.html !== undefined) {
    const html = await writeHtmlReport(candidate.runs, {
      label: candidate.label,
      createdAt: candidate.startedAt ?? undefined,
      gitCommit: candidate.gitCommit,
    }, comparison);
    try {
      await Deno.writeTextFile(values.html, html);
    } catch (error) {
      throw new UsageError(`--html ${values.html}: cannot write (${(error as Error).message})`);
    }
  }
  const failed = gate.filter((g) => g.failed);
  if (failed.length > 0) {
    io.err(`compare: gate failed: ${failed.map((g) => g.rule.text).join(", ")}\n`);
    return 1;
  }
  return 0;
}

/**
 * Runs `deno task compare`: a usage mistake prints one line on `err` and returns 2; a bug throws.
 *
 * @param argv The arguments.
 * @param io Output streams .
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
 * assert.match(err, /^compare: give two benchmarks/);
 * ```
 */
export async function runCompareCli(argv: readonly string[], io: CompareIo): Promise<number> {
  return await runCommand("compare", io, () => compare(argv, io));
}

if (import.meta.main) Deno.exit(await runCompareCli(Deno.args, processIo()));
