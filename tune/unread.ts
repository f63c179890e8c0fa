/**
 * Is a knob read at all? A `configurable` value cannot be watched being read (LangGraph copies
 * `configurable` into every node's config, and a user's graph runs in its own process), so the
 * evidence is what its values change. Two tests on the anchors' runs — the baseline, and the
 * baseline with only that knob changed, on the same inputs:
 *
 * - **Identical runs.** Every value gave the same runs on every input tried: the same output, the
 *   same LLM calls (stage, model asked for, model that answered, tokens in and out, errors). A
 *   graph whose runs vary by themselves (a real model's sampling) never passes this by chance, so
 *   it says nothing false; it just cannot speak for such graphs.
 * - **Models never asked for.** Every value names a model (`provider:model`), none of those
 *   models was asked for or answered any call, and the calls asked for the same models whatever
 *   the value: a model knob the graph ignores, told even when its runs vary.
 *
 * Pure.
 *
 * @module
 */
import type { RunRecord } from "../benchmark/run_record.ts";
import { formatKnobValue, type KnobValue } from "./knobs.ts";

/** A run as the identity test sees it: what it produced and asked, not how long it took. */
export function runFingerprint(record: RunRecord): string {
  const calls = record.metrics.calls
    .map((call) =>
      [
        call.stage,
        call.requestedModel ?? "",
        call.model,
        call.inputTokens,
        call.outputTokens,
        call.error === null ? "" : "error",
      ].join("\u0001")
    )
    .sort();
  return JSON.stringify([record.outputSummary, record.error, calls]);
}

/** `provider:model` (the provider a word, the model non-empty): a value that names a model. */
const MODEL_SPEC = /^[A-Za-z][\w-]*:\S+$/;

function modelsOf(records: readonly RunRecord[]): Set<string> {
  const models = new Set<string>();
  for (const record of records) {
    for (const call of record.metrics.calls) {
      models.add(call.model);
      if (call.requestedModel !== null) models.add(call.requestedModel);
    }
  }
  return models;
}

/**
 * Why a knob is taken as never read, or null when its values changed something (or the runs
 * cannot tell).
 *
 * @param key The knob's key.
 * @param runsByValue Each value's runs (the baseline's value first): the same inputs and repeats.
 * @returns The evidence in words, or null.
 *
 * @example Identical runs for both values
 * ```ts
 * import { unreadEvidence } from "./unread.ts";
 * import type { RunRecord } from "../benchmark/run_record.ts";
 * import assert from "node:assert/strict";
 *
 * const run = (inputId: string) => ({
 *   inputId, repeat: 0, outputSummary: `"${inputId}"`, error: null,
 *   metrics: { calls: [{ stage: "answer", requestedModel: "gpt-4.1-mini", model: "gpt-4.1-mini", inputTokens: 10, outputTokens: 2, error: null }] },
 * }) as unknown as RunRecord;
 * const runs = [run("a"), run("b")];
 * assert.equal(
 *   unreadEvidence("temperature", [{ value: 0, runs }, { value: 0.7, runs }]),
 *   "its 2 values gave identical runs (outputs, LLM calls and tokens) on every one of 2 inputs",
 * );
 * ```
 */
export function unreadEvidence(
  key: string,
  runsByValue: readonly { value: KnobValue; runs: readonly RunRecord[] }[],
): string | null {
  if (runsByValue.length < 2) return null;
  const byRun = (runs: readonly RunRecord[]) =>
    new Map(runs.map((run) => [`${run.inputId}#${run.repeat}`, runFingerprint(run)]));
  const [first, ...others] = runsByValue.map((entry) => byRun(entry.runs));
  const identical = first.size > 0 &&
    others.every((other) =>
      other.size === first.size &&
      [...first].every(([run, fingerprint]) => other.get(run) === fingerprint)
    );
  if (identical) {
    const inputs = new Set(runsByValue[0].runs.map((run) => run.inputId)).size;
    return `its ${runsByValue.length} values gave identical runs (outputs, LLM calls and ` +
      `tokens) on every one of ${inputs} input${inputs === 1 ? "" : "s"}`;
  }
  const values = runsByValue.map((entry) => entry.value);
  if (!values.every((value) => typeof value === "string" && MODEL_SPEC.test(value))) return null;
  const used = runsByValue.map((entry) => modelsOf(entry.runs));
  const named = (values as string[]).map((value) => value.slice(value.indexOf(":") + 1));
  if (named.some((model) => used.some((models) => models.has(model)))) return null;
  const sameModels = used.every((models) =>
    models.size === used[0].size && [...models].every((model) => used[0].has(model))
  );
  if (!sameModels || used[0].size === 0) return null;
  return `none of its models (${values.map(formatKnobValue).join(", ")}) was asked for by any ` +
    `LLM call: the calls asked for ${[...used[0]].sort().join(", ")} whatever its value ` +
    `(configurable.${key})`;
}
