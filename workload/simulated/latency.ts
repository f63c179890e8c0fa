/**
 * The simulated chat model's latency profile: time to first token (a fixed part plus prefill of
 * the prompt), then a steady output rate, with seeded jitter and a `timeScale` that shrinks every
 * wait while keeping the profile's shape.
 *
 * @module
 */

/** How fast a simulated model answers. */
export interface LatencyProfile {
  /** Time to first token before prefill, milliseconds. */
  timeToFirstTokenMs: number;
  /** Prompt tokens processed per second before the first token (prefill). */
  inputTokensPerSecond: number;
  /** Output tokens per second once streaming. */
  outputTokensPerSecond: number;
  /** Relative jitter, e.g. 0.2 for +-20%, drawn per call. */
  jitter: number;
}

/** Rough public figures per model family; unknown models get {@linkcode DEFAULT_LATENCY}. */
const PROFILES: [RegExp, LatencyProfile][] = [
  [/gemini-2\.5-flash-lite/, {
    timeToFirstTokenMs: 300,
    inputTokensPerSecond: 40_000,
    outputTokensPerSecond: 250,
    jitter: 0.25,
  }],
  [/gemini-2\.0-flash|gemini-2\.5-flash/, {
    timeToFirstTokenMs: 400,
    inputTokensPerSecond: 30_000,
    outputTokensPerSecond: 180,
    jitter: 0.25,
  }],
  [/gpt-4\.1-nano|gpt-5-nano/, {
    timeToFirstTokenMs: 350,
    inputTokensPerSecond: 30_000,
    outputTokensPerSecond: 140,
    jitter: 0.2,
  }],
  [/gpt-4\.1-mini|gpt-4o-mini|gpt-5-mini/, {
    timeToFirstTokenMs: 450,
    inputTokensPerSecond: 20_000,
    outputTokensPerSecond: 80,
    jitter: 0.2,
  }],
];

/** The profile of models with no better-known figures. */
export const DEFAULT_LATENCY: LatencyProfile = {
  timeToFirstTokenMs: 500,
  inputTokensPerSecond: 15_000,
  outputTokensPerSecond: 60,
  jitter: 0.2,
};

/**
 * The latency profile for a model name.
 *
 * @param model The model's name.
 * @returns The profile of its family, else {@linkcode DEFAULT_LATENCY}.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { latencyProfileFor } from "./latency.ts";
 *
 * strictEqual(latencyProfileFor("gemini-2.5-flash-lite").outputTokensPerSecond, 250);
 * strictEqual(latencyProfileFor("my-model").outputTokensPerSecond, 60);
 * ```
 */
export function latencyProfileFor(model: string): LatencyProfile {
  return PROFILES.find(([pattern]) => pattern.test(model))?.[1] ?? DEFAULT_LATENCY;
}

/** When a simulated answer's tokens arrive, relative to the call's start, in milliseconds. */
export interface AnswerTiming {
  /** Until the first token. */
  firstTokenMs: number;
  /** Between two output tokens. */
  perTokenMs: number;
}

/**
 * Plans a call's timing from the profile, the prompt size and two random draws in [0, 1).
 *
 * @param profile The latency profile.
 * @param inputTokens The prompt's tokens.
 * @param draws Two numbers in [0, 1) for the jitter of the first token and of the output rate.
 * @param timeScale The factor applied to every duration (1 is real time).
 * @returns The timing.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { planTiming } from "./latency.ts";
 *
 * const profile = {
 *   timeToFirstTokenMs: 400, inputTokensPerSecond: 10_000, outputTokensPerSecond: 50, jitter: 0.2,
 * };
 * deepStrictEqual(planTiming(profile, 1000, [0.5, 0.5], 1), { firstTokenMs: 500, perTokenMs: 20 });
 * deepStrictEqual(planTiming(profile, 1000, [0.5, 0.5], 0.1), { firstTokenMs: 50, perTokenMs: 2 });
 * ```
 */
export function planTiming(
  profile: LatencyProfile,
  inputTokens: number,
  draws: readonly [number, number],
  timeScale: number,
): AnswerTiming {
  const jitter = (draw: number): number => 1 + profile.jitter * (2 * draw - 1);
  const prefillMs = (inputTokens / profile.inputTokensPerSecond) * 1000;
  return {
    firstTokenMs: (profile.timeToFirstTokenMs + prefillMs) * jitter(draws[0]) * timeScale,
    perTokenMs: (1000 / profile.outputTokensPerSecond) * jitter(draws[1]) * timeScale,
  };
}

/**
 * Waits until a point in time (`performance.now()` clock), or rejects when the signal aborts.
 * Waiting for a deadline rather than a duration keeps timer slack from adding up over a stream.
 *
 * @param deadlineMs The `performance.now()` value to wait for.
 * @param signal Aborts the wait with the signal's reason.
 * @returns A promise that resolves at (or soon after) the deadline.
 *
 * @example Usage
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { waitUntil } from "./latency.ts";
 *
 * const deadline = performance.now() + 5;
 * await waitUntil(deadline);
 * ok(performance.now() >= deadline);
 * ```
 */
export function waitUntil(deadlineMs: number, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  const delay = deadlineMs - performance.now();
  if (delay <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.ceil(delay));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
