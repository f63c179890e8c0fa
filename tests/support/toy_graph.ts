/**
 * A toy LangGraph graph and a tiny chat model that reports usage, for the benchmark runner's tests.
 *
 * @module
 */
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import {
  BaseChatModel,
  type BaseChatModelParams,
} from "@langchain/core/language_models/chat_models";
import type { BaseMessage } from "@langchain/core/messages";
import { AIMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";

/**
 * A chat model that answers "ok" with usage proportional to the prompt's length; with
 * `streamAfterMs`, it streams that answer as one token after waiting so long (a time to first
 * token).
 */
export class ToyChatModel extends BaseChatModel {
  constructor(
    private readonly modelName = "gpt-4o-mini",
    params: BaseChatModelParams = {},
    private readonly streamAfterMs: number | null = null,
  ) {
    super(params);
  }

  _llmType(): string {
    return "toy";
  }

  override getLsParams(): ReturnType<BaseChatModel["getLsParams"]> {
    return { ls_provider: "openai", ls_model_name: this.modelName, ls_model_type: "chat" };
  }

  override get lc_id(): string[] {
    return ["langchain", "chat_models", "openai", "ToyChatModel"];
  }

  async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    // As a provider's client does (fetch with the call's signal): an aborted call never starts.
    options.signal?.throwIfAborted();
    if (this.streamAfterMs !== null) {
      await new Promise((resolve) => setTimeout(resolve, this.streamAfterMs!));
      await runManager?.handleLLMNewToken("ok");
    }
    const promptChars = messages.map((m) => String(m.content)).join(" ").length;
    const inputTokens = 100 + promptChars;
    const message = new AIMessage({
      content: "ok",
      usage_metadata: {
        input_tokens: inputTokens,
        output_tokens: 20,
        total_tokens: inputTokens + 20,
      },
      response_metadata: { model_name: this.modelName },
    });
    return { generations: [{ text: "ok", message }] };
  }
}

/** Hooks a test can put into the toy graph's first node. */
export interface ToyHooks {
  /** Called when the first node starts; awaited. */
  onStart?: (text: string) => Promise<void> | void;
}

const State = Annotation.Root({
  text: Annotation<string>,
  summary: Annotation<string>,
  label: Annotation<string>,
});

/** The toy graph's input. */
export type ToyInput = { text: string };

/**
 * Compiles `summarize -> classify`, both calling the toy model (`classify` its own, when given);
 * `summarize` throws after its call when the text contains `FAIL`.
 */
export function toyGraph(hooks: ToyHooks = {}, model = new ToyChatModel(), classifyModel = model) {
  return new StateGraph(State)
    .addNode("summarize", async (state) => {
      await hooks.onStart?.(state.text);
      const answer = await model.invoke(`summarize: ${state.text}`);
      if (state.text.includes("FAIL")) throw new Error("summarize failed on purpose");
      return { summary: String(answer.content) };
    })
    .addNode("classify", async (state) => {
      const answer = await classifyModel.invoke(`classify: ${state.summary}`);
      return { label: String(answer.content) };
    })
    .addEdge(START, "summarize")
    .addEdge("summarize", "classify")
    .addEdge("classify", END)
    .compile();
}
