/**
 * Inside the worker: the scope an evaluator runs in, so its own LLM calls (an LLM-as-judge's)
 * reach a handler of its own and nothing else — through the **project's** LangChain context
 * variables (`registerConfigureHook({ contextVar })` with `setContextVariable` from its
 * `@langchain/core/context`), as the CLI meters an evaluator in its own process. A callback
 * passed in a config would not do: `openevals` calls its judge with no config, inside LangSmith's
 * `traceable`, which drops callbacks when tracing is off.
 *
 * @module
 */
import { importProjectModule } from "./project_module.ts";

/** Runs `work` in a scope where every LangChain run started gets `handler`. */
export type MeteringScope = <T>(handler: object, work: () => Promise<T>) => Promise<T>;

/** What `@langchain/core/context` gives (0.3.x and 1.x alike). */
interface LangChainContext {
  registerConfigureHook: (hook: { contextVar: string }) => void;
  setContextVariable: (name: string, value: unknown) => void;
}

/** What `@langchain/core/singletons` gives: LangChain's async-local storage. */
interface LangChainSingletons {
  AsyncLocalStorageProviderSingleton: {
    getInstance(): { getStore(): unknown; run<T>(store: unknown, callback: () => T): T };
  };
}

/** The context variable that holds the handler of the evaluator running in the current scope. */
const HANDLER_VARIABLE = "graphmeter_evaluation_handler";

/**
 * The metering scope of a LangChain: a fresh async-local store (a copy of the current one), the
 * configure hook registered in it and the handler set as its variable, then `work`.
 *
 * @param context The project's `@langchain/core/context`.
 * @param singletons The project's `@langchain/core/singletons`.
 * @returns The scope.
 *
 * @example Usage
 * ```ts
 * import { meteringScope } from "./metering_scope.ts";
 * import assert from "node:assert/strict";
 *
 * const variables = new Map<string, unknown>();
 * const scope = meteringScope(
 *   { registerConfigureHook: () => {}, setContextVariable: (name, value) => variables.set(name, value) },
 *   { AsyncLocalStorageProviderSingleton: { getInstance: () => ({ getStore: () => undefined, run: (_store, callback) => callback() }) } },
 * );
 * const handler = { name: "h" };
 * assert.equal(await scope(handler, () => Promise.resolve(7)), 7);
 * assert.equal(variables.get("graphmeter_evaluation_handler"), handler);
 * ```
 */
export function meteringScope(
  context: LangChainContext,
  singletons: LangChainSingletons,
): MeteringScope {
  return <T>(handler: object, work: () => Promise<T>): Promise<T> => {
    const storage = singletons.AsyncLocalStorageProviderSingleton.getInstance();
    return storage.run(storage.getStore() ?? {}, () => {
      context.registerConfigureHook({ contextVar: HANDLER_VARIABLE });
      context.setContextVariable(HANDLER_VARIABLE, handler);
      return work();
    });
  };
}

/**
 * The project's metering scope, from its own `@langchain/core` (its `node_modules`, else its
 * import map), or why there is none (a project without `@langchain/core/context`).
 *
 * @param projectDir The project's folder.
 * @returns The scope, or the reason its evaluators' calls cannot be metered.
 *
 * @example Usage
 * ```ts ignore
 * import { projectMeteringScope } from "./metering_scope.ts";
 *
 * const metering = await projectMeteringScope("/path/to/project");
 * if (metering.scope === null) console.error(metering.reason);
 * ```
 */
export async function projectMeteringScope(
  projectDir: string,
): Promise<{ scope: MeteringScope; reason: null } | { scope: null; reason: string }> {
  const context = await importProjectModule("@langchain/core", "./context", projectDir);
  const singletons = await importProjectModule("@langchain/core", "./singletons", projectDir);
  if (
    typeof context?.registerConfigureHook !== "function" ||
    typeof context?.setContextVariable !== "function" ||
    typeof (singletons?.AsyncLocalStorageProviderSingleton as { getInstance?: unknown } | null)
        ?.getInstance !== "function"
  ) {
    return {
      scope: null,
      reason: "the project's @langchain/core has no registerConfigureHook (added in 0.3.23), so " +
        "the evaluators' own LLM calls are not metered; upgrade @langchain/core to meter them",
    };
  }
  return {
    scope: meteringScope(
      context as unknown as LangChainContext,
      singletons as unknown as LangChainSingletons,
    ),
    reason: null,
  };
}
