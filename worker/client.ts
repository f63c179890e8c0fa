/**
 * The CLI's side of the worker: starts `worker/main.ts` in the user's project, waits for its
 * graph and evaluators to load (with a timeout), and is itself a graph to the benchmark runner —
 * `invoke` sends the run to the worker and replays each forwarded LangChain callback into the
 * run's handlers, on the worker's clock; `evaluate` has the worker score a run's output (the one
 * it kept) and replays the evaluator's own callbacks into the handlers it is given. The CLI stays
 * free while a node computes, so Ctrl-C and timeouts work even when a node blocks the worker's
 * event loop: a hung worker is killed and a fresh one started for the runs after.
 *
 * @module
 */
import type { FromWorker, RemoteError, ToWorker, WorkerRunConfig } from "./protocol.ts";
import { fromPlain, revivePlain } from "./plain.ts";
import { WorkerProcess, type WorkerStart } from "./worker_process.ts";

/**
 * The worker could not load the graph (a mistake in the project: one line, for the user).
 *
 * @example Usage
 * ```ts
 * import { WorkerLoadError } from "./client.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new WorkerLoadError("--graph agent: not a graph", null);
 * assert.equal(error.remoteStack, null);
 * ```
 */
export class WorkerLoadError extends Error {
  override name = "WorkerLoadError";
  /** The stack of the error inside the worker, when it was not a plain mistake. */
  readonly remoteStack: string | null;
  /**
   * @param message What went wrong.
   * @param remoteStack The worker's stack trace, if any.
   */
  constructor(message: string, remoteStack: string | null = null) {
    super(message);
    this.remoteStack = remoteStack;
  }
}

/** How to start the worker, and the limits of loading, of each run and of each evaluation. */
export interface ProjectGraphOptions extends WorkerStart {
  /** How `--graph` was given, for messages. */
  ref: string;
  /** How long loading the graph may take, ms. */
  loadTimeoutMs: number;
  /** How long one run may take, ms (0: no limit). */
  runTimeoutMs: number;
  /**
   * How long one evaluator may take on one run, ms (its caller's own limit: the worker is told
   * to drop the evaluation a second after it); default 300,000.
   */
  evaluatorTimeoutMs?: number;
}

/** A run or an evaluation sent to the worker, waiting for its end. */
interface PendingCall {
  handlers: Record<string, unknown>[];
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  timer?: ReturnType<typeof setTimeout>;
  /** Makes the end's output whole (an evaluation's result). */
  decode?: (output: unknown) => unknown;
}

/** A run's output the worker kept, as the CLI knows it: its run, its worker, its stop signal. */
interface HeldOutput {
  run: string;
  worker: WorkerProcess;
  signal?: AbortSignal;
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

/** A second after its caller gave up on an evaluation, the worker is told to drop it. */
const EVALUATION_GRACE_MS = 1000;

/**
 * An error that ended a run in the worker, with the worker's stack trace.
 *
 * @example Usage
 * ```ts
 * import { RemoteRunError } from "./client.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new RemoteRunError({ name: "RangeError", message: "no", stack: "RangeError: no" });
 * assert.equal(`${error.name}: ${error.message}`, "RangeError: no");
 * ```
 */
export class RemoteRunError extends Error {
  /** The stack trace inside the worker, or null. */
  readonly remoteStack: string | null;
  /** @param error The error as the worker sent it. */
  constructor(error: RemoteError) {
    super(error.message);
    this.name = error.name;
    this.remoteStack = error.stack;
  }
}

/** The run config the runner passes (LangChain's, loosely). */
interface RunnerConfig extends WorkerRunConfig {
  callbacks?: unknown;
  signal?: AbortSignal;
}

/**
 * A user's graph running in a worker process in its own project: a graph to the benchmark runner
 * (`invoke`), whose callbacks reach the run's handlers as if the graph ran here.
 *
 * @example Usage
 * ```ts ignore
 * import { ProjectGraph } from "./client.ts";
 * import { workerFlags } from "./project.ts";
 * import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
 *
 * const { graph } = await ProjectGraph.start({
 *   flags: workerFlags(layout), cwd: layout.dir, env: {}, ref: "agent",
 *   spec: { moduleUrl, exportName: "graph", projectDir: layout.dir, factoryConfig: { configurable: {} } },
 *   loadTimeoutMs: 60_000, runTimeoutMs: 600_000, onOutput: console.error,
 * });
 * const handler = new PerformanceCallbackHandler({ clock: graph.clock });
 * await graph.invoke(input, { callbacks: [handler], configurable: { thread_id: "t" } });
 * await graph.close();
 * ```
 */
export class ProjectGraph {
  readonly #options: ProjectGraphOptions;
  #worker: WorkerProcess | null = null;
  #ready: Promise<Extract<FromWorker, { type: "ready" }>> | null = null;
  readonly #pending = new Map<string, PendingCall>();
  /** The outputs of runs whose worker kept them for scoring (by the object `invoke` returned). */
  readonly #held = new WeakMap<object, HeldOutput>();
  /** When the CLI drops such an output unscored, its worker drops its own. */
  readonly #released = new FinalizationRegistry<HeldOutput>(({ run, worker }) => {
    worker.send({ type: "release", run });
  });
  #nextEvaluation = 0;
  #nextKey = 0;
  #clockMs = 0;
  #closed = false;
  /** Set while a timed-out run's worker is being checked for life (new runs wait for it). */
  #probe: Promise<void> | null = null;

  private constructor(options: ProjectGraphOptions) {
    this.#options = options;
  }

  /**
   * Starts the worker and waits until it has loaded the graph.
   *
   * @param options How to start it.
   * @returns The graph, with what the worker said about it.
   * @throws {WorkerLoadError} When the graph cannot be loaded, or loading outlasts the timeout.
   */
  static async start(
    options: ProjectGraphOptions,
  ): Promise<{ graph: ProjectGraph; ready: Extract<FromWorker, { type: "ready" }> }> {
    const graph = new ProjectGraph(options);
    const ready = await graph.#startWorker();
    return { graph, ready };
  }

  /**
   * The worker's clock as of the callback being replayed, ms: give it to the run's handler as
   * its `clock`, so its timings are the worker's.
   */
  readonly clock = (): number => this.#clockMs;

  #startWorker(): Promise<Extract<FromWorker, { type: "ready" }>> {
    const options = this.#options;
    const worker = new WorkerProcess(options, (message) => this.#onMessage(worker, message));
    this.#worker = worker;
    this.#ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        worker.kill();
        reject(
          new WorkerLoadError(
            `--graph ${options.ref}: ${options.spec.exportName} in ` +
              `${new URL(options.spec.moduleUrl).pathname} did not finish loading within ` +
              `${options.loadTimeoutMs / 1000} s (a factory or top-level await that never ` +
              "resolves?); fix it, or give it longer with --load-timeout",
          ),
        );
      }, options.loadTimeoutMs);
      this.#onReady = (message) => {
        clearTimeout(timer);
        if (message.type === "ready") resolve(message);
        else {
          const flag = message.evaluator === undefined
            ? `--graph ${options.ref}`
            : `--evaluator ${message.evaluator}`;
          reject(new WorkerLoadError(`${flag}: ${message.message}`, message.stack));
        }
      };
      worker.exited.then((status) => {
        clearTimeout(timer);
        this.#onReady?.({
          type: "load-failed",
          message: `the worker exited (code ${status.code}) before loading the graph; see the ` +
            "lines above",
          stack: null,
        });
        this.#failAll(worker, `the worker process exited (code ${status.code})`);
      });
    });
    return this.#ready;
  }

  #onReady: ((message: Extract<FromWorker, { type: "ready" | "load-failed" }>) => void) | null =
    null;

  #onMessage(worker: WorkerProcess, message: FromWorker): void {
    if (worker !== this.#worker) return;
    switch (message.type) {
      case "ready":
      case "load-failed": {
        const onReady = this.#onReady;
        this.#onReady = null;
        onReady?.(message);
        return;
      }
      case "event": {
        const run = this.#pending.get(message.key);
        if (!run) return;
        this.#clockMs = message.atMs;
        const args = fromPlain(message.args) as unknown[];
        for (const handler of run.handlers) {
          const method = handler[message.method];
          if (typeof method === "function") method.apply(handler, args);
        }
        return;
      }
      case "end": {
        const run = this.#pending.get(message.key);
        if (!run) return;
        const signal = this.#signals.get(message.key);
        this.#settle(message.key);
        if (message.error) {
          run.reject(new RemoteRunError(message.error));
          return;
        }
        const output = run.decode === undefined ? message.output : run.decode(message.output);
        if (message.retained && typeof output === "object" && output !== null) {
          const held = { run: message.key, worker, signal };
          this.#held.set(output, held);
          this.#released.register(output, held);
        }
        run.resolve(output);
        return;
      }
      case "unhandled-rejection":
        // Each run it names also gets its `end` with the error: nothing more to do here.
        return;
    }
  }

  #settle(key: string): void {
    const run = this.#pending.get(key);
    if (run?.timer !== undefined) clearTimeout(run.timer);
    this.#pending.delete(key);
    this.#signals.delete(key);
  }

  /** The stop signal of each run in flight (its evaluations stop with it: a budget stop). */
  readonly #signals = new Map<string, AbortSignal>();

  /** The worker to send to: a live one, started (or waited for) as needed. */
  async #liveWorker(): Promise<WorkerProcess> {
    if (this.#closed) throw new Error("the worker was closed");
    while (this.#probe !== null) await this.#probe;
    if (this.#worker === null || !this.#worker.alive) {
      await this.#startWorker();
    } else {
      await this.#ready;
    }
    return this.#worker!;
  }

  /**
   * Sends a run or an evaluation and waits for its end; its callbacks reach `handlers`, a stop
   * of `signal` aborts it, and past `timeoutMs` it is stopped as `timedOut` says.
   */
  #call(
    worker: WorkerProcess,
    message: Extract<ToWorker, { type: "run" | "evaluate" }>,
    call: Pick<PendingCall, "handlers" | "decode">,
    signal: AbortSignal | undefined,
    timeout: { ms: number; reason: string; error: string; restart: string } | null,
  ): Promise<unknown> {
    const { key } = message;
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const pending: PendingCall = { ...call, resolve, reject };
      this.#pending.set(key, pending);
      const onAbort = (): void => {
        if (!this.#pending.has(key)) return;
        this.#settle(key);
        worker.send({ type: "abort", key, reason: String(signal?.reason ?? "aborted") });
        reject(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      if (timeout !== null && timeout.ms > 0) {
        pending.timer = setTimeout(() => this.#timedOut(worker, key, timeout), timeout.ms);
      }
      worker.send(message);
    });
  }

  #failAll(worker: WorkerProcess, reason: string): void {
    if (worker !== this.#worker) return;
    for (const [key, run] of [...this.#pending]) {
      this.#settle(key);
      run.reject(new Error(reason));
    }
  }

  /**
   * Runs the graph once in the worker; the run's handlers (its `callbacks`) hear every callback.
   *
   * @param input The graph's input.
   * @param config The run's config (callbacks, configurable, metadata, tags, signal).
   * @returns The graph's output, as plain data.
   */
  async invoke(input: unknown, config: RunnerConfig = {}): Promise<unknown> {
    const worker = await this.#liveWorker();
    const key = `run-${this.#nextKey++}`;
    const handlers = Array.isArray(config.callbacks)
      ? config.callbacks as Record<string, unknown>[]
      : [];
    const { signal } = config;
    if (signal !== undefined) this.#signals.set(key, signal);
    const seconds = this.#options.runTimeoutMs / 1000;
    return await this.#call(
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
      { handlers },
      signal,
      {
        ms: this.#options.runTimeoutMs,
        reason: `run timeout (${seconds} s)`,
        error: `the run took longer than ${seconds} s (--run-timeout) and was stopped`,
        restart: `a run outlasted ${seconds} s and its node did not yield (a CPU loop?)`,
      },
    );
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
    const worker = await this.#liveWorker();
    if (held !== undefined && held.worker !== worker) {
      throw new Error(
        "the worker was restarted after the run, so its output can no longer be scored",
      );
    }
    const seconds = (this.#options.evaluatorTimeoutMs ?? 300_000) / 1000;
    return await this.#call(
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
      { handlers: handlers as Record<string, unknown>[], decode: revivePlain },
      held?.signal,
      {
        ms: (this.#options.evaluatorTimeoutMs ?? 300_000) + EVALUATION_GRACE_MS,
        reason: `evaluator timeout (${seconds} s)`,
        error: `the evaluator took longer than ${seconds} s and was stopped`,
        restart: `an evaluator outlasted ${seconds} s and did not yield (a CPU loop?)`,
      },
    );
  }

  /**
   * A run or an evaluation outlasted its timeout: stop it; a worker that does not answer is
   * replaced.
   */
  #timedOut(
    worker: WorkerProcess,
    key: string,
    timeout: { reason: string; error: string; restart: string },
  ): void {
    const run = this.#pending.get(key);
    if (!run) return;
    this.#settle(key);
    run.reject(new Error(timeout.error));
    const abortedAt = performance.now();
    worker.send({ type: "abort", key, reason: timeout.reason });
    // The worker answers an abort at once (the run's end); a node blocking its event loop never
    // reads it: after a grace period that worker is killed, the runs still in it fail, and the
    // next run starts a fresh worker. New runs wait for the verdict.
    this.#probe ??= (async () => {
      const deadline = abortedAt + 2000;
      while (performance.now() < deadline && worker.lastMessageAt < abortedAt && worker.alive) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      if (worker.alive && worker === this.#worker && worker.lastMessageAt < abortedAt) {
        this.#failAll(worker, `the worker was restarted: ${timeout.restart}`);
        worker.kill();
        await worker.exited;
      }
      this.#probe = null;
    })();
  }

  /** Kills the worker at once (Ctrl-C): runs in flight are lost. */
  kill(): void {
    this.#closed = true;
    this.#worker?.kill();
  }

  /** Lets the worker finish and exit (a hung one is killed after 2 s). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#worker?.close();
  }
}
