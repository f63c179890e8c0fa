/**
 * The types of a benchmark's definition and of what it reports while it runs: the inputs, the
 * graph, the normalisation unit, the options of {@linkcode runBenchmark}, progress and events.
 * (Types only, so the runner and the execution of one run both import them without a cycle.)
 *
 * @module
 */
import type { LLMCallMetrics, PipelineMetrics } from "../telemetry/metrics.ts";
import type { BenchmarkEvaluator } from "../evaluate/evaluator.ts";
import type { RunLog } from "./run_log.ts";
import type { QualityRecord, RunRecord } from "./run_record.ts";
import type { PlannedRun, Shard } from "./schedule.ts";
import type { RatePacer } from "./pacing/rate_pacer.ts";

/** One input of a benchmark. */
export interface BenchmarkInput<I> {
  /** A unique id (e.g. the file name the input came from). */
  id: string;
  /** What is passed to `graph.invoke`. */
  input: I;
  /**
   * The input's metadata (a dataset example's, e.g. `{ dataset_split: ["test"] }`): added to the
   * run's `metadata` (so attribution keys such as `user_id` reach the handler), kept on its record,
   * and a key the report can group runs by.
   */
  metadata?: Record<string, unknown>;
  /**
   * The example's reference outputs (a LangSmith dataset's `outputs`): what evaluators get as
   * `referenceOutputs`; undefined without one.
   */
  referenceOutputs?: unknown;
}

/**
 * What the benchmark's cost is normalised by (e.g. "1,000 words" of a transcript, "request",
 * "document"): the report's "cost per <name>" and the daily projection use it. Without one, the
 * report shows cost per run only.
 */
export interface BenchmarkUnit<I> {
  /** The unit's name as the report writes it after "per", e.g. `1,000 words`. */
  name: string;
  /** How many units an input holds (e.g. its words / 1,000), or null when not meaningful. */
  amountOf(input: BenchmarkInput<I>): number | null;
}

/**
 * The parts of LangChain's `RunnableConfig` a benchmark passes to a run: any `RunnableConfig` is
 * one (the runner adds its handler to `callbacks`, its abort signal to `signal` and a thread of
 * the run's own to `configurable.thread_id`).
 */
export interface RunConfig {
  /** LangChain callbacks: a list of handlers, or a callback manager. */
  callbacks?: unknown;
  /** Values for configurable fields (`thread_id` for a checkpointer). */
  configurable?: Record<string, unknown>;
  /**
   * Metadata of the run (the runner adds the input's metadata, `graphmeter_input_id` and
   * `graphmeter_repeat`).
   */
  metadata?: Record<string, unknown>;
  /** Tags of the run. */
  tags?: string[];
  /** Aborts the run. */
  signal?: AbortSignal;
  /** LangGraph's recursion limit. */
  recursionLimit?: number;
  /** The run's name. */
  runName?: string;
  /** Most parallel calls inside the run. */
  maxConcurrency?: number;
  /** A timeout of the run, ms. */
  timeout?: number;
}

/** Anything with LangChain's `invoke(input, config)`: a compiled graph, a chain, a model. */
export interface InvokableGraph<I, O> {
  /** Runs the graph once. */
  invoke(input: I, config?: RunConfig): Promise<O>;
}

/**
 * A LangChain callback handler that measures a run (the default is `PerformanceCallbackHandler`):
 * LangChain takes any object with a `name` and its `handle*` methods as a handler; the runner reads
 * `metrics` when the run ends.
 */
export interface MetricsHandler {
  /** The handler's name (LangChain takes an object with one as a handler). */
  readonly name: string;
  /** What the handler measured. */
  readonly metrics: PipelineMetrics;
}

/** What the runner hands to `createHandler`: pass `onCallEnd` on, so a budget is held live. */
export interface RunHooks {
  /** Call once per finished LLM call with its priced metrics (the handler's `onCallEnd`). */
  onCallEnd: (call: LLMCallMetrics) => void;
  /** The planned run the handler will measure (absent for an evaluator's own calls). */
  run?: PlannedRun;
}

/** Where a benchmark stands: reported at the start, after each LLM call and after each run. */
export interface BenchmarkProgress {
  /** Runs finished (resumed ones included). */
  done: number;
  /** Runs planned in all (inputs x repeats). */
  total: number;
  /** Finished runs that failed. */
  failed: number;
  /** Runs in flight. */
  running: number;
  /** LLM calls that ended in an error in this session (runs still going included). */
  failedCalls: number;
  /** Milliseconds since this session started. */
  elapsedMs: number;
  /** Estimated milliseconds left, or null before the first run of this session finishes. */
  etaMs: number | null;
  /**
   * Priced cost so far in US dollars, runs in flight and evaluators' calls included; null when
   * calls were made and none could be priced (never $0 for an unpriced benchmark).
   */
  costUsd: number | null;
  /** Calls made so far that could not be priced (not in `costUsd`). */
  unpricedCalls: number;
}

/**
 * Something the caller may want to tell its user, as data (the caller words it): log records
 * skipped on resume (their runs are made again), an output that could not be summarized, a run
 * stopped in flight (by the budget, or an unpriced call under a budget).
 */
export type BenchmarkEvent =
  | {
    kind: "log-records-skipped";
    /** Where each skipped record was (e.g. `reports/graphmeter.db run a#1`) and why. */
    skipped: readonly { location: string; reason: string }[];
  }
  | { kind: "output-not-summarized"; run: PlannedRun; reason: string }
  | { kind: "run-stopped"; run: PlannedRun; costUsd: number | null }
  | {
    kind: "budget-unenforceable";
    /** The call that could not be priced. */
    provider: string;
    model: string;
  };

/** How to run a benchmark. */
export interface BenchmarkOptions<I, O> {
  /** The graph to run. */
  graph: InvokableGraph<I, O>;
  /** The inputs; ids must be unique. */
  inputs: readonly BenchmarkInput<I>[];
  /** Runs per input; default 1. */
  repeats?: number;
  /** Runs in flight at most; default 4. */
  concurrency?: number;
  /**
   * Config of every run, or a function that makes each run's (the measuring handler is added to
   * its callbacks and the runner's abort signal to its `signal`). Without a
   * `configurable.thread_id`, each run gets its own thread,
   * `graphmeter-<uuid>/<inputId>#<repeat>` (one uuid per benchmark), so a graph with a
   * checkpointer can run and its runs do not share state; a `thread_id` you give is kept.
   */
  config?: RunConfig | ((run: PlannedRun) => RunConfig);
  /**
   * Makes the handler of one run; default `new PerformanceCallbackHandler({ onCallEnd })`. Pass
   * `hooks.onCallEnd` on to the handler: without it, a budget is checked only as runs end.
   */
  createHandler?: (hooks: RunHooks) => MetricsHandler;
  /** Where finished runs are logged; default an in-memory log. */
  log?: RunLog;
  /**
   * Keep every finished run's record in memory and return them as `records`; default true. Pass
   * false when the log is where they are read back from (a results store): the runner then holds
   * only each run's key, and its memory stays flat however many runs there are.
   */
  retainRecords?: boolean;
  /** Load the log and skip the runs it holds, instead of starting an empty log. */
  resume?: boolean;
  /**
   * Run one slice of the planned runs: slice `index` of `count` takes every `count`-th planned
   * run from the `index`-th (so shards stay even); default all of them.
   */
  shard?: Shard;
  /**
   * A hard budget in US dollars, checked after every LLM call (evaluators' calls included).
   * Before launching a run, the runner estimates it (and each run in flight) at the dearest
   * finished run, its evaluation included, and launches only
   * when that fits. When the calls made pass the budget, it launches nothing more and aborts the
   * runs in flight (their graphs get an aborted `signal`); they are logged as stopped, not as
   * finished, so a resume makes them again (and counts what they cost as spent). Guarantee: spent ≤ budget + the cost of the calls already in flight when it was
   * crossed. A call that cannot be priced stops the benchmark the same way (a
   * `budget-unenforceable` event), since the budget could not be held.
   */
  maxCostUsd?: number;
  /**
   * Stops the benchmark when aborted (e.g. on Ctrl-C): nothing more is launched and the runs in
   * flight are aborted and logged as stopped (`appendStopped`), with what their calls cost, so a
   * resume makes them again.
   */
  signal?: AbortSignal;
  /**
   * Milliseconds a run may take; default none. A run past it is aborted (its graph gets an
   * aborted `signal`; LangGraph stops even a node that awaits forever) and recorded as failed,
   * its error a `RunTimeoutError` (`./stops.ts`) given to `describeError`; the others go on.
   */
  runTimeoutMs?: number;
  /** What cost is normalised by (e.g. 1,000 words); default none (cost per run only). */
  unit?: BenchmarkUnit<I>;
  /**
   * Describes a run's output in plain numbers (e.g. nodes created), shown in the report as
   * measures. What compare and the gate judge are `evaluators`' scores.
   */
  quality?: (output: O, input: BenchmarkInput<I>) => QualityRecord;
  /**
   * Score each successful run as it finishes, inside its concurrency slot: functions called
   * with `{ inputs, outputs, referenceOutputs }` returning `{ key, score, comment? }`, a list,
   * or `{ results }` (`createLLMAsJudge(...)` from `openevals` is one; wrap Braintrust scorers
   * with `fromAutoevals`). Their own LLM calls are metered by a handler of their own (made by
   * `createHandler`), recorded apart as evaluation cost and counted against `maxCostUsd`. One
   * that throws, times out or returns a malformed result records an error for its key; the run
   * stays ok. A resumed run keeps its scores: it is never scored again.
   */
  evaluators?: readonly BenchmarkEvaluator<I, O, never>[];
  /** How long one evaluator may take on one run, ms; default 300,000 (5 minutes). */
  evaluatorTimeoutMs?: number;
  /**
   * Summarizes a run's output in a short text; default its JSON, cut at 200 characters. When it
   * throws (or the output is not JSON: a BigInt, a cycle), the summary is null, with an event.
   */
  summarizeOutput?: (output: O) => string;
  /**
   * Words the error that ended a run (e.g. naming the provider and its URL), a run timeout's
   * included; default `Name: message`.
   */
  describeError?: (error: unknown) => string;
  /** Called at the start, after each LLM call and after each finished run. */
  onProgress?: (progress: BenchmarkProgress) => void;
  /** Called once per run that ended (logged, or stopped in flight), with its record. */
  onRunEnd?: (run: PlannedRun, record: RunRecord) => void;
  /**
   * Called once per finished LLM call of a run's graph (e.g. to show progress inside long runs);
   * its evaluators' calls are not (they count in progress and the budget).
   */
  onCallEnd?: (run: PlannedRun, call: LLMCallMetrics) => void;
  /** Called with each event worth telling the user. */
  onEvent?: (event: BenchmarkEvent) => void;
  /**
   * Wait for LangChain's background callbacks (e.g. a LangSmith tracer in your `config`) after
   * each run; default false: graphmeter's own handler runs inline and needs no waiting. Draining
   * asks LangSmith's client for the home directory, which Deno allows only with `--allow-sys`.
   */
  drainBackgroundCallbacks?: boolean;
  /** The clock, in milliseconds; default `performance.now`. */
  now?: () => number;
  /**
   * Track each LLM call's HTTP attempts (status, duration, `retry-after`, waits, rate-limit
   * headers) through the process's `fetch` while the benchmark runs; default true. A provider
   * client built before the benchmark started keeps the `fetch` it was built with: call
   * `trackHttpAttempts()` (`./sdk`) before building clients to see its attempts too.
   */
  trackHttpAttempts?: boolean;
  /**
   * The pacer that holds each LLM request until its endpoint's rate limits allow it (one shared
   * limiter per endpoint, for every run); default a fresh {@linkcode RatePacer} that learns the
   * limits from the answers' headers and 429s (while none is known, nothing is held); null for
   * no pacing. Pass your own to tell limits up front or to read its status.
   */
  pacer?: RatePacer | null;
}

/** Why a benchmark stopped before making every planned run. */
export type BenchmarkStop =
  | {
    kind: "budget-would-pass";
    budgetUsd: number;
    spentUsd: number;
    /** The dearest finished run's cost, the estimate of the next one. */
    dearestRunUsd: number;
  }
  | { kind: "budget-crossed"; budgetUsd: number; spentUsd: number }
  | { kind: "unpriced-call"; budgetUsd: number; provider: string; model: string }
  | {
    kind: "interrupted";
    /** The abort reason of `signal`, in words. */
    reason: string;
  };

/** What a benchmark produced. */
export interface BenchmarkRun {
  /**
   * Every finished run, resumed ones included, in plan order (repeat by repeat, input by input);
   * empty with `retainRecords: false` (read them from the log).
   */
  records: RunRecord[];
  /** How many planned runs finished (resumed ones included), with or without their records. */
  finishedRuns?: number;
  /** Runs planned in all (inputs x repeats). */
  total: number;
  /** Runs taken from the log instead of being run again. */
  resumed: number;
  /** Runs never launched, or stopped in flight (a resume makes them). */
  notRun: number;
  /**
   * What the calls cost in all in US dollars (unpriced calls count as nothing): the finished
   * runs' (resumed ones included), and every run stopped in flight's, earlier ones included.
   */
  spentUsd?: number;
  /**
   * Runs aborted in flight when the benchmark stopped, with their partial metrics; logged apart
   * (`appendStopped`), not as finished, so a resume makes them again. Their cost was spent all
   * the same.
   */
  stoppedRuns?: RunRecord[];
  /** Null, or why the benchmark stopped early, in words. */
  stoppedReason: string | null;
  /** Null, or why the benchmark stopped early, as data. */
  stop?: BenchmarkStop | null;
  /** The normalisation unit's name, when the benchmark had one. */
  unitName?: string | null;
}
