/**
 * The user's own price table: per-million-token rates for custom, self-hosted or negotiated
 * models, validated by zod. Overrides win over the catalog.
 *
 * @module
 */
import { z } from "zod";
import type { SameKeys } from "./_same_keys.ts";

const ratePerMillion = z.number().finite().nonnegative();

/** The zod schema of {@linkcode ModelPrice}. */
export const modelPriceSchema = z.strictObject({
  inputPerMTok: ratePerMillion,
  outputPerMTok: ratePerMillion,
  cacheReadPerMTok: ratePerMillion.optional(),
  cacheWritePerMTok: ratePerMillion.optional(),
  cacheWrite1hPerMTok: ratePerMillion.optional(),
  inputAudioPerMTok: ratePerMillion.optional(),
  outputAudioPerMTok: ratePerMillion.optional(),
  webSearchUsd: ratePerMillion.optional(),
  fileSearchUsd: ratePerMillion.optional(),
});

/** Per-million-token US dollar rates of one model. */
export interface ModelPrice {
  /** Uncached prompt tokens, $ per million. */
  readonly inputPerMTok: number;
  /** Completion tokens (reasoning included), $ per million. */
  readonly outputPerMTok: number;
  /** Prompt tokens read from a prompt cache, $ per million (default: the input rate). */
  readonly cacheReadPerMTok?: number;
  /** Prompt tokens written to a prompt cache, $ per million (default: the input rate). */
  readonly cacheWritePerMTok?: number;
  /** Prompt tokens written to a 1-hour cache, $ per million (no default: unpriced if absent). */
  readonly cacheWrite1hPerMTok?: number;
  /** Audio prompt tokens, $ per million (no default: unpriced if absent). */
  readonly inputAudioPerMTok?: number;
  /** Audio completion tokens, $ per million (no default: unpriced if absent). */
  readonly outputAudioPerMTok?: number;
  /** One server-side web search, $ (no default: unpriced if absent). */
  readonly webSearchUsd?: number;
  /** One server-side file search, $ (no default: unpriced if absent). */
  readonly fileSearchUsd?: number;
}

/** The zod schema of {@linkcode PriceOverrides}. */
export const priceOverridesSchema = z.record(z.string().min(1), modelPriceSchema);

/**
 * A price table keyed by model name (`"my-model"`), or by provider and model
 * (`"openai:gpt-4.1-mini"`) when the same name is priced differently per provider.
 */
export type PriceOverrides = Readonly<Record<string, ModelPrice>>;

// The interface and the schema name the same fields.
const _sameFields: SameKeys<ModelPrice, z.infer<typeof modelPriceSchema>> = true;

/** A price table that failed validation; the message says where and what to fix. */
export class PriceOverridesError extends Error {
  /** Creates the error with a one-line, user-facing message. */
  constructor(message: string) {
    super(message);
    this.name = "PriceOverridesError";
  }
}

/**
 * Validates a price table (e.g. parsed from a JSON file).
 *
 * @param value The untrusted value.
 * @param source Where it came from, for the error message (a file path, "options").
 * @returns The validated table.
 * @throws {PriceOverridesError} When the value is not a valid price table.
 *
 * @example Usage
 * ```ts
 * import { parsePriceOverrides } from "./overrides.ts";
 * import assert from "node:assert/strict";
 *
 * const table = parsePriceOverrides({ "my-llama": { inputPerMTok: 0.2, outputPerMTok: 0.6 } });
 * assert.equal(table["my-llama"].outputPerMTok, 0.6);
 * assert.throws(() => parsePriceOverrides({ "x": { inputPerMTok: -1 } }, "prices.json"));
 * ```
 */
export function parsePriceOverrides(value: unknown, source = "price overrides"): PriceOverrides {
  const parsed = priceOverridesSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
  throw new PriceOverridesError(
    `${source}: invalid price at ${where}: ${issue.message}. ` +
      `Expected {"<model>": {"inputPerMTok": number, "outputPerMTok": number, ` +
      `"cacheReadPerMTok"?: number, "cacheWritePerMTok"?: number}}.`,
  );
}

/**
 * Parses and validates a price table from JSON text.
 *
 * @param text The JSON text.
 * @param source Where it came from, for the error message.
 * @returns The validated table.
 * @throws {PriceOverridesError} When the text is not JSON or not a valid price table.
 *
 * @example Usage
 * ```ts
 * import { parsePriceOverridesJson } from "./overrides.ts";
 * import assert from "node:assert/strict";
 *
 * const table = parsePriceOverridesJson('{"m": {"inputPerMTok": 1, "outputPerMTok": 2}}');
 * assert.equal(table.m.inputPerMTok, 1);
 * assert.throws(() => parsePriceOverridesJson("{not json", "prices.json"), /not valid JSON/);
 * ```
 */
export function parsePriceOverridesJson(text: string, source = "price overrides"): PriceOverrides {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PriceOverridesError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  return parsePriceOverrides(value, source);
}
