/**
 * Telemetry: the `PerformanceCallbackHandler`, the metric schemas it fills, and the way to report
 * calls LangChain never sees.
 *
 * @module
 */
export * from "./handler.ts";
export * from "./metrics.ts";
export { type CallUsage, extractResult, usageFromUsageMetadata } from "./usage.ts";
export {
  REPORTED_CALL_EVENT,
  ReportedLLMCall,
  type ReportedLLMCallInput,
  reportLLMCall,
} from "./reported_call.ts";
export { UNATTRIBUTED_STAGE } from "./recorder.ts";
export * from "./otel.ts";
