/**
 * The settings a benchmark's runs were made with, kept with the benchmark in the results store
 * (its `settings_json`), so that `--resume` refuses to mix runs of other models, seeds, prices or
 * inputs in one report and `merge` refuses shards of other benchmarks. Pure.
 *
 * @module
 */
import { z } from "zod";

/** What a resumed benchmark must share with the runs it continues. */
export const BenchSettings = z.object({
  /** `provider:model` per stage. */
  models: z.record(z.string(), z.string()),
  /** The models' seed, or null. */
  seed: z.number().int().nullable(),
  /** The `--prices` file and its table, or null. */
  prices: z.object({ file: z.string(), table: z.unknown() }).nullable(),
  /** Where the transcripts came from, and a SHA-256 of their ids and texts. */
  input: z.object({ source: z.string(), sha256: z.string() }),
  /** Runs per input. */
  repeats: z.number().int().positive(),
  /** The provider's base URL, or null. */
  baseUrl: z.string().nullable(),
  /** The shard (`i/n`) of the planned runs, or null for all of them. */
  shard: z.string().nullable().optional(),
  /** `--max-windows`, or null for every window (absent in older files: null). */
  maxWindows: z.number().int().positive().nullable().optional(),
  /** The `--evaluator` flags, `FILE:EXPORT` (absent in older files: none). */
  evaluators: z.array(z.string()).optional(),
  /**
   * `--interleave`: the baseline it names and the benchmark that holds the baseline's runs, so a
   * resume continues both sides in one window (absent when not interleaved).
   */
  interleave: z.object({ baseline: z.string(), baselineId: z.string() }).optional(),
  /**
   * The other flags of the first run, taken by a resume that does not give them (they may
   * differ: they change how, not what, is measured).
   */
  defaults: z.object({
    concurrency: z.number().int().positive(),
    maxCostUsd: z.number().positive().nullable(),
    dailyWords: z.number().int().positive(),
    timeoutSeconds: z.number().positive(),
    maxRetries: z.number().int().nonnegative(),
    evaluatorTimeoutSeconds: z.number().positive().optional(),
    passRules: z.array(z.string()).optional(),
    /** `--run-timeout` (absent in older benchmarks: the default). */
    runTimeoutSeconds: z.number().positive().optional(),
  }).optional(),
});
/** What a resumed benchmark must share with the runs it continues. */
export type BenchSettings = z.infer<typeof BenchSettings>;

/**
 * A SHA-256 of the transcripts' ids and texts, in hex.
 *
 * @param transcripts The transcripts, in order.
 * @returns The hash.
 *
 * @example Usage
 * ```ts
 * import { transcriptsSha256 } from "./settings.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal((await transcriptsSha256([{ id: "a", text: "hi" }])).length, 64);
 * ```
 */
export async function transcriptsSha256(
  transcripts: readonly { id: string; text: string }[],
): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(transcripts.map((t) => [t.id, t.text])));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** JSON with object keys sorted, so two equal tables give one text whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v !== null && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
        : v,
  );
}

const orNone = (value: string | number | null): string => value === null ? "none" : String(value);

/**
 * Says how the current settings differ from those the runs were made with: the first difference,
 * as `<flag> <before>, not <now>` (or a phrase for a changed file), or null when they match.
 *
 * @param saved The settings of the runs so far.
 * @param current The settings of this command line.
 * @returns The difference, or null.
 *
 * @example Usage
 * ```ts
 * import { settingsDifference } from "./settings.ts";
 * import assert from "node:assert/strict";
 *
 * const settings = {
 *   models: { a: "simulated:gpt-4.1-mini" },
 *   seed: 3,
 *   prices: null,
 *   input: { source: "bundled transcripts", sha256: "00" },
 *   repeats: 1,
 *   baseUrl: null,
 *   maxWindows: null,
 * };
 * assert.equal(settingsDifference(settings, settings), null);
 * assert.equal(settingsDifference(settings, { ...settings, seed: null }), "--seed 3, not none");
 * ```
 */
export function settingsDifference(saved: BenchSettings, current: BenchSettings): string | null {
  const stages = [...new Set([...Object.keys(saved.models), ...Object.keys(current.models)])];
  for (const stage of stages) {
    const [before, now] = [saved.models[stage] ?? null, current.models[stage] ?? null];
    if (before !== now) return `--model ${stage}=${orNone(before)}, not ${orNone(now)}`;
  }
  if (saved.seed !== current.seed) {
    return `--seed ${orNone(saved.seed)}, not ${orNone(current.seed)}`;
  }
  if (canonical(saved.prices?.table ?? null) !== canonical(current.prices?.table ?? null)) {
    const [before, now] = [saved.prices?.file ?? null, current.prices?.file ?? null];
    return before === now
      ? "another --prices table (the file changed)"
      : `--prices ${orNone(before)}, not ${orNone(now)}`;
  }
  if (saved.input.source !== current.input.source) {
    return `--input ${saved.input.source}, not ${current.input.source}`;
  }
  if (saved.input.sha256 !== current.input.sha256) {
    return "other --input transcripts (their text changed)";
  }
  if (saved.repeats !== current.repeats) return `--runs ${saved.repeats}, not ${current.repeats}`;
  if (saved.baseUrl !== current.baseUrl) {
    return `--base-url ${orNone(saved.baseUrl)}, not ${orNone(current.baseUrl)}`;
  }
  if ((saved.shard ?? null) !== (current.shard ?? null)) {
    return `--shard ${orNone(saved.shard ?? null)}, not ${orNone(current.shard ?? null)}`;
  }
  if ((saved.maxWindows ?? null) !== (current.maxWindows ?? null)) {
    const [before, now] = [saved.maxWindows ?? null, current.maxWindows ?? null];
    return `--max-windows ${orNone(before)}, not ${orNone(now)}`;
  }
  const [evaluatorsBefore, evaluatorsNow] = [saved.evaluators ?? [], current.evaluators ?? []];
  if (evaluatorsBefore.join("\n") !== evaluatorsNow.join("\n")) {
    const list = (specs: string[]) => specs.length === 0 ? "none" : specs.join(" --evaluator ");
    return `--evaluator ${list(evaluatorsBefore)}, not ${list(evaluatorsNow)}`;
  }
  return null;
}
