/**
 * `--resume` alone: the settings stored with the benchmark it continues fill every flag the
 * command line does not give, so the Ctrl-C hint works as printed; a flag that is given and
 * contradicts them is refused later by `settingsDifference`, which names it.
 *
 * @module
 */
import { type BenchArgs, type ModelChoice, parseModelSpec } from "./args.ts";
import { BenchSettings } from "./settings.ts";
import { parsePassRules } from "../../evaluate/passing.ts";
import { DEFAULT_DB, openStoreForCli, resumedBenchmark } from "../open_store.ts";

/** The `--input` a saved input source stands for (null: the bundled transcripts). */
const BUNDLED = "bundled transcripts";

/**
 * The command line with the saved settings in place of every flag it does not give.
 *
 * @param args The parsed command line (its `given` says which flags were given).
 * @param saved The settings the runs so far were made with.
 * @returns The arguments to resume with.
 *
 * @example Usage
 * ```ts
 * import { applySavedSettings } from "./resume.ts";
 * import { parseBenchArgs } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * const args = parseBenchArgs(["--resume"], ["a"]);
 * const resumed = applySavedSettings(args, {
 *   models: { a: "simulated:gpt-4.1-mini" },
 *   seed: 3,
 *   prices: null,
 *   input: { source: "bundled transcripts", sha256: "00" },
 *   repeats: 3,
 *   baseUrl: null,
 *   maxWindows: null,
 *   shard: null,
 * });
 * assert.equal(resumed.runs, 3);
 * assert.equal(resumed.seed, 3);
 * assert.deepEqual(resumed.stageModels.a, { provider: "simulated", model: "gpt-4.1-mini" });
 * ```
 */
export function applySavedSettings(args: BenchArgs, saved: BenchSettings): BenchArgs {
  const given = (flag: string): boolean => args.given.has(flag);
  const next: BenchArgs = { ...args };
  if (!given("model")) {
    const stageModels: Record<string, ModelChoice> = {};
    for (const [stage, label] of Object.entries(saved.models)) {
      stageModels[stage] = parseModelSpec(label).choice;
    }
    next.defaultModel = null;
    next.stageModels = stageModels;
  }
  if (!given("seed")) next.seed = saved.seed;
  if (!given("prices")) next.prices = saved.prices?.file ?? null;
  if (!given("input")) next.input = saved.input.source === BUNDLED ? null : saved.input.source;
  if (!given("runs")) next.runs = saved.repeats;
  if (!given("base-url")) next.baseUrl = saved.baseUrl;
  if (!given("max-windows")) next.maxWindows = saved.maxWindows ?? null;
  if (!given("evaluator")) next.evaluators = [...(saved.evaluators ?? [])];
  // An interleaved benchmark goes on beside its baseline.
  if (saved.interleave !== undefined) next.interleave = saved.interleave.baseline;
  if (!given("shard") && saved.shard) {
    const [index, count] = saved.shard.split("/").map(Number);
    next.shard = { index, count };
  }
  const defaults = saved.defaults;
  if (defaults !== undefined) {
    if (!given("concurrency")) next.concurrency = defaults.concurrency;
    if (!given("max-cost")) next.maxCostUsd = defaults.maxCostUsd;
    if (!given("daily-words")) next.dailyWords = defaults.dailyWords;
    if (!given("timeout")) next.timeoutSeconds = defaults.timeoutSeconds;
    if (!given("max-retries")) next.maxRetries = defaults.maxRetries;
    if (!given("run-timeout") && defaults.runTimeoutSeconds !== undefined) {
      next.runTimeoutSeconds = defaults.runTimeoutSeconds;
    }
    if (!given("evaluator-timeout") && defaults.evaluatorTimeoutSeconds !== undefined) {
      next.evaluatorTimeoutSeconds = defaults.evaluatorTimeoutSeconds;
    }
    if (!given("pass") && (defaults.passRules?.length ?? 0) > 0) {
      next.passRules = parsePassRules(defaults.passRules!.join(","));
    }
  }
  return next;
}

/**
 * The benchmark a `--resume` continues: `--resume REF`, else the latest carrying `--label`, else
 * the latest.
 *
 * @param args The parsed command line, with `resume` set.
 * @returns The reference to resolve in the store, or null for the latest.
 *
 * @example Usage
 * ```ts
 * import { resumeReference } from "./resume.ts";
 * import { parseBenchArgs } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * const id = "20260101-000000-ab12";
 * assert.equal(resumeReference(parseBenchArgs(["--resume", id], [])), id);
 * assert.equal(resumeReference(parseBenchArgs(["--resume", "--label", "nightly"], [])), "nightly");
 * assert.equal(resumeReference(parseBenchArgs(["--resume"], [])), null);
 * ```
 */
export function resumeReference(args: BenchArgs): string | null {
  return args.resumeRef ?? args.label;
}

/**
 * The arguments of a `--resume`: the settings stored with the benchmark it continues (its id or
 * label, else the latest in `--db`, or the latest with `--label`) fill every flag not given.
 *
 * @param args The parsed command line, with `resume` set.
 * @returns The arguments to resume with, `resumeRef` set to the benchmark's id (its settings
 * unchanged when the store holds no bench settings).
 * @throws {UsageError} When there is no store or no benchmark to resume.
 */
export async function resumeSettings(args: BenchArgs): Promise<BenchArgs> {
  using store = await openStoreForCli(args.db ?? DEFAULT_DB, true);
  const id = resumedBenchmark(store, resumeReference(args));
  // Resolved once: the run continues this benchmark even if another starts meanwhile.
  args = { ...args, resumeRef: id };
  const saved = BenchSettings.safeParse(store.getBenchmark(id)?.settings);
  if (!saved.success) return args;
  // A user's graph stores `{ graph: source, config? }` as its models and its dataset as the input.
  const savedGraph = saved.data.models.graph;
  if (savedGraph !== undefined) {
    const next = applySavedSettings(
      { ...args, given: new Set([...args.given, "model", "input", "base-url", "max-windows"]) },
      saved.data,
    );
    return {
      ...next,
      given: args.given,
      graph: args.graph ?? savedGraph,
      dataset: args.dataset ?? saved.data.input.source,
      // `--config` as the benchmark was started with (stored parsed, as JSON).
      config: args.config ?? saved.data.models.config ?? null,
    };
  }
  if (args.graph !== null) return args;
  return applySavedSettings(args, saved.data);
}
