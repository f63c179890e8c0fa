/**
 * Loads the evaluators `--evaluator FILE:EXPORT` names: the export is an evaluator (a function
 * called with `{ inputs, outputs, referenceOutputs }`), a named one (`{ name, evaluate }`), or an
 * array of either. Each is named after its export (`correctness`, or `checks[2]` in an array),
 * so its errors are recorded under that name. An I/O edge: it imports the user's module.
 *
 * @module
 */
import type { NamedEvaluator } from "../../evaluate/evaluator.ts";
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

function isNamed(value: unknown): value is NamedEvaluator {
  const named = value as Partial<NamedEvaluator> | null;
  return typeof named === "object" && named !== null && typeof named.name === "string" &&
    typeof named.evaluate === "function";
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
  const one = (item: unknown, itemName: string): NamedEvaluator => {
    if (typeof item === "function") {
      return { name: itemName, evaluate: item as NamedEvaluator["evaluate"] };
    }
    if (isNamed(item)) return item;
    throw new UsageError(
      `--evaluator ${spec}: ${itemName} is not an evaluator: export a function ` +
        "({ inputs, outputs, referenceOutputs }) => ({ key, score }), or an array of them",
    );
  };
  if (Array.isArray(value)) {
    if (value.length === 0) throw new UsageError(`--evaluator ${spec}: ${name} is an empty array`);
    return value.map((item, index) => one(item, `${name}[${index}]`));
  }
  return [one(value, name)];
}

/**
 * Loads every `--evaluator` (imports each module once).
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
  const modules = new Map<string, Record<string, unknown>>();
  const evaluators: NamedEvaluator[] = [];
  for (const spec of specs) {
    const { file, exportName } = evaluatorLocation(spec, cwd);
    let module = modules.get(file);
    if (module === undefined) {
      try {
        await Deno.stat(file);
      } catch {
        throw new UsageError(`--evaluator ${spec}: ${file} does not exist`);
      }
      try {
        module = await import(new URL(`file://${file}`).href) as Record<string, unknown>;
      } catch (error) {
        const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
        throw new UsageError(`--evaluator ${spec}: cannot import ${file}: ${reason}`);
      }
      modules.set(file, module);
    }
    if (!(exportName in module)) {
      const names = Object.keys(module).join(", ") || "none";
      throw new UsageError(
        `--evaluator ${spec}: ${file} has no export "${exportName}" (its exports: ${names})`,
      );
    }
    evaluators.push(...evaluatorsOfExport(module[exportName], exportName, spec));
  }
  const names = evaluators.map((e) => e.name);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice !== undefined) {
    throw new UsageError(`--evaluator: two evaluators are named "${twice}"; give each once`);
  }
  return evaluators;
}
