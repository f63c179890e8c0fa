/**
 * Who a run is for: its LangGraph thread and the attribution keys a team names (`user_id`,
 * `tenant_id`, ...), read once per root run from the metadata LangChain hands its callbacks.
 *
 * Where they come from (checked on `@langchain/langgraph` 1.7 and `@langchain/core` 1.4): a
 * callback receives the run's `metadata` (the `metadata` passed to `invoke`, plus what LangGraph
 * adds); from `configurable`, LangGraph copies only `thread_id`, checkpoint and task ids into that
 * metadata, and core runs callbacks outside the invocation's async context. So a `user_id` given
 * only in `configurable` is invisible to any callback handler: pass attribution keys in
 * `metadata` (`{ configurable: { thread_id }, metadata: { user_id } }`).
 *
 * @module
 */

type Dict = Record<string, unknown>;

/** The attribution keys a handler reads unless told otherwise. */
export const DEFAULT_ATTRIBUTION_KEYS: readonly string[] = Object.freeze(["user_id", "tenant_id"]);

/**
 * The metadata keys that name a run's thread, in the order they are looked for: LangGraph's
 * `thread_id` (copied from `configurable`), then the other keys LangSmith groups threads by.
 */
export const THREAD_KEYS: readonly string[] = Object.freeze([
  "thread_id",
  "session_id",
  "conversation_id",
]);

/** Attribution values longer than this are cut (a metadata value is not meant to be a document). */
export const MAX_ATTRIBUTE_LENGTH = 256;

/** A run's attribution, as the recorder keeps it on a root run. */
export interface Attribution {
  /** The thread, or null. */
  readonly threadId: string | null;
  /** The attribution keys found, or null when none was (no allocation for most runs). */
  readonly attributes: Readonly<Record<string, string>> | null;
}

const NONE: Attribution = Object.freeze({ threadId: null, attributes: null });

/** An attribution value as text: strings, finite numbers and booleans; anything else is none. */
function textOf(value: unknown): string | null {
  if (typeof value === "string") {
    return value.length === 0 ? null : value.slice(0, MAX_ATTRIBUTE_LENGTH);
  }
  if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean") {
    return String(value);
  }
  return null;
}

/**
 * The thread and attribution keys a run's metadata names.
 *
 * @param metadata The metadata of the run's first event (its root chain start, or its LLM start).
 * @param keys The attribution keys to read.
 * @returns The attribution (frozen).
 *
 * @example Usage
 * ```ts
 * import { attributionOf } from "./attribution.ts";
 * import assert from "node:assert/strict";
 *
 * const seen = attributionOf({ thread_id: "t-1", user_id: 42, prompt: { long: true } }, [
 *   "user_id",
 *   "tenant_id",
 * ]);
 * assert.deepEqual(seen, { threadId: "t-1", attributes: { user_id: "42" } });
 * ```
 */
export function attributionOf(
  metadata: Dict | undefined,
  keys: readonly string[],
): Attribution {
  if (metadata === undefined || metadata === null) return NONE;
  let threadId: string | null = null;
  for (const key of THREAD_KEYS) {
    threadId = textOf(metadata[key]);
    if (threadId !== null) break;
  }
  let attributes: Record<string, string> | null = null;
  for (const key of keys) {
    const value = textOf(metadata[key]);
    if (value !== null) (attributes ??= {})[key] = value;
  }
  if (threadId === null && attributes === null) return NONE;
  return Object.freeze({ threadId, attributes: attributes && Object.freeze(attributes) });
}

/**
 * The attribution keys to read, validated: non-empty strings, each once.
 *
 * @param keys The handler's `attributes` option.
 * @returns The keys (frozen).
 * @throws {TypeError} When a key is not a non-empty string.
 *
 * @example Usage
 * ```ts
 * import { attributionKeysOf } from "./attribution.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(attributionKeysOf(undefined), ["user_id", "tenant_id"]);
 * assert.deepEqual(attributionKeysOf(["feature", "feature"]), ["feature"]);
 * ```
 */
export function attributionKeysOf(keys: readonly string[] | undefined): readonly string[] {
  if (keys === undefined) return DEFAULT_ATTRIBUTION_KEYS;
  for (const key of keys) {
    if (typeof key !== "string" || key.length === 0) {
      throw new TypeError(`attributes: each key must be a non-empty string, got ${String(key)}`);
    }
  }
  return Object.freeze([...new Set(keys)]);
}

/**
 * What several runs share: the thread and the attribution values that are the same in every run.
 * Runs are added one at a time, so sums over any number of runs keep it in constant memory.
 *
 * @example Usage
 * ```ts
 * import { CommonAttribution } from "./attribution.ts";
 * import assert from "node:assert/strict";
 *
 * const common = new CommonAttribution();
 * common.add("t-1", { user_id: "u1", tenant_id: "acme" });
 * common.add("t-1", { user_id: "u2", tenant_id: "acme" });
 * assert.equal(common.threadId, "t-1");
 * assert.deepEqual(common.attributes, { tenant_id: "acme" });
 * ```
 */
export class CommonAttribution {
  #runs = 0;
  #threadId: string | null = null;
  #attributes: Readonly<Record<string, string>> = EMPTY_ATTRIBUTES;

  /** The thread every run added belongs to, or null. */
  get threadId(): string | null {
    return this.#threadId;
  }

  /** The attribution values every run added shares (frozen). */
  get attributes(): Readonly<Record<string, string>> {
    return this.#attributes;
  }

  /** Adds one run's (or one group of runs') attribution. */
  add(
    threadId: string | null | undefined,
    attributes: Readonly<Record<string, string>> | undefined,
  ): void {
    const first = this.#runs === 0;
    this.#runs += 1;
    if (first) {
      this.#threadId = threadId ?? null;
      this.#attributes = attributes ?? EMPTY_ATTRIBUTES;
      return;
    }
    if (this.#threadId !== (threadId ?? null)) this.#threadId = null;
    const shared = Object.entries(this.#attributes).filter(([key, value]) =>
      attributes?.[key] === value
    );
    if (shared.length !== Object.keys(this.#attributes).length) {
      this.#attributes = shared.length === 0
        ? EMPTY_ATTRIBUTES
        : Object.freeze(Object.fromEntries(shared));
    }
  }

  /** An independent copy. */
  clone(): CommonAttribution {
    const copy = new CommonAttribution();
    copy.#runs = this.#runs;
    copy.#threadId = this.#threadId;
    copy.#attributes = this.#attributes;
    return copy;
  }
}

/** No attribution keys (frozen, shared). */
export const EMPTY_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({});
