/**
 * What is done with finished runs, apart from the LangChain adapter that records them (as
 * LangChain keeps `BaseTracer`'s run map apart from `RunCollectorCallbackHandler`): the newest
 * `maxRetainedRuns` finished runs stay in detail, older ones fold into exact running sums, finished
 * runs can be handed over, and a read of the merged metrics costs what finished since the last
 * one. Every value handed out is frozen.
 *
 * Anything that needs every finished run (a listener, a per-thread rollup) starts in
 * {@linkcode RunRetention.finish}; anything that sums across runs keeps its sums beside
 * {@linkcode FoldedRuns}, so it stays exact in bounded memory.
 *
 * @module
 */
import type { ExecutionSpan, PipelineMetrics, ThreadMetrics } from "./metrics.ts";
import type { RawRoot, RunRecorder } from "./recorder.ts";
import { appendAll, FoldedRuns, mergeRuns, type PricingContext, rootMetrics } from "./aggregate.ts";
import { DEFAULT_MAX_THREADS, ThreadRollup } from "./thread_rollup.ts";

/**
 * The finished runs of one recorder: kept in detail up to a bound, folded beyond it, read
 * incrementally. Synchronous; it never calls out but to the listener given to `finish`.
 *
 * @example Usage
 * ```ts
 * import { RunRetention } from "./retention.ts";
 * import { RunRecorder } from "./recorder.ts";
 * import assert from "node:assert/strict";
 *
 * const recorder = new RunRecorder();
 * const pricing = {
 *   info: { catalog: "@pydantic/genai-prices", version: "0.1.8", dataDate: null, overrideModels: 0 },
 * };
 * const retention = new RunRetention(recorder, pricing, 1);
 * for (const id of ["a", "b"]) {
 *   recorder.chainStart(id, undefined, {});
 *   retention.finish(recorder.end(id, null)!);
 * }
 * assert.equal(retention.runs().length, 1); // "a" folded into the sums
 * assert.equal(retention.metrics(0).runCount, 2);
 * ```
 */
export class RunRetention {
  readonly #recorder: RunRecorder;
  readonly #pricing: PricingContext;
  readonly #maxRetainedRuns: number;
  /** Metrics of finished roots, computed once (a late change bumps the root's version). */
  #memo = new WeakMap<RawRoot, { version: number; metrics: PipelineMetrics }>();
  /** Finished roots still kept in detail, oldest first. */
  #retained: RawRoot[] = [];
  /** Finished roots whose sums are not in `#sums` yet. */
  #pending: RawRoot[] = [];
  /** Sums of the finished runs no longer kept in detail. */
  #folded = new FoldedRuns();
  /** Sums of every finished run not handed over (folded and retained). */
  #sums = new FoldedRuns();
  /** The finished runs kept in detail whose sums are taken, in the order they finished. */
  #detailRuns: PipelineMetrics[] = [];
  /** Execution spans of the finished runs kept in detail, by stage, in the same order. */
  #detailSpans = new Map<string, ExecutionSpan[]>();
  /** The recorder's count of late ends already accounted for. */
  #lateEndsSeen = 0;
  /** The sums need a rebuild (a run handed over, or a summed run changed after its end). */
  #sumsStale = false;
  /** Runs finished, handed over or forgotten here: any of them changes the merged metrics. */
  #changes = 0;
  /** The last merged metrics, and what they were computed from, while nothing changed. */
  #cached: PipelineMetrics | null = null;
  #cachedChanges = -1;
  #cachedLateEnds = -1;
  #cachedErrors = -1;
  /** Per-thread sums of the finished runs (every one, handed over or not). */
  readonly #threads: ThreadRollup;

  /**
   * Creates the retention of a recorder's finished runs.
   *
   * @param recorder The recorder whose roots this keeps, folds and forgets.
   * @param pricing How calls are priced when a run's metrics are built.
   * @param maxRetainedRuns Finished runs kept in detail; older ones fold into sums.
   * @param maxThreads Threads whose sums are kept (the least recently active is forgotten first).
   */
  constructor(
    recorder: RunRecorder,
    pricing: PricingContext,
    maxRetainedRuns: number,
    maxThreads: number = DEFAULT_MAX_THREADS,
  ) {
    this.#recorder = recorder;
    this.#pricing = pricing;
    this.#maxRetainedRuns = maxRetainedRuns;
    this.#threads = new ThreadRollup(maxThreads);
  }

  /**
   * Takes a root run that just ended: keeps it in detail, shows its metrics to `listener` (when
   * given), then folds the oldest finished runs beyond the bound into the sums.
   *
   * @param root The root the recorder reported as finished.
   * @param listener Receives the run's final metrics, before any fold (it must not throw).
   */
  finish(root: RawRoot, listener?: (run: PipelineMetrics) => void): void {
    this.#retained.push(root);
    this.#pending.push(root);
    this.#changes++;
    this.#threads.finish(root);
    if (listener) listener(this.#metricsOf(root, this.#recorder.now()));
    while (this.#retained.length > this.#maxRetainedRuns) {
      this.#fold(this.#retained.shift() as RawRoot);
    }
  }

  /**
   * Metrics of every root run kept in detail (running, and finished up to the bound).
   *
   * @returns One frozen entry per run, in start order.
   */
  runs(): readonly PipelineMetrics[] {
    const now = this.#recorder.now();
    return Object.freeze(this.#recorder.roots.map((root) => this.#metricsOf(root, now)));
  }

  /**
   * The metrics of one root run kept in detail.
   *
   * @param runId The root run's id.
   * @returns Its frozen metrics, or undefined when no such run is kept.
   */
  run(runId: string): PipelineMetrics | undefined {
    const root = this.#recorder.roots.find((candidate) => candidate.id === runId);
    return root ? this.#metricsOf(root, this.#recorder.now()) : undefined;
  }

  /**
   * Every root run not handed over, merged: exact sums over all of them, calls and execution spans
   * of those kept in detail. The same value while nothing changed and no run is going.
   *
   * @param handlerErrors Exceptions the handler caught so far (carried on the value).
   * @returns The merged, frozen metrics.
   */
  metrics(handlerErrors: number): PipelineMetrics {
    const roots = this.#recorder.roots;
    const running = roots.length > this.#retained.length;
    if (
      !running && this.#cached !== null && this.#cachedChanges === this.#changes &&
      this.#cachedLateEnds === this.#recorder.lateEnds && this.#cachedErrors === handlerErrors
    ) return this.#cached;
    const now = this.#recorder.now();
    const runningRuns = running
      ? roots.filter((root) => root.endMs === null).map((root) => this.#metricsOf(root, now))
      : [];
    this.#catchUp();
    const finished = this.#sums.asMetrics(this.#pricing.info);
    let merged: PipelineMetrics;
    if (finished === null && runningRuns.length === 1) {
      merged = withErrors(runningRuns[0], handlerErrors);
    } else if (!running && this.#retained.length === 1 && this.#folded.runCount === 0) {
      merged = withErrors(this.#metricsOf(this.#retained[0], now), handlerErrors); // one run
    } else {
      const spans = new Map(this.#detailSpans);
      // The runs whose calls are listed, as of now; the list itself is built when first read.
      const detailRuns = [...this.#detailRuns, ...runningRuns];
      const calls = () => detailRuns.flatMap((run) => run.calls);
      for (const run of runningRuns) {
        for (const stage of Object.values(run.stages)) {
          spans.set(stage.name, [...(spans.get(stage.name) ?? []), ...stage.executionSpans]);
        }
      }
      const runs = finished ? [finished, ...runningRuns] : runningRuns;
      merged = mergeRuns(runs, this.#pricing.info, handlerErrors, { calls, spans });
    }
    if (!running) {
      this.#cached = merged;
      this.#cachedChanges = this.#changes;
      this.#cachedLateEnds = this.#recorder.lateEnds;
      this.#cachedErrors = handlerErrors;
    }
    return merged;
  }

  /**
   * Hands over every finished run kept in detail and forgets it (runs folded before stay in the
   * sums). Runs still going are kept.
   *
   * @returns The finished runs' frozen metrics, in start order.
   */
  take(): PipelineMetrics[] {
    const now = this.#recorder.now();
    const finished = this.#recorder.removeRoots((root) => root.endMs !== null);
    const taken = new Set(finished);
    this.#retained = this.#retained.filter((root) => !taken.has(root));
    this.#pending = this.#pending.filter((root) => !taken.has(root));
    this.#sumsStale = true;
    this.#changes++;
    return finished.map((root) => {
      const run = this.#metricsOf(root, now);
      this.#threads.fold(root, run); // handed over, but still part of its thread
      return run;
    });
  }

  /**
   * A thread's finished runs rolled up (those handed over or folded included).
   *
   * @param threadId The thread's id.
   * @returns Its frozen sums, or undefined when no finished run of it is known (any more).
   */
  thread(threadId: string): ThreadMetrics | undefined {
    const now = this.#recorder.now();
    return this.#threads.read(threadId, (root) => this.#metricsOf(root, now));
  }

  /** Forgets every run, finished or not, and the folded sums. */
  reset(): void {
    this.#recorder.removeRoots(() => true);
    this.#retained = [];
    this.#pending = [];
    this.#folded = new FoldedRuns();
    this.#sums = new FoldedRuns();
    this.#detailRuns = [];
    this.#detailSpans = new Map();
    this.#sumsStale = false;
    this.#changes++;
    this.#threads.reset();
  }

  /** A root's metrics, computed once while nothing changes in it after its end. */
  #metricsOf(root: RawRoot, now: number): PipelineMetrics {
    const memo = this.#memo.get(root);
    if (memo && memo.version === root.version && root.endMs !== null) return memo.metrics;
    const metrics = rootMetrics(root, this.#pricing, 0, now);
    if (root.endMs !== null) this.#memo.set(root, { version: root.version, metrics });
    return metrics;
  }

  /** Adds what finished since the last read to the sums and the detail, or rebuilds when stale. */
  #catchUp(): void {
    const now = this.#recorder.now();
    if (this.#recorder.lateEnds !== this.#lateEndsSeen) {
      // A finished run changed after its sums were taken (a call that ended or was reported late).
      this.#lateEndsSeen = this.#recorder.lateEnds;
      this.#sumsStale = true;
    }
    if (this.#sumsStale) {
      this.#sums = this.#folded.clone();
      this.#detailRuns = [];
      this.#detailSpans = new Map();
      this.#pending = [...this.#retained];
      this.#sumsStale = false;
    }
    for (const root of this.#pending) {
      const run = this.#metricsOf(root, now);
      this.#sums.add(run);
      this.#detailRuns.push(run);
      for (const stage of Object.values(run.stages)) {
        const spans = this.#detailSpans.get(stage.name);
        if (spans) appendAll(spans, stage.executionSpans);
        else this.#detailSpans.set(stage.name, [...stage.executionSpans]);
      }
    }
    this.#pending = [];
  }

  /** Moves the oldest finished run from the detail into the folded sums. */
  #fold(oldest: RawRoot): void {
    this.#catchUp(); // its sums and detail must be in before its detail goes
    const run = this.#metricsOf(oldest, this.#recorder.now());
    this.#folded.add(run);
    this.#threads.fold(oldest, run);
    // It finished first of those kept, so it and its spans lead the detail lists.
    this.#detailRuns.shift();
    for (const stage of Object.values(run.stages)) {
      this.#detailSpans.get(stage.name)?.splice(0, stage.executionSpans.length);
    }
    this.#recorder.removeRoot(oldest);
  }
}

/** A run's metrics carrying the handler's error count (the same value when there is none). */
function withErrors(run: PipelineMetrics, handlerErrors: number): PipelineMetrics {
  return handlerErrors === 0 ? run : Object.freeze({ ...run, handlerErrors });
}
