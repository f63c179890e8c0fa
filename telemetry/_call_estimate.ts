/**
 * What a call may cost at most, known before it is sent: its prompt's tokens counted cheaply, the
 * most output tokens it asked for (or its model's published limit), and a price function bound to
 * its model, provider, start time and the handler's price overrides. Built only for a handler with
 * a guard; private to the handler.
 *
 * @module
 */
import type { BaseMessage } from "@langchain/core/messages";
import type { GuardedCall } from "./call_guard.ts";
import type { LLMStartInfo } from "./recorder.ts";
import type { Attribution } from "./attribution.ts";
import type { PricingContext } from "./aggregate.ts";
import { EMPTY_ATTRIBUTES } from "./attribution.ts";
import { estimateCost } from "../pricing/estimate.ts";
import { ZERO_TOKEN_USAGE } from "../pricing/token_usage.ts";
import { maxOutputTokensOf } from "../pricing/output_limits.ts";
import { ratesAt } from "../pricing/rates.ts";

type Dict = Record<string, unknown>;

/** Tokens counted for an image or other media block: a rough figure (a 1-megapixel image). */
export const MEDIA_BLOCK_TOKENS = 1_600;

/** Tokens counted per message for its role and separators. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

const NON_ASCII = /[^ -~\t\n\r]/; // anything but printable ASCII and white space

/**
 * A text's tokens, counted cheaply: about 4 characters a token for ASCII text (English prose and
 * code), 1 a character for anything else (CJK scripts take about one token a character).
 *
 * @param text The text.
 * @returns The estimated token count.
 *
 * @example Usage
 * ```ts
 * import { textTokens } from "./_call_estimate.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(textTokens("a".repeat(400)), 100);
 * assert.equal(textTokens("日本語です"), 5);
 * ```
 */
export function textTokens(text: string): number {
  if (!NON_ASCII.test(text)) return Math.ceil(text.length / 4);
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 4) + other;
}

function contentTokens(content: unknown): number {
  if (typeof content === "string") return textTokens(content);
  if (!Array.isArray(content)) return 0;
  let tokens = 0;
  for (const block of content as Dict[]) {
    if (typeof block === "string") tokens += textTokens(block);
    else if (typeof block?.text === "string") tokens += textTokens(block.text);
    else if (block && typeof block === "object") tokens += MEDIA_BLOCK_TOKENS;
  }
  return tokens;
}

/**
 * A prompt's tokens, counted cheaply: each message's content and tool calls, plus a few tokens a
 * message, plus the tools' definitions sent with it.
 */
function promptTokensOf(
  messages: BaseMessage[][] | undefined,
  prompts: readonly string[] | undefined,
  params: Dict | undefined,
): number {
  let tokens = 0;
  for (const batch of messages ?? []) {
    for (const message of batch) {
      tokens += MESSAGE_OVERHEAD_TOKENS + contentTokens((message as { content?: unknown }).content);
      const toolCalls = (message as { tool_calls?: unknown[] }).tool_calls;
      if (Array.isArray(toolCalls) && toolCalls.length > 0) {
        tokens += textTokens(JSON.stringify(toolCalls));
      }
    }
  }
  for (const prompt of prompts ?? []) tokens += textTokens(prompt);
  const tools = params?.tools;
  if (Array.isArray(tools) && tools.length > 0) tokens += textTokens(JSON.stringify(tools));
  return tokens;
}

function positive(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : null;
}

/** The most output tokens a call asked for, in each integration's words, else its model's limit. */
function maxOutputTokensFor(
  metadata: Dict | undefined,
  params: Dict | undefined,
  model: string | null,
): number | null {
  const generation = params?.generationConfig as Dict | undefined;
  const options = params?.options as Dict | undefined;
  return positive(metadata?.ls_max_tokens) ?? positive(params?.max_tokens) ??
    positive(params?.max_completion_tokens) ?? positive(params?.max_output_tokens) ??
    positive(params?.maxTokens) ?? positive(generation?.maxOutputTokens) ??
    positive(options?.num_predict) ?? positive(params?.num_predict) ??
    (model === null ? null : outputLimitOf(model));
}

/** Output limits looked up, by model (a few per service), so a call pays a Map lookup. */
const outputLimits = new Map<string, number | null>();

function outputLimitOf(model: string): number | null {
  let limit = outputLimits.get(model);
  if (limit === undefined) {
    limit = maxOutputTokensOf(model);
    if (outputLimits.size >= 1000) outputLimits.clear();
    outputLimits.set(model, limit);
  }
  return limit;
}

/** What the handler knows of a call at its start, to show a guard. */
export interface GuardedCallInput {
  /** The call's run id. */
  runId: string;
  /** Its root run's id. */
  rootRunId: string;
  /** Its root run's thread and attribution keys. */
  attribution: Attribution;
  /** Provider, requested model and tier, as the start event says. */
  info: LLMStartInfo;
  /** The start event's metadata (`ls_max_tokens`). */
  metadata: Dict | undefined;
  /** The start event's extra params (`invocation_params`). */
  extraParams: Dict | undefined;
  /** The chat messages sent, for a chat model. */
  messages: BaseMessage[][] | undefined;
  /** The prompts sent, for a completion model. */
  prompts: readonly string[] | undefined;
  /** The handler's pricing context. */
  pricing: PricingContext;
  /** The call's start, epoch ms. */
  startedAt: number;
}

/** A call as a guard sees it; its `price` prices tokens on the call's model and start time. */
class PendingCall implements GuardedCall {
  readonly runId: string;
  readonly rootRunId: string;
  readonly threadId: string | null;
  readonly attributes: Readonly<Record<string, string>>;
  readonly provider: string;
  readonly model: string | null;
  readonly promptTokens: number | null;
  readonly maxOutputTokens: number | null;
  readonly startedAt: number;
  readonly #pricing: PricingContext;
  readonly #serviceTier: string | undefined;

  constructor(input: GuardedCallInput, estimate: boolean) {
    const { info } = input;
    const params = input.extraParams?.invocation_params as Dict | undefined;
    this.runId = input.runId;
    this.rootRunId = input.rootRunId;
    this.threadId = input.attribution.threadId;
    this.attributes = input.attribution.attributes ?? EMPTY_ATTRIBUTES;
    this.provider = info.provider;
    this.model = info.requestedModel;
    this.promptTokens = estimate ? promptTokensOf(input.messages, input.prompts, params) : null;
    this.maxOutputTokens = estimate
      ? maxOutputTokensFor(input.metadata, params, info.requestedModel)
      : null;
    this.startedAt = input.startedAt;
    this.#pricing = input.pricing;
    this.#serviceTier = info.requestedServiceTier ?? undefined;
  }

  price(inputTokens: number, outputTokens: number): number | null {
    if (this.model === null) return null;
    // Plain text tokens at the catalog's memoized per-token rates (the prompt's size picks the
    // long-context tier): what estimateCost gives for them, without building a priced call. An
    // override, a service tier, a partial rate or a model the rates do not know (a local one)
    // take the whole path.
    if (this.#pricing.overrides === undefined && this.#serviceTier === undefined) {
      const rates = ratesAt(this.model, this.provider, this.startedAt, inputTokens);
      if (rates !== null && rates.missing.length === 0) {
        return inputTokens * rates.inputUsd + outputTokens * rates.outputUsd;
      }
    }
    return estimateCost({ ...ZERO_TOKEN_USAGE, inputTokens, outputTokens }, this.model, {
      provider: this.provider,
      overrides: this.#pricing.overrides,
      at: this.startedAt,
      serviceTier: this.#serviceTier,
    }).costUsd;
  }
}

/**
 * A call as a guard sees it.
 *
 * @param input What the handler knows of the call at its start.
 * @param estimate Whether to count the prompt and read the output bound (a guard that stops calls
 *   needs them; one that only charges does not).
 * @returns The guarded call.
 */
export function guardedCallOf(input: GuardedCallInput, estimate: boolean): GuardedCall {
  return new PendingCall(input, estimate);
}
