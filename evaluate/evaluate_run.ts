/**
 * Runs a benchmark's evaluators on one finished run, metering each evaluator's own LLM calls (an
 * LLM-as-judge's) with a handler of its own, apart from the pipeline's: the handler reaches the
 * judge through LangChain's context variables (`registerConfigureHook({ contextVar })` with
 * `setContextVariable`), in a scope that holds only that evaluator's work. A callback passed in a
 * config would not do: `openevals` calls its judge with no config, inside LangSmith's
 * `traceable`, which drops the callbacks when tracing is off. An evaluator that throws, times out
 * or returns a malformed result records an error for its key; nothing here throws.
 *
 * @module
 */
import {
  getContextVariable,
  registerConfigureHook,
  setContextVariable,
} from "@langchain/core/context";
import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import type { LLMCallMetrics, PipelineMetrics } from "../telemetry/metrics.ts";
import {
  type BenchmarkEvaluator,
  DEFAULT_EVALUATOR_TIMEOUT_MS,
  type EvaluatorArgs,
  evaluatorFunction,
  evaluatorName,
} from "./evaluator.ts";
import { errorScore, readEvaluatorResults } from "./read_results.ts";
import type { EvaluationRecord, EvaluatorCost, ScoreRecord } from "./score_record.ts";

export { DEFAULT_EVALUATOR_TIMEOUT_MS };

/** A handler that measures an evaluator's calls (the default is `PerformanceCallbackHandler`). */
export interface EvaluationHandler {
  /** Its name, as LangChain lists it. */
  readonly name: string;
  /** What it measured. */
  readonly metrics: PipelineMetrics;
}

/** How to evaluate one run. */
export interface EvaluateRunOptions {
  /** How long one evaluator may take on one run, ms; default 300,000 (5 minutes). */
  timeoutMs?: number;
  /** Stop waiting for the evaluators (a budget stop): each still running records an error. */
  signal?: AbortSignal;
  /**
   * Makes the handler of one evaluator on one run; default
   * `new PerformanceCallbackHandler({ onCallEnd })`. Pass `hooks.onCallEnd` on, so each judge
   * call is counted (a budget) as it ends.
   */
  createHandler?: (hooks: { onCallEnd: (call: LLMCallMetrics) => void }) => EvaluationHandler;
  /** Called with each finished LLM call an evaluator made, priced. */
  onCallEnd?: (call: LLMCallMetrics) => void;
}

/** The context variable that holds the handler of the evaluator running in the current scope. */
const HANDLER_VARIABLE = "graphmeter_evaluation_handler";

/**
 * Runs `work` in a scope of LangChain's async-local context where every LangChain run started
 * (chat models, chains) gets `handler`, and nothing outside the scope does.
 */
function withHandler<T>(handler: EvaluationHandler, work: () => Promise<T>): Promise<T> {
  const storage = AsyncLocalStorageProviderSingleton.getInstance();
  return storage.run(storage.getStore() ?? {}, () => {
    registerConfigureHook({ contextVar: HANDLER_VARIABLE });
    setContextVariable(HANDLER_VARIABLE, handler);
    return work();
  });
}

/**
 * The handler metering the evaluator that runs in the current scope (`evaluateRun` calls each
 * evaluator in a scope of its own), or undefined outside one. An evaluator whose work runs
 * elsewhere — in a worker process in the user's project — replays that work's LangChain
 * callbacks into it, so its calls are metered as if they were made here.
 *
 * @returns The handler, or undefined.
 *
 * @example Usage
 * ```ts
 * import { evaluateRun, evaluationHandlerInScope } from "./evaluate_run.ts";
 * import assert from "node:assert/strict";
 *
 * let seen: unknown;
 * await evaluateRun([() => {
 *   seen = evaluationHandlerInScope();
 *   return { key: "k", score: 1 };
 * }], { inputs: null, outputs: null });
 * assert.equal((seen as { name: string }).name, "graphmeter_performance");
 * assert.equal(evaluationHandlerInScope(), undefined);
 * ```
 */
export function evaluationHandlerInScope(): EvaluationHandler | undefined {
  return getContextVariable<EvaluationHandler>(HANDLER_VARIABLE);
}

/** Why an evaluator gave no score: its error, in one line. */
function describeError(cause: unknown): string {
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return text.split("\n")[0];
}

/** Settles with the evaluator's value, or rejects when it takes too long or the run stops. */
function bounded<T>(work: Promise<T>, timeoutMs: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const seconds = timeoutMs / 1000;
    const timer = setTimeout(
      () => reject(new Error(`timed out after ${seconds} s`)),
      timeoutMs,
    );
    const onAbort = () => reject(new Error(`stopped: ${describeError(signal?.reason)}`));
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    });
  });
}

/** One evaluator on one run: its scores (or its error) and its calls' cost. */
async function runOne<I, O, R>(
  evaluator: BenchmarkEvaluator<I, O, R>,
  index: number,
  args: EvaluatorArgs<I, O, R>,
  options: EvaluateRunOptions,
): Promise<{ scores: ScoreRecord[]; cost: EvaluatorCost | null }> {
  const name = evaluatorName(evaluator as BenchmarkEvaluator, index);
  const hooks = { onCallEnd: (call: LLMCallMetrics) => options.onCallEnd?.(call) };
  const handler = options.createHandler?.(hooks) ?? new PerformanceCallbackHandler(hooks);
  let scores: ScoreRecord[];
  try {
    const evaluate = evaluatorFunction(evaluator);
    const returned = await bounded(
      withHandler(handler, async () => await evaluate({ ...args })),
      options.timeoutMs ?? DEFAULT_EVALUATOR_TIMEOUT_MS,
      options.signal,
    );
    scores = readEvaluatorResults(returned, name);
  } catch (cause) {
    scores = [errorScore(name, describeError(cause))];
  }
  const metrics = handler.metrics;
  const cost = metrics.totals.llmCalls === 0
    ? null
    : { evaluator: name, totals: metrics.totals, calls: metrics.calls };
  return { scores, cost };
}

/**
 * Runs every evaluator on one finished run, at the same time, each in a metering scope of its
 * own. A key returned twice (by two evaluators, or twice by one) is an error for that key: keys
 * must name one score each.
 *
 * @param evaluators The evaluators.
 * @param args The run's inputs, outputs and reference outputs.
 * @param options Timeout, stop signal, handler factory, call listener.
 * @returns The scores (one record per key) and what each evaluator's calls cost.
 *
 * @example Usage
 * ```ts
 * import { evaluateRun } from "./evaluate_run.ts";
 * import assert from "node:assert/strict";
 *
 * const record = await evaluateRun(
 *   [
 *     ({ outputs, referenceOutputs }) => ({ key: "exact", score: outputs === referenceOutputs }),
 *     function broken() {
 *       throw new Error("boom");
 *     },
 *   ],
 *   { inputs: "q", outputs: "Lima", referenceOutputs: "Lima" },
 * );
 * assert.deepEqual(record.scores.map((s) => [s.key, s.score, s.error]), [
 *   ["exact", 1, null],
 *   ["broken", null, "Error: boom"],
 * ]);
 * assert.deepEqual(record.costs, []);
 * ```
 */
export async function evaluateRun<I, O, R>(
  evaluators: readonly BenchmarkEvaluator<I, O, R>[],
  args: EvaluatorArgs<I, O, R>,
  options: EvaluateRunOptions = {},
): Promise<EvaluationRecord> {
  const done = await Promise.all(
    evaluators.map((evaluator, index) => runOne(evaluator, index, args, options)),
  );
  const byKey = new Map<string, ScoreRecord>();
  const twice = new Set<string>();
  for (const score of done.flatMap((one) => one.scores)) {
    if (byKey.has(score.key)) twice.add(score.key);
    else byKey.set(score.key, score);
  }
  for (const key of twice) {
    byKey.set(
      key,
      errorScore(key, `the key "${key}" was returned twice: give each score a key of its own`),
    );
  }
  return {
    scores: [...byKey.values()],
    costs: done.flatMap((one) => one.cost === null ? [] : [one.cost]),
  };
}
