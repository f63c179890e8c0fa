/**
 * Overhead of measuring a LangGraph run, interleaved in one process: the same compiled 4-stage
 * graph over an instant scripted model (one call per stage), invoked with no handler, a no-op
 * inline handler, LangChain's `RunCollectorCallbackHandler`, graphmeter's handler (alone, and
 * pushing each run to an in-memory OpenTelemetry exporter), Langfuse's LangChain handler and
 * OpenInference's LangChain tracer (both on the same in-memory exporter), and graphmeter's handler
 * with a hard per-user budget guard over in-memory counters (last, so the variants above keep
 * their places for `--ref`). Every invoke carries a `user_id` in its metadata (the guard reserves
 * and charges every call) and is followed
 * by a drain of LangChain's background callback queue, so deferred handler work is counted.
 * Each round runs every variant for a batch of invokes, in a fresh random order; the table gives
 * each variant's median per-invoke time over the rounds and its ratio to no handler, then the
 * guard's cost over the handler alone (medians, and the median of the rounds' paired ratios).
 *
 * Run: `deno task overhead` (options: `--rounds 40 --batch 50`). To compare the handler with
 * its own past, interleaved in the same process, add the handler of a git ref as one more variant:
 * `deno run -A tools/overhead.ts --ref main` (its tree is exported to a temporary folder); on a
 * busy machine, `--batch 1 --rounds 3000` interleaves invoke by invoke and `--cpu` times this
 * process's CPU use instead of the wall clock. `--graph nested` measures a graph with a subgraph
 * stage (agent, tools with a tool run, agent) and a `Send` fan-out instead: the shapes whose node
 * paths the handler records. `--variants "PerformanceCallbackHandler,BudgetGuard"` keeps only the
 * variants whose names contain one of the words (and `no handler`), so a pair is compared without
 * the heavier peers' garbage collections falling into its rounds (not with `--ref`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { cpuUsage } from "node:process";
import type { Callbacks } from "@langchain/core/callbacks/manager";
import { RunCollectorCallbackHandler } from "@langchain/core/tracers/run_collector";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { OpenTelemetryRunExporter } from "../otel/mod.ts";
import { BudgetGuard } from "../budget/mod.ts";
import { ScriptedChatModel, usage } from "../tests/support/scripted_chat_model.ts";
import { fourStageGraph } from "../tests/support/four_stage_graph.ts";
import { nestedStageGraph } from "../tests/support/nested_stage_graph.ts";
import {
  drainCallbacks,
  langfuseHandler,
  openInferenceHandler,
  peerSpans,
  peerTracerProvider,
} from "../tests/support/peer_handlers.ts";
import { NoOpHandler } from "../tests/support/noop_handler.ts";
import { exportGitTree } from "./_git_tree.ts";

const model = new ScriptedChatModel({ replies: [{ text: "ok", usage: usage(1200, 150) }] });
// `--graph nested`: a subgraph stage (agent, tools with a tool run, agent) and a Send fan-out,
// the shapes node paths record; default the flat 4-stage graph.
const nested = Deno.args.includes("--graph") && Deno.args.includes("nested");
const graph: {
  invoke(
    input: unknown,
    config: { callbacks: Callbacks; metadata: Record<string, unknown> },
  ): Promise<unknown>;
} = nested ? nestedStageGraph(model) : fourStageGraph(model, { llmInEveryStage: true });
const input = nested ? { text: "" } : { text: "", count: 0 };
const runExporter = new OpenTelemetryRunExporter({
  tracer: peerTracerProvider.getTracer("graphmeter"),
});

/** A variant: the callbacks of one invoke (fresh per invoke, as a request handler would). */
interface Variant {
  name: string;
  callbacks: () => Callbacks;
  /** It exports spans to the in-memory exporter (checked, so a silent no-op cannot look cheap). */
  traces?: true;
}

/** A limit no invoke reaches: the guard estimates, reserves and charges every call, stops none. */
const budget = new BudgetGuard({ limits: [{ per: "user_id", maxUsd: 1e9, window: "1d" }] });
const GUARDED = "graphmeter + BudgetGuard (hard, per user per day, in-memory counters)";

const VARIANTS: Variant[] = [
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
    traces: true,
  },
  {
    name: "Langfuse @langfuse/langchain (in-memory OTel)",
    callbacks: () => [langfuseHandler()],
    traces: true,
  },
  {
    name: "OpenInference LangChain tracer (in-memory OTel)",
    callbacks: () => [openInferenceHandler()],
    traces: true,
  },
  { name: GUARDED, callbacks: () => [new PerformanceCallbackHandler({ budget })] },
];

/** The handler of a git ref, imported from its tree exported to a temporary folder. */
async function handlerAt(
  ref: string,
): Promise<{
  handler: typeof PerformanceCallbackHandler;
  exporter: typeof OpenTelemetryRunExporter;
  folder: string;
}> {
  const folder = await exportGitTree(ref, "graphmeter-overhead-");
  const module = await import(`file://${folder}/telemetry/handler.ts`);
  const otel = await import(`file://${folder}/otel/mod.ts`);
  return {
    handler: module.PerformanceCallbackHandler,
    exporter: otel.OpenTelemetryRunExporter,
    folder,
  };
}

async function invoke(callbacks: Callbacks): Promise<void> {
  await graph.invoke(input, { callbacks, metadata: { user_id: "user-1" } });
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
      ref: { type: "string" },
      cpu: { type: "boolean", default: false },
      graph: { type: "string", default: "flat" },
      variants: { type: "string" },
    },
  });
  if (values.variants !== undefined) {
    if (values.ref !== undefined) throw new Error("--variants cannot be combined with --ref");
    const words = values.variants.split(",").map((word) => word.trim()).filter(Boolean);
    const kept = VARIANTS.filter((variant) =>
      variant.name === "no handler" || words.some((word) => variant.name.includes(word))
    );
    VARIANTS.splice(0, VARIANTS.length, ...kept);
  }
  // This process's CPU time (user + system) instead of wall time: on a machine shared with other
  // work, time spent waiting for a core is not counted.
  const nowMs = values.cpu
    ? () => {
      const { user, system } = cpuUsage();
      return (user + system) / 1000;
    }
    : () => performance.now();
  const past = values.ref === undefined ? null : await handlerAt(values.ref);
  if (past) {
    VARIANTS.splice(4, 0, {
      name: `graphmeter PerformanceCallbackHandler at ${values.ref}`,
      callbacks: () => [new past.handler()],
    });
    // With the export on, each run's metrics are built as it ends: the ref's aggregate and spans.
    const pastExporter = new past.exporter({ tracer: peerTracerProvider.getTracer("graphmeter") });
    VARIANTS.splice(6, 0, {
      name: `graphmeter + OpenTelemetryRunExporter at ${values.ref}`,
      callbacks: () => [new past.handler({ onRunEnd: pastExporter.onRunEnd })],
      traces: true,
    });
  }
  const rounds = Number(values.rounds);
  const batch = Number(values.batch);
  // Each peer must really trace: a variant that silently does nothing would look cheap.
  for (const variant of VARIANTS.filter((variant) => variant.traces)) {
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
      const started = nowMs();
      for (let i = 0; i < batch; i++) await invoke(variant.callbacks());
      perInvokeMs.get(variant.name)!.push((nowMs() - started) / batch);
    }
  }
  const baseline = median(perInvokeMs.get("no handler")!);
  console.log(
    `${rounds} rounds x ${batch} invokes per variant, interleaved in random order` +
      (values.cpu ? " (CPU time)" : "") + `, ${nested ? "nested" : "flat 4-stage"} graph`,
  );
  console.log("| Variant | Median per invoke | vs. no handler |");
  console.log("| --- | ---: | ---: |");
  for (const variant of VARIANTS) {
    const ms = median(perInvokeMs.get(variant.name)!);
    console.log(`| ${variant.name} | ${ms.toFixed(2)} ms | ${(ms / baseline).toFixed(2)}x |`);
  }
  const handlerRounds = perInvokeMs.get("graphmeter PerformanceCallbackHandler");
  const guardedRounds = perInvokeMs.get(GUARDED);
  if (handlerRounds && guardedRounds) {
    console.log(
      `\nbudget guard / handler alone: ${
        (median(guardedRounds) / median(handlerRounds)).toFixed(3)
      }x (medians), ${
        median(guardedRounds.map((ms, round) => ms / handlerRounds[round])).toFixed(3)
      }x (median of the ${rounds} rounds' ratios)`,
    );
  }
  if (past) {
    const now = median(perInvokeMs.get("graphmeter PerformanceCallbackHandler")!);
    const then = median(perInvokeMs.get(VARIANTS[4].name)!);
    const nowRounds = perInvokeMs.get("graphmeter PerformanceCallbackHandler")!;
    const paired = perInvokeMs.get(VARIANTS[4].name)!.map((ms, round) => nowRounds[round] / ms);
    console.log(
      `\nthis tree / ${values.ref}: ${(now / then).toFixed(3)}x (medians), ` +
        `${median(paired).toFixed(3)}x (median of the ${rounds} rounds' ratios)`,
    );
    const exported = perInvokeMs.get(VARIANTS[5].name)!;
    const pastExported = perInvokeMs.get(VARIANTS[6].name)!;
    console.log(
      `with the export, this tree / ${values.ref}: ` +
        `${(median(exported) / median(pastExported)).toFixed(3)}x (medians), ` +
        `${median(pastExported.map((ms, round) => exported[round] / ms)).toFixed(3)}x ` +
        "(median of the rounds' ratios)",
    );
    await Deno.remove(past.folder, { recursive: true });
  }
}
