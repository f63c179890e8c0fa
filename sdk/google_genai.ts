/**
 * Measures calls a node makes with the official `@google/genai` client
 * (`models.generateContent` and `models.generateContentStream`): usage with thinking tokens
 * (billed as output), cached and audio tokens, grounding searches, model and latency are reported
 * into the current LangChain run and stage.
 *
 * @module
 */
import { type CallReading, count, dict, instrumentMethod, type SdkReader } from "./_wrap.ts";

/** The part of a `GoogleGenAI` client this wrapper touches. */
export interface GoogleGenAILikeClient {
  /** `client.models.generateContent` / `generateContentStream`. */
  models?: object;
}

function modalityCount(details: unknown, modality: string): number {
  if (!Array.isArray(details)) return 0;
  let total = 0;
  for (const detail of details) {
    if (dict(detail).modality === modality) total += count(dict(detail).tokenCount);
  }
  return total;
}

function readResponse(result: unknown, params: unknown): CallReading | null {
  const body = dict(result);
  const model = typeof body.modelVersion === "string" ? body.modelVersion : dict(params).model;
  if (typeof model !== "string") return null;
  const usage = dict(body.usageMetadata);
  const thoughts = count(usage.thoughtsTokenCount);
  const candidates = Array.isArray(body.candidates) ? body.candidates : [];
  const queries = dict(dict(candidates[0]).groundingMetadata).webSearchQueries;
  return {
    model,
    inputTokens: count(usage.promptTokenCount),
    // Gemini bills thinking as output; candidatesTokenCount leaves it out.
    outputTokens: count(usage.candidatesTokenCount) + thoughts,
    cacheReadTokens: count(usage.cachedContentTokenCount),
    reasoningTokens: thoughts,
    inputAudioTokens: modalityCount(usage.promptTokensDetails, "AUDIO"),
    outputAudioTokens: modalityCount(usage.candidatesTokensDetails, "AUDIO"),
    webSearchRequests: Array.isArray(queries) ? queries.length : 0,
  };
}

const plain: SdkReader = {
  provider: "google_genai",
  read: readResponse,
  streams: () => false,
  fold: (reading) => reading,
};

const streamed: SdkReader = {
  provider: "google_genai",
  read: readResponse,
  streams: () => true,
  // Every chunk carries the usage so far; the last one is complete.
  fold: (reading, chunk, params) => {
    const next = readResponse(chunk, params);
    if (!next) return reading;
    return dict(chunk).usageMetadata || !reading ? next : reading;
  },
};

/**
 * Instruments a `@google/genai` client in place: every `models.generateContent` and
 * `models.generateContentStream` call made inside a graph node is measured in that node's stage.
 *
 * @param client A `GoogleGenAI` client.
 * @returns The same client.
 *
 * @example Usage
 * ```ts
 * import { instrumentGoogleGenAI } from "./google_genai.ts";
 * import assert from "node:assert/strict";
 *
 * const models = { generateContent: () => Promise.resolve({ modelVersion: "gemini-2.5-flash" }) };
 * const client = instrumentGoogleGenAI({ models });
 * assert.equal((await client.models.generateContent()).modelVersion, "gemini-2.5-flash");
 * ```
 */
export function instrumentGoogleGenAI<T extends GoogleGenAILikeClient>(client: T): T {
  if (client.models) {
    instrumentMethod(client.models, "generateContent", plain);
    instrumentMethod(client.models, "generateContentStream", streamed);
  }
  return client;
}
