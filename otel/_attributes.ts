/**
 * Span and metric-point attributes of graphmeter's OpenTelemetry export: the GenAI semantic
 * conventions (https://opentelemetry.io/docs/specs/semconv/gen-ai/), and optionally OpenInference's
 * (https://github.com/Arize-ai/openinference/blob/main/spec/semantic_conventions.md).
 *
 * @module
 */
import type { Attributes } from "@opentelemetry/api";
import type { LLMCallMetrics, PipelineMetrics } from "../telemetry/metrics.ts";
import type { HttpAttempt } from "../telemetry/attempt_metrics.ts";
import type { PathMetrics } from "../telemetry/path_metrics.ts";

/**
 * The call's estimated cost in USD. No GenAI semantic convention exists for cost yet: this name
 * is graphmeter's proposal (in the `gen_ai.usage.*` family, beside the token counts it is
 * computed from).
 */
export const COST_ATTRIBUTE = "gen_ai.usage.cost";

/** The stage (top-level LangGraph node) a span or metric point belongs to. */
export const STAGE_ATTRIBUTE = "graphmeter.stage";

/**
 * The prefix of a run's attribution keys on spans (`graphmeter.attribution.user_id`, ...); the
 * thread is `gen_ai.conversation.id` and `user_id` is also `user.id`, as the conventions name them.
 */
export const ATTRIBUTION_PREFIX = "graphmeter.attribution.";

/** The GenAI conventions' thread: "the unique identifier for a conversation (session, thread)". */
export const CONVERSATION_ATTRIBUTE = "gen_ai.conversation.id";

/** The node path (`research_agent/tools`) a node or tool span belongs to. */
export const PATH_ATTRIBUTE = "graphmeter.node.path";

/** A node execution's span attributes: its stage, path and depth. */
export function nodeAttributes(path: PathMetrics, stage: string): Attributes {
  return {
    [STAGE_ATTRIBUTE]: stage,
    [PATH_ATTRIBUTE]: path.path,
    "graphmeter.node.depth": path.depth,
  };
}

/** A tool run's span attributes: the GenAI conventions' `execute_tool`, where it ran. */
export function toolAttributes(tool: string, path: string, stage: string): Attributes {
  return {
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": tool,
    [STAGE_ATTRIBUTE]: stage,
    [PATH_ATTRIBUTE]: path,
  };
}

/** LangChain's `ls_provider` -> the GenAI conventions' `gen_ai.provider.name`. */
const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  google_genai: "gcp.gemini",
  google_vertexai: "gcp.vertex_ai",
  azure_openai: "azure.ai.openai",
  bedrock: "aws.bedrock",
  mistralai: "mistral_ai",
};

/** The GenAI provider name of a LangChain provider id. */
export function providerName(provider: string): string {
  return PROVIDER_NAMES[provider] ?? provider;
}

/** What identifies a call on spans and metric points: operation, provider, models, stage. */
export function callIdentity(call: LLMCallMetrics): Attributes {
  return {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": providerName(call.provider),
    "gen_ai.request.model": call.requestedModel ?? call.model,
    "gen_ai.response.model": call.model,
    [STAGE_ATTRIBUTE]: call.stage,
  };
}

/** A call's span attributes beyond its identity's: the node path it was made in, if known. */
function callPath(call: LLMCallMetrics): Attributes {
  return call.path === undefined ? {} : { [PATH_ATTRIBUTE]: call.path };
}

/** The GenAI attributes of one call's span: identity, usage (when reported), cost, error. */
export function genAiCallAttributes(call: LLMCallMetrics): Attributes {
  const attributes: Attributes = {
    ...callIdentity(call),
    ...callPath(call),
    "graphmeter.cost.source": call.costSource,
  };
  if (call.usageReported) {
    attributes["gen_ai.usage.input_tokens"] = call.inputTokens;
    attributes["gen_ai.usage.output_tokens"] = call.outputTokens;
    attributes["gen_ai.usage.cache_read.input_tokens"] = call.cacheReadTokens;
    attributes["gen_ai.usage.cache_creation.input_tokens"] = call.cacheWriteTokens;
    attributes["gen_ai.usage.reasoning.output_tokens"] = call.reasoningTokens;
  }
  if (call.costUsd !== null) attributes[COST_ATTRIBUTE] = call.costUsd;
  // A partial price says which parts it leaves out (`web_search`, `server_tool_input:unreported`).
  if (call.costMissing.length > 0) attributes["graphmeter.cost.missing"] = [...call.costMissing];
  if (call.timeToFirstTokenMs !== null) {
    attributes["graphmeter.time_to_first_token_ms"] = call.timeToFirstTokenMs;
  }
  if (call.error !== null) attributes["error.type"] = "llm_call_error";
  // What retries and rate limits added: the span's duration is end-to-end, waits included.
  if (call.attempts !== null) {
    attributes[ATTEMPTS_ATTRIBUTE] = call.attempts.length;
    if (call.attempts.length > 1) {
      attributes["http.request.resend_count"] = call.attempts.length - 1;
    }
  }
  if (call.waitMs !== null) attributes[WAIT_ATTRIBUTE] = call.waitMs;
  if (call.serviceLatencyMs !== null) {
    attributes["graphmeter.service_latency_ms"] = call.serviceLatencyMs;
  }
  return attributes;
}

/** A call's HTTP attempts (retries included), on its span. */
export const ATTEMPTS_ATTRIBUTE = "graphmeter.http.attempts";

/** What failed attempts, backoff, `retry-after` and pacing added to the call, ms. */
export const WAIT_ATTRIBUTE = "graphmeter.wait_ms";

/** The name of the event each HTTP attempt of a call leaves on the call's span. */
export const ATTEMPT_EVENT = "graphmeter.http.attempt";

/**
 * The attributes of one HTTP attempt's event: its status (`http.response.status_code`, the
 * HTTP semantic conventions' name), outcome, duration, pacing, `retry-after`, and whether the
 * provider may have billed it.
 */
export function attemptEventAttributes(attempt: HttpAttempt): Attributes {
  const attributes: Attributes = {
    "graphmeter.attempt.outcome": attempt.outcome,
    "graphmeter.attempt.duration_ms": attempt.durationMs,
  };
  if (attempt.status !== null) attributes["http.response.status_code"] = attempt.status;
  if (attempt.pacedMs > 0) attributes["graphmeter.attempt.paced_ms"] = attempt.pacedMs;
  if (attempt.retryAfterMs !== null) {
    attributes["graphmeter.attempt.retry_after_ms"] = attempt.retryAfterMs;
  }
  if (attempt.possiblyBilled) attributes["graphmeter.attempt.possibly_billed"] = true;
  return attributes;
}

/** OpenInference's attributes of one call's span (`LLM` kind, model, token counts, cost). */
export function openInferenceCallAttributes(call: LLMCallMetrics): Attributes {
  const attributes: Attributes = {
    "openinference.span.kind": "LLM",
    "llm.model_name": call.model,
    "llm.provider": call.provider,
  };
  if (call.usageReported) {
    attributes["llm.token_count.prompt"] = call.inputTokens;
    attributes["llm.token_count.completion"] = call.outputTokens;
    attributes["llm.token_count.total"] = call.inputTokens + call.outputTokens;
    attributes["llm.token_count.prompt_details.cache_read"] = call.cacheReadTokens;
    attributes["llm.token_count.prompt_details.cache_write"] = call.cacheWriteTokens;
    attributes["llm.token_count.completion_details.reasoning"] = call.reasoningTokens;
  }
  if (call.costUsd !== null) attributes["llm.cost.total"] = call.costUsd;
  return attributes;
}

/**
 * Who a run is for, as span attributes: its thread (`gen_ai.conversation.id`, and OpenInference's
 * `session.id`), each attribution key (`graphmeter.attribution.<key>`), and `user_id` as the
 * conventions' `user.id`. Set on the run span and on every call span of the run.
 */
export function attributionAttributes(run: PipelineMetrics, openInference: boolean): Attributes {
  const attributes: Attributes = {};
  if (run.threadId) {
    attributes[CONVERSATION_ATTRIBUTE] = run.threadId;
    if (openInference) attributes["session.id"] = run.threadId;
  }
  for (const [key, value] of Object.entries(run.attributes ?? {})) {
    attributes[ATTRIBUTION_PREFIX + key] = value;
  }
  const user = run.attributes?.user_id;
  if (user !== undefined) attributes["user.id"] = user;
  return attributes;
}

/** The run span's attributes: the agent invocation, its totals and cost. */
export function runAttributes(run: PipelineMetrics, workflowName: string): Attributes {
  const attributes: Attributes = {
    "gen_ai.operation.name": "invoke_agent",
    "gen_ai.agent.name": workflowName,
    "graphmeter.run.id": run.runId,
    "gen_ai.usage.input_tokens": run.totals.inputTokens,
    "gen_ai.usage.output_tokens": run.totals.outputTokens,
    "gen_ai.usage.cache_read.input_tokens": run.totals.cacheReadTokens,
    "gen_ai.usage.cache_creation.input_tokens": run.totals.cacheWriteTokens,
    "gen_ai.usage.reasoning.output_tokens": run.totals.reasoningTokens,
    "graphmeter.llm_calls": run.totals.llmCalls,
  };
  if (run.totals.costUsd !== null) attributes[COST_ATTRIBUTE] = run.totals.costUsd;
  if (run.totals.partialCalls > 0) attributes["graphmeter.partial_calls"] = run.totals.partialCalls;
  return attributes;
}

/** OpenInference's attributes of the run span (`AGENT`) and its totals. */
export function openInferenceRunAttributes(run: PipelineMetrics): Attributes {
  const attributes: Attributes = {
    "openinference.span.kind": "AGENT",
    "llm.token_count.prompt": run.totals.inputTokens,
    "llm.token_count.completion": run.totals.outputTokens,
    "llm.token_count.total": run.totals.inputTokens + run.totals.outputTokens,
  };
  if (run.totals.costUsd !== null) attributes["llm.cost.total"] = run.totals.costUsd;
  return attributes;
}
