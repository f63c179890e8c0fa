/**
 * Builds the chat models chosen on the command line. A provider's package is imported only when
 * that provider is chosen; a missing API key is a {@linkcode UsageError} found before any work.
 *
 * @module
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AsyncCaller } from "@langchain/core/utils/async_caller";
import type { ModelChoice, Provider } from "./args.ts";
import { UsageError } from "../usage_error.ts";

/**
 * The npm package of each real provider's LangChain integration, as a full specifier (the same
 * versions as `deno.json`'s import map, which a test checks). They are imported by a specifier
 * computed at run time, so no registry's analysis of the published package counts them among its
 * dependencies: a library user who never runs the CLI with `--model openai:...` installs none
 * of them (`@langchain/openai` alone declares Node ≥ 22).
 *
 * @example Usage
 * ```ts
 * import { PROVIDER_PACKAGES } from "./models.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(PROVIDER_PACKAGES.openai, /^npm:@langchain\/openai@/);
 * ```
 */
export const PROVIDER_PACKAGES: Readonly<Record<Exclude<Provider, "simulated">, string>> = {
  openai: "npm:@langchain/openai@^1.6.0",
  anthropic: "npm:@langchain/anthropic@^1.5.11",
  "google-genai": "npm:@langchain/google-genai@^2.3.2",
  ollama: "npm:@langchain/ollama@^1.3.0",
};

async function importProvider<M>(provider: Exclude<Provider, "simulated">): Promise<M> {
  const specifier = PROVIDER_PACKAGES[provider];
  return await import(specifier) as M;
}

/**
 * The environment variables that may hold each provider's API key, in order of preference.
 *
 * @example Usage
 * ```ts
 * import { KEY_VARIABLES } from "./models.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(KEY_VARIABLES["google-genai"], ["GOOGLE_API_KEY", "GEMINI_API_KEY"]);
 * ```
 */
export const KEY_VARIABLES: Readonly<Record<Provider, readonly string[]>> = {
  openai: ["OPENAI_API_KEY"],
  anthropic: ["ANTHROPIC_API_KEY"],
  "google-genai": ["GOOGLE_API_KEY", "GEMINI_API_KEY"],
  ollama: [],
  simulated: [],
};

/**
 * Finds the API key of a provider in the environment.
 *
 * @param provider The provider.
 * @param env Reads an environment variable (e.g. `(name) => Deno.env.get(name)`).
 * @param baseUrl The `--base-url`, if any: an OpenAI-compatible server may need no key.
 * @returns The key, or null when the provider needs none.
 * @throws {UsageError} When the provider needs a key and none is set.
 *
 * @example Usage
 * ```ts
 * import { resolveApiKey } from "./models.ts";
 * import assert from "node:assert/strict";
 *
 * const env = (name: string) => ({ GEMINI_API_KEY: "k" } as Record<string, string>)[name];
 * assert.equal(resolveApiKey("google-genai", env, null), "k");
 * assert.equal(resolveApiKey("ollama", env, null), null);
 * assert.throws(() => resolveApiKey("openai", env, null), /OPENAI_API_KEY/);
 * ```
 */
export function resolveApiKey(
  provider: Provider,
  env: (name: string) => string | undefined,
  baseUrl: string | null,
): string | null {
  const names = KEY_VARIABLES[provider];
  if (names.length === 0) return null;
  for (const name of names) {
    const value = env(name)?.trim();
    if (value) return value;
  }
  if (provider === "openai" && baseUrl !== null) return "not-needed";
  throw new UsageError(
    `${names.join(" or ")} is not set: export it to use ${provider}, ` +
      "or drop --model to run the simulated model",
  );
}

/** What building a chat model needs besides the choice itself. */
export interface ChatModelOptions {
  /** The API key, or null when the provider needs none. */
  apiKey: string | null;
  /** A base URL for the provider, or null for its default. */
  baseUrl: string | null;
  /** A seed, or null. */
  seed: number | null;
  /** Builds the simulated model that imitates (and is priced as) the named real model. */
  createSimulated: (model: string, seed: number | null) => BaseChatModel;
  /** Milliseconds a call (one attempt, where the integration allows) may take; default none. */
  timeoutMs?: number;
  /** Retries of a failed call; default the integration's. */
  maxRetries?: number;
  /**
   * Called with the error of each failed attempt LangChain deems retryable (a failing call's
   * last attempt included: the integration does not say which attempt it was).
   */
  onRetry?: (error: unknown) => void;
}

/**
 * LangChain's own decision whether a failed attempt is retried (it throws when not), wrapped so
 * that `onRetry` hears of each retryable failed attempt.
 */
function retryHook(onRetry: ((error: unknown) => void) | undefined) {
  if (onRetry === undefined) return {};
  // The default handler is not exported; a caller built without one holds it.
  const decide = (new AsyncCaller({}) as unknown as { onFailedAttempt?: (error: unknown) => void })
    .onFailedAttempt;
  return {
    onFailedAttempt: (error: unknown): void => {
      decide?.(error);
      onRetry(error);
    },
  };
}

/**
 * Builds the chat model of a choice, importing the provider's package only now.
 *
 * @param choice The provider and model.
 * @param options Key, base URL, seed and the simulated model's factory.
 * @returns The chat model.
 *
 * @example Usage
 * ```ts
 * import { createChatModel } from "./models.ts";
 * import { FakeListChatModel } from "@langchain/core/utils/testing";
 * import assert from "node:assert/strict";
 *
 * const model = await createChatModel({ provider: "simulated", model: "gpt-4o-mini" }, {
 *   apiKey: null,
 *   baseUrl: null,
 *   seed: 1,
 *   createSimulated: () => new FakeListChatModel({ responses: ["ok"] }),
 * });
 * assert.equal((await model.invoke("hi")).content, "ok");
 * ```
 */
export async function createChatModel(
  choice: ModelChoice,
  options: ChatModelOptions,
): Promise<BaseChatModel> {
  const { apiKey, baseUrl, seed, timeoutMs, maxRetries } = options;
  const { model } = choice;
  const retries = { maxRetries, ...retryHook(options.onRetry) };
  // A bound on the whole call (retries included), for integrations without a per-attempt one.
  const bounded = (chat: BaseChatModel): BaseChatModel =>
    timeoutMs === undefined
      ? chat
      : chat.withConfig({ timeout: timeoutMs }) as unknown as BaseChatModel;
  switch (choice.provider) {
    case "simulated":
      return options.createSimulated(model, seed);
    case "openai": {
      const { ChatOpenAI } = await importProvider<typeof import("@langchain/openai")>("openai");
      return new ChatOpenAI({
        model,
        apiKey: apiKey ?? undefined,
        configuration: baseUrl ? { baseURL: baseUrl } : undefined,
        modelKwargs: seed === null ? undefined : { seed },
        timeout: timeoutMs,
        ...retries,
      });
    }
    case "anthropic": {
      const { ChatAnthropic } = await importProvider<typeof import("@langchain/anthropic")>(
        "anthropic",
      );
      return new ChatAnthropic({
        model,
        apiKey: apiKey ?? undefined,
        anthropicApiUrl: baseUrl ?? undefined,
        clientOptions: timeoutMs === undefined ? undefined : { timeout: timeoutMs },
        ...retries,
      });
    }
    case "google-genai": {
      const { ChatGoogleGenerativeAI } = await importProvider<
        typeof import("@langchain/google-genai")
      >("google-genai");
      return bounded(
        new ChatGoogleGenerativeAI({
          model,
          apiKey: apiKey ?? undefined,
          baseUrl: baseUrl ?? undefined,
          ...retries,
        }),
      );
    }
    case "ollama": {
      const { ChatOllama } = await importProvider<typeof import("@langchain/ollama")>("ollama");
      return bounded(
        new ChatOllama({
          model,
          baseUrl: baseUrl ?? undefined,
          seed: seed ?? undefined,
          ...retries,
        }),
      );
    }
  }
}
