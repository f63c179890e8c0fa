/**
 * A chat model for tests: answers from a script with chosen usage, model name, delay or error,
 * streamed or not, the way provider integrations shape their messages.
 */
import {
  BaseChatModel,
  type BaseChatModelParams,
} from "@langchain/core/language_models/chat_models";
import type { BaseLanguageModelCallOptions } from "@langchain/core/language_models/base";
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import type { UsageMetadata } from "@langchain/core/messages";

/** One scripted answer. */
export interface ScriptedReply {
  /** The answer's text. */
  text?: string;
  /** Usage to report; null reports none. */
  usage?: UsageMetadata | null;
  /** The model name to answer with (default: the model's own name). */
  model?: string;
  /** Wait this long before answering, ms. */
  delayMs?: number;
  /** Fail with this message instead of answering. */
  error?: string;
}

/** Options of {@linkcode ScriptedChatModel}. */
export interface ScriptedChatModelOptions extends BaseChatModelParams {
  /** The answers, used in turn (cycling). */
  replies: ScriptedReply[];
  /** The requested model name. */
  modelName?: string;
  /** The provider, as `ls_provider`. */
  provider?: string;
}

/** Usage metadata in LangChain's shape, from plain numbers. */
export function usage(
  input: number,
  output: number,
  details: { cacheRead?: number; cacheWrite?: number; reasoning?: number } = {},
): UsageMetadata {
  return {
    input_tokens: input,
    output_tokens: output,
    total_tokens: input + output,
    input_token_details: {
      cache_read: details.cacheRead ?? 0,
      cache_creation: details.cacheWrite ?? 0,
    },
    output_token_details: { reasoning: details.reasoning ?? 0 },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A chat model that answers from a script. */
export class ScriptedChatModel extends BaseChatModel {
  /** The script. */
  replies: ScriptedReply[];
  /** The requested model name. */
  modelName: string;
  /** The provider. */
  provider: string;
  /** How many calls were answered. */
  calls = 0;

  constructor(options: ScriptedChatModelOptions) {
    super(options);
    this.replies = options.replies;
    this.modelName = options.modelName ?? "gpt-4.1-mini";
    this.provider = options.provider ?? "openai";
  }

  _llmType(): string {
    return "scripted";
  }

  override getLsParams(_options: this["ParsedCallOptions"]) {
    return {
      ls_provider: this.provider,
      ls_model_name: this.modelName,
      ls_model_type: "chat" as const,
    };
  }

  override invocationParams(): Record<string, unknown> {
    return { model: this.modelName };
  }

  #next(): ScriptedReply {
    const reply = this.replies[this.calls % this.replies.length];
    this.calls += 1;
    return reply;
  }

  async _generate(
    _messages: BaseMessage[],
    _options: BaseLanguageModelCallOptions,
  ): Promise<ChatResult> {
    const reply = this.#next();
    if (reply.delayMs) await sleep(reply.delayMs);
    if (reply.error) throw new Error(reply.error);
    const text = reply.text ?? "ok";
    const message = new AIMessage({
      content: text,
      usage_metadata: reply.usage === null ? undefined : reply.usage,
      response_metadata: { model_name: reply.model ?? this.modelName },
    });
    return { generations: [{ text, message }] };
  }

  override async *_streamResponseChunks(
    _messages: BaseMessage[],
    _options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const reply = this.#next();
    const words = (reply.text ?? "ok").split(" ");
    for (const [index, word] of words.entries()) {
      if (reply.delayMs) await sleep(reply.delayMs);
      if (reply.error && index === 1) throw new Error(reply.error);
      const text = index === 0 ? word : ` ${word}`;
      yield new ChatGenerationChunk({ text, message: new AIMessageChunk({ content: text }) });
      await runManager?.handleLLMNewToken(text);
    }
    if (reply.error) throw new Error(reply.error);
    yield new ChatGenerationChunk({
      text: "",
      message: new AIMessageChunk({
        content: "",
        usage_metadata: reply.usage === null ? undefined : reply.usage,
        response_metadata: { model_name: reply.model ?? this.modelName },
      }),
    });
  }
}
