/**
 * Token counting for the simulated chat model with js-tiktoken and the `o200k_base` ranks bundled
 * in its npm package (the encoding of the GPT-4o and GPT-4.1 families; nothing is downloaded).
 * The encoder loads once per process, on first use (about a second).
 *
 * @module
 */
import { Tiktoken } from "js-tiktoken/lite";
import o200k_base from "js-tiktoken/ranks/o200k_base";

/** Tokens of chat framing per message (start, role, separator, end), as OpenAI's chat format. */
export const MESSAGE_FRAME_TOKENS = 4;
/** Tokens that prime the assistant's reply, added once per prompt. */
export const REPLY_PRIMING_TOKENS = 3;

let encoder: Tiktoken | undefined;

/**
 * The shared `o200k_base` encoder, created on first use.
 *
 * @returns The encoder.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { o200kEncoder } from "./tokens.ts";
 *
 * strictEqual(o200kEncoder(), o200kEncoder());
 * ```
 */
export function o200kEncoder(): Tiktoken {
  encoder ??= new Tiktoken(o200k_base);
  return encoder;
}

/**
 * Encodes text to `o200k_base` token ids.
 *
 * @param text Any text.
 * @returns The token ids.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { encodeTokens } from "./tokens.ts";
 *
 * strictEqual(encodeTokens("hello world").length, 2);
 * ```
 */
export function encodeTokens(text: string): number[] {
  return o200kEncoder().encode(text);
}

/** Texts tokenized at most, remembered by {@linkcode encodeTokensMemoized} (oldest forgotten first). */
const MEMO_ENTRIES = 4096;
const memo = new Map<string, readonly number[]>();

/**
 * Tokenizes a text once and remembers it: the simulated model sees the same system prompts,
 * windows and answers over and over (every repeat, every run), and tokenizing them again was
 * most of its CPU time. The result is shared: do not change it.
 *
 * @param text The text.
 * @returns Its token ids (shared, read-only).
 *
 * @example Usage
 * ```ts
 * import { encodeTokens, encodeTokensMemoized } from "./tokens.ts";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 *
 * const first = encodeTokensMemoized("hello world");
 * deepStrictEqual(first, encodeTokens("hello world"));
 * strictEqual(encodeTokensMemoized("hello world"), first);
 * ```
 */
export function encodeTokensMemoized(text: string): readonly number[] {
  let tokens = memo.get(text);
  if (tokens === undefined) {
    tokens = encodeTokens(text);
    if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value!);
    memo.set(text, tokens);
  }
  return tokens;
}

/** A chat message reduced to what token counting needs. */
export interface PromptMessage {
  /** The role, e.g. `system`, `human`, `ai`. */
  role: string;
  /** The message's text. */
  text: string;
}

const ROLE_MARKS: Record<string, number> = { system: -1, human: -2, user: -2, ai: -3 };

/**
 * The token sequence of a chat prompt, the way prompt caching sees it: for each message, its
 * {@linkcode MESSAGE_FRAME_TOKENS} framing tokens (negative ids marking the role), then its text's
 * tokens; at the end {@linkcode REPLY_PRIMING_TOKENS} priming tokens. Its length is the prompt's
 * input token count: `sum(tokens(text) + 4) + 3`.
 *
 * @param messages The prompt's messages.
 * @returns The token sequence.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { encodeTokens, promptTokens } from "./tokens.ts";
 *
 * const messages = [{ role: "system", text: "Be brief." }, { role: "human", text: "hello world" }];
 * strictEqual(
 *   promptTokens(messages).length,
 *   encodeTokens("Be brief.").length + 4 + encodeTokens("hello world").length + 4 + 3,
 * );
 * ```
 */
export function promptTokens(messages: readonly PromptMessage[]): number[] {
  const tokens: number[] = [];
  for (const message of messages) {
    const mark = ROLE_MARKS[message.role] ?? -4;
    for (let i = 0; i < MESSAGE_FRAME_TOKENS; i++) tokens.push(mark);
    for (const token of encodeTokensMemoized(message.text)) tokens.push(token);
  }
  for (let i = 0; i < REPLY_PRIMING_TOKENS; i++) tokens.push(-5);
  return tokens;
}
