/**
 * The CLI's side of the worker: a user's graph running in a worker process in its own project
 * is itself a graph to the benchmark runner — `invoke` sends the run to the worker and replays
 * each forwarded LangChain callback into the run's handlers, on the worker's clock — and scores
 * its runs there: `evaluate` has the worker run one of its evaluators on a run's output (the one
 * it kept, as the graph returned it) and replays the evaluator's own callbacks (an LLM judge's
 * calls) into the handlers it is given. The CLI stays free while a node or an evaluator
 * computes, so Ctrl-C and timeouts work even when one blocks the worker's event loop
 * (`channel.ts`).
 *
 * @module
 */
import type { WorkerRunConfig } from "./protocol.ts";
import { revivePlain } from "./plain.ts";
import type { WorkerProcess } from "./worker_process.ts";
import { type ChannelOptions, WorkerChannel, type WorkerReady } from "./channel.ts";
import type { RequestGate } from "./pacer_bridge.ts";

export { RemoteRunError, WorkerLoadError } from "./remote_errors.ts";
export type { WorkerReady } from "./channel.ts";
export type { GateAnswer, GateRequest, RequestGate } from "./pacer_bridge.ts";

/** How to start the worker, and the limits of loading, of each run and of each evaluation. */
export interface ProjectGraphOptions extends ChannelOptions {
  /** How long one run may take, ms (0: no limit). */
  runTimeoutMs: number;
  /**
   * How long one evaluator may take on one run, ms: its caller's own limit (`evaluateRun`'s),
   * after which, and a second's grace, the worker is told to drop the evaluation; default
   * 300,000.
   */
  evaluatorTimeoutMs?: number;
}

/** What an evaluator is called with (the example's inputs, the run's outputs, the reference). */
export interface EvaluationArgs {
  /** The example's inputs. */
  inputs: unknown;
  /** The run's outputs, as `invoke` returned them. */
  outputs: unknown;
  /** The example's reference outputs, if any. */
  referenceOutputs?: unknown;
}

/** The run config the runner passes (LangChain's, loosely). */
interface RunnerConfig extends WorkerRunConfig {
  callbacks?: unknown;
  signal?: AbortSignal;
}

/** A run's output the worker kept, as the CLI knows it: its run, its worker, its stop signal. */
interface HeldOutput {
  run: string;
  worker: WorkerProcess;
  signal?: AbortSignal;
}

/** A second after its caller gave up on an evaluation, the worker is told to drop it. */
const EVALUATION_GRACE_MS = 1000;

/**
 * A user's graph running in a worker process in its own project: a graph to the benchmark runner
 * (`invoke`), whose callbacks reach the run's handlers as if the graph ran here, and the
 * evaluators loaded beside it (`evaluate`).
 *
 * @example Usage
 * ```ts ignore
 * import { ProjectGraph } from "./client.ts";
 * import { workerFlags } from "./project.ts";
 * import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
 *
 * const { graph, ready } = await ProjectGraph.start({
 *   flags: workerFlags(layout), cwd: layout.dir, env: {}, ref: "agent",
 *   spec: { moduleUrl, exportName: "graph", projectDir: layout.dir, factoryConfig: { configurable: {} } },
 *   loadTimeoutMs: 60_000, runTimeoutMs: 600_000, onOutput: console.error,
 * });
 * const handler = new PerformanceCallbackHandler({ clock: graph.clock });
 * const outputs = await graph.invoke(input, { callbacks: [handler], configurable: { thread_id: "t" } });
 * if (ready.evaluators.length > 0) await graph.evaluate(0, { inputs: input, outputs }, [judgeHandler]);
 * await graph.close();
 * ```
 */
export class ProjectGraph {
  readonly #options: ProjectGraphOptions;
  readonly #channel: WorkerChannel;
  /** The outputs of runs whose worker kept them for scoring (by the object `invoke` returned). */
  readonly #held = new WeakMap<object, HeldOutput>();
  /** When the CLI drops such an output (scored or not), its worker drops its own. */
  readonly #released = new FinalizationRegistry<HeldOutput>(({ run, worker }) => {
    worker.send({ type: "release", run });
  });
  #nextRun = 0;
  #nextEvaluation = 0;

  private constructor(options: ProjectGraphOptions) {
    this.#options = options;
    this.#channel = new WorkerChannel(options);
  }

  /**
   * Starts the worker and waits until it has loaded the graph and the evaluators.
   *
   * @param options How to start it.
   * @returns The graph, with what the worker said about it.
   * @throws {WorkerLoadError} When the graph or an evaluator cannot be loaded, or loading
   * outlasts the timeout.
   */
  static async start(
    options: ProjectGraphOptions,
  ): Promise<{ graph: ProjectGraph; ready: WorkerReady }> {
    const graph = new ProjectGraph(options);
    const ready = await graph.#channel.start();
    return { graph, ready };
  }

  /**
   * The worker's clock as of the callback being replayed, ms: give it to the run's handler as
   * its `clock`, so its timings are the worker's.
   */
  readonly clock = (): number => this.#channel.clockMs;

  /**
   * Paces the worker's LLM requests with `gate` (the benchmark's pacer), or stops pacing them
   * (null). Needs the worker started with `trackHttpAttempts`.
   *
   * @param gate The gate, or null.
   */
  pace(gate: RequestGate | null): void {
    this.#channel.pace(gate);
  }

  /**
   * Runs the graph once in the worker; the run's handlers (its `callbacks`) hear every callback.
   *
   * @param input The graph's input.
   * @param config The run's config (callbacks, configurable, metadata, tags, signal).
   * @returns The graph's output, as plain data.
   */
  async invoke(input: unknown, config: RunnerConfig = {}): Promise<unknown> {
    const worker = await this.#channel.live();
    const key = `run-${this.#nextRun++}`;
    const handlers = Array.isArray(config.callbacks)
      ? config.callbacks as Record<string, unknown>[]
      : [];
    const { signal } = config;
    const seconds = this.#options.runTimeoutMs / 1000;
    const { output, retained } = await this.#channel.call(
      worker,
      {
        type: "run",
        key,
        input,
        config: {
          configurable: config.configurable,
          metadata: config.metadata,
          tags: config.tags,
          recursionLimit: config.recursionLimit,
          runName: config.runName,
          maxConcurrency: config.maxConcurrency,
        },
      },
      handlers,
      signal,
      {
        ms: this.#options.runTimeoutMs,
        reason: `run timeout (${seconds} s)`,
        error: `the run took longer than ${seconds} s (--run-timeout) and was stopped`,
        restart: `a run outlasted ${seconds} s and its node did not yield (a CPU loop?)`,
      },
    );
    if (retained && typeof output === "object" && output !== null) {
      // Its evaluations find the kept output by this copy, and stop with the run's signal.
      const held = { run: key, worker, signal };
      this.#held.set(output, held);
      this.#released.register(output, held);
    }
    return output;
  }

  /**
   * Has the worker run one of its evaluators (by its place in `ready`'s list) on a run's output:
   * the output the worker kept for that run when `args.outputs` is what `invoke` returned, else
   * `args.outputs` itself. The evaluator's own LangChain callbacks (an LLM judge's calls) reach
   * `handlers`; the run's stop signal stops it too.
   *
   * @param evaluator The evaluator's index.
   * @param args The example's inputs, the run's outputs, the reference outputs.
   * @param handlers The handlers that meter the evaluator's calls.
   * @returns What the evaluator returned, as plain data (non-finite numbers kept).
   * @throws {RemoteRunError} What the evaluator threw.
   */
  async evaluate(
    evaluator: number,
    args: EvaluationArgs,
    handlers: readonly object[],
  ): Promise<unknown> {
    const outputs = args.outputs;
    const held = typeof outputs === "object" && outputs !== null
      ? this.#held.get(outputs)
      : undefined;
    const worker = await this.#channel.live();
    if (held !== undefined && held.worker !== worker) {
      throw new Error(
        "the worker was restarted after the run, so its output can no longer be scored",
      );
    }
    const timeoutMs = this.#options.evaluatorTimeoutMs ?? 300_000;
    const seconds = timeoutMs / 1000;
    const { output } = await this.#channel.call(
      worker,
      {
        type: "evaluate",
        key: `evaluation-${this.#nextEvaluation++}`,
        evaluator,
        run: held?.run ?? null,
        inputs: args.inputs,
        ...(held === undefined ? { outputs } : {}),
        referenceOutputs: args.referenceOutputs,
      },
      handlers as Record<string, unknown>[],
      held?.signal,
      {
        ms: timeoutMs + EVALUATION_GRACE_MS,
        reason: `evaluator timeout (${seconds} s)`,
        error: `the evaluator took longer than ${seconds} s and was stopped`,
        restart: `an evaluator outlasted ${seconds} s and did not yield (a CPU loop?)`,
      },
    );
    return revivePlain(output);
  }

  /** Kills the worker at once (Ctrl-C): runs in flight are lost. */
  kill(): void {
    this.#channel.kill();
  }

  /** Lets the worker finish and exit (a hung one is killed after 2 s). */
  async close(): Promise<void> {
    await this.#channel.close();
  }
}
