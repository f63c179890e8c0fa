/**
 * A benchmark's HTTP side: while it runs, each LLM call's attempts are tracked through the
 * process's `fetch`, and its requests are paced to each endpoint's rate limits (a
 * {@linkcode RatePacer} shared by every run); each finished call settles its tokens with the
 * pacer.
 *
 * @module
 */
import { trackHttpAttemptsWith } from "../telemetry/http_attempts.ts";
import type { LLMCallMetrics } from "../telemetry/metrics.ts";
import { RatePacer } from "./pacing/rate_pacer.ts";

/** The options of `runBenchmark` that say how its HTTP attempts are tracked and paced. */
export interface HttpTrackingOptions {
  /** Track each LLM call's HTTP attempts; default true. */
  trackHttpAttempts?: boolean;
  /** The pacer; default a fresh one that learns limits from answers; null for none. */
  pacer?: RatePacer | null;
}

/** What a running benchmark does with its HTTP side. */
export interface HttpTracking {
  /** Settles a finished call's tokens with the pacer. */
  onCallEnd(call: LLMCallMetrics): void;
  /** Stops tracking and releases the pacer's held requests and timers. */
  stop(): void;
}

/**
 * Starts tracking (and pacing) a benchmark's HTTP attempts.
 *
 * @param options Whether to track, and the pacer.
 * @returns What to call as calls end, and when the benchmark is over.
 */
export function startHttpTracking(options: HttpTrackingOptions): HttpTracking {
  if (options.trackHttpAttempts === false) return { onCallEnd: () => {}, stop: () => {} };
  const pacer = options.pacer === undefined ? new RatePacer() : options.pacer;
  const tracking = trackHttpAttemptsWith(pacer ?? undefined);
  return {
    onCallEnd: (call) => {
      if (pacer === null) return;
      if (call.usageReported) pacer.settle(call.runId, call.inputTokens, call.outputTokens);
      else pacer.forget(call.runId);
    },
    stop: () => {
      tracking.stop();
      // A caller's own pacer may serve another benchmark: only ours is closed.
      if (options.pacer === undefined) pacer?.close();
    },
  };
}
