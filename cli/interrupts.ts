/**
 * Every signal that stops a command the way Ctrl-C does: SIGINT (Ctrl-C), SIGTERM (a CI job
 * cancelled, `kill`), SIGHUP (the terminal closed). A command tells what stopping means in each
 * of its phases (stop the runs and keep what finished; remove a half-written report; undo a
 * merge); the first signal does that, a second one or a grace time ends the process at once.
 * Each ends with the conventional exit status 128 + the signal's number.
 *
 * @module
 */

/** The signals that stop a command, by platform (Windows has neither SIGTERM nor SIGHUP). */
const STOP_SIGNALS: readonly Deno.Signal[] = Deno.build.os === "windows"
  ? ["SIGINT", "SIGBREAK"]
  : ["SIGINT", "SIGTERM", "SIGHUP"];

const NUMBERS: Readonly<Record<string, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGTERM: 15,
  SIGBREAK: 21,
};

/**
 * The exit status of a process stopped by a signal: 128 + its number (130 for SIGINT).
 *
 * @param signal The signal.
 * @returns The exit status.
 *
 * @example Usage
 * ```ts
 * import { signalExitCode } from "./interrupts.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(signalExitCode("SIGINT"), 130);
 * assert.equal(signalExitCode("SIGTERM"), 143);
 * assert.equal(signalExitCode("SIGHUP"), 129);
 * ```
 */
export function signalExitCode(signal: Deno.Signal): number {
  return 128 + (NUMBERS[signal] ?? 2);
}

/** What a phase does on the first signal: e.g. stop the runs (the command then returns). */
export type OnInterrupt = (signal: Deno.Signal) => void;

/**
 * Listens for the stop signals while a command runs (dispose it when done). `signal` is aborted
 * (its reason the signal's name) at the first one; the current phase's handler runs then; at a
 * second signal, or when `graceMs` passes after the first without the command returning,
 * `exitNow` runs (it prints the one line and exits).
 *
 * @example Usage
 * ```ts
 * import { Interrupts } from "./interrupts.ts";
 * import assert from "node:assert/strict";
 *
 * using interrupts = new Interrupts(() => {});
 * assert.equal(interrupts.signal.aborted, false);
 * ```
 */
export class Interrupts implements Disposable {
  readonly #controller = new AbortController();
  readonly #exitNow: (signal: Deno.Signal) => void;
  readonly #graceMs: number;
  #phase: OnInterrupt | null = null;
  #received: Deno.Signal | null = null;
  #grace: ReturnType<typeof setTimeout> | undefined;
  readonly #listeners: [Deno.Signal, () => void][] = [];

  /**
   * Starts listening.
   *
   * @param exitNow Prints the command's one line for the signal and exits: at a second signal,
   * when the grace time is over, and at the first one in a phase without a handler.
   * @param graceMs How long the first signal's handler has before `exitNow`; default 5,000 ms.
   */
  constructor(exitNow: (signal: Deno.Signal) => void, graceMs = 5000) {
    this.#exitNow = exitNow;
    this.#graceMs = graceMs;
    for (const signal of STOP_SIGNALS) {
      const listener = () => this.#receive(signal);
      try {
        Deno.addSignalListener(signal, listener);
        this.#listeners.push([signal, listener]);
      } catch {
        // A signal this platform does not have.
      }
    }
  }

  /** Aborted at the first stop signal, its reason the signal's name (e.g. `SIGTERM`). */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The first stop signal received, or null. */
  get received(): Deno.Signal | null {
    return this.#received;
  }

  /**
   * Sets what the first signal does from now on (null: `exitNow` at once). When a signal was
   * already received, the new phase's handler runs now.
   *
   * @param onInterrupt The phase's handler.
   */
  setPhase(onInterrupt: OnInterrupt | null): void {
    this.#phase = onInterrupt;
    if (this.#received !== null && onInterrupt !== null) onInterrupt(this.#received);
  }

  #receive(signal: Deno.Signal): void {
    if (this.#received !== null) return this.#exitNow(this.#received);
    this.#received = signal;
    this.#controller.abort(signal);
    if (this.#phase === null) return this.#exitNow(signal);
    const grace = setTimeout(() => this.#exitNow(signal), this.#graceMs);
    Deno.unrefTimer(grace);
    this.#grace = grace;
    this.#phase(signal);
  }

  /** Stops listening. */
  [Symbol.dispose](): void {
    clearTimeout(this.#grace);
    for (const [signal, listener] of this.#listeners) Deno.removeSignalListener(signal, listener);
    this.#listeners.length = 0;
  }
}
