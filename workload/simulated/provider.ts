/**
 * Which LangChain provider id a real model name belongs to, so the simulated model can answer as
 * that provider.
 *
 * @module
 */

/**
 * LangChain's provider id for a model name: `google_genai` for Gemini, `anthropic` for Claude,
 * else `openai`.
 *
 * @param model The model's name.
 * @returns The provider id.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { providerForModel } from "./provider.ts";
 *
 * strictEqual(providerForModel("gemini-2.5-flash-lite"), "google_genai");
 * strictEqual(providerForModel("gpt-4.1-mini"), "openai");
 * ```
 */
export function providerForModel(model: string): string {
  if (/^(models\/)?gemini/.test(model)) return "google_genai";
  if (/^claude/.test(model)) return "anthropic";
  return "openai";
}
