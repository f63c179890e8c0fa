/**
 * The sanity check usage must pass before it is recorded as numbers: a provider (or a bug between
 * it and the handler) can send negative, non-finite or absurd counts, and metrics must stay valid.
 *
 * @module
 */
import { TOKEN_FIELDS, type TokenUsage } from "../pricing/token_usage.ts";

/** More tokens than this in one call is taken for a fault, not usage (no model reads that much). */
export const MAX_TOKENS_PER_CALL = 10_000_000;

/**
 * Says why usage cannot be taken, or null when every token count is a whole number from 0 to
 * {@linkcode MAX_TOKENS_PER_CALL}.
 *
 * @param usage The usage as extracted.
 * @returns The issue in one line, or null.
 *
 * @example Usage
 * ```ts
 * import { checkUsage } from "./usage_check.ts";
 * import { zeroTokenUsage } from "../pricing/token_usage.ts";
 * import assert from "node:assert/strict";
 *
 * const usage = { ...zeroTokenUsage(), inputTokens: 10, outputTokens: -3 };
 * assert.equal(checkUsage(usage), "outputTokens is negative (-3)");
 * assert.equal(checkUsage({ ...usage, outputTokens: 3 }), null);
 * ```
 */
export function checkUsage(usage: TokenUsage): string | null {
  for (const field of TOKEN_FIELDS) {
    const value = usage[field];
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return `${field} is not a finite number (${String(value)})`;
    }
    if (value < 0) return `${field} is negative (${value})`;
    if (!Number.isInteger(value)) return `${field} is not a whole number (${value})`;
    if (value > MAX_TOKENS_PER_CALL) {
      return `${field} is absurd (${value} > ${MAX_TOKENS_PER_CALL} in one call)`;
    }
  }
  return null;
}
