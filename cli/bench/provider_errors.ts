/**
 * Failed calls in words a user can act on: which provider at which URL, the HTTP status, and what
 * happened ("timed out after 30 s", "HTTP 500 after 3 attempts", "invalid JSON from the
 * provider"), instead of a bare "Error: 500 boom".
 *
 * @module
 */

/** What the message needs to know about the calls' provider. */
export interface ProviderContext {
  /** The provider (e.g. `openai`), or null when the stages use several. */
  provider: string | null;
  /** The base URL calls went to (`--base-url` or the provider's default). */
  baseUrl: string;
  /** The per-call timeout, in seconds. */
  timeoutSeconds: number;
  /** Retries of a failed call. */
  maxRetries: number;
}

/** Each provider's default endpoint, for messages when no `--base-url` is given. */
export const DEFAULT_BASE_URLS: Readonly<Record<string, string>> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com",
  "google-genai": "https://generativelanguage.googleapis.com",
  ollama: "http://127.0.0.1:11434",
};

function statusOf(error: Record<string, unknown>, message: string): number | null {
  for (const key of ["status", "status_code", "statusCode"]) {
    const value = Number(error[key]);
    if (Number.isInteger(value) && value >= 100 && value < 600) return value;
  }
  const match = /\[(\d{3})[ \]]|\bstatus (?:code )?(\d{3})\b|^(\d{3}) /i.exec(message);
  const text = match?.[1] ?? match?.[2] ?? match?.[3];
  return text === undefined ? null : Number(text);
}

/**
 * Describes the error that ended a run, naming the provider, base URL, status and what happened;
 * an error that did not come from a provider is returned as `Name: message`.
 *
 * @param cause What the graph threw.
 * @param context The provider, its URL, the timeout and retries.
 * @returns One line.
 *
 * @example Usage
 * ```ts
 * import { describeProviderError } from "./provider_errors.ts";
 * import assert from "node:assert/strict";
 *
 * const context = { provider: "openai", baseUrl: "http://h/v1", timeoutSeconds: 30, maxRetries: 2 };
 * const error = Object.assign(new Error("500 boom"), { status: 500 });
 * assert.equal(
 *   describeProviderError(error, context),
 *   "openai at http://h/v1: HTTP 500 after 3 attempts (500 boom)",
 * );
 * ```
 */
export function describeProviderError(cause: unknown, context: ProviderContext): string {
  if (!(cause instanceof Error)) return String(cause);
  const message = cause.message.split("\n")[0];
  const plain = `${cause.name}: ${message}`;
  const record = cause as unknown as Record<string, unknown>;
  const where = `${context.provider ?? "the provider"} at ${context.baseUrl}`;
  const attempts = context.maxRetries + 1;
  const afterAttempts = attempts > 1 ? ` after ${attempts} attempts` : "";
  const status = statusOf(record, message);
  if (/timed? ?out|TimeoutError/i.test(`${cause.name} ${message}`)) {
    return `${where}: timed out after ${context.timeoutSeconds} s (--timeout)` +
      `${afterAttempts} (${plain})`;
  }
  if (status !== null) {
    const retried = status >= 500 || status === 429 ? afterAttempts : "";
    return `${where}: HTTP ${status}${retried} (${message})`;
  }
  if (cause instanceof SyntaxError || /JSON/.test(message)) {
    return `${where}: invalid JSON from the provider (${plain})`;
  }
  if (
    /ECONNREFUSED|Connection refused|fetch failed|error sending request|ECONNRESET/i.test(message)
  ) {
    return `${where}: could not connect${afterAttempts} (${plain})`;
  }
  return plain;
}
