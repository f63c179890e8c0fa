/**
 * The evaluators `--evaluator FILE:EXPORT` names, as the worker loads them beside the graph (in the
 * user's project: its packages, its `.js` imports): the export is an evaluator (a function called
 * with `{ inputs, outputs, referenceOutputs }`), a named one (`{ name, evaluate }`), or an array
 * of either. Each is named after its export (`correctness`, or `checks[2]` in an array), so its
 * errors are recorded under that name. The CLI names the bundled workload's `--evaluator`s the
 * same way (it loads those itself).
 *
 * @module
 */
import type { EvaluatorSpec } from "./protocol.ts";

/** An evaluator as the worker calls it: a name and a function (sync or async). */
export interface LoadedEvaluator {
  /** The name its errors are recorded under. */
  name: string;
  /** The evaluator, called with `{ inputs, outputs, referenceOutputs }`. */
  evaluate: (args: Record<string, unknown>) => unknown;
}

/**
 * An `--evaluator` that cannot be used, in one line for the user (its flag says which).
 *
 * @example Usage
 * ```ts
 * import { EvaluatorLoadError } from "./load_evaluators.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new EvaluatorLoadError("./evals.ts:judge", "judge is not an evaluator");
 * assert.equal(error.flag, "./evals.ts:judge");
 * ```
 */
export class EvaluatorLoadError extends Error {
  override name = "EvaluatorLoadError";
  /** The `--evaluator` value it is about. */
  readonly flag: string;
  /**
   * @param flag The `--evaluator` value.
   * @param message What is wrong, without the flag.
   */
  constructor(flag: string, message: string) {
    super(message);
    this.flag = flag;
  }
}

function isNamed(value: unknown): value is LoadedEvaluator {
  const named = value as Partial<LoadedEvaluator> | null;
  return typeof named === "object" && named !== null && typeof named.name === "string" &&
    typeof named.evaluate === "function";
}

/**
 * The evaluators of one export: a function, a named evaluator, or an array of either.
 *
 * @param value The export.
 * @param name The export's name (each evaluator's name; `name[i]` in an array).
 * @param flag The flag's value, for messages.
 * @returns The evaluators, named.
 * @throws {EvaluatorLoadError} When the export is none of these.
 *
 * @example Usage
 * ```ts
 * import { evaluatorsOfExport } from "./load_evaluators.ts";
 * import assert from "node:assert/strict";
 *
 * const exact = () => ({ key: "exact", score: 1 });
 * assert.deepEqual(evaluatorsOfExport([exact, exact], "checks", "e.ts:checks").map((e) => e.name), [
 *   "checks[0]",
 *   "checks[1]",
 * ]);
 * assert.throws(() => evaluatorsOfExport(42, "n", "e.ts:n"), /n is not an evaluator/);
 * ```
 */
export function evaluatorsOfExport(value: unknown, name: string, flag: string): LoadedEvaluator[] {
  const one = (item: unknown, itemName: string): LoadedEvaluator => {
    if (typeof item === "function") {
      return { name: itemName, evaluate: item as LoadedEvaluator["evaluate"] };
    }
    if (isNamed(item)) return item;
    throw new EvaluatorLoadError(
      flag,
      `${itemName} is not an evaluator: export a function ` +
        "({ inputs, outputs, referenceOutputs }) => ({ key, score }), or an array of them",
    );
  };
  if (Array.isArray(value)) {
    if (value.length === 0) throw new EvaluatorLoadError(flag, `${name} is an empty array`);
    return value.map((item, index) => one(item, `${name}[${index}]`));
  }
  return [one(value, name)];
}

/**
 * Why a module could not be imported, in one line that says what to do: a package the project
 * lacks is named with the command that adds it; other errors are their first line.
 *
 * @param error What `import` threw.
 * @returns The reason.
 *
 * @example Usage
 * ```ts
 * import { importFailure } from "./load_evaluators.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new TypeError(
 *   'Import "autoevals/scorers" not a dependency and not in import map from "file:///p/evals.ts"',
 * );
 * assert.equal(
 *   importFailure(error),
 *   'it imports "autoevals/scorers", which is not one of the project\'s packages: add it to the ' +
 *     "project (npm install autoevals, or your package manager's add)",
 * );
 * const parse = new TypeError(
 *   "SyntaxError: Expression expected\n  |\n1 | const x = (;\n    at file:///p/evals.ts:1:12",
 * );
 * assert.equal(importFailure(parse), "SyntaxError: Expression expected (/p/evals.ts:1:12)");
 * ```
 */
export function importFailure(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const missing = /^Import "([^"]+)" not a dependency/.exec(text)?.[1];
  if (missing !== undefined && !/^[./]|^[a-z]+:/.test(missing)) {
    const parts = missing.split("/");
    const name = missing.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
    return `it imports "${missing}", which is not one of the project's packages: add it to the ` +
      `project (npm install ${name}, or your package manager's add)`;
  }
  const lines = text.split("\n");
  const first = error instanceof SyntaxError ? `SyntaxError: ${lines[0]}` : lines[0];
  // Deno's parse errors show the code, then where it is: keep where.
  const at = /^\s+at (file:\/\/\S+:\d+:\d+)$/.exec(lines[lines.length - 1])?.[1];
  return at === undefined || lines.length === 1
    ? first
    : `${first} (${decodeURI(new URL(at).pathname)})`;
}

/**
 * Loads every evaluator (each module imported once), in the order given.
 *
 * @param specs The modules and exports.
 * @param importModule Imports a module by URL (the worker's own `import`).
 * @returns The evaluators, named.
 * @throws {EvaluatorLoadError} When a module cannot be imported (a syntax error, a package the
 * project lacks), or an export is missing or not an evaluator.
 *
 * @example Usage
 * ```ts
 * import { loadEvaluators } from "./load_evaluators.ts";
 * import assert from "node:assert/strict";
 *
 * const modules: Record<string, Record<string, unknown>> = {
 *   "file:///p/evals.ts": { exact: () => ({ key: "exact", score: 1 }) },
 * };
 * const importModule = (url: string) => Promise.resolve(modules[url]);
 * const spec = { moduleUrl: "file:///p/evals.ts", exportName: "exact", flag: "./evals.ts:exact" };
 * const [exact] = await loadEvaluators([spec], importModule);
 * assert.equal(exact.name, "exact");
 * await assert.rejects(
 *   loadEvaluators([{ ...spec, exportName: "judge" }], importModule),
 *   /\/p\/evals\.ts has no export "judge" \(its exports: exact\)/,
 * );
 * ```
 */
export async function loadEvaluators(
  specs: readonly EvaluatorSpec[],
  importModule: (url: string) => Promise<Record<string, unknown>>,
): Promise<LoadedEvaluator[]> {
  const modules = new Map<string, Record<string, unknown>>();
  const evaluators: LoadedEvaluator[] = [];
  for (const spec of specs) {
    const file = decodeURIComponent(new URL(spec.moduleUrl).pathname);
    let module = modules.get(spec.moduleUrl);
    if (module === undefined) {
      try {
        module = await importModule(spec.moduleUrl);
      } catch (error) {
        throw new EvaluatorLoadError(spec.flag, `cannot import ${file}: ${importFailure(error)}`);
      }
      modules.set(spec.moduleUrl, module);
    }
    if (!(spec.exportName in module)) {
      const names = Object.keys(module).join(", ") || "none";
      throw new EvaluatorLoadError(
        spec.flag,
        `${file} has no export "${spec.exportName}" (its exports: ${names})`,
      );
    }
    evaluators.push(...evaluatorsOfExport(module[spec.exportName], spec.exportName, spec.flag));
  }
  return evaluators;
}
