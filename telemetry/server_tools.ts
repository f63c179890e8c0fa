/**
 * Server-side tools (web search, X search, code execution, ...) run by the provider inside one
 * call and billed per request: which ones a call asked for, how many searches it ran when its
 * integration drops the provider's count, and which parts of the bill the integration hides.
 *
 * - Streamed `ChatAnthropic` keeps `message_start`'s usage only: `message_delta`'s cumulative
 *   `server_tool_use` and `input_tokens` (which grow by the tool results) are dropped. The
 *   searches are counted from the streamed `server_tool_use` blocks named `web_search` (an errored
 *   search is not billed, https://platform.claude.com/docs/en/agents-and-tools/tool-use/web-search-tool,
 *   read 2026-11-27); the tool results' input tokens stay unknown: `server_tool_input:unreported`.
 * - OpenAI's Chat Completions search models (`web_search_options`) report no search count:
 *   `web_search:unreported`.
 * - Fee-bearing tools graphmeter does not price (OpenAI's code interpreter and image generation
 *   items; Anthropic's code execution) are named: `server_tool:<name>`.
 * - xAI reports `usage.server_side_tool_usage_details` (`web_search_calls`, `x_search_calls`, ...)
 *   and the billed cost (`usage.cost_in_usd_ticks`). `ChatXAIResponses` drops the whole usage
 *   object: a call that asked for server-side tools is then `server_tools:unreported`.
 *
 * @module
 */

import { asDict, type Dict } from "./_answer_fields.ts";

const NONE: readonly string[] = Object.freeze([]);

/** Tool types that are the caller's own functions, not run by the provider. */
const CLIENT_TOOL_TYPES: ReadonlySet<string> = new Set(["function", "custom"]);

/** A count to bill: a positive finite number, rounded; anything else is 0. */
function billedCount(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

/** OpenAI Chat Completions' `web_search_options` (the search models), as a requested tool. */
const CHAT_COMPLETIONS_SEARCH = "web_search_options";

/**
 * The server-side tools a call asked for, from its LangChain `invocation_params`: every tool whose
 * `type` is not a client function (`web_search_20250305`, `web_search`, `x_search`,
 * `code_execution`, ...), `live_search` for xAI's `search_parameters`, and `web_search_options`
 * for OpenAI's Chat Completions search models.
 *
 * @param invocationParams The call's `invocation_params` (from `handleChatModelStart`).
 * @returns The tool types, without repeats (empty when none).
 *
 * @example Usage
 * ```ts
 * import { requestedServerTools } from "./server_tools.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(
 *   requestedServerTools({
 *     tools: [{ type: "function", function: { name: "f" } }, { type: "web_search_20250305" }],
 *   }),
 *   ["web_search_20250305"],
 * );
 * assert.deepEqual(requestedServerTools({ search_parameters: { mode: "auto" } }), ["live_search"]);
 * assert.deepEqual(requestedServerTools(undefined), []);
 * ```
 */
export function requestedServerTools(invocationParams: unknown): readonly string[] {
  const params = asDict(invocationParams);
  if (!params) return NONE;
  const tools = Array.isArray(params.tools) ? params.tools : [];
  const search = asDict(params.search_parameters);
  const chatSearch = asDict(params.web_search_options);
  if (tools.length === 0 && !search && !chatSearch) return NONE;
  const found = new Set<string>();
  for (const tool of tools) {
    const type = asDict(tool)?.type;
    if (typeof type === "string" && !CLIENT_TOOL_TYPES.has(type)) found.add(type);
  }
  if (search && search.mode !== "off") found.add("live_search");
  if (chatSearch) found.add(CHAT_COMPLETIONS_SEARCH);
  return found.size === 0 ? NONE : Object.freeze([...found]);
}

/** What a call's answer says, beyond its token counts, about the server-side tools it ran. */
export interface ServerToolAccount {
  /** Billed searches counted where the integration dropped the provider's count (0: none seen). */
  readonly searches: number;
  /** Parts of the bill the answer hides or graphmeter cannot price (for `costMissing`). */
  readonly gaps: readonly string[];
}

const NOTHING: ServerToolAccount = Object.freeze({ searches: 0, gaps: NONE });

/** What {@linkcode accountServerTools} reads. */
export interface ServerToolEvidence {
  /** LangChain's provider (`anthropic`, `xai`, ...). */
  readonly provider: string;
  /** The call streamed. */
  readonly streamed: boolean;
  /** The answer message's `content`. */
  readonly content: unknown;
  /** The provider's raw `usage` object the integration kept (`response_metadata.usage`), or `{}`. */
  readonly rawUsage: Dict;
  /** The server-side tools the call asked for ({@linkcode requestedServerTools}). */
  readonly requested: readonly string[];
  /** The Responses API's `output` items (`response_metadata.output`), when the answer has them. */
  readonly output?: unknown;
}

/** A content block, unwrapped from LangChain's standard `non_standard` block when wrapped. */
function unwrap(block: unknown): Dict | undefined {
  const dict = asDict(block);
  return dict?.type === "non_standard" ? asDict(dict.value) : dict;
}

/** Server-run tool calls: Anthropic's block, and LangChain's standard (v1) block for it. */
const SERVER_TOOL_CALLS: ReadonlySet<string> = new Set(["server_tool_use", "server_tool_call"]);

/**
 * Streamed Anthropic: searches from the server tool call blocks, minus the errored ones. Under
 * `streamEvents` v3 the message holds LangChain's standard blocks (`server_tool_call`, and the
 * result wrapped in a `non_standard` block).
 */
function anthropicStreamed(blocks: readonly unknown[]): ServerToolAccount {
  let toolUses = 0;
  let searches = 0;
  for (const block of blocks) {
    const dict = unwrap(block);
    if (typeof dict?.type !== "string") continue;
    if (SERVER_TOOL_CALLS.has(dict.type)) {
      toolUses += 1;
      if (dict.name === "web_search") searches += 1;
    } else if (
      dict.type === "web_search_tool_result" &&
      asDict(dict.content)?.type === "web_search_tool_result_error"
    ) {
      searches -= 1;
    }
  }
  return {
    searches: Math.max(searches, 0),
    gaps: toolUses > 0 ? ["server_tool_input:unreported"] : NONE,
  };
}

/** xAI tool-call counters billed as searches ($5 per 1,000 each). */
const XAI_SEARCH_COUNTERS: readonly string[] = ["web_search_calls", "x_search_calls"];

/** xAI: searches from `server_side_tool_usage_details`; other tools and Live Search are gaps. */
function xai(rawUsage: Dict, requested: readonly string[]): ServerToolAccount {
  const details = asDict(rawUsage.server_side_tool_usage_details);
  const gaps: string[] = [];
  let searches = 0;
  for (const [key, value] of Object.entries(details ?? {})) {
    if (XAI_SEARCH_COUNTERS.includes(key)) searches += billedCount(value);
    else if (billedCount(value) > 0) gaps.push(`server_tool:${key.replace(/_calls$/, "")}`);
  }
  if (billedCount(rawUsage.num_sources_used) > 0) gaps.push("live_search");
  const reported = details !== undefined || "num_sources_used" in rawUsage ||
    "cost_in_usd_ticks" in rawUsage;
  if (requested.length > 0 && !reported) gaps.push("server_tools:unreported");
  return { searches, gaps: gaps.length === 0 ? NONE : gaps };
}

/**
 * OpenAI Responses API items run by the provider whose fee graphmeter does not price: code
 * interpreter (per container) and image generation (image tokens),
 * https://platform.openai.com/docs/pricing#built-in-tools, read 2026-11-27. Web and file searches
 * are counted and priced; MCP, shell and computer-use calls are billed as tokens only.
 */
const OPENAI_UNPRICED_ITEMS: Readonly<Record<string, string>> = {
  code_interpreter_call: "server_tool:code_interpreter",
  image_generation_call: "server_tool:image_generation",
};

/** Anthropic server tools billed beyond tokens that graphmeter does not price. */
const ANTHROPIC_UNPRICED_TOOLS: Readonly<Record<string, string>> = {
  // Code execution is billed by container time beyond a free daily allowance
  // (https://platform.claude.com/docs/en/agents-and-tools/tool-use/code-execution-tool, read
  // 2026-11-27): not knowable from one call.
  code_execution: "server_tool:code_execution",
};

/** The names of the fee-bearing tools in `items` that are not priced, once each. */
function unpriced(
  items: readonly unknown[],
  kindOf: (item: Dict) => unknown,
  table: Readonly<Record<string, string>>,
): string[] {
  const found = new Set<string>();
  for (const item of items) {
    const dict = asDict(item);
    const kind = dict && kindOf(dict);
    if (typeof kind === "string" && Object.hasOwn(table, kind)) found.add(table[kind]);
  }
  return [...found];
}

/**
 * Accounts for the server-side tools of one call where its integration hides them (see the
 * module's notes): the searches to bill and the parts left unknown.
 *
 * @param evidence The call's provider, whether it streamed, its answer and what it asked for.
 * @returns The searches counted here and the gaps.
 *
 * @example Usage
 * ```ts
 * import { accountServerTools } from "./server_tools.ts";
 * import assert from "node:assert/strict";
 *
 * const streamed = accountServerTools({
 *   provider: "anthropic",
 *   streamed: true,
 *   content: [
 *     { type: "server_tool_use", name: "web_search", input: "" },
 *     { type: "web_search_tool_result", content: [] },
 *     { type: "text", text: "ok" },
 *   ],
 *   rawUsage: {},
 *   requested: ["web_search_20250305"],
 * });
 * assert.equal(streamed.searches, 1);
 * assert.deepEqual(streamed.gaps, ["server_tool_input:unreported"]);
 * ```
 */
export function accountServerTools(evidence: ServerToolEvidence): ServerToolAccount {
  if (evidence.requested.length === 0 && evidence.provider !== "xai") {
    // Without server tools asked for, only a streamed Anthropic answer can hold their blocks
    // (a tool the model was given some other way): nothing else to look at.
    if (evidence.provider !== "anthropic" || !evidence.streamed) return NOTHING;
  }
  if (evidence.provider === "xai") return xai(evidence.rawUsage, evidence.requested);
  if (evidence.provider === "anthropic") {
    const blocks = Array.isArray(evidence.content) ? evidence.content : [];
    const streamed = evidence.streamed ? anthropicStreamed(blocks) : NOTHING;
    const fees = unpriced(blocks, toolCallName, ANTHROPIC_UNPRICED_TOOLS);
    return fees.length === 0 ? streamed : { ...streamed, gaps: [...streamed.gaps, ...fees] };
  }
  if (evidence.provider === "openai") {
    const fees = Array.isArray(evidence.output)
      ? unpriced(evidence.output, (item) => item.type, OPENAI_UNPRICED_ITEMS)
      : [];
    // Chat Completions' search models search on the provider's side and report no count.
    if (evidence.requested.includes(CHAT_COMPLETIONS_SEARCH)) fees.push("web_search:unreported");
    return fees.length === 0 ? NOTHING : { searches: 0, gaps: fees };
  }
  return NOTHING;
}

/** The tool name of a server tool call block (raw, or wrapped in LangChain's `non_standard`). */
function toolCallName(block: Dict): unknown {
  const dict = unwrap(block);
  return typeof dict?.type === "string" && SERVER_TOOL_CALLS.has(dict.type) ? dict.name : undefined;
}
