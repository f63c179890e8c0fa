/**
 * Rendering a run's metrics for people: the Markdown performance section (one row per stage, a
 * total row, the wall time, notes on anything unpriced, unfinished or failed). Pure functions of
 * the metrics; nothing here knows LangChain.
 *
 * @example Usage
 * ```ts
 * import { writePerformanceSection } from "./mod.ts";
 * import { PerformanceCallbackHandler } from "../telemetry/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const empty = new PerformanceCallbackHandler().metrics;
 * assert.match(writePerformanceSection(empty), /\| Stage \|/);
 * ```
 *
 * @module
 */
export { writePerformanceSection } from "./performance_section.ts";
