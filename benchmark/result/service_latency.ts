/**
 * Service latency across runs: a stage's (or a run's) time without what its calls waited (failed
 * attempts, backoff, `retry-after`, pacing), and when those waits are a material share of the
 * latency figures. Pure functions.
 *
 * A call is `latencyMs = serviceLatencyMs + waitMs`; a stage's service latency in one run is its
 * latency minus its calls' waits. Calls of a stage that run one after the other (the usual
 * case) make that exact; calls that run side by side wait at the same time, so for them it is a
 * lower bound. It is unknown (null) when a call of the stage had its attempts untracked.
 *
 * @module
 */
import type { StageTotals } from "../../telemetry/metrics.ts";

/** The figures of service latency and waits the aggregates carry, per stage or in total. */
export interface WaitFigures {
  /** Median latency without the waits, ms; null when no run had all its calls tracked. */
  readonly serviceP50Ms: number | null;
  /** 95th percentile latency without the waits, ms; null likewise. */
  readonly serviceP95Ms: number | null;
  /** The end-to-end 95th percentile the service one stands beside, ms. */
  readonly endToEndP95Ms: number;
}

/**
 * Waits this share of the latency or more are material: the report warns.
 *
 * @example Usage
 * ```ts
 * import { MATERIAL_WAIT_SHARE } from "./service_latency.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(MATERIAL_WAIT_SHARE, 0.1);
 * ```
 */
export const MATERIAL_WAIT_SHARE = 0.1;

/** A p95 the waits raise by this factor or more is material too (waits hide in the tail). */
const MATERIAL_P95_RATIO = 1.2;

/**
 * One run's latency of a stage (or its wall time) without its calls' waits.
 *
 * @param latencyMs The stage's latency (or the run's wall time), ms.
 * @param totals The stage's (or the run's) totals.
 * @returns The service latency, ms; null when a call's attempts were not tracked.
 *
 * @example Usage
 * ```ts
 * import { serviceLatencyOf } from "./service_latency.ts";
 * import type { StageTotals } from "../../telemetry/metrics.ts";
 * import assert from "node:assert/strict";
 *
 * const totals = { llmCalls: 2, trackedCalls: 2, waitMs: 1500 } as StageTotals;
 * assert.equal(serviceLatencyOf(1800, totals), 300);
 * assert.equal(serviceLatencyOf(1800, { ...totals, trackedCalls: 1 }), null);
 * ```
 */
export function serviceLatencyOf(latencyMs: number, totals: StageTotals): number | null {
  if ((totals.trackedCalls ?? 0) < totals.llmCalls) return null;
  return Math.max(0, latencyMs - (totals.waitMs ?? 0));
}

/**
 * The share of latency spent waiting: the calls' waits over the stages' summed latency.
 *
 * @param waitMs The waits, summed, ms.
 * @param latencyMs The stages' latency, summed, ms.
 * @returns The share (0 to 1); 0 without latency.
 *
 * @example Usage
 * ```ts
 * import { waitShare } from "./service_latency.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(waitShare(250, 1000), 0.25);
 * ```
 */
export function waitShare(waitMs: number, latencyMs: number): number {
  return latencyMs > 0 ? Math.min(1, waitMs / latencyMs) : 0;
}

/**
 * Whether the waits are a material share of the latency figures: a tenth of the latency or more,
 * or a p95 they raise by a fifth or more (anywhere: a stage or the whole run).
 *
 * @param share The share of latency spent waiting ({@linkcode waitShare}).
 * @param figures Each scope's service and end-to-end p95.
 * @returns True when the report should warn.
 *
 * @example Usage
 * ```ts
 * import { waitsAreMaterial } from "./service_latency.ts";
 * import assert from "node:assert/strict";
 *
 * const scope = { serviceP50Ms: 50, serviceP95Ms: 60, endToEndP95Ms: 59_900 };
 * assert.equal(waitsAreMaterial(0.02, [scope]), true); // p95 53 ms of service, 59.9 s waited
 * assert.equal(waitsAreMaterial(0.02, [{ ...scope, endToEndP95Ms: 61 }]), false);
 * ```
 */
export function waitsAreMaterial(share: number, figures: readonly WaitFigures[]): boolean {
  if (share >= MATERIAL_WAIT_SHARE) return true;
  return figures.some((f) =>
    f.serviceP95Ms !== null && f.endToEndP95Ms >= MATERIAL_P95_RATIO * f.serviceP95Ms &&
    f.endToEndP95Ms - f.serviceP95Ms >= 1
  );
}
