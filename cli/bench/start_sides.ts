/**
 * Starting a benchmark in the results store: its output folder made, its row stored (or found,
 * with `--resume`) under a lease, and with `--interleave` its baseline's too, stored first so that
 * `latest` names the candidate. A refused start leaves nothing behind: no lease held, no folder it
 * made.
 *
 * @module
 */
import type { Lease, ResultsStore } from "../../store/mod.ts";
import { newBenchmarkId } from "../../store/_benchmark_rows.ts";
import { startBenchmark, type StoredBenchMeta } from "../open_store.ts";
import type { BenchArgs } from "./args.ts";
import type { BenchTarget } from "./bench_target.ts";
import type { BenchFacts } from "./facts.ts";
import { BenchSettings } from "./settings.ts";
import { UsageError } from "../usage_error.ts";
import { prepareOut } from "./out_dir.ts";

/** One stored benchmark, held by this process. */
export interface StartedSide {
  /** Its id. */
  id: string;
  /** Its label, or null. */
  label: string | null;
  /** Its lease. */
  lease: Lease;
}

/** The benchmark started, and the baseline `--interleave` runs beside it. */
export interface StartedSides extends StartedSide {
  /** The interleaved baseline, or null. */
  baselineSide: StartedSide | null;
  /** The output folder, made. */
  out: string;
  /** Every lease held, renewed and released together. */
  leases: Pick<Lease, "renew" | "release">;
}

/** What to start. */
export interface SidesToStart {
  /** The command line as typed (for the advice on a refused folder). */
  argv: readonly string[];
  /** The command line. */
  args: BenchArgs;
  /** What is benchmarked. */
  target: BenchTarget;
  /** `--interleave`'s baseline, or null. */
  interleaved: BenchTarget | null;
  /** The benchmark's facts. */
  facts: BenchFacts;
}

/**
 * Makes the output folder and stores the benchmark (and its interleaved baseline), each under
 * this process's lease.
 *
 * @param store The results store.
 * @param start What to start.
 * @returns The benchmarks started.
 * @throws {UsageError} When another process writes the benchmark `--resume` names, or the
 * settings differ; nothing is then left behind.
 *
 * @example Usage
 * ```ts ignore
 * import { startSides } from "./start_sides.ts";
 *
 * const started = await startSides(store, { argv, args, target, interleaved: null, facts });
 * try {
 *   // ... the runs, logged to store.runLog(started.id, started.lease)
 * } finally {
 *   started.leases.release();
 * }
 * ```
 */
export async function startSides(store: ResultsStore, start: SidesToStart): Promise<StartedSides> {
  const { argv, args, target, interleaved, facts } = start;
  const { settings, meta, plannedRuns, shard } = facts;
  // The id and output folder before the benchmark is stored: a refused start leaves nothing.
  const newId = args.resume ? undefined : newBenchmarkId(meta.createdAt);
  const outPath = args.out ?? `reports/${args.resumeRef ?? newId}`;
  const outExisted = await Deno.stat(outPath).then(() => true, () => false);
  const out = await prepareOut(outPath, argv);
  const held: Lease[] = [];
  const leases = {
    renew: () => held.map((lease) => lease.renew()).every(Boolean),
    release: () => held.forEach((lease) => lease.release()),
  };
  try {
    // Resumed, an interleaved benchmark's baseline is the one it began beside.
    const resumedBaseline = args.resume && interleaved !== null
      ? savedBaselineId(store, args.resumeRef)
      : null;
    const baselineSide = interleaved === null ? null : startBenchmark(store, {
      resume: resumedBaseline !== null,
      resumeRef: resumedBaseline,
      label: args.label === null ? null : `${args.label}.baseline`,
      settings: { ...settings, ...interleaved.settings },
      meta: {
        meta: { ...meta, ...interleaved.meta },
        dailyWords: args.dailyWords,
        unitName: interleaved.unit?.name ?? null,
        inputIds: interleaved.inputs.map((input) => input.id),
      } satisfies StoredBenchMeta,
      plannedRuns,
      shard: null,
      gitCommit: meta.gitCommit,
    });
    if (baselineSide !== null) held.push(baselineSide.lease);
    const candidate = startBenchmark(store, {
      resume: args.resume,
      resumeRef: args.resumeRef,
      id: newId,
      label: args.label,
      settings: baselineSide === null || args.interleave === null
        ? settings
        : { ...settings, interleave: { baseline: args.interleave, baselineId: baselineSide.id } },
      meta: {
        meta,
        dailyWords: args.dailyWords,
        unitName: target.unit?.name ?? null,
        // The whole plan's order, so `deno task merge` can put shards back in it.
        inputIds: target.inputs.map((input) => input.id),
      } satisfies StoredBenchMeta,
      plannedRuns,
      shard,
      gitCommit: meta.gitCommit,
    });
    held.push(candidate.lease);
    return { ...candidate, baselineSide, out, leases };
  } catch (error) {
    // A refused start (another process writes the benchmark) leaves no folder it made behind.
    leases.release();
    if (!outExisted) await Deno.remove(out).catch(() => {});
    throw error;
  }
}

/** The baseline a resumed interleaved benchmark began beside, from its stored settings. */
function savedBaselineId(store: ResultsStore, resumeRef: string | null): string {
  const saved = BenchSettings.safeParse(
    resumeRef === null ? undefined : store.getBenchmark(resumeRef)?.settings,
  );
  const baselineId = saved.success ? saved.data.interleave?.baselineId : undefined;
  if (baselineId === undefined || store.getBenchmark(baselineId) === null) {
    throw new UsageError(
      `--resume ${resumeRef}: the baseline it was interleaved with is not in the store; ` +
        "start both again with --interleave",
    );
  }
  return baselineId;
}
