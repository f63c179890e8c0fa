/**
 * A chat model that answers the reference workload without any API key: deterministic for a
 * seed, valid input-dependent JSON for each stage, real token counts (js-tiktoken, `o200k_base`),
 * OpenAI-style prompt caching, and a latency profile (time to first token, then tokens per
 * second) that `timeScale` shrinks. It answers under a real model's name and provider, so the
 * catalog prices that model's tokens.
 *
 * @module
 */
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { BaseChatModel, type LangSmithParams } from "@langchain/core/language_models/chat_models";
import {
  AIMessage,
  AIMessageChunk,
  type BaseMessage,
  type UsageMetadata,
} from "@langchain/core/messages";
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";
import {
  type AnswerTiming,
  type LatencyProfile,
  latencyProfileFor,
  planTiming,
  waitUntil,
} from "./simulated/latency.ts";
import { PromptCacheScopes } from "./simulated/cache_scopes.ts";
import { providerForModel } from "./simulated/provider.ts";
import { hashOf, randomFrom } from "./simulated/random.ts";
import {
  type AnswerBehaviour,
  DEFAULT_ANSWER_BEHAVIOUR,
  simulateAnswers,
} from "./simulated/stage_answers.ts";
import {
  NO_MISTAKES,
  type QualityProfile,
  qualityProfileFor,
} from "./simulated/quality_profile.ts";
import { encodeTokensMemoized, o200kEncoder, promptTokens } from "./simulated/tokens.ts";

/** The model name the simulated model answers as by default. */
export const DEFAULT_SIMULATED_MODEL = "gpt-4.1-mini";

/**
 * The `timeScale` the default benchmark runs the simulated model at: every wait is 2% of the
 * profile's real-world duration, so six transcripts take seconds while TTFT and throughput keep
 * their shape.
 */
export const DEFAULT_BENCH_TIME_SCALE = 0.02;

/** Options of {@linkcode SimulatedChatModel}. */
export interface SimulatedChatModelFields {
  /** The real model to answer as (prices follow it); default {@linkcode DEFAULT_SIMULATED_MODEL}. */
  model?: string;
  /** LangChain's provider id for it (`openai`, `google_genai`, ...); default from the name. */
  provider?: string;
  /** The seed of every random choice; default 0. */
  seed?: number;
  /** Stream the answer token by token from `_generate` (reports time to first token). */
  streaming?: boolean;
  /** Factor applied to every wait: 1 is real time, 0 answers at once; default 1. */
  timeScale?: number;
  /** Overrides of the latency profile of `model`'s family. */
  latency?: Partial<LatencyProfile>;
  /** Output tokens per streamed chunk; default 4. */
  tokensPerChunk?: number;
  /**
   * The mistakes it makes: `"by-model"` for the simulated quality profile of `model` (a small
   * model drops relationships, misplaces nodes and returns malformed JSON at simulated rates),
   * or the rates themselves; default none (the answers as written). A mistake changes what an
   * answer says, never what the call reports: its tokens, latency and cost are the clean
   * answer's.
   */
  mistakes?: "by-model" | Partial<QualityProfile>;
  /** Chance of a malformed (truncated) answer, 0 to 1; default the mistakes' rate (0). */
  malformedRate?: number;
  /** Chance a window's last chunk is judged incomplete, 0 to 1; default 0.2. */
  incompleteChunkRate?: number;
  /** Smallest word overlap to relate a chunk to a node, 0 to 1; default 0.1. */
  relatedThreshold?: number;
  /** Smallest word overlap with the related node to APPEND, 0 to 1; default 0.2. */
  appendThreshold?: number;
}

interface PlannedAnswer {
  /** The answer given (with the model's mistakes). */
  text: string;
  /** The tokens of the answer given (what is streamed). */
  textTokens: readonly number[];
  /** The tokens of the clean answer (what the call reports, and its timing). */
  outputTokens: readonly number[];
  usage: UsageMetadata;
  timing: AnswerTiming;
}

/**
 * A simulated chat model for the reference workload (see the module doc).
 *
 * Prompt caching is scoped per root LangGraph run (outside any graph run, one scope per model
 * instance), so concurrent runs on one instance report the same tokens and cache reads in any
 * interleaving. Random choices are drawn from the seed and the prompt itself, never from a shared
 * sequence.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { SimulatedChatModel } from "./simulated_chat_model.ts";
 *
 * const model = new SimulatedChatModel({ model: "gemini-2.5-flash-lite", timeScale: 0 });
 * const answer = await model.invoke("Hello");
 * strictEqual(answer.response_metadata.model_name, "gemini-2.5-flash-lite");
 * strictEqual(answer.usage_metadata?.input_tokens, 1 + 4 + 3);
 * strictEqual(model.simulated, true);
 * ```
 */
export class SimulatedChatModel extends BaseChatModel {
  /** Always true: the report uses it to say the run was simulated. */
  readonly simulated: true = true;
  /** The real model answered as. */
  readonly model: string;
  /** LangChain's provider id of `model`. */
  readonly provider: string;
  /** The seed. */
  readonly seed: number;
  /** Whether `_generate` streams. */
  readonly streaming: boolean;
  /** The factor applied to every wait. */
  readonly timeScale: number;
  /** The latency profile in force. */
  readonly latency: LatencyProfile;
  /** Output tokens per streamed chunk. */
  readonly tokensPerChunk: number;
  /** The answer heuristics' knobs. */
  readonly behaviour: AnswerBehaviour;
  #caches = new PromptCacheScopes();

  /**
   * Creates a simulated model.
   *
   * @param fields The options; all optional.
   */
  constructor(fields: SimulatedChatModelFields = {}) {
    super({});
    this.model = fields.model ?? DEFAULT_SIMULATED_MODEL;
    this.provider = fields.provider ?? providerForModel(this.model);
    this.seed = fields.seed ?? 0;
    this.streaming = fields.streaming ?? false;
    this.timeScale = fields.timeScale ?? 1;
    this.latency = { ...latencyProfileFor(this.model), ...fields.latency };
    this.tokensPerChunk = Math.max(1, Math.floor(fields.tokensPerChunk ?? 4));
    const mistakes = fields.mistakes === "by-model"
      ? qualityProfileFor(this.model)
      : { ...NO_MISTAKES, ...fields.mistakes };
    this.behaviour = {
      seed: this.seed,
      malformedRate: fields.malformedRate ?? mistakes.malformedRate,
      dropRelationshipRate: mistakes.dropRelationshipRate,
      misplaceNodeRate: mistakes.misplaceNodeRate,
      incompleteChunkRate: fields.incompleteChunkRate ??
        DEFAULT_ANSWER_BEHAVIOUR.incompleteChunkRate,
      relatedThreshold: fields.relatedThreshold ?? DEFAULT_ANSWER_BEHAVIOUR.relatedThreshold,
      appendThreshold: fields.appendThreshold ?? DEFAULT_ANSWER_BEHAVIOUR.appendThreshold,
    };
  }

  /**
   * LangChain's name for the class, used in serialization.
   *
   * @returns `SimulatedChatModel`.
   */
  static override lc_name(): string {
    return "SimulatedChatModel";
  }

  /**
   * LangChain's type tag of the model.
   *
   * @returns `graphmeter-simulated`.
   */
  _llmType(): string {
    return "graphmeter-simulated";
  }

  /**
   * Tells LangChain the real model and provider, so callbacks see e.g. `ls_provider: "openai"`.
   *
   * @param options The call options.
   * @returns The LangSmith parameters.
   * @ignore
   */
  override getLsParams(options: this["ParsedCallOptions"]): LangSmithParams {
    return {
      ls_provider: this.provider,
      ls_model_name: this.model,
      ls_model_type: "chat",
      ls_temperature: 0,
      ls_stop: options?.stop,
    };
  }

  /**
   * The parameters a real call would send, as callbacks see them in `invocation_params`.
   *
   * @returns The model name, seed and streaming flag.
   */
  override invocationParams(): { model: string; seed: number; streaming: boolean } {
    return { model: this.model, seed: this.seed, streaming: this.streaming };
  }

  #plan(messages: BaseMessage[], options: this["ParsedCallOptions"]): PlannedAnswer {
    o200kEncoder();
    const parts = messages.map((message) => ({ role: message.getType(), text: message.text }));
    const promptText = parts.map((part) => part.text).join("\n\n");
    const prompt = promptTokens(parts);
    const cacheRead = this.#caches.forCall(options).readAndRemember(prompt);
    const { clean, given } = simulateAnswers(promptText, this.behaviour);
    const outputTokens = encodeTokensMemoized(clean);
    const text = given;
    const random = randomFrom(hashOf(this.seed, "latency", promptText));
    return {
      text,
      textTokens: text === clean ? outputTokens : encodeTokensMemoized(text),
      outputTokens,
      usage: {
        input_tokens: prompt.length,
        output_tokens: outputTokens.length,
        total_tokens: prompt.length + outputTokens.length,
        input_token_details: { cache_read: cacheRead },
        output_token_details: { reasoning: 0 },
      },
      timing: planTiming(this.latency, prompt.length, [random(), random()], this.timeScale),
    };
  }

  #responseMetadata(): Record<string, string> {
    return { model_name: this.model, model_provider: this.provider, finish_reason: "stop" };
  }

  /**
   * Streams the answer: waits for the first token, then yields chunks of `tokensPerChunk` tokens
   * at the profile's rate (reporting each with `handleLLMNewToken`), and ends with an empty chunk
   * carrying the usage and the model name, as OpenAI's streams do.
   *
   * @param messages The prompt.
   * @param options The call options (`signal` aborts the stream).
   * @param runManager The run's callbacks.
   * @returns The chunks.
   * @ignore
   */
  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const startedAt = performance.now();
    const planned = this.#plan(messages, options);
    const encoder = o200kEncoder();
    const pieces: string[] = [];
    for (let i = 0; i < planned.textTokens.length; i += this.tokensPerChunk) {
      pieces.push(encoder.decode(planned.textTokens.slice(i, i + this.tokensPerChunk)));
    }
    if (pieces.join("") !== planned.text) pieces.splice(0, pieces.length, planned.text);
    let emittedTokens = 0;
    for (const piece of pieces) {
      const deadline = startedAt + planned.timing.firstTokenMs +
        emittedTokens * planned.timing.perTokenMs;
      await waitUntil(deadline, options.signal);
      emittedTokens += this.tokensPerChunk;
      const chunk = new ChatGenerationChunk({
        text: piece,
        message: new AIMessageChunk({ content: piece }),
      });
      yield chunk;
      await runManager?.handleLLMNewToken(piece, undefined, undefined, undefined, undefined, {
        chunk,
      });
    }
    const total = planned.timing.firstTokenMs +
      Math.max(0, planned.outputTokens.length - 1) * planned.timing.perTokenMs;
    await waitUntil(startedAt + total, options.signal);
    yield new ChatGenerationChunk({
      text: "",
      message: new AIMessageChunk({
        content: "",
        usage_metadata: planned.usage,
        response_metadata: this.#responseMetadata(),
      }),
      generationInfo: { finish_reason: "stop" },
    });
  }

  /**
   * Answers the prompt: streamed internally when `streaming` is set, else after the whole
   * answer's time (first token plus output) has passed.
   *
   * @param messages The prompt.
   * @param options The call options (`signal` aborts the wait).
   * @param runManager The run's callbacks.
   * @returns The answer with `usage_metadata` and `response_metadata.model_name`.
   * @ignore
   */
  async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    let text: string;
    let usage: UsageMetadata;
    if (this.streaming) {
      let aggregated: ChatGenerationChunk | undefined;
      for await (const chunk of this._streamResponseChunks(messages, options, runManager)) {
        aggregated = aggregated === undefined ? chunk : aggregated.concat(chunk);
      }
      text = aggregated?.text ?? "";
      usage = (aggregated?.message as AIMessageChunk | undefined)?.usage_metadata!;
    } else {
      const startedAt = performance.now();
      const planned = this.#plan(messages, options);
      const { firstTokenMs, perTokenMs } = planned.timing;
      const total = firstTokenMs + Math.max(0, planned.outputTokens.length - 1) * perTokenMs;
      await waitUntil(startedAt + total, options.signal);
      text = planned.text;
      usage = planned.usage;
    }
    const message = new AIMessage({
      content: text,
      usage_metadata: usage,
      response_metadata: this.#responseMetadata(),
    });
    return {
      generations: [{ text, message, generationInfo: { finish_reason: "stop" } }],
      llmOutput: {
        tokenUsage: {
          promptTokens: usage.input_tokens,
          completionTokens: usage.output_tokens,
          totalTokens: usage.total_tokens,
        },
      },
    };
  }
}

/**
 * The `modelFor` of `buildTranscriptTreeGraph` for simulated models: `simulated:<model>` (or a
 * bare `<model>`) answers as that real model, with its simulated quality profile.
 *
 * @param fields The options every model shares (seed, time scale, streaming).
 * @returns The resolver.
 * @throws {Error} From the resolver, for another provider than `simulated`.
 *
 * @example Usage
 * ```ts
 * import { simulatedModelFor } from "./simulated_chat_model.ts";
 * import assert from "node:assert/strict";
 *
 * const modelFor = simulatedModelFor({ seed: 1, timeScale: 0 });
 * const nano = modelFor("simulated:gpt-4.1-nano");
 * assert.equal(nano.model, "gpt-4.1-nano");
 * assert.equal(nano.behaviour.dropRelationshipRate, 0.3);
 * assert.throws(() => modelFor("openai:gpt-4.1"), /only simulated models/);
 * ```
 */
export function simulatedModelFor(
  fields: Omit<SimulatedChatModelFields, "model" | "mistakes"> = {},
): (spec: string) => SimulatedChatModel {
  return (spec) => {
    const colon = spec.indexOf(":");
    const provider = colon < 0 ? "simulated" : spec.slice(0, colon);
    if (provider !== "simulated") {
      throw new Error(`"${spec}": only simulated models here; write simulated:<model>`);
    }
    return new SimulatedChatModel({
      ...fields,
      model: spec.slice(colon + 1),
      mistakes: "by-model",
    });
  };
}
