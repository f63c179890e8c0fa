/**
 * OpenTelemetry SDK setup for a service that runs on Node, Bun, or Deno without `OTEL_DENO`:
 * OTLP/HTTP exporters for traces and metrics (the official `@opentelemetry/exporter-*-otlp-http`),
 * batched off the request path, with delivery counted: every span ended, every span the receiver
 * accepted, and so every span dropped (queue full, receiver down or too slow).
 * On Deno, `OTEL_DENO=true` replaces all of this.
 *
 * @module
 */
import { type Context, metrics, trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";

/** Spans ended, delivered (accepted by the receiver) and dropped, so far. */
export interface SpanDelivery {
  readonly ended: number;
  readonly delivered: number;
  /**
   * `ended - delivered - in export`: after `forceFlush` or `shutdown`, the spans lost (queue full,
   * receiver down, export failed or timed out); before, it also counts spans still queued.
   */
  readonly dropped: number;
}

/** What {@linkcode startOpenTelemetry} sets up. */
export interface OpenTelemetrySetup {
  /** Counts of spans, live. */
  delivery(): SpanDelivery;
  /** Exports what is pending and stops (call it on SIGTERM). */
  shutdown(): Promise<void>;
}

/** Options of {@linkcode startOpenTelemetry}. */
export interface OpenTelemetrySetupOptions {
  /** The OTLP/HTTP endpoint's origin, e.g. `http://127.0.0.1:4318`. */
  endpoint: string;
  /** The service name (resource attribute `service.name`). */
  serviceName: string;
  /** Spans kept waiting for export at most (default 2048); past it, new spans are dropped. */
  maxQueueSize?: number;
  /** Give up on one export after this long, ms (default 10,000). */
  exportTimeoutMs?: number;
  /** Metric export interval, ms (default 60,000). */
  metricIntervalMs?: number;
  /** Register the providers globally (default true). */
  registerGlobally?: boolean;
}

/** Counts spans ended and spans whose export succeeded. */
class DeliveryCounter {
  ended = 0;
  delivered = 0;
  pending = 0;
}

function countingExporter(inner: SpanExporter, counter: DeliveryCounter): SpanExporter {
  return {
    export(spans: ReadableSpan[], done) {
      counter.pending += spans.length;
      inner.export(spans, (result) => {
        counter.pending -= spans.length;
        if (result.code === 0) counter.delivered += spans.length;
        done(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}

function countingProcessor(inner: SpanProcessor, counter: DeliveryCounter): SpanProcessor {
  return {
    onStart: (span: Span, parent: Context) => inner.onStart(span, parent),
    onEnd(span: ReadableSpan) {
      counter.ended += 1;
      inner.onEnd(span);
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
}

/** Sets up tracing and metrics over OTLP/HTTP and registers them as the global providers. */
export function startOpenTelemetry(options: OpenTelemetrySetupOptions): OpenTelemetrySetup & {
  tracerProvider: BasicTracerProvider;
  meterProvider: MeterProvider;
} {
  const counter = new DeliveryCounter();
  const resource = resourceFromAttributes({ "service.name": options.serviceName });
  const timeoutMillis = options.exportTimeoutMs ?? 10_000;
  const spanExporter = countingExporter(
    new OTLPTraceExporter({ url: `${options.endpoint}/v1/traces`, timeoutMillis }),
    counter,
  );
  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: [
      countingProcessor(
        new BatchSpanProcessor(spanExporter, {
          maxQueueSize: options.maxQueueSize ?? 2048,
          exportTimeoutMillis: timeoutMillis,
        }),
        counter,
      ),
    ],
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: `${options.endpoint}/v1/metrics`, timeoutMillis }),
        exportIntervalMillis: options.metricIntervalMs ?? 60_000,
        exportTimeoutMillis: timeoutMillis,
      }),
    ],
  });
  if (options.registerGlobally ?? true) {
    trace.setGlobalTracerProvider(tracerProvider);
    metrics.setGlobalMeterProvider(meterProvider);
  }
  return {
    tracerProvider,
    meterProvider,
    delivery: () => ({
      ended: counter.ended,
      delivered: counter.delivered,
      dropped: counter.ended - counter.delivered - counter.pending,
    }),
    async shutdown() {
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
