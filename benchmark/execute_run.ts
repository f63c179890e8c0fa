/**
 * One benchmark run: invoke the graph with a fresh measuring handler (and a thread of its own),
 * then turn what happened into a {@linkcode RunRecord}, failures included. The scheduling around
 * it lives in `runner.ts`.
 *
 * @module
 */
import type { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { CallbackManager } from "@langchain/core/callbacks/manager";
import { awaitAllCallbacks } from "@langchain/core/callbacks/promises";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import type { LLMCallMetrics } from "../telemetry/metrics.ts";
import { evaluateRun } from "../evaluate/evaluate_run.ts";
import type { EvaluationRecord } from "../evaluate/score_record.ts";
import type { BenchmarkInput, BenchmarkOptions, MetricsHandler, RunConfig } from "./options.ts";
import { type QualityRecord, runKey, type RunRecord } from "./run_record.ts";
import type { PlannedRun } from "./schedule.ts";
import { RunTimeoutError } from "./stops.ts";

/** What the runner gives one run: its abort signal and where each finished call goes. */
export interface RunControls {
  /**
   * Aborted when the benchmark stops (budget, interrupt) or the run times out: passed to the
   * graph as its `signal`.
   */
  signal: AbortSignal;
  /** Called with each finished LLM call's priced metrics (the graph's). */
  onCallEnd: (call: LLMCallMetrics) => void;
  /** Called with each finished LLM call its evaluators made; default `onCallEnd`. */
  onEvaluationCallEnd?: (call: LLMCallMetrics) => void;
}

/**
 * Runs one planned run and records it; never throws for a failing graph.
 *
 * @param options The benchmark's options.
 * @param run The planned run.
 * @param threadPrefix The benchmark's thread-id prefix, for runs without a `thread_id` of their own.
 * @param controls The run's abort signal and call hook.
 * @returns The run's record.
 */
export async function executeRun<I, O>(
  options: BenchmarkOptions<I, O>,
  run: PlannedRun,
  threadPrefix: string,
  controls: RunControls,
): Promise<RunRecord> {
  const input = options.inputs[run.inputIndex];
  const hooks = { onCallEnd: controls.onCallEnd };
  const handler = options.createHandler?.({ ...hooks, run }) ??
    new PerformanceCallbackHandler(hooks);
  const userConfig = typeof options.config === "function" ? options.config(run) : options.config;
  const config = withHandler(
    userConfig,
    handler,
    run,
    threadPrefix,
    controls.signal,
    input.metadata,
  );
  let output: O | undefined;
  let error: string | null = null;
  try {
    output = await options.graph.invoke(input.input, config);
  } catch (cause) {
    const reason: unknown = controls.signal.aborted ? controls.signal.reason : undefined;
    error = reason === undefined || reason instanceof RunTimeoutError
      ? (options.describeError ?? errorMessage)(reason ?? cause)
      : errorMessage(reason);
  }
  if (options.drainBackgroundCallbacks) await awaitAllCallbacks();
  if (error === null && handler.metrics.runCount === 0) error = NO_RUN_SEEN;
  let quality: QualityRecord | null = null;
  if (error === null && options.quality) {
    try {
      quality = options.quality(output as O, input);
    } catch (cause) {
      error = `quality function failed: ${errorMessage(cause)}`;
    }
  }
  let evaluation: EvaluationRecord | undefined;
  // Only a successful run is scored: a failed one has no output to judge.
  const scored = error === null && handler.metrics.status === "ok";
  if (scored && (options.evaluators?.length ?? 0) > 0) {
    evaluation = await evaluateRun(
      options.evaluators!,
      {
        inputs: input.input,
        outputs: output as O,
        referenceOutputs: input.referenceOutputs as never,
      },
      {
        timeoutMs: options.evaluatorTimeoutMs,
        signal: controls.signal,
        createHandler: options.createHandler,
        onCallEnd: controls.onEvaluationCallEnd ?? controls.onCallEnd,
      },
    );
    // Stopped while scoring (the budget): the run is stopped in flight, made again on resume.
    if (controls.signal.aborted) error = errorMessage(controls.signal.reason);
  }
  let outputSummary: string | null = null;
  try {
    outputSummary = summarize(output, options.summarizeOutput);
  } catch (cause) {
    options.onEvent?.({
      kind: "output-not-summarized",
      run,
      reason: errorMessage(cause).split("\n")[0],
    });
  }
  return {
    inputId: run.inputId,
    repeat: run.repeat,
    inputAmount: amountOf(options, input),
    outputSummary,
    metrics: handler.metrics,
    quality,
    ...(evaluation === undefined ? {} : { evaluation }),
    error,
    ...(input.metadata ? { inputMetadata: input.metadata } : {}),
  };
}

/** The input's amount of the benchmark's unit; null without a unit or when it fails. */
function amountOf<I, O>(options: BenchmarkOptions<I, O>, input: BenchmarkInput<I>): number | null {
  if (!options.unit) return null;
  try {
    const amount = options.unit.amountOf(input);
    return amount !== null && Number.isFinite(amount) && amount >= 0 ? amount : null;
  } catch {
    return null;
  }
}

/** The error of a run the measuring handler never heard of (e.g. a wrapper dropped the config). */
const NO_RUN_SEEN = "the handler saw no run: pass the config (callbacks) through to invoke";

/**
 * Merges the run's handler, the input's and the benchmark's metadata and (unless the user chose
 * one) a thread of its own into the user's config.
 */
function withHandler(
  config: RunConfig | undefined,
  handler: MetricsHandler,
  run: PlannedRun,
  threadPrefix: string,
  signal: AbortSignal,
  inputMetadata: Record<string, unknown> | undefined,
): RunConfig {
  const user = config?.callbacks;
  let callbacks: CallbackManager | unknown[];
  if (user instanceof CallbackManager) {
    callbacks = user.copy();
    // LangChain takes any object with a name and handler methods (its check is structural).
    callbacks.addHandler(handler as unknown as BaseCallbackHandler, true);
  } else {
    callbacks = [...(Array.isArray(user) ? user : []), handler];
  }
  const threadId = config?.configurable?.thread_id ??
    `${threadPrefix}/${runKey(run.inputId, run.repeat)}`;
  return {
    ...config,
    callbacks,
    signal: config?.signal ? AbortSignal.any([config.signal, signal]) : signal,
    configurable: { ...config?.configurable, thread_id: threadId },
    metadata: {
      ...config?.metadata,
      ...inputMetadata,
      graphmeter_input_id: run.inputId,
      graphmeter_repeat: run.repeat,
    },
  };
}

function summarize<O>(
  output: O | undefined,
  summarizeOutput?: (output: O) => string,
): string | null {
  if (output === undefined) return null;
  if (summarizeOutput) return summarizeOutput(output);
  const json = JSON.stringify(output) ?? String(output);
  return json.length > 200 ? json.slice(0, 199) + "…" : json;
}

function errorMessage(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}
