/**
 * Calls LangChain never sees: wrappers for the official provider SDK clients (`openai`,
 * `@anthropic-ai/sdk`, `@google/genai`) that report each call's usage, model and latency into
 * the current LangChain run and stage, so a node calling an SDK directly is measured with no
 * extra code. The wrappers never throw into the node; outside a graph the client behaves as
 * before. A call is reported when its promise settles (or its stream ends); the raw-response
 * helpers (`withResponse()`, `asResponse()`) bypass the report.
 *
 * @example Usage
 * ```ts ignore
 * import OpenAI from "openai";
 * import { instrumentOpenAI } from "@graphmeter/graphmeter/sdk";
 *
 * const openai = instrumentOpenAI(new OpenAI());
 * // inside a node: await openai.chat.completions.create({ model: "gpt-4.1-mini", messages });
 * ```
 *
 * @module
 */
export { instrumentOpenAI, type OpenAILikeClient } from "./openai.ts";
export { type AnthropicLikeClient, instrumentAnthropic } from "./anthropic.ts";
export { type GoogleGenAILikeClient, instrumentGoogleGenAI } from "./google_genai.ts";
export { sdkReportFailures } from "./_wrap.ts";
export { type HttpAttemptTracking, trackHttpAttempts } from "./http_attempts.ts";
// What tracking records on each call (the root writes them out on `LLMCallMetrics`, unnamed).
export type {
  AttemptOutcome,
  HttpAttempt,
  RateLimitReading,
} from "../telemetry/attempt_metrics.ts";
