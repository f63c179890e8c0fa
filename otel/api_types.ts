/**
 * The parts of `@opentelemetry/api` that graphmeter's export calls, as small structural types of
 * its own: OpenTelemetry's `Tracer`, `Meter` and `Context` are assignable to them (a test holds
 * this at compile time), and graphmeter's documentation does not depend on OpenTelemetry's.
 *
 * @module
 */

/** A span attribute's value, as OpenTelemetry's `AttributeValue`. */
export type AttributeValueLike =
  | string
  | number
  | boolean
  | Array<null | undefined | string>
  | Array<null | undefined | number>
  | Array<null | undefined | boolean>;

/** Span or metric attributes, as OpenTelemetry's `Attributes`. */
export interface AttributesLike {
  /** An attribute by name (`gen_ai.request.model`, ...). */
  [name: string]: AttributeValueLike | undefined;
}

/** OpenTelemetry's `Context`: an immutable map that carries the active span. */
export interface ContextLike {
  /** The value under `key`, if any. */
  getValue(key: symbol): unknown;
  /** A new context with `key` set to `value`. */
  setValue(key: symbol, value: unknown): ContextLike;
  /** A new context without `key`. */
  deleteValue(key: symbol): ContextLike;
}

/** What graphmeter passes when it starts a span (a subset of OpenTelemetry's `SpanOptions`). */
export interface SpanOptionsLike {
  /** OpenTelemetry's `SpanKind` (e.g. `SpanKind.CLIENT`). */
  kind?: number;
  /** The span's recorded start, epoch milliseconds. */
  startTime?: number;
  /** The span's attributes. */
  attributes?: AttributesLike;
}

/** The part of OpenTelemetry's `Span` graphmeter calls. */
export interface SpanLike {
  /** Adds an event (an HTTP attempt of a call) at its recorded time, epoch milliseconds. */
  addEvent(name: string, attributes?: AttributesLike, startTime?: number): unknown;
  /** Sets the span's status (`SpanStatusCode.ERROR` with a message for a failure). */
  setStatus(status: { code: number; message?: string }): unknown;
  /** Ends the span at its recorded end, epoch milliseconds. */
  end(endTime?: number): void;
}

/** The part of OpenTelemetry's `Tracer` graphmeter calls; a real `Tracer` is one. */
export interface TracerLike {
  /** Starts a span under `context`'s span. */
  startSpan(name: string, options?: SpanOptionsLike, context?: ContextLike): SpanLike;
}

/** What graphmeter passes when it creates an instrument (a subset of `MetricOptions`). */
export interface InstrumentOptionsLike {
  /** What the instrument measures. */
  description?: string;
  /** Its unit (`s`, `{token}`, `USD`). */
  unit?: string;
  /** Advice to the SDK, e.g. histogram bucket boundaries. */
  advice?: { explicitBucketBoundaries?: number[] };
}

/** The part of OpenTelemetry's `Histogram` graphmeter calls. */
export interface HistogramLike {
  /** Records one value. */
  record(value: number, attributes?: AttributesLike): void;
}

/** The part of OpenTelemetry's `Counter` graphmeter calls. */
export interface CounterLike {
  /** Adds to the counter. */
  add(value: number, attributes?: AttributesLike): void;
}

/** The part of OpenTelemetry's `Meter` graphmeter calls; a real `Meter` is one. */
export interface MeterLike {
  /** Creates a histogram. */
  createHistogram(name: string, options?: InstrumentOptionsLike): HistogramLike;
  /** Creates a counter. */
  createCounter(name: string, options?: InstrumentOptionsLike): CounterLike;
}
