/**
 * The end of `deno task bench`: the report of the stored runs (with the baseline's comparison)
 * and what is said when it is done, or when a signal stopped it.
 *
 * @module
 */
import type { BenchmarkMeta } from "../../benchmark/result/benchmark_result.ts";
import { runKey, type RunRecord } from "../../benchmark/run_record.ts";
import type { BenchmarkRun, BenchmarkUnit } from "../../benchmark/runner.ts";
import { planRuns, shardRuns } from "../../benchmark/schedule.ts";
import type { PriceOverrides } from "../../pricing/overrides.ts";
import type { ResultsStore } from "../../store/mod.ts";
import type { BenchArgs } from "./args.ts";
import { compareWithBaseline } from "./baseline.ts";
import type { BenchmarkRuns } from "../benchmark_source.ts";
import { DEFAULT_DB } from "../open_store.ts";
import { EXIT_FAILED, EXIT_USAGE } from "../errors.ts";
import type { PendingFiles } from "./pending_files.ts";
import { REPORT_FILES, writeBenchmarkFiles } from "./report_files.ts";
import { dailyVolume } from "./unit.ts";
import { modelsAnswered } from "./models_answered.ts";
import { formatEvaluatorErrors } from "./quality_lines.ts";

/**
 * The price table's keys that matched no call (neither `model` nor `provider:model`), the
 * evaluators' own calls (a judge's) included.
 */
function unusedPriceKeys(overrides: PriceOverrides, records: readonly RunRecord[]): string[] {
  const used = new Set<string>();
  const calls = records.flatMap((record) => [
    ...record.metrics.calls,
    ...(record.evaluation?.costs ?? []).flatMap((cost) => cost.calls),
  ]);
  for (const call of calls) {
    used.add(call.model).add(`${call.provider}:${call.model}`);
  }
  return Object.keys(overrides).filter((key) => !used.has(key));
}

/** What the line of an interrupted benchmark says. */
export interface InterruptState {
  /** The store. */
  db: string;
  /** The command that resumes the benchmark, once it is stored. */
  hint: string | null;
  /** Runs stopped in flight (stored as such). */
  stopped: number;
  /** The baseline `--interleave` ran beside it, and its runs stopped in flight. */
  interleaved?: { id: string; stopped: number };
}

/**
 * The one line of a benchmark stopped by a signal.
 *
 * @param signal The signal.
 * @param state How far the benchmark got.
 * @returns The line (without a line break).
 *
 * @example Usage
 * ```ts
 * import { interruptedLine } from "./finish.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   interruptedLine("SIGTERM", { db: "g.db", hint: "deno task bench --resume x", stopped: 1 }),
 *   "interrupted (SIGTERM): finished runs are stored in g.db, 1 run(s) stopped in flight with " +
 *     "what their calls cost; continue with deno task bench --resume x",
 * );
 * assert.match(
 *   interruptedLine("SIGINT", {
 *     db: "g.db",
 *     hint: "deno task bench --resume x",
 *     stopped: 0,
 *     interleaved: { id: "b", stopped: 1 },
 *   }),
 *   /the interleaved baseline b \(1 stopped in flight\); continue both with deno task/,
 * );
 * ```
 */
export function interruptedLine(signal: Deno.Signal, state: InterruptState): string {
  if (state.hint === null) return `interrupted (${signal}): nothing was stored`;
  const stopped = state.stopped === 0
    ? ""
    : `, ${state.stopped} run(s) stopped in flight with what their calls cost`;
  if (state.interleaved !== undefined) {
    // `--resume` of the candidate continues its interleaved baseline beside it.
    const { id, stopped: baselineStopped } = state.interleaved;
    return `interrupted (${signal}): finished runs are stored in ${state.db}${stopped}, and ` +
      `those of the interleaved baseline ${id} (${baselineStopped} stopped in flight); ` +
      `continue both with ${state.hint}`;
  }
  return `interrupted (${signal}): finished runs are stored in ${state.db}${stopped}; ` +
    `continue with ${state.hint}`;
}

/** What the report of a finished (or budget-stopped) benchmark is made of. */
export interface ReportInputs {
  /** The command line. */
  args: BenchArgs;
  /** Where to write. */
  io: { out: (text: string) => void; err: (text: string) => void };
  /** The store holding the runs. */
  store: ResultsStore;
  /** The benchmark. */
  id: string;
  /** Its label, or null. */
  label: string | null;
  /** The output folder. */
  out: string;
  /** The command that resumes it. */
  hint: string;
  /** What the runner returned. */
  run: BenchmarkRun;
  /** Facts for the report. */
  meta: BenchmarkMeta;
  /** Every input's id, in plan order. */
  inputIds: string[];
  /** What cost is normalised by, if anything. */
  unit: BenchmarkUnit<unknown> | undefined;
  /** A user's graph states no models: the report lists those its calls were answered by. */
  modelsFromCalls?: boolean;
  /** The benchmark to compare with, or null. */
  baseline: BenchmarkRuns | null;
  /** The baseline `--interleave` ran beside this benchmark, or null. */
  interleavedWith?: { id: string; label: string | null; runs: number } | null;
  /** The price table, if any. */
  priceOverrides: PriceOverrides | undefined;
  /** The report's temporary files, for an interrupt to remove. */
  pending: PendingFiles;
}

/**
 * Writes the report of the stored runs (every run stopped in flight included in what was spent),
 * compares with the baseline, and says how it went.
 *
 * @param inputs What the report is made of.
 * @returns The exit code: 0, 1 when runs failed or the gate failed, 2 when the gate cannot judge.
 *
 * @example Usage
 * ```ts ignore
 * import { reportBenchmark } from "./finish.ts";
 *
 * const code = await reportBenchmark({ args, io, store, id, label, out, hint, run, meta, ...rest });
 * ```
 */
export async function reportBenchmark(inputs: ReportInputs): Promise<number> {
  const { args, io, store, id, out, hint, meta, baseline, priceOverrides } = inputs;
  const benchmarkLabel = inputs.label;
  const db = args.db ?? DEFAULT_DB;
  const daily = inputs.unit === undefined ? null : dailyVolume(args.dailyWords);
  // In plan order, as the runner would have returned them (the store keeps finishing order).
  const stored = new Map(
    store.readRuns(id).records.map((record) => [runKey(record.inputId, record.repeat), record]),
  );
  // Every run stopped in flight, this session's and earlier ones': their calls were paid.
  const stoppedRuns = store.readStoppedRuns(id).runs.map((stopped) => stopped.record);
  const run: BenchmarkRun = {
    ...inputs.run,
    stoppedRuns,
    records: shardRuns(
      planRuns(inputs.inputIds, args.runs),
      args.shard ?? undefined,
    ).flatMap((planned) => stored.get(runKey(planned.inputId, planned.repeat)) ?? []),
  };
  stored.clear();
  const compared = baseline === null
    ? null
    : compareWithBaseline(baseline, run.records, benchmarkLabel ?? id, args.failOn);
  const reportMeta = inputs.modelsFromCalls
    ? { ...meta, models: modelsAnswered(run.records) }
    : meta;
  const result = await writeBenchmarkFiles(
    out,
    run,
    reportMeta,
    daily,
    {
      id,
      label: benchmarkLabel,
      db,
    },
    compared?.comparison ?? undefined,
    inputs.pending,
  );
  const tableSize = Object.keys(priceOverrides ?? {}).length;
  const unused = unusedPriceKeys(priceOverrides ?? {}, [...run.records, ...stoppedRuns]);
  if (unused.length > 0) {
    const shown = unused.slice(0, 3).map((key) => `"${key}"`).join(", ");
    io.err(
      `warning: --prices ${args.prices}: ${unused.length} of ${tableSize} price(s) matched no ` +
        `call (${shown}${unused.length > 3 ? ", ..." : ""}): typos?\n`,
    );
  }
  if (run.stoppedReason) io.err(`${run.stoppedReason}; continue with ${hint}\n`);
  const evaluatorErrors = formatEvaluatorErrors(result.aggregates.scores);
  if (evaluatorErrors !== null) {
    io.err(`warning: ${evaluatorErrors}; see "Quality" in ${out}/report.md\n`);
  }
  const failed = result.aggregates.failedRuns;
  if (failed > 0) {
    const first = result.runs.find((r) => r.error !== null)?.error ?? "";
    io.err(`${failed} run(s) failed (first: ${first}); see "Failed runs" in ${out}/report.md\n`);
  }
  io.err(
    `benchmark ${id}${benchmarkLabel === null ? "" : ` (${benchmarkLabel})`}: ` +
      `${run.records.length} runs stored in ${db}\n`,
  );
  const side = inputs.interleavedWith ?? null;
  if (side !== null) {
    io.err(
      `baseline ${side.id}${side.label === null ? "" : ` (${side.label})`}: ` +
        `${side.runs} runs interleaved with them, stored in ${db}\n`,
    );
  }
  if (compared?.unrelated) io.err(`warning: --baseline ${args.baseline}: ${compared.unrelated}\n`);
  if (compared?.markdown) io.out(`${compared.markdown}\n`);
  io.out(REPORT_FILES.map((file) => `${out}/${file}\n`).join(""));
  if (compared?.unrelated && args.failOn.length > 0) {
    io.err("bench: --fail-on: the gate cannot judge benchmarks of different graphs\n");
    return EXIT_USAGE;
  }
  const failedRules = compared?.failedRules ?? [];
  if (failedRules.length > 0) io.err(`bench: gate failed: ${failedRules.join(", ")}\n`);
  return failed > 0 || failedRules.length > 0 ? EXIT_FAILED : 0;
}
