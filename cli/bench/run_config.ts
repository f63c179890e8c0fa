/**
 * `--config FILE|JSON`: the run config every run of a `--graph` benchmark gets — `configurable`
 * values (a model chosen at run time, a system prompt), `recursion_limit`, `tags` and `metadata`
 * — in LangGraph's own words (`recursion_limit`, as in `langgraph.json` and the platform's API;
 * `recursionLimit` is taken too).
 *
 * @module
 */
import { z } from "zod";
import { UsageError } from "../usage_error.ts";

/**
 * The zod schema of a `--config` value.
 *
 * @example Usage
 * ```ts
 * import { RunConfigFile } from "./run_config.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(RunConfigFile.safeParse({ thread_id: "t" }).success, false);
 * ```
 */
export const RunConfigFile = z.strictObject({
  configurable: z.record(z.string(), z.unknown()).optional(),
  recursion_limit: z.number().int().positive().optional(),
  recursionLimit: z.number().int().positive().optional(),
  tags: z.array(z.string()).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
/** A `--config` value as written. */
export type RunConfigFile = z.infer<typeof RunConfigFile>;

/** The config each run gets, in LangChain's `RunnableConfig` words. */
export interface BenchRunConfig {
  /** `configurable` values. */
  configurable: Record<string, unknown>;
  /** LangGraph's recursion limit, when given. */
  recursionLimit?: number;
  /** Tags of every run. */
  tags: string[];
  /** Metadata of every run (an example's own metadata is added over it). */
  metadata: Record<string, unknown>;
}

/**
 * Parses `--config`: inline JSON (it starts with `{`) or a JSON file.
 *
 * @param value The flag's value.
 * @param readText Reads a file, or returns null when it does not exist.
 * @returns The run config.
 * @throws {UsageError} When it is not valid JSON or not a run config.
 *
 * @example Usage
 * ```ts
 * import { parseRunConfig } from "./run_config.ts";
 * import assert from "node:assert/strict";
 *
 * const config = await parseRunConfig(
 *   '{"configurable": {"model": "openai/gpt-4o-mini"}, "recursion_limit": 10}',
 *   () => Promise.resolve(null),
 * );
 * assert.deepEqual(config, {
 *   configurable: { model: "openai/gpt-4o-mini" },
 *   recursionLimit: 10,
 *   tags: [],
 *   metadata: {},
 * });
 * ```
 */
export async function parseRunConfig(
  value: string,
  readText: (path: string) => Promise<string | null>,
): Promise<BenchRunConfig> {
  const inline = value.trimStart().startsWith("{");
  const where = inline ? "--config" : `--config ${value}`;
  const text = inline ? value : await readText(value);
  if (text === null) throw new UsageError(`${where}: no such file (give a JSON file or JSON)`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${where} is not valid JSON: ${reason}`);
  }
  const parsed = RunConfigFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.join(".") || "(the value)";
    throw new UsageError(
      `${where}: ${path}: ${issue.message}; it takes {"configurable"?, "recursion_limit"?, ` +
        `"tags"?, "metadata"?}`,
    );
  }
  const config = parsed.data;
  const recursionLimit = config.recursion_limit ?? config.recursionLimit;
  return {
    configurable: config.configurable ?? {},
    ...(recursionLimit === undefined ? {} : { recursionLimit }),
    tags: config.tags ?? [],
    metadata: config.metadata ?? {},
  };
}
