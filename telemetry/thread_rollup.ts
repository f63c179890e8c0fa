/**
 * Per-thread sums: what each conversation (a LangGraph thread, many invocations) cost so far, exact
 * over every finished run of it and bounded in memory. A thread's figures are the runs folded into
 * its sums plus the runs the retention still keeps in detail, read when asked (so a call that ends
 * after its run did is in them, as in the handler's own `metrics`).
 *
 * @module
 */
import type { PipelineMetrics, ThreadMetrics } from "./metrics.ts";
import type { RawRoot } from "./recorder.ts";
import { addTotals, emptyTotals, type MutableTotals } from "./aggregate.ts";
import { CommonAttribution } from "./attribution.ts";

/** How many threads a handler keeps sums of unless told otherwise. */
export const DEFAULT_MAX_THREADS = 10_000;

/** One thread's sums. */
interface ThreadSums {
  runCount: number;
  failedRuns: number;
  startedAt: number;
  lastEndedAt: number;
  wallTimeMs: number;
  readonly attribution: CommonAttribution;
  readonly totals: MutableTotals;
  /** Finished runs of the thread still kept in detail (their sums are read from them). */
  readonly live: Set<RawRoot>;
}

function emptySums(): ThreadSums {
  return {
    runCount: 0,
    failedRuns: 0,
    startedAt: Infinity,
    lastEndedAt: -Infinity,
    wallTimeMs: 0,
    attribution: new CommonAttribution(),
    totals: emptyTotals(),
    live: new Set(),
  };
}

function addRun(sums: Omit<ThreadSums, "live">, run: PipelineMetrics): void {
  sums.runCount += 1;
  if (run.status === "error") sums.failedRuns += 1;
  sums.startedAt = Math.min(sums.startedAt, run.startedAt);
  sums.lastEndedAt = Math.max(sums.lastEndedAt, run.startedAt + run.wallTimeMs);
  sums.wallTimeMs += run.wallTimeMs;
  sums.attribution.add(run.threadId, run.attributes);
  addTotals(sums.totals, run.totals);
}

/**
 * The threads of one handler's finished runs, at most `maxThreads` of them (the one that saw no
 * run for longest is forgotten first). Synchronous, constant work per finished run.
 *
 * @example Usage
 * ```ts
 * import { ThreadRollup } from "./thread_rollup.ts";
 * import { RunRecorder } from "./recorder.ts";
 * import { rootMetrics } from "./aggregate.ts";
 * import assert from "node:assert/strict";
 *
 * const pricing = {
 *   info: { catalog: "@pydantic/genai-prices", version: "0.1.8", dataDate: null, overrideModels: 0 },
 * };
 * const recorder = new RunRecorder();
 * const threads = new ThreadRollup(10);
 * for (const id of ["a", "b"]) {
 *   recorder.chainStart(id, undefined, { metadata: { thread_id: "t-1" } });
 *   threads.finish(recorder.end(id, null)!);
 * }
 * const read = (root: Parameters<typeof rootMetrics>[0]) => rootMetrics(root, pricing, 0, 0);
 * assert.equal(threads.read("t-1", read)?.runCount, 2);
 * ```
 */
export class ThreadRollup {
  readonly #maxThreads: number;
  /** Threads by id, the one that saw a run last at the end (a Map keeps insertion order). */
  #threads = new Map<string, ThreadSums>();

  /**
   * Creates the rollup.
   *
   * @param maxThreads Threads kept at most.
   */
  constructor(maxThreads: number) {
    this.#maxThreads = maxThreads;
  }

  /** How many threads have sums. */
  get size(): number {
    return this.#threads.size;
  }

  /** Takes a root run that just finished (a run without a thread is ignored). */
  finish(root: RawRoot): void {
    const threadId = root.attribution.threadId;
    if (threadId === null) return;
    let sums = this.#threads.get(threadId);
    if (sums) this.#threads.delete(threadId); // to the end: the most recently active
    else sums = emptySums();
    this.#threads.set(threadId, sums);
    sums.live.add(root);
    if (this.#threads.size > this.#maxThreads) {
      this.#threads.delete(this.#threads.keys().next().value as string);
    }
  }

  /**
   * Moves a finished run's final metrics into its thread's sums (the retention folds it, or hands
   * it over): from now on the run is no longer read.
   */
  fold(root: RawRoot, run: PipelineMetrics): void {
    const threadId = root.attribution.threadId;
    if (threadId === null) return;
    const sums = this.#threads.get(threadId);
    if (!sums?.live.delete(root)) return; // a thread forgotten since
    addRun(sums, run);
  }

  /**
   * A thread's figures: its folded sums plus its runs kept in detail.
   *
   * @param threadId The thread.
   * @param metricsOf The (memoized) metrics of a run kept in detail.
   * @returns The thread's frozen metrics, or undefined when no finished run of it is known.
   */
  read(threadId: string, metricsOf: (root: RawRoot) => PipelineMetrics): ThreadMetrics | undefined {
    const sums = this.#threads.get(threadId);
    if (!sums) return undefined;
    const read = {
      ...sums,
      attribution: sums.attribution.clone(),
      totals: { ...sums.totals, costBreakdown: { ...sums.totals.costBreakdown } },
    };
    for (const root of sums.live) addRun(read, metricsOf(root));
    return Object.freeze({
      threadId,
      runCount: read.runCount,
      failedRuns: read.failedRuns,
      startedAt: read.startedAt,
      lastEndedAt: read.lastEndedAt,
      wallTimeMs: read.wallTimeMs,
      attributes: read.attribution.attributes,
      totals: Object.freeze({
        ...read.totals,
        costBreakdown: Object.freeze(read.totals.costBreakdown),
      }),
    });
  }

  /** Forgets every thread. */
  reset(): void {
    this.#threads = new Map();
  }
}
