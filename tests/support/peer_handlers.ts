/**
 * The peers graphmeter's overhead is compared with, each sending its spans to an in-memory
 * OpenTelemetry exporter (development-only imports; never part of the package):
 * Langfuse's LangChain handler (`@langfuse/langchain`) and OpenInference's LangChain
 * instrumentation (`@arizeai/openinference-instrumentation-langchain`).
 */
import type { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { consumeCallback } from "@langchain/core/callbacks/promises";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { CallbackHandler as LangfuseCallbackHandler } from "@langfuse/langchain";
import { setLangfuseTracerProvider } from "@langfuse/tracing";
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";

/** One in-memory span pipeline for all peers. */
export const peerSpans: InMemorySpanExporter = new InMemorySpanExporter();
/** The tracer provider the peers (and graphmeter's exporter, when compared) send to. */
export const peerTracerProvider: BasicTracerProvider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(peerSpans)],
});
setLangfuseTracerProvider(peerTracerProvider);

/** A fresh Langfuse handler, as an app creates one per request. */
export function langfuseHandler(): BaseCallbackHandler {
  return new LangfuseCallbackHandler() as unknown as BaseCallbackHandler;
}

/**
 * OpenInference instruments LangChain by patching `CallbackManager._configureSync` so that every
 * configuration adds `new LangChainTracer(oiTracer)`. A global patch would trace every variant of
 * an interleaved bench, so this patches once, captures the handler the patch adds (its class and
 * the tracer it was built with), unpatches, and builds the same handler per invoke.
 */
function openInferenceFactory(): () => BaseCallbackHandler {
  const instrumentation = new LangChainInstrumentation({ tracerProvider: peerTracerProvider });
  instrumentation.manuallyInstrument(CallbackManagerModule);
  const manager = CallbackManagerModule.CallbackManager.configure();
  (instrumentation as unknown as { unpatch(m: unknown): void }).unpatch(CallbackManagerModule);
  const added = manager?.handlers.find((handler) =>
    handler.name === "OpenInferenceLangChainTracer"
  );
  if (!added) throw new Error("OpenInference's patch added no tracer: its internals changed");
  const TracerClass = added.constructor as new (tracer: unknown) => BaseCallbackHandler;
  const oiTracer = (added as unknown as { tracer: unknown }).tracer;
  if (CallbackManagerModule.CallbackManager.configure()?.handlers.length) {
    throw new Error("OpenInference's patch is still active");
  }
  return () => new TracerClass(oiTracer);
}

/** A fresh OpenInference LangChain tracer, as the instrumentation adds per configuration. */
export const openInferenceHandler: () => BaseCallbackHandler = openInferenceFactory();

/** Waits until LangChain's background callback queue has run everything queued so far. */
export function drainCallbacks(): Promise<void> {
  return new Promise((resolve) => consumeCallback(() => resolve(), false));
}
