/**
 * How a `BudgetGuard` calls a counter store that may answer later (Redis): it waits at
 * most `counterTimeoutMs`, runs the charges after calls in the background (never making the graph
 * wait), counts the store's failures and warns once. Private to the guard.
 *
 * @module
 */

/** The counter store did not answer in time. */
export class CounterTimeoutError extends Error {
  /** The error's name. */
  override name = "CounterTimeoutError";
}

/** A guard's calls to its counter store. */
export class StoreCalls {
  readonly #timeoutMs: number;
  readonly #failOpen: boolean;
  readonly #warn: (message: string) => void;
  readonly #background = new Set<Promise<unknown>>();
  #failures = 0;
  #warned = false;

  /**
   * @param timeoutMs How long a call waits for the store at most, ms.
   * @param failOpen The guard's policy (named in the warning).
   * @param warn Where the one warning goes.
   * @throws {TypeError} When the timeout is not > 0.
   */
  constructor(timeoutMs: number, failOpen: boolean, warn: (message: string) => void) {
    if (!(timeoutMs > 0)) throw new TypeError("BudgetGuard: counterTimeoutMs must be > 0");
    this.#timeoutMs = timeoutMs;
    this.#failOpen = failOpen;
    this.#warn = warn;
  }

  /** Times the store failed or did not answer in time. */
  get failures(): number {
    return this.#failures;
  }

  /** An answer of the store, waited for at most the timeout. */
  bounded<T>(answer: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CounterTimeoutError(`no answer in ${this.#timeoutMs} ms`)),
        this.#timeoutMs,
      );
    });
    return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
  }

  /** Runs a counter update without making the graph wait; failures are counted and warned of. */
  inBackground(
    update: () => readonly number[] | Promise<readonly number[]>,
    then?: (totals: readonly number[]) => void,
  ): void {
    let result: readonly number[] | Promise<readonly number[]>;
    try {
      result = update();
    } catch (error) {
      this.failed(error);
      return;
    }
    if (!(result instanceof Promise)) {
      then?.(result);
      return;
    }
    const pending = this.bounded(result).then(then, (error) => this.failed(error));
    this.#background.add(pending);
    pending.finally(() => this.#background.delete(pending));
  }

  /** Waits for the updates still going in the background. */
  async flush(): Promise<void> {
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
  }

  /** Counts a failure of the store, and warns of the first. */
  failed(error: unknown): void {
    this.#failures += 1;
    this.warnOnce(
      `graphmeter budget: the budget counter store failed (${
        (error as Error)?.message ?? error
      }); ${
        this.#failOpen
          ? "calls go on unguarded while it fails (failOpen)"
          : "calls are stopped while it fails (failOpen: false)"
      }. Warned once; see guard.counterFailures.`,
    );
  }

  /** Warns once for the guard's life (later warnings are dropped). */
  warnOnce(message: string): void {
    if (this.#warned) return;
    this.#warned = true;
    try {
      this.#warn(message);
    } catch {
      // Nowhere to warn: counted all the same.
    }
  }
}
