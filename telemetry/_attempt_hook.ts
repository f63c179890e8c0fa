/**
 * Where the handler meets HTTP attempt tracking, without loading it: tracking (`http_attempts.ts`,
 * which imports `node:async_hooks`) registers a scope opener here while it is on; the handler asks
 * for it at each LLM call's start. No imports, so the root stays runtime-agnostic.
 *
 * @module
 */
import type { AttemptAnswer, RawAttempt } from "./recorder.ts";

/** Where a call's attempts are recorded: one per handler measuring the call. */
export interface AttemptSink {
  /** An attempt of the call was sent (after `pacedMs` of pacing); null when it is not recorded. */
  sent(callRunId: string, pacedMs: number): RawAttempt | null;
  /** The attempt was answered, or failed. */
  answered(callRunId: string, attempt: RawAttempt, answer: AttemptAnswer): void;
  /** The attempt's body asked for a retry delay (Gemini's 429), ms. */
  retryDelay(callRunId: string, attempt: RawAttempt, delayMs: number): void;
}

/** Opens a call's async-local scope, so the HTTP attempts made inside it reach its sinks. */
export interface CallScopeOpener {
  /**
   * Enters the scope of the LLM call `callRunId` for the rest of the current async flow; called
   * synchronously at the call's start, in the call's own async context.
   */
  enter(callRunId: string, sink: AttemptSink): void;
}

let opener: CallScopeOpener | null = null;

/**
 * Registers (or, with null, removes) the scope opener the handler uses.
 *
 * @param next The opener, or null when tracking stops.
 */
export function setCallScopeOpener(next: CallScopeOpener | null): void {
  opener = next;
}

/**
 * The scope opener while HTTP attempts are tracked, else null.
 *
 * @returns The opener, or null.
 */
export function callScopeOpener(): CallScopeOpener | null {
  return opener;
}
