/**
 * Inside the worker: the outputs of finished runs, kept as the graph returned them (its
 * messages as the project's LangChain classes, not plain copies) until the run's evaluators have
 * all been called on them — `openevals` reads messages by their class — or the CLI says it holds
 * the run's output no more (a run it does not score). Each evaluator takes its own copy of an
 * output's plain objects and arrays (the class instances in them shared): openevals' LLM-as-judge
 * replaces `outputs.messages` with OpenAI-style dicts in place, which another evaluator of the
 * same run must not see.
 *
 * @module
 */

/** What {@linkcode RetainedOutputs.take} finds: the output, or nothing. */
export type Taken = { found: true; output: unknown } | { found: false };

/** How deep plain objects and arrays are copied (a cycle stops there). */
const MAX_DEPTH = 24;

/**
 * A copy of a value's plain objects and arrays, at every depth; class instances (messages,
 * dates) and primitives are the same ones.
 *
 * @param value Anything.
 * @returns Its copy.
 *
 * @example Usage
 * ```ts
 * import { copyContainers } from "./retained_outputs.ts";
 * import assert from "node:assert/strict";
 *
 * class Message {
 *   constructor(readonly content: string) {}
 * }
 * const state = { messages: [new Message("hi")] };
 * const copy = copyContainers(state) as typeof state;
 * copy.messages = [];
 * assert.equal(state.messages.length, 1);
 * assert.equal((copyContainers(state) as typeof state).messages[0], state.messages[0]);
 * ```
 */
export function copyContainers(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => copyContainers(item, depth + 1));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, copyContainers(item, depth + 1)]),
  );
}

/**
 * Run outputs kept for a fixed number of evaluators each.
 *
 * @example Usage
 * ```ts
 * import { RetainedOutputs } from "./retained_outputs.ts";
 * import assert from "node:assert/strict";
 *
 * const outputs = new RetainedOutputs(2);
 * const state = { messages: [] };
 * assert.equal(outputs.keep("run-0", state), true);
 * assert.equal(outputs.keep("run-1", "a string"), false); // sent as it is: nothing to keep
 * assert.deepEqual(outputs.take("run-0"), { found: true, output: state }); // a copy of it
 * outputs.done("run-0");
 * assert.deepEqual(outputs.take("run-0"), { found: true, output: state });
 * outputs.done("run-0"); // both evaluators done: dropped
 * assert.equal(outputs.size, 0);
 * ```
 */
export class RetainedOutputs {
  readonly #evaluators: number;
  readonly #kept = new Map<string, { output: unknown; done: number }>();

  /** @param evaluators How many evaluators each run's output is for (0: nothing is kept). */
  constructor(evaluators: number) {
    this.#evaluators = evaluators;
  }

  /** How many outputs are kept. */
  get size(): number {
    return this.#kept.size;
  }

  /**
   * Keeps a run's output when there are evaluators and it is an object (a plain value crosses
   * to the CLI as it is, and comes back with the evaluation).
   *
   * @param run The run's key.
   * @param output The graph's output.
   * @returns Whether it was kept.
   */
  keep(run: string, output: unknown): boolean {
    if (this.#evaluators === 0 || output === null || typeof output !== "object") return false;
    this.#kept.set(run, { output, done: 0 });
    return true;
  }

  /**
   * The kept output of a run, for one evaluator: its own copy of the plain objects and arrays.
   *
   * @param run The run's key.
   * @returns It, or `{ found: false }` when it was never kept or is gone.
   */
  take(run: string): Taken {
    const kept = this.#kept.get(run);
    return kept === undefined
      ? { found: false }
      : { found: true, output: copyContainers(kept.output) };
  }

  /**
   * One evaluator is done with a run's output; after the last one it is dropped.
   *
   * @param run The run's key.
   */
  done(run: string): void {
    const kept = this.#kept.get(run);
    if (kept !== undefined && ++kept.done >= this.#evaluators) this.#kept.delete(run);
  }

  /**
   * Drops a run's output (the CLI holds it no more).
   *
   * @param run The run's key.
   */
  release(run: string): void {
    this.#kept.delete(run);
  }
}
