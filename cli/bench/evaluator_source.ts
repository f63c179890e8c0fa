/**
 * The evaluators `--evaluator FILE:EXPORT` names: the export is an evaluator (a function called
 * with `{ inputs, outputs, referenceOutputs }`), a named one (`{ name, evaluate }`), or an array
 * of either. Each is named after its export (`correctness`, or `checks[2]` in an array), so its
 * errors are recorded under that name. For the bundled workload they are imported here; for a
 * user's graph they are loaded and run in its worker, in the user's project (its packages, its
 * LangChain, its env), and stand here as evaluators that ask the worker — their own LLM calls
 * replayed into the handler that meters each evaluator. An I/O edge: it imports the user's module.
 *
 * @module
 */
import type { EvaluatorReturn, NamedEvaluator } from "../../evaluate/evaluator.ts";
import { evaluationHandlerInScope } from "../../evaluate/evaluate_run.ts";
import {
  EvaluatorLoadError,
  evaluatorsOfExport as exportEvaluators,
  loadEvaluators as loadModules,
} from "../../worker/load_evaluators.ts";
import type { EvaluationArgs } from "../../worker/client.ts";
import type { EvaluatorSpec } from "../../worker/protocol.ts";
import { UsageError } from "../usage_error.ts";
/** Where an evaluator lives: a module and the name of its export. */
interface EvaluatorLocation {
  file: string;
  exportName: string;
}

/**
 * Splits `FILE:EXPORT` and makes FILE absolute (relative to `cwd`).
 *
 * @param spec The flag's value.
 * @param cwd The folder relative paths start from.
 * @returns The module and the export.
 * @throws {UsageError} When it is not `FILE:EXPORT`.
 *
 * @example Usage
 * ```ts
 * import { evaluatorLocation } from "./evaluator_source.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(evaluatorLocation("./evals.ts:correctness", "/project"), {
 *   file: "/project/evals.ts",
 *   exportName: "correctness",
 * });
 * ```
 */
export function evaluatorLocation(spec: string, cwd: string): EvaluatorLocation {
  const match = /^(.+):([A-Za-z_$][\w$]*)$/.exec(spec.trim());
  if (match === null) {
    throw new UsageError(`--evaluator "${spec}": write FILE:EXPORT, e.g. ./evals.ts:correctness`);
  }
  const path = match[1];
  const file = path.startsWith("/")
    ? path
    : `${cwd.replace(/\/+$/, "")}/${path.replace(/^\.\//, "")}`;
  return { file, exportName: match[2] };
}

/** An `--evaluator` that cannot be used, as the one line the CLI prints. */
function usageError(error: unknown): unknown {
  return error instanceof EvaluatorLoadError
    ? new UsageError(`--evaluator ${error.flag}: ${error.message}`)
    : error;
}

/**
 * The evaluators of one export: a function, a named evaluator, or an array of either.
 *
 * @param value The export.
 * @param name The export's name (each evaluator's name; `name[i]` in an array).
 * @param spec The flag's value, for messages.
 * @returns The evaluators, named.
 * @throws {UsageError} When the export is none of these.
 *
 * @example Usage
 * ```ts
 * import { evaluatorsOfExport } from "./evaluator_source.ts";
 * import assert from "node:assert/strict";
 *
 * const exact = () => ({ key: "exact", score: 1 });
 * assert.deepEqual(evaluatorsOfExport([exact, exact], "checks", "e.ts:checks").map((e) => e.name), [
 *   "checks[0]",
 *   "checks[1]",
 * ]);
 * assert.throws(() => evaluatorsOfExport(42, "n", "e.ts:n"), /not an evaluator/);
 * ```
 */
export function evaluatorsOfExport(value: unknown, name: string, spec: string): NamedEvaluator[] {
  try {
    return exportEvaluators(value, name, spec) as NamedEvaluator[];
  } catch (error) {
    throw usageError(error);
  }
}

/** Refuses two evaluators of one name (their scores and errors would share a key). */
function distinct<T extends { name: string }>(evaluators: T[]): T[] {
  const names = evaluators.map((e) => e.name);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice !== undefined) {
    throw new UsageError(`--evaluator: two evaluators are named "${twice}"; give each once`);
  }
  return evaluators;
}

/**
 * Where each `--evaluator` lives, checked before anything loads it: `FILE:EXPORT`, FILE there.
 *
 * @param specs The flags' values, `FILE:EXPORT`.
 * @param cwd The folder relative paths start from.
 * @returns The modules (`file:` URLs) and exports, in the order given.
 * @throws {UsageError} When one is not `FILE:EXPORT` or its file does not exist.
 *
 * @example Usage
 * ```ts
 * import { evaluatorSpecs } from "./evaluator_source.ts";
 * import assert from "node:assert/strict";
 *
 * const here = new URL(".", import.meta.url).pathname;
 * assert.deepEqual(await evaluatorSpecs(["./evaluator_source.ts:x"], here), [{
 *   moduleUrl: new URL("./evaluator_source.ts", import.meta.url).href,
 *   exportName: "x",
 *   flag: "./evaluator_source.ts:x",
 * }]);
 * await assert.rejects(evaluatorSpecs(["./none.ts:x"], here), /none\.ts does not exist/);
 * ```
 */
export async function evaluatorSpecs(
  specs: readonly string[],
  cwd: string,
): Promise<EvaluatorSpec[]> {
  const found: EvaluatorSpec[] = [];
  for (const spec of specs) {
    const { file, exportName } = evaluatorLocation(spec, cwd);
    try {
      await Deno.stat(file);
    } catch {
      throw new UsageError(`--evaluator ${spec}: ${file} does not exist`);
    }
    found.push({ moduleUrl: new URL(`file://${file}`).href, exportName, flag: spec });
  }
  return found;
}

/**
 * Loads every `--evaluator` in this process (imports each module once): the bundled workload's.
 *
 * @param specs The flags' values, `FILE:EXPORT`.
 * @param cwd The folder relative paths start from.
 * @returns The evaluators, in the order given.
 * @throws {UsageError} When a module cannot be found or imported, or an export is missing or
 * not an evaluator.
 *
 * @example Usage
 * ```ts ignore
 * import { loadEvaluators } from "./evaluator_source.ts";
 *
 * const evaluators = await loadEvaluators(["./evals.ts:correctness"], Deno.cwd());
 * ```
 */
export async function loadEvaluators(
  specs: readonly string[],
  cwd: string,
): Promise<NamedEvaluator[]> {
  const modules = await evaluatorSpecs(specs, cwd);
  try {
    return distinct(await loadModules(modules, (url) => import(url)) as NamedEvaluator[]);
  } catch (error) {
    throw usageError(error);
  }
}

/** What runs evaluators elsewhere: a user's graph in its worker. */
export interface RemoteEvaluation {
  /**
   * Runs evaluator `index` there on a run's output; the evaluator's own LangChain callbacks reach
   * `handlers`.
   */
  evaluate(index: number, args: EvaluationArgs, handlers: readonly object[]): Promise<unknown>;
}

/**
 * The evaluators a worker loaded, as the benchmark runner calls them: each asks the worker to
 * run it and replays its LLM calls into the handler metering it here (so they are recorded
 * apart, as evaluation cost, and count against the budget); what it returns is read here (the
 * zod schemas of `evaluate/`), as any evaluator's.
 *
 * @param remote The worker.
 * @param names The evaluators' names, in the worker's order.
 * @returns The evaluators.
 * @throws {UsageError} When two have one name.
 *
 * @example Usage
 * ```ts
 * import { remoteEvaluators } from "./evaluator_source.ts";
 * import { evaluateRun } from "../../evaluate/evaluate_run.ts";
 * import assert from "node:assert/strict";
 *
 * const remote = {
 *   evaluate: (index: number) => Promise.resolve({ key: `k${index}`, score: true }),
 * };
 * const evaluators = remoteEvaluators(remote, ["exact", "judge"]);
 * const record = await evaluateRun(evaluators, { inputs: {}, outputs: {} });
 * assert.deepEqual(record.scores.map((s) => [s.key, s.score]), [["k0", 1], ["k1", 1]]);
 * assert.throws(() => remoteEvaluators(remote, ["a", "a"]), /two evaluators are named "a"/);
 * ```
 */
export function remoteEvaluators(
  remote: RemoteEvaluation,
  names: readonly string[],
): NamedEvaluator[] {
  return distinct(names.map((name, index) => ({
    name,
    evaluate: (args) => {
      const handler = evaluationHandlerInScope();
      // Unchecked here: evaluateRun reads what comes back as it reads any evaluator's result.
      const returned = remote.evaluate(index, args, handler === undefined ? [] : [handler]);
      return returned as Promise<EvaluatorReturn>;
    },
  })));
}
