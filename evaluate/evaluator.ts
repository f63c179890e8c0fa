/**
 * What an evaluator is, in the ecosystem's own shape (LangChain's `openevals`, LangSmith's JS
 * `evaluate()`): a function, sync or async, called with `{ inputs, outputs, referenceOutputs }`,
 * that returns `{ key, score, comment? }`, a list of them, or `{ results: [...] }`; a score is a
 * number, a boolean (true counts 1) or null (not scored). Types only, plus the name an
 * evaluator's errors are recorded under.
 *
 * @module
 */

/**
 * How long one evaluator may take on one run by default, ms (5 minutes: an LLM judge with
 * retries).
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_EVALUATOR_TIMEOUT_MS } from "./evaluator.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_EVALUATOR_TIMEOUT_MS, 300_000);
 * ```
 */
export const DEFAULT_EVALUATOR_TIMEOUT_MS = 300_000;

/**
 * What an evaluator is called with: one run of one dataset example. (A type, not an interface,
 * so that it fits evaluators typed as taking any record, as `openevals`' are.)
 */
export type EvaluatorArgs<I = unknown, O = unknown, R = unknown> = {
  /** The example's inputs: what the graph was invoked with. */
  inputs: I;
  /** The graph's output (for a LangGraph graph, its final state). */
  outputs: O;
  /** The example's reference outputs (a dataset's `outputs`), or undefined without one. */
  referenceOutputs?: R;
};

/** One score an evaluator returns (openevals' and LangSmith's `EvaluationResult`). */
export interface EvaluationResult {
  /** What is scored, e.g. `correctness`; the name compare, the gate and reports use. */
  key: string;
  /** The score: higher is better; a boolean counts 1 (true) or 0; null when not scored. */
  score: number | boolean | null;
  /** Why, in words (an LLM judge's reasoning); optional. */
  comment?: string | null;
}

/** What an evaluator may return: one result, several, or `{ results }` (LangSmith's form). */
export type EvaluatorReturn =
  | EvaluationResult
  | readonly EvaluationResult[]
  | { results: readonly EvaluationResult[] };

/**
 * An evaluator: `createLLMAsJudge(...)` from `openevals` is one as it is, and so is any function
 * of this shape. Higher scores are better: compare calls a lower one a regression.
 *
 * @example An exact-match evaluator against the dataset's reference outputs
 * ```ts
 * import type { Evaluator } from "./evaluator.ts";
 * import assert from "node:assert/strict";
 *
 * const exactMatch: Evaluator<unknown, { answer: string }, { answer: string }> = (
 *   { outputs, referenceOutputs },
 * ) => ({ key: "exact_match", score: outputs.answer === referenceOutputs?.answer });
 * assert.deepEqual(
 *   exactMatch({ inputs: {}, outputs: { answer: "Lima" }, referenceOutputs: { answer: "Lima" } }),
 *   { key: "exact_match", score: true },
 * );
 * ```
 */
export type Evaluator<I = unknown, O = unknown, R = unknown> = (
  args: EvaluatorArgs<I, O, R>,
) => EvaluatorReturn | Promise<EvaluatorReturn>;

/**
 * An evaluator with a name: the key its errors (a throw, a timeout, a malformed result) are
 * recorded under. Name it after the key it returns, so scores and errors land on one line.
 */
export interface NamedEvaluator<I = unknown, O = unknown, R = unknown> {
  /** The evaluator's name (e.g. the key it returns). */
  name: string;
  /** The evaluator. */
  evaluate: Evaluator<I, O, R>;
}

/** An evaluator as `runBenchmark` takes it: a function, or a function with a name. */
export type BenchmarkEvaluator<I = unknown, O = unknown, R = unknown> =
  | Evaluator<I, O, R>
  | NamedEvaluator<I, O, R>;

/**
 * The name an evaluator's errors are recorded under: a named evaluator's `name`, else the
 * function's own name, else `evaluator <n>` (n from 1, its place in the list).
 *
 * @param evaluator The evaluator.
 * @param index Its place in the benchmark's list, from 0.
 * @returns The name.
 *
 * @example Usage
 * ```ts
 * import { evaluatorName } from "./evaluator.ts";
 * import assert from "node:assert/strict";
 *
 * function correctness() {
 *   return { key: "correctness", score: 1 };
 * }
 * assert.equal(evaluatorName(correctness, 0), "correctness");
 * assert.equal(evaluatorName({ name: "judge", evaluate: correctness }, 0), "judge");
 * assert.equal(evaluatorName(() => ({ key: "k", score: 1 }), 2), "evaluator 3");
 * ```
 */
export function evaluatorName(evaluator: BenchmarkEvaluator, index: number): string {
  if (typeof evaluator !== "function") return evaluator.name;
  const own = evaluator.name.trim();
  return own === "" ? `evaluator ${index + 1}` : own;
}

/**
 * The function of an evaluator, named or not.
 *
 * @param evaluator The evaluator.
 * @returns Its function.
 *
 * @example Usage
 * ```ts
 * import { evaluatorFunction } from "./evaluator.ts";
 * import assert from "node:assert/strict";
 *
 * const evaluate = () => ({ key: "k", score: 1 });
 * assert.equal(evaluatorFunction({ name: "k", evaluate }), evaluate);
 * assert.equal(evaluatorFunction(evaluate), evaluate);
 * ```
 */
export function evaluatorFunction<I, O, R>(
  evaluator: BenchmarkEvaluator<I, O, R>,
): Evaluator<I, O, R> {
  return typeof evaluator === "function" ? evaluator : evaluator.evaluate;
}
