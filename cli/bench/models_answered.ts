/**
 * The models a benchmark's calls were answered by, per stage (`provider:model`): what the report
 * lists as its models when the graph is the user's own and the command line named none.
 *
 * @module
 */
import type { RunRecord } from "../../benchmark/run_record.ts";

/**
 * The models each stage's calls were answered by, in the order first seen (several joined by
 * ", "); stages without calls are left out.
 *
 * @param records The benchmark's runs.
 * @returns `provider:model` per stage.
 *
 * @example Usage
 * ```ts
 * import { modelsAnswered } from "./models_answered.ts";
 * import assert from "node:assert/strict";
 *
 * const call = (stage: string, model: string) => ({ stage, provider: "openai", model });
 * const records = [{ metrics: { calls: [call("agent", "gpt-4o-mini"), call("agent", "gpt-4o")] } }];
 * assert.deepEqual(
 *   modelsAnswered(records as never),
 *   { agent: "openai:gpt-4o-mini, openai:gpt-4o" },
 * );
 * ```
 */
export function modelsAnswered(records: readonly RunRecord[]): Record<string, string> {
  const byStage = new Map<string, Set<string>>();
  for (const record of records) {
    for (const call of record.metrics.calls) {
      const models = byStage.get(call.stage) ?? new Set<string>();
      models.add(`${call.provider}:${call.model}`);
      byStage.set(call.stage, models);
    }
  }
  return Object.fromEntries([...byStage].map(([stage, models]) => [stage, [...models].join(", ")]));
}
