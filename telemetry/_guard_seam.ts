/**
 * Where the handler meets a {@linkcode CallGuard}: it shows the guard each call before it is sent
 * and when it ends, remembers the calls in between, and catches and counts whatever the guard
 * throws (a guard's bug never reaches the graph; only the error it returns, on purpose, does).
 * Private to the handler.
 *
 * @module
 */
import type { CallGuard, GuardedCall } from "./call_guard.ts";
import { type GuardedCallInput, guardedCallOf } from "./_call_estimate.ts";

/** Calls between their start and end remembered at most (calls that never end are dropped). */
const MAX_OPEN_CALLS = 100_000;

/** The handler's side of a guard. */
export class GuardSeam {
  readonly #guard: CallGuard;
  readonly #fail: (error: unknown) => void;
  /** Calls let through and not ended yet, by run id, oldest first. */
  readonly #open = new Map<string, GuardedCall>();

  /**
   * @param guard The guard.
   * @param fail Counts an exception the guard threw.
   */
  constructor(guard: CallGuard, fail: (error: unknown) => void) {
    this.#guard = guard;
    this.#fail = fail;
  }

  /** A call as the guard is shown it (its prompt counted when the guard may stop it). */
  callOf(input: GuardedCallInput): GuardedCall {
    return guardedCallOf(input, this.#guard.stopsCalls);
  }

  /**
   * Asks the guard about a call before it is sent. Never throws nor rejects: a guard's exception
   * is counted and the call goes on.
   *
   * @returns The guard's answer: null to go on, an error to stop.
   */
  ask(call: GuardedCall): Error | null | Promise<Error | null> {
    let stop: Error | null | Promise<Error | null>;
    try {
      stop = this.#guard.beforeCall(call);
    } catch (error) {
      this.#fail(error);
      return null;
    }
    if (stop instanceof Promise) {
      return stop.then((answer) => this.#answer(answer), (error) => {
        this.#fail(error);
        return null;
      });
    }
    return this.#answer(stop);
  }

  /** The call was let through and recorded: remembered until it ends. */
  started(call: GuardedCall): void {
    this.#open.set(call.runId, call);
    if (this.#open.size > MAX_OPEN_CALLS) this.#open.delete(this.#open.keys().next().value!);
  }

  /** A call recorded at its start ended (or failed) with this cost. */
  ended(runId: string, costUsd: number | null): void {
    const call = this.#open.get(runId);
    if (!call) return;
    this.#open.delete(runId);
    this.#after(call, costUsd);
  }

  /** A call reported after the fact (`reportLLMCall`) cost this much. */
  reported(input: GuardedCallInput, costUsd: number | null): void {
    this.#after(guardedCallOf(input, false), costUsd);
  }

  /** A root run ended. */
  runEnded(rootRunId: string): void {
    try {
      this.#guard.runEnded?.(rootRunId);
    } catch (error) {
      this.#fail(error);
    }
  }

  #after(call: GuardedCall, costUsd: number | null): void {
    try {
      this.#guard.afterCall(call, costUsd);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** A guard's answer: an error stops the call, anything else is a bug that lets it go. */
  #answer(answer: unknown): Error | null {
    if (answer === null || answer === undefined) return null;
    if (answer instanceof Error) return answer;
    this.#fail(new TypeError(`a CallGuard's beforeCall returned ${String(answer)}`));
    return null;
  }
}
