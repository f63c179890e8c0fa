/**
 * A thin adapter for Braintrust's scorers (the `autoevals` package and custom scorers): they are
 * called with `{ input, output, expected }` and return `{ name, score, metadata? }` (or a bare
 * number, boolean or null); graphmeter's evaluators take `{ inputs, outputs, referenceOutputs }`
 * and return `{ key, score, comment? }`.
 *
 * @module
 */
import type { Evaluator, EvaluatorArgs, EvaluatorReturn } from "./evaluator.ts";

/** What a Braintrust-style scorer is called with. */
export type AutoevalsArgs<O = unknown, E = O> = {
  /** The example's input. */
  input?: unknown;
  /** The output to score. */
  output: O;
  /** The expected (reference) output, when the dataset has one. */
  expected?: E;
};

/** What a Braintrust-style scorer returns: a `Score`, or a bare score. */
export type AutoevalsScore =
  | {
    /** The score's name (the key). */
    name: string;
    /** From 0 to 1; null when not scored. */
    score: number | null;
    /** Anything else the scorer says (an LLM classifier's `rationale`, ...). */
    metadata?: Record<string, unknown>;
    /** Set when the scorer failed. */
    error?: unknown;
  }
  | number
  | boolean
  | null;

/** A Braintrust-style scorer (`autoevals`' `Levenshtein`, `Factuality`, or your own). */
export type AutoevalsScorer<O = unknown, E = O> = (
  args: AutoevalsArgs<O, E>,
) => AutoevalsScore | Promise<AutoevalsScore>;

/** Options of {@linkcode fromAutoevals}. */
export interface FromAutoevalsOptions {
  /** The key of a bare score, and of every score when given; default the scorer's `name`. */
  key?: string;
}

/**
 * Wraps a Braintrust-style scorer as an evaluator: `inputs` becomes `input`, `outputs` becomes
 * `output`, `referenceOutputs` becomes `expected`; the score's `name` becomes its key and its
 * `metadata.rationale` (when a string) its comment. A score carrying an `error` throws it, so it
 * is recorded as that evaluator's error.
 *
 * @param scorer The scorer.
 * @param options The key to use.
 * @returns The evaluator.
 *
 * @example Usage
 * ```ts
 * import { fromAutoevals } from "./autoevals.ts";
 * import assert from "node:assert/strict";
 *
 * const exact = ({ output, expected }: { output: unknown; expected?: unknown }) => ({
 *   name: "ExactMatch",
 *   score: output === expected ? 1 : 0,
 * });
 * const evaluator = fromAutoevals(exact);
 * assert.deepEqual(await evaluator({ inputs: "q", outputs: "a", referenceOutputs: "a" }), {
 *   key: "ExactMatch",
 *   score: 1,
 *   comment: null,
 * });
 * ```
 */
export function fromAutoevals<O = unknown, E = O>(
  scorer: AutoevalsScorer<O, E>,
  options: FromAutoevalsOptions = {},
): Evaluator<unknown, O, E> {
  const fallbackKey = options.key ?? (scorer.name || "autoevals");
  const evaluate = async (
    { inputs, outputs, referenceOutputs }: EvaluatorArgs<unknown, O, E>,
  ): Promise<EvaluatorReturn> => {
    const score = await scorer({ input: inputs, output: outputs, expected: referenceOutputs });
    if (score === null || typeof score === "number" || typeof score === "boolean") {
      return { key: fallbackKey, score, comment: null };
    }
    if (score.error !== undefined && score.error !== null) {
      throw score.error instanceof Error ? score.error : new Error(String(score.error));
    }
    const rationale = score.metadata?.rationale;
    return {
      key: options.key ?? score.name,
      score: score.score,
      comment: typeof rationale === "string" ? rationale : null,
    };
  };
  Object.defineProperty(evaluate, "name", { value: fallbackKey });
  return evaluate;
}
