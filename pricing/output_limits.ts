/**
 * The most output tokens a model can produce in one answer, for the models whose limit is well
 * known: what a call can cost at most when it sets no `max_tokens`. The price catalog lists prices
 * and context windows, not output limits, so they are listed here, by model id prefix, each family
 * with the provider's page that publishes it ("Max output tokens"). The figures are those pages'
 * as of 2025 (this list was written offline, from them, and is not refreshed by `prices --update`);
 * a model not listed has no known limit, and a caller picks its own default.
 *
 * @module
 */

/** A model id prefix and its output limit, with where the limit is published. */
interface OutputLimit {
  readonly prefix: string;
  readonly maxOutputTokens: number;
}

/** https://platform.openai.com/docs/models (each model's page: "Max output tokens"). */
const OPENAI: readonly OutputLimit[] = [
  { prefix: "gpt-5", maxOutputTokens: 128_000 },
  { prefix: "gpt-4.1", maxOutputTokens: 32_768 },
  { prefix: "gpt-4o", maxOutputTokens: 16_384 },
  { prefix: "gpt-4-turbo", maxOutputTokens: 4_096 },
  { prefix: "gpt-3.5-turbo", maxOutputTokens: 4_096 },
  { prefix: "o1", maxOutputTokens: 100_000 },
  { prefix: "o3", maxOutputTokens: 100_000 },
  { prefix: "o4-mini", maxOutputTokens: 100_000 },
];

/** https://docs.anthropic.com/en/docs/about-claude/models/overview ("Max output"). */
const ANTHROPIC: readonly OutputLimit[] = [
  { prefix: "claude-opus-4-5", maxOutputTokens: 64_000 },
  { prefix: "claude-opus-4", maxOutputTokens: 32_000 },
  { prefix: "claude-sonnet-4", maxOutputTokens: 64_000 },
  { prefix: "claude-haiku-4", maxOutputTokens: 64_000 },
  { prefix: "claude-3-7-sonnet", maxOutputTokens: 64_000 },
  { prefix: "claude-3-5-sonnet", maxOutputTokens: 8_192 },
  { prefix: "claude-3-5-haiku", maxOutputTokens: 8_192 },
  { prefix: "claude-3-haiku", maxOutputTokens: 4_096 },
];

/** https://ai.google.dev/gemini-api/docs/models ("Output token limit"). */
const GOOGLE: readonly OutputLimit[] = [
  { prefix: "gemini-2.5", maxOutputTokens: 65_536 },
  { prefix: "gemini-2.0", maxOutputTokens: 8_192 },
  { prefix: "gemini-1.5", maxOutputTokens: 8_192 },
];

/** Longest prefixes first, so `gpt-4.1-mini` is not read as `gpt-4`. */
const LIMITS: readonly OutputLimit[] = [...OPENAI, ...ANTHROPIC, ...GOOGLE]
  .sort((a, b) => b.prefix.length - a.prefix.length);

/**
 * The most output tokens a model can produce in one answer, when its family's limit is listed.
 *
 * @param model The model id, as requested (`gpt-4.1-mini`, `models/gemini-2.5-flash`,
 *   `openai/gpt-4o`, `claude-sonnet-4-20250514`).
 * @returns The limit, or null when the model is not listed.
 *
 * @example Usage
 * ```ts
 * import { maxOutputTokensOf } from "./output_limits.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(maxOutputTokensOf("gpt-4.1-mini-2025-04-14"), 32_768);
 * assert.equal(maxOutputTokensOf("models/gemini-2.5-flash"), 65_536);
 * assert.equal(maxOutputTokensOf("my-fine-tune"), null);
 * ```
 */
export function maxOutputTokensOf(model: string): number | null {
  const id = model.toLowerCase().replace(/^.*\//, "");
  return LIMITS.find((limit) => id.startsWith(limit.prefix))?.maxOutputTokens ?? null;
}
