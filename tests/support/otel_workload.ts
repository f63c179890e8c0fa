/**
 * The run the OpenTelemetry tests export: the four-stage graph over a scripted model, each call
 * 1,000 input tokens (200 read from cache) and 100 output tokens, priced by an override so every
 * cost is known by hand: (800 x $2 + 200 x $0.5 + 100 x $8) / 1M = $0.0025 a call, three calls
 * a run (node_extraction calls no model).
 */
import { ScriptedChatModel, usage } from "./scripted_chat_model.ts";
import { fourStageGraph } from "./four_stage_graph.ts";
import type { PriceOverrides } from "../../pricing/overrides.ts";

/** The override that makes costs exact. */
export const OTEL_TEST_PRICES: PriceOverrides = {
  "gpt-4.1-mini": { inputPerMTok: 2, outputPerMTok: 8, cacheReadPerMTok: 0.5 },
};

/** Per call: tokens and cost. */
export const CALL = {
  inputTokens: 1000,
  cacheReadTokens: 200,
  outputTokens: 100,
  costUsd: (800 * 2 + 200 * 0.5 + 100 * 8) / 1e6,
} as const;

/** LLM calls per run. */
export const CALLS_PER_RUN = 3;

/** A compiled four-stage graph whose calls answer as {@linkcode CALL} says, after `delayMs`. */
export function otelTestGraph(delayMs = 0): ReturnType<typeof fourStageGraph> {
  const model = new ScriptedChatModel({
    replies: [{
      text: "ok",
      usage: usage(CALL.inputTokens, CALL.outputTokens, { cacheRead: CALL.cacheReadTokens }),
      model: "gpt-4.1-mini-2025-04-14",
      delayMs,
    }],
  });
  return fourStageGraph(model);
}
