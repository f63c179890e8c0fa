/**
 * Overhead of measuring a LangGraph run, interleaved in one process: the same compiled 4-stage
 * graph over an instant scripted model (one call per stage), invoked with no handler, a no-op
 * inline handler, LangChain's `RunCollectorCallbackHandler`, graphmeter's handler (alone, and
 * pushing each run to an in-memory OpenTelemetry exporter), Langfuse's LangChain handler and
 * OpenInference's LangChain tracer (both on the same in-memory exporter). Every invoke is followed
 * by a drain of LangChain's background callback queue, so deferred handler work is counted.
 * Each round runs every variant for a batch of invokes, in a fresh random order; the table gives
 * each variant's median per-invoke time over the rounds and its ratio to no handler.
 *
 * Run: `deno task overhead` (options: `--rounds 40 --batch 50`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { Callbacks } from "@langchain/core/callbacks/manager";
import { RunCollectorCallbackHandler } from "@langchain/core/tracers/run_collector";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { OpenTelemetryRunExporter } from "../otel/mod.ts";
import { ScriptedChatModel, usage } from "../tests/support/scripted_chat_model.ts";
import { fourStageGraph } from "../tests/support/four_stage_graph.ts";
import {
  drainCallbacks,
  langfuseHandler,
  openInferenceHandler,
  peerSpans,
  peerTracerProvider,
} from "../tests/support/peer_handlers.ts";
import { NoOpHandler } from "../tests/support/noop_handler.ts";

const graph = fourStageGraph(
  new ScriptedChatModel({ replies: [{ text: "ok", usage: usage(1200, 150) }] }),
  { llmInEveryStage: true },
);
const input = { text: "", count: 0 };
const runExporter = new OpenTelemetryRunExporter({
  tracer: peerTracerProvider.getTracer("graphmeter"),
});

/** A variant: the callbacks of one invoke (fresh per invoke, as a request handler would). */
const VARIANTS: { name: string; callbacks: () => Callbacks }[] = [
  { name: "no handler", callbacks: () => [] },
  { name: "no-op inline handler", callbacks: () => [new NoOpHandler()] },
  {
    name: "LangChain RunCollectorCallbackHandler",
    callbacks: () => [new RunCollectorCallbackHandler()],
  },
  {
    name: "graphmeter PerformanceCallbackHandler",
    callbacks: () => [new PerformanceCallbackHandler()],
  },
  {
    name: "graphmeter + OpenTelemetryRunExporter (in-memory OTel)",
    callbacks: () => [new PerformanceCallbackHandler({ onRunEnd: runExporter.onRunEnd })],
  },
  { name: "Langfuse @langfuse/langchain (in-memory OTel)", callbacks: () => [langfuseHandler()] },
  {
    name: "OpenInference LangChain tracer (in-memory OTel)",
    callbacks: () => [openInferenceHandler()],
  },
];

async function invoke(callbacks: Callbacks): Promise<void> {
  await graph.invoke(input, { callbacks });
  await drainCallbacks();
  if (peerSpans.getFinishedSpans().length > 5000) peerSpans.reset();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      rounds: { type: "string", default: "40" },
      batch: { type: "string", default: "50" },
      warmup: { type: "string", default: "200" },
    },
  });
  const rounds = Number(values.rounds);
  const batch = Number(values.batch);
  // Each peer must really trace: a variant that silently does nothing would look cheap.
  for (const variant of VARIANTS.slice(4)) {
    peerSpans.reset();
    await invoke(variant.callbacks());
    if (peerSpans.getFinishedSpans().length < 5) throw new Error(`${variant.name} traced nothing`);
  }
  for (const variant of VARIANTS) {
    for (let i = 0; i < Number(values.warmup); i++) await invoke(variant.callbacks());
  }
  const perInvokeMs = new Map(VARIANTS.map((variant) => [variant.name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    for (const variant of shuffled(VARIANTS)) {
      const started = performance.now();
      for (let i = 0; i < batch; i++) await invoke(variant.callbacks());
      perInvokeMs.get(variant.name)!.push((performance.now() - started) / batch);
    }
  }
  const baseline = median(perInvokeMs.get("no handler")!);
  console.log(`${rounds} rounds x ${batch} invokes per variant, interleaved in random order`);
  console.log("| Variant | Median per invoke | vs. no handler |");
  console.log("| --- | ---: | ---: |");
  for (const variant of VARIANTS) {
    const ms = median(perInvokeMs.get(variant.name)!);
    console.log(`| ${variant.name} | ${ms.toFixed(2)} ms | ${(ms / baseline).toFixed(2)}x |`);
  }
}
