/**
 * Ships a run's measurements to OpenTelemetry, under the GenAI semantic conventions, so any
 * OTLP backend (Jaeger, Tempo, Langfuse, Phoenix, a collector) can aggregate many processes.
 * Spans and metrics are built from the finished metrics, with their exact recorded timestamps,
 * off the callback hot path. Deno exports them natively with `OTEL_DENO=true`; on Node, register
 * an SDK as usual. Only `@opentelemetry/api` is used here.
 *
 * @module
 */
export {
  ATTEMPT_EVENT,
  ATTEMPTS_ATTRIBUTE,
  ATTRIBUTION_PREFIX,
  CONVERSATION_ATTRIBUTE,
  COST_ATTRIBUTE,
  exportToOpenTelemetry,
  INSTRUMENTATION_NAME,
  METRIC_NAMES,
  type OpenTelemetryExportOptions,
  OpenTelemetryRunExporter,
  type OpenTelemetryRunExporterOptions,
  OTHER_ATTRIBUTE_VALUE,
  STAGE_ATTRIBUTE,
  WAIT_ATTRIBUTE,
} from "./run_exporter.ts";
// The types this entry point's signatures use, so its documentation is complete.
export type * from "../telemetry/metric_types.ts";
export type * from "./api_types.ts";
