/**
 * Token usage of one call, the unit pricing works on: the one place a token kind is named.
 * Zero, add and copy of token fields are derived from {@linkcode TOKEN_USAGE_SCHEMA}'s shape, so a
 * new token kind is one schema entry (plus its extraction and its price).
 *
 * @module
 */
import { z } from "zod";

const tokenCount = z.number().int().nonnegative();

/** The zod schema of {@linkcode TokenUsage}: every token kind, each a count. */
export const TOKEN_USAGE_SCHEMA = z.object({
  /** All prompt tokens, cached ones included. */
  inputTokens: tokenCount.describe("All prompt tokens, cached ones included."),
  /** All completion tokens, reasoning included. */
  outputTokens: tokenCount.describe("All completion tokens, reasoning included."),
  /** Prompt tokens read from the provider's prompt cache (part of `inputTokens`). */
  cacheReadTokens: tokenCount.describe(
    "Prompt tokens read from the provider's prompt cache (part of inputTokens).",
  ),
  /** Prompt tokens written to the provider's prompt cache (part of `inputTokens`). */
  cacheWriteTokens: tokenCount.describe(
    "Prompt tokens written to the provider's prompt cache (part of inputTokens).",
  ),
  /** Reasoning ("thinking") tokens (part of `outputTokens`). */
  reasoningTokens: tokenCount.describe('Reasoning ("thinking") tokens (part of outputTokens).'),
  /** Of `cacheWriteTokens`: written to a 1-hour cache (Anthropic; billed 2x input, not 1.25x). */
  cacheWrite1hTokens: tokenCount.default(0).describe(
    "Of cacheWriteTokens: written to a 1-hour cache (Anthropic).",
  ),
  /** Audio prompt tokens (part of `inputTokens`). */
  inputAudioTokens: tokenCount.default(0).describe("Audio prompt tokens (part of inputTokens)."),
  /** Audio completion tokens (part of `outputTokens`). */
  outputAudioTokens: tokenCount.default(0).describe(
    "Audio completion tokens (part of outputTokens).",
  ),
  /** Server-side web searches (and grounding queries), billed per request. */
  webSearchRequests: tokenCount.default(0).describe(
    "Server-side web searches (and grounding queries), billed per request.",
  ),
  /** Server-side file searches (OpenAI's `file_search` tool calls), billed per request. */
  fileSearchRequests: tokenCount.default(0).describe(
    "Server-side file searches (OpenAI's file_search tool calls), billed per request.",
  ),
});

/**
 * Token usage of one call, normalized: `inputTokens` counts every prompt token (cache reads and
 * writes included) and `outputTokens` every completion token (reasoning included).
 */
export interface TokenUsage {
  /** All prompt tokens, cached ones included. */
  readonly inputTokens: number;
  /** All completion tokens, reasoning included. */
  readonly outputTokens: number;
  /** Prompt tokens read from the provider's prompt cache (part of `inputTokens`). */
  readonly cacheReadTokens: number;
  /** Prompt tokens written to the provider's prompt cache (part of `inputTokens`). */
  readonly cacheWriteTokens: number;
  /** Reasoning ("thinking") tokens (part of `outputTokens`). */
  readonly reasoningTokens: number;
  /** Of `cacheWriteTokens`: written to a 1-hour cache (Anthropic; billed 2x input, not 1.25x). */
  readonly cacheWrite1hTokens: number;
  /** Audio prompt tokens (part of `inputTokens`). */
  readonly inputAudioTokens: number;
  /** Audio completion tokens (part of `outputTokens`). */
  readonly outputAudioTokens: number;
  /** Server-side web searches (and grounding queries), billed per request. */
  readonly webSearchRequests: number;
  /** Server-side file searches (OpenAI's `file_search` tool calls), billed per request. */
  readonly fileSearchRequests: number;
}

/** The name of one token kind. */
export type TokenField = keyof TokenUsage;

/** Every token kind, in the schema's order. */
export const TOKEN_FIELDS: readonly TokenField[] = Object.keys(
  TOKEN_USAGE_SCHEMA.shape,
) as TokenField[];

/**
 * A usage with every token kind at zero, frozen, with the fields in the schema's order: spread it
 * first (`{ ...ZERO_TOKEN_USAGE, ...usage }`) to copy a usage with a stable field order.
 *
 * @example Usage
 * ```ts
 * import { ZERO_TOKEN_USAGE } from "./token_usage.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ZERO_TOKEN_USAGE.inputTokens, 0);
 * assert.ok(Object.isFrozen(ZERO_TOKEN_USAGE));
 * ```
 */
export const ZERO_TOKEN_USAGE: TokenUsage = Object.freeze(
  Object.fromEntries(TOKEN_FIELDS.map((field) => [field, 0])) as unknown as TokenUsage,
);

/**
 * A usage with every token kind at zero.
 *
 * @returns A fresh, mutable record.
 *
 * @example Usage
 * ```ts
 * import { zeroTokenUsage } from "./token_usage.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(zeroTokenUsage().cacheWriteTokens, 0);
 * ```
 */
export function zeroTokenUsage(): { -readonly [K in TokenField]: number } {
  const usage = {} as { -readonly [K in TokenField]: number };
  for (const field of TOKEN_FIELDS) usage[field] = 0;
  return usage;
}

/**
 * The token fields of a record that carries them (a call, a stage), copied into a fresh usage.
 *
 * @param source Any record with every token field.
 * @returns Only its token fields.
 *
 * @example Usage
 * ```ts
 * import { pickTokenUsage } from "./token_usage.ts";
 * import assert from "node:assert/strict";
 *
 * const call = {
 *   stage: "s",
 *   inputTokens: 3,
 *   outputTokens: 2,
 *   cacheReadTokens: 0,
 *   cacheWriteTokens: 0,
 *   reasoningTokens: 0,
 *   cacheWrite1hTokens: 0,
 *   inputAudioTokens: 0,
 *   outputAudioTokens: 0,
 *   webSearchRequests: 0,
 *   fileSearchRequests: 0,
 * };
 * const usage = pickTokenUsage(call);
 * assert.deepEqual(Object.keys(usage).length, 10);
 * ```
 */
export function pickTokenUsage(source: TokenUsage): { -readonly [K in TokenField]: number } {
  const usage = {} as { -readonly [K in TokenField]: number };
  for (const field of TOKEN_FIELDS) usage[field] = source[field];
  return usage;
}
