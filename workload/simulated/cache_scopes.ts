/**
 * Scopes of the simulated prompt cache: one per root LangGraph run, so that concurrent runs on one
 * model instance never warm each other's cache and report the same numbers in any interleaving.
 *
 * @module
 */
import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons";
import { PromptPrefixCache } from "./prompt_cache.ts";

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

/**
 * The object that identifies the root LangGraph run a call belongs to: LangGraph gives every
 * root invocation one `RunControl`, which nested graphs and nodes inherit in their config.
 */
function rootRunKey(options: unknown): object | undefined {
  const fromOptions = isObject(options) ? (options as { control?: unknown }).control : undefined;
  if (isObject(fromOptions)) return fromOptions;
  const config = AsyncLocalStorageProviderSingleton.getRunnableConfig() as unknown;
  const fromContext = isObject(config) ? (config as { control?: unknown }).control : undefined;
  return isObject(fromContext) ? fromContext : undefined;
}

/**
 * The prompt caches of one simulated model, one per root LangGraph run. LangGraph gives every
 * root invocation one `RunControl` object (`config.control`), which nested graphs and nodes
 * inherit; it reaches a chat model in its call options when the node passes its config on, and
 * through LangChain's async-local config otherwise. Calls outside any graph run share one
 * instance-wide cache.
 *
 * @example Usage
 * ```ts
 * import { notStrictEqual, strictEqual } from "node:assert/strict";
 * import { PromptCacheScopes } from "./cache_scopes.ts";
 *
 * const scopes = new PromptCacheScopes();
 * const runA = { control: {} };
 * const runB = { control: {} };
 * strictEqual(scopes.forCall(runA), scopes.forCall(runA));
 * notStrictEqual(scopes.forCall(runA), scopes.forCall(runB));
 * strictEqual(scopes.forCall({}), scopes.forCall(undefined));
 * ```
 */
export class PromptCacheScopes {
  #byRun = new WeakMap<object, PromptPrefixCache>();
  #outsideRuns = new PromptPrefixCache();

  /**
   * The cache for a call.
   *
   * @param options The call's options (their `control`, if any, names the root run).
   * @returns The cache of the call's root run, or the instance-wide one.
   */
  forCall(options: unknown): PromptPrefixCache {
    const key = rootRunKey(options);
    if (key === undefined) return this.#outsideRuns;
    let cache = this.#byRun.get(key);
    if (cache === undefined) {
      cache = new PromptPrefixCache();
      this.#byRun.set(key, cache);
    }
    return cache;
  }
}
