/**
 * What LangChain's callback arguments say, read into the recorder's words: who answers an LLM
 * call and what it asked for at its start, what its result says at its end, whether an error is
 * a failure. Pure functions of the arguments; the adapter (`handler.ts`) catches what they throw.
 *
 * @module
 */
import type { Serialized } from "@langchain/core/load/serializable";
import type { BaseMessage } from "@langchain/core/messages";
import type { LLMResult } from "@langchain/core/outputs";
import type { LLMEndInfo, LLMStartInfo, RawCall } from "./recorder.ts";
import { extractResult } from "./usage.ts";
import { requestedServerTools } from "./server_tools.ts";
import { checkUsage } from "./usage_check.ts";

type Dict = Record<string, unknown>;

function stringOf(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** An error's message (its name when the message is empty), or the thrown value as text. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * The message a run ended with: null for a success, and for LangGraph's control flow (an
 * `interrupt()`, a `Command` to a parent graph, a drain), which travels as an error that "bubbles
 * up" from a node or a tool although nothing failed.
 */
export function failureOf(error: unknown): string | null {
  if (error === null || (error as { is_bubble_up?: unknown }).is_bubble_up === true) return null;
  return messageOf(error);
}

function providerOf(llm: Serialized | undefined, metadata: Dict | undefined): string {
  const fromMetadata = stringOf(metadata?.ls_provider);
  if (fromMetadata) return fromMetadata;
  const id = llm?.id;
  return Array.isArray(id) && id.length >= 2 ? String(id[id.length - 2]) : "unknown";
}

/**
 * The model a call asked for. An Azure OpenAI call goes to a deployment: `AzureChatOpenAI`
 * requests LangChain's default model name (`gpt-3.5-turbo`) unless told otherwise, so the
 * deployment's name (its serialized `deployment_name`) is what was asked for.
 */
function requestedModelOf(
  llm: Serialized | undefined,
  provider: string,
  extraParams: Dict | undefined,
  metadata: Dict | undefined,
): string | null {
  if (provider === "azure") {
    const kwargs = (llm as { kwargs?: Dict } | undefined)?.kwargs;
    const deployment = stringOf(kwargs?.deployment_name) ??
      stringOf(kwargs?.azure_open_ai_api_deployment_name);
    if (deployment) return deployment;
  }
  const params = extraParams?.invocation_params as Dict | undefined;
  return stringOf(params?.model) ?? stringOf(params?.model_name) ??
    stringOf(params?.modelName) ?? stringOf(metadata?.ls_model_name);
}

/** Content block types that carry audio in LangChain messages (v0 and v1 shapes). */
const AUDIO_BLOCKS: ReadonlySet<string> = new Set(["audio", "input_audio"]);

/**
 * True when a prompt sends audio: an `audio`/`input_audio` block, or a media/file block with an
 * `audio/*` MIME type. Only array contents are looked at (a string prompt returns at once).
 */
function hasAudio(messages: BaseMessage[][]): boolean {
  for (const batch of messages) {
    for (const message of batch) {
      const content = (message as { content?: unknown })?.content;
      if (!Array.isArray(content)) continue;
      for (const block of content) {
        const type = (block as Dict | null)?.type;
        if (typeof type === "string" && AUDIO_BLOCKS.has(type)) return true;
        const mime = (block as Dict | null)?.mimeType ?? (block as Dict | null)?.mime_type;
        if (typeof mime === "string" && mime.startsWith("audio/")) return true;
      }
    }
  }
  return false;
}

/**
 * What a chat-model or LLM start says about the call: provider, requested model and service
 * tier, server-side tools asked for, and (for chat models) whether the prompt sends audio.
 */
export function llmStartInfo(
  llm: Serialized,
  extraParams: Dict | undefined,
  metadata: Dict | undefined,
  messages: BaseMessage[][] | undefined,
): LLMStartInfo {
  const params = extraParams?.invocation_params as Dict | undefined;
  const provider = providerOf(llm, metadata);
  return {
    promptHasAudio: messages !== undefined && hasAudio(messages),
    provider,
    requestedModel: requestedModelOf(llm, provider, extraParams, metadata),
    requestedServiceTier: stringOf(params?.service_tier),
    serverTools: requestedServerTools(extraParams?.invocation_params),
  };
}

/**
 * What an LLM end says about the call: its usage (when valid; why not, when not), the model that
 * answered, a hit in LangChain's own LLM cache, billing facts and the parts of the bill the answer
 * hides. `call` is what was recorded of it so far (streamed chunks, server tools asked for).
 */
export function llmEndInfo(
  output: LLMResult,
  call: RawCall,
  extraParams: Dict | undefined,
): LLMEndInfo {
  const extracted = extractResult(output, {
    provider: call.provider,
    stream: call.streamChunks > 0
      ? { chunks: call.streamChunks, firstChunkUsage: call.firstChunkUsage }
      : undefined,
    serverTools: call.serverTools,
  });
  const usageIssue = extracted.usage === null ? null : checkUsage(extracted.usage);
  return {
    usage: usageIssue === null ? extracted.usage : null,
    usageIssue,
    responseModel: extracted.responseModel,
    llmCacheHit: extraParams?.cached === true,
    billing: extracted.billing,
    usageGaps: extracted.gaps,
  };
}

/** What a chat-model stream event says that is measured: the stream's start, or content. */
export type StreamEventReading = "content" | { readonly usage: Dict | null } | null;

/**
 * Reads a chat-model stream event (under `streamEvents(..., { version: "v3" })` LangChain streams
 * chat models through content block events and never calls `handleLLMNewToken`): `message-start`
 * is the stream's first chunk, with the usage it carried; a delta with content is content; any
 * other event is null.
 */
export function streamEventOf(event: unknown): StreamEventReading {
  const streamed = event as { event?: unknown; delta?: Dict; usage?: unknown } | null;
  if (streamed?.event === "message-start") {
    const usage = streamed.usage;
    return { usage: typeof usage === "object" && usage !== null ? usage as Dict : null };
  }
  if (streamed?.event !== "content-block-delta" || !streamed.delta) return null;
  const delta = streamed.delta;
  const content = delta.text ?? delta.reasoning ?? delta.args ?? delta.data ?? delta.fields;
  return content === undefined || content === "" ? null : "content";
}

/**
 * A tool run's name: the run's name (LangChain passes the tool's `name` as `runName`), else the
 * serialized tool's name or the last part of its id, else `tool`.
 */
export function toolNameOf(tool: Serialized | undefined, runName: string | undefined): string {
  const named = stringOf(runName) ?? stringOf((tool as { name?: unknown } | undefined)?.name);
  if (named) return named;
  const id = tool?.id;
  return Array.isArray(id) && id.length > 0 ? String(id[id.length - 1]) : "tool";
}
