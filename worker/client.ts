/**
 * The CLI's side of the worker: starts `worker/main.ts` in the user's project, waits for its
 * graph to load (with a timeout), and is itself a graph to the benchmark runner — `invoke` sends
 * the run to the worker and replays each forwarded LangChain callback into the run's handlers,
 * on the worker's clock. The CLI stays free while a node computes, so Ctrl-C and timeouts work
 * even when a node blocks the worker's event loop: a hung worker is killed and a fresh one
 * started for the runs after.
 *
 * @module
 */
import type { FromWorker, RemoteError, WorkerRunConfig } from "./protocol.ts";
import { fromPlain } from "./plain.ts";
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

/** How to start the worker, and the limits of loading and of each run. */
export interface ProjectGraphOptions extends WorkerStart {
  /** How `--graph` was given, for messages. */
  ref: string;
  /** How long loading the graph may take, ms. */
  loadTimeoutMs: number;
  /** How long one run may take, ms (0: no limit). */
  runTimeoutMs: number;
}

interface PendingRun {
  handlers: Record<string, unknown>[];
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  timer?: ReturnType<typeof setTimeout>;
}

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
  readonly #pending = new Map<string, PendingRun>();
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
        else {reject(
            new WorkerLoadError(`--graph ${options.ref}: ${message.message}`, message.stack),
          );}
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
        this.#settle(message.key);
        if (message.error) run.reject(new RemoteRunError(message.error));
        else run.resolve(message.output);
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
    if (this.#closed) throw new Error("the worker was closed");
    while (this.#probe !== null) await this.#probe;
    if (this.#worker === null || !this.#worker.alive) {
      await this.#startWorker();
    } else {
      await this.#ready;
    }
    const worker = this.#worker!;
    const key = `run-${this.#nextKey++}`;
    const handlers = Array.isArray(config.callbacks)
      ? config.callbacks as Record<string, unknown>[]
      : [];
    const { signal } = config;
    signal?.throwIfAborted();
    return await new Promise((resolve, reject) => {
      const run: PendingRun = { handlers, resolve, reject };
      this.#pending.set(key, run);
      const onAbort = (): void => {
        if (!this.#pending.has(key)) return;
        this.#settle(key);
        worker.send({ type: "abort", key, reason: String(signal?.reason ?? "aborted") });
        reject(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const timeoutMs = this.#options.runTimeoutMs;
      if (timeoutMs > 0) {
        run.timer = setTimeout(() => this.#timedOut(worker, key, timeoutMs), timeoutMs);
      }
      worker.send({
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
      });
    });
  }

  /** A run outlasted the run timeout: abort it; a worker that does not answer is replaced. */
  #timedOut(worker: WorkerProcess, key: string, timeoutMs: number): void {
    const run = this.#pending.get(key);
    if (!run) return;
    this.#settle(key);
    const seconds = timeoutMs / 1000;
    run.reject(
      new Error(`the run took longer than ${seconds} s (--run-timeout) and was stopped`),
    );
    const abortedAt = performance.now();
    worker.send({ type: "abort", key, reason: `run timeout (${seconds} s)` });
    // The worker answers an abort at once (the run's end); a node blocking its event loop never
    // reads it: after a grace period that worker is killed, the runs still in it fail, and the
    // next run starts a fresh worker. New runs wait for the verdict.
    this.#probe ??= (async () => {
      const deadline = abortedAt + 2000;
      while (performance.now() < deadline && worker.lastMessageAt < abortedAt && worker.alive) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      if (worker.alive && worker === this.#worker && worker.lastMessageAt < abortedAt) {
        this.#failAll(
          worker,
          `the worker was restarted: a run outlasted ${seconds} s and its node did not yield ` +
            "(a CPU loop?)",
        );
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
