/**
 * The cardinality guard of graphmeter's metrics: spans carry every run's attribution (a user id,
 * a thread), but a metric point's attributes make a time series each, so only attribution keys
 * the exporter is told to allow reach metric points, and each of them with at most a bounded
 * number of distinct values (later values fold into one `_other` series).
 *
 * @module
 */
import type { Attributes } from "@opentelemetry/api";
import type { PipelineMetrics } from "../telemetry/metrics.ts";
import { ATTRIBUTION_PREFIX } from "./_attributes.ts";

/** The value metric points carry once a key has had its allowed number of distinct values. */
export const OTHER_ATTRIBUTE_VALUE = "_other";

/** Distinct values of one allowed key on metric points, unless told otherwise. */
export const DEFAULT_MAX_METRIC_ATTRIBUTE_VALUES = 100;

const NONE: Attributes = Object.freeze({});

/** Decides which attribution values of a run reach its metric points. */
export class MetricAttributeGuard {
  readonly #values: Map<string, Set<string>>;
  readonly #maxValues: number;

  /**
   * @param keys The attribution keys allowed on metric points (default: none).
   * @param maxValues Distinct values per key; later ones become {@linkcode OTHER_ATTRIBUTE_VALUE}.
   * @throws {RangeError} When `maxValues` is not a whole number ≥ 1.
   */
  constructor(keys: readonly string[], maxValues: number) {
    if (!Number.isInteger(maxValues) || maxValues < 1) {
      throw new RangeError(`maxMetricAttributeValues must be a whole number ≥ 1, got ${maxValues}`);
    }
    this.#values = new Map(keys.map((key) => [key, new Set<string>()]));
    this.#maxValues = maxValues;
  }

  /** The attributes a run adds to its metric points (the same empty object when none). */
  attributesOf(run: PipelineMetrics): Attributes {
    if (this.#values.size === 0 || !run.attributes) return NONE;
    let attributes: Attributes | null = null;
    for (const [key, seen] of this.#values) {
      const value = run.attributes[key];
      if (value === undefined) continue;
      if (!seen.has(value) && seen.size < this.#maxValues) seen.add(value);
      (attributes ??= {})[ATTRIBUTION_PREFIX + key] = seen.has(value)
        ? value
        : OTHER_ATTRIBUTE_VALUE;
    }
    return attributes ?? NONE;
  }
}
