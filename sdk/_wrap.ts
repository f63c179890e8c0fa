/**
 * The machinery behind the SDK wrappers: times a client method's call, reads its answer, and
 * reports it into the current LangChain run (`reportLLMCall`, through LangChain's async-local run
 * context), never throwing into the caller.
 *
 * @module
 */
import { type ReportedLLMCallInput, reportLLMCall } from "../telemetry/reported_call.ts";

/** What a wrapper reads from one answer (usage, model, multipliers); null when nothing usable. */
export type CallReading = Omit<
  ReportedLLMCallInput,
  "provider" | "latencyMs" | "timeToFirstTokenMs"
>;

/** How one SDK's answers are read. */
export interface SdkReader {
  /** LangChain's name of the provider (`openai`, `anthropic`, `google_genai`). */
  readonly provider: string;
  /** Reads a whole answer. */
  readonly read: (result: unknown, params: unknown) => CallReading | null;
  /** Folds one streamed chunk into the reading so far. */
  readonly fold: (
    reading: CallReading | null,
    chunk: unknown,
    params: unknown,
  ) => CallReading | null;
  /** True when the call streams (its result is an async iterable of chunks). */
  readonly streams: (params: unknown) => boolean;
}

type Dict = Record<string, unknown>;

/** Counts a failure of the reporting itself; it never reaches the caller. */
let reportFailures = 0;

/**
 * How many SDK calls could not be reported (no LangChain run around the call, an unreadable
 * answer): such calls are simply not measured.
 *
 * @returns The count since the process started.
 */
export function sdkReportFailures(): number {
  return reportFailures;
}

async function report(
  reader: SdkReader,
  params: unknown,
  reading: CallReading | null,
  startMs: number,
  firstTokenMs: number | null,
  error: unknown,
): Promise<void> {
  try {
    const model = reading?.model ?? (params as Dict | undefined)?.model;
    if (typeof model !== "string") return;
    await reportLLMCall({
      inputTokens: 0,
      outputTokens: 0,
      ...reading,
      model,
      provider: reader.provider,
      latencyMs: performance.now() - startMs,
      timeToFirstTokenMs: firstTokenMs === null ? null : firstTokenMs - startMs,
      error: error === undefined ? null : String((error as Error)?.message ?? error),
    });
  } catch {
    reportFailures++;
  }
}

/** Wraps a stream so that its end (or abandonment) reports the call. */
function wrapStream(
  stream: object,
  reader: SdkReader,
  params: unknown,
  startMs: number,
): void {
  const iterable = stream as AsyncIterable<unknown>;
  const original = iterable[Symbol.asyncIterator].bind(iterable);
  Object.defineProperty(stream, Symbol.asyncIterator, {
    configurable: true,
    value: async function* () {
      let reading: CallReading | null = null;
      let firstTokenMs: number | null = null;
      let failure: unknown = undefined;
      try {
        for await (const chunk of { [Symbol.asyncIterator]: original }) {
          firstTokenMs ??= performance.now();
          try {
            reading = reader.fold(reading, chunk, params);
          } catch {
            reportFailures++;
          }
          yield chunk;
        }
      } catch (error) {
        failure = error;
        throw error;
      } finally {
        await report(reader, params, reading, startMs, firstTokenMs, failure);
      }
    },
  });
}

/**
 * A promise-like that resolves like `promise` once the call has been reported, and keeps every
 * other member of `promise` (e.g. the OpenAI SDK's `APIPromise.withResponse()`).
 */
function afterReport<T extends object>(promise: T, reported: Promise<unknown>): T {
  const chained = reported;
  return new Proxy(promise, {
    get(target, key) {
      if (key === "then" || key === "catch" || key === "finally") {
        const method = (chained as unknown as Record<PropertyKey, unknown>)[key] as (
          ...args: unknown[]
        ) => unknown;
        return method.bind(chained);
      }
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * Replaces `owner[key]` (an SDK method such as `chat.completions.create`) with one that reports
 * each call into the current run. The client stays usable outside any graph: the report is then
 * skipped.
 *
 * @param owner The object holding the method (e.g. `client.chat.completions`).
 * @param key The method's name.
 * @param reader How the SDK's answers are read.
 */
export function instrumentMethod(owner: object, key: string, reader: SdkReader): void {
  const target = owner as Record<string, unknown>;
  const original = target[key];
  if (typeof original !== "function" || (original as { graphmeter?: boolean }).graphmeter) return;
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const params = args[0];
    const startMs = performance.now();
    const result = (original as (...a: unknown[]) => unknown).apply(this ?? owner, args);
    if (typeof (result as PromiseLike<unknown> | undefined)?.then !== "function") return result;
    const streaming = (() => {
      try {
        return reader.streams(params);
      } catch {
        return false;
      }
    })();
    const reported = Promise.resolve(result).then(
      async (value) => {
        if (streaming && value && typeof value === "object" && Symbol.asyncIterator in value) {
          wrapStream(value, reader, params, startMs);
          return value;
        }
        let reading: CallReading | null = null;
        try {
          reading = reader.read(value, params);
        } catch {
          reportFailures++;
        }
        await report(reader, params, reading, startMs, null, undefined);
        return value;
      },
      async (error) => {
        await report(reader, params, null, startMs, null, error);
        throw error;
      },
    );
    return afterReport(result as object, reported);
  };
  Object.defineProperty(wrapped, "graphmeter", { value: true });
  target[key] = wrapped;
}

/** Reads a non-negative count, 0 for anything else. */
export function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

/** Reads an object, or an empty one. */
export function dict(value: unknown): Dict {
  return typeof value === "object" && value !== null ? value as Dict : {};
}
