/**
 * The CLI's line to the worker of a user's graph: one worker process at a time, started (and
 * started again after it died) with its graph and evaluators loaded within the load timeout; the
 * runs and evaluations sent to it, each waiting for its end while its forwarded LangChain
 * callbacks are replayed into its handlers on the worker's clock; a stop signal or a timeout
 * aborts one, and a worker that does not answer the abort (a CPU loop) is killed, what it still
 * held fails, and a fresh one takes the next call.
 *
 * @module
 */
import type { FromWorker, ToWorker } from "./protocol.ts";
import { fromPlain } from "./plain.ts";
import { RemoteRunError, WorkerLoadError } from "./remote_errors.ts";
import { WorkerProcess, type WorkerStart } from "./worker_process.ts";
import { PacerBridge, type RequestGate } from "./pacer_bridge.ts";

/** What the worker says once it has loaded the graph and the evaluators. */
export type WorkerReady = Extract<FromWorker, { type: "ready" }>;

/** How to start the worker, and how long loading may take. */
export interface ChannelOptions extends WorkerStart {
  /** How `--graph` was given, for messages. */
  ref: string;
  /** How long loading the graph (and the evaluators) may take, ms. */
  loadTimeoutMs: number;
}

/** How a call is stopped when it takes too long, and what is said then. */
export interface CallTimeout {
  /** The limit, ms (0: none). */
  ms: number;
  /** Why, as the worker is told. */
  reason: string;
  /** The call's error. */
  error: string;
  /** Why the worker was restarted, when it did not answer. */
  restart: string;
}

/** A run or an evaluation sent to the worker, waiting for its end. */
interface PendingCall {
  handlers: Record<string, unknown>[];
  resolve: (end: { output: unknown; retained: boolean }) => void;
  reject: (error: Error) => void;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * One worker at a time, and the calls in flight in it.
 *
 * @example Usage
 * ```ts ignore
 * import { WorkerChannel } from "./channel.ts";
 *
 * const channel = new WorkerChannel({ flags, cwd, env: {}, spec, ref: "agent", loadTimeoutMs: 60_000, onOutput: console.error });
 * const ready = await channel.start();
 * const worker = await channel.live();
 * const { output } = await channel.call(worker, { type: "run", key: "run-0", input, config: {} }, [handler], undefined, null);
 * await channel.close();
 * ```
 */
export class WorkerChannel {
  readonly #options: ChannelOptions;
  #worker: WorkerProcess | null = null;
  #ready: Promise<WorkerReady> | null = null;
  #onReady: ((message: Extract<FromWorker, { type: "ready" | "load-failed" }>) => void) | null =
    null;
  readonly #pending = new Map<string, PendingCall>();
  #clockMs = 0;
  #closed = false;
  /** Set while a timed-out call's worker is being checked for life (new calls wait for it). */
  #probe: Promise<void> | null = null;
  /** The pacer the worker's requests ask before they go (a bridge per worker). */
  #bridge: PacerBridge | null = null;
  #gate: RequestGate | null = null;

  /** @param options How to start the worker. */
  constructor(options: ChannelOptions) {
    this.#options = options;
  }

  /** The worker's clock as of the callback being replayed, ms. */
  get clockMs(): number {
    return this.#clockMs;
  }

  /**
   * Paces the worker's LLM requests with `gate`, or stops pacing them (null).
   *
   * @param gate The gate, or null.
   */
  pace(gate: RequestGate | null): void {
    this.#gate = gate;
    if (this.#bridge !== null) this.#bridge.gate = gate;
    this.#worker?.send({ type: "pace", on: gate !== null });
  }

  /**
   * Starts a worker and waits until it has loaded the graph and the evaluators.
   *
   * @returns What it said.
   * @throws {WorkerLoadError} When one cannot be loaded, or loading outlasts the timeout.
   */
  start(): Promise<WorkerReady> {
    const options = this.#options;
    const worker = new WorkerProcess(options, (message) => this.#onMessage(worker, message));
    this.#worker = worker;
    this.#bridge?.reset();
    this.#bridge = new PacerBridge((message) => worker.send(message));
    this.#bridge.gate = this.#gate;
    if (this.#gate !== null) worker.send({ type: "pace", on: true });
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
        // Requests the worker held for the pacer leave its queue.
        if (worker === this.#worker) this.#bridge?.reset();
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

  /**
   * The worker to send to: a live one, started (or waited for) as needed.
   *
   * @returns The worker.
   */
  async live(): Promise<WorkerProcess> {
    if (this.#closed) throw new Error("the worker was closed");
    while (this.#probe !== null) await this.#probe;
    if (this.#worker === null || !this.#worker.alive) {
      await this.start();
    } else {
      await this.#ready;
    }
    return this.#worker!;
  }

  /**
   * Sends a run or an evaluation and waits for its end; its callbacks reach `handlers`, a stop
   * of `signal` aborts it, and past `timeout` it is stopped.
   *
   * @param worker The worker ({@linkcode WorkerChannel.live}'s).
   * @param message The run or the evaluation.
   * @param handlers Where its forwarded callbacks go.
   * @param signal Stops it.
   * @param timeout Its limit, or null.
   * @returns Its output (plain data) and whether the worker kept the output as it is.
   * @throws {RemoteRunError} What ended it in the worker.
   */
  call(
    worker: WorkerProcess,
    message: Extract<ToWorker, { type: "run" | "evaluate" }>,
    handlers: Record<string, unknown>[],
    signal: AbortSignal | undefined,
    timeout: CallTimeout | null,
  ): Promise<{ output: unknown; retained: boolean }> {
    const { key } = message;
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const pending: PendingCall = { handlers, resolve, reject };
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
        const call = this.#pending.get(message.key);
        if (!call) return;
        this.#clockMs = message.atMs;
        const args = fromPlain(message.args) as unknown[];
        for (const handler of call.handlers) {
          const method = handler[message.method];
          if (typeof method === "function") method.apply(handler, args);
        }
        return;
      }
      case "end": {
        const call = this.#pending.get(message.key);
        if (!call) return;
        this.#settle(message.key);
        if (message.error) call.reject(new RemoteRunError(message.error));
        else call.resolve({ output: message.output, retained: message.retained === true });
        return;
      }
      case "admit":
      case "admit-cancel":
      case "observe":
        this.#bridge?.onMessage(message);
        return;
      case "unhandled-rejection":
        // Each call it names also gets its `end` with the error: nothing more to do here.
        return;
    }
  }

  #settle(key: string): void {
    const call = this.#pending.get(key);
    if (call?.timer !== undefined) clearTimeout(call.timer);
    this.#pending.delete(key);
  }

  #failAll(worker: WorkerProcess, reason: string): void {
    if (worker !== this.#worker) return;
    for (const [key, call] of [...this.#pending]) {
      this.#settle(key);
      call.reject(new Error(reason));
    }
  }

  /** A call outlasted its timeout: stop it; a worker that does not answer is replaced. */
  #timedOut(worker: WorkerProcess, key: string, timeout: CallTimeout): void {
    const call = this.#pending.get(key);
    if (!call) return;
    this.#settle(key);
    call.reject(new Error(timeout.error));
    const abortedAt = performance.now();
    worker.send({ type: "abort", key, reason: timeout.reason });
    // The worker answers an abort at once (the call's end); code blocking its event loop never
    // lets it read it: after a grace period that worker is killed, the calls still in it fail,
    // and the next call starts a fresh worker. New calls wait for the verdict.
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

  /** Kills the worker at once (Ctrl-C): calls in flight are lost. */
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
