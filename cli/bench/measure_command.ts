/**
 * The `deno task bench` command that measures what a repricing only estimated: the benchmark's
 * own settings (inputs, runs, seed, evaluators) with the cheapest mix's models, compared with the
 * benchmark when done. Pure: settings in, a command line out.
 *
 * @module
 */
import type { BenchSettings } from "./settings.ts";

/** LangChain's provider ids that the command line spells otherwise. */
const CLI_PROVIDERS: Readonly<Record<string, string>> = { google_genai: "google-genai" };

/** A word of a shell command, quoted when it needs it. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that benchmarks the cheapest mix with the benchmark's own settings.
 *
 * @param settings The benchmark's stored settings, or null (a run log: none known).
 * @param baseline How to name the benchmark for `--baseline` (its label or id).
 * @param mix The cheapest mix: per stage, `recorded` or `provider:model` (LangChain's ids).
 * @returns The command, or null without settings.
 *
 * @example Usage
 * ```ts
 * import { measureCommand } from "./measure_command.ts";
 * import assert from "node:assert/strict";
 *
 * const settings = {
 *   models: { a: "simulated:gpt-4.1-mini", b: "simulated:gpt-4.1-mini" },
 *   seed: 42, prices: null, input: { source: "bundled transcripts", sha256: "00" }, repeats: 2,
 *   baseUrl: null,
 * };
 * assert.equal(
 *   measureCommand(settings, "mini", { a: "openai:gpt-4.1-nano", b: "recorded" }),
 *   "deno task bench --model a=simulated:gpt-4.1-nano --model b=simulated:gpt-4.1-mini " +
 *     "--seed 42 --runs 2 --baseline mini",
 * );
 * ```
 */
export function measureCommand(
  settings: BenchSettings | null,
  baseline: string,
  mix: Readonly<Record<string, string>>,
): string | null {
  if (settings === null) return null;
  const words = ["deno", "task", "bench"];
  const graph = settings.models.graph;
  if (graph !== undefined) {
    words.push("--graph", graph, "--dataset", settings.input.source);
  } else {
    for (const [stage, recorded] of Object.entries(settings.models)) {
      const choice = mix[stage];
      let model = recorded;
      if (choice !== undefined && choice !== "recorded") {
        const colon = choice.indexOf(":");
        const [provider, name] = [choice.slice(0, colon), choice.slice(colon + 1)];
        // A simulated benchmark is measured on the simulated model: no key needed.
        model = recorded.startsWith("simulated:")
          ? `simulated:${name}`
          : `${CLI_PROVIDERS[provider] ?? provider}:${name}`;
      }
      words.push("--model", `${stage}=${model}`);
    }
    if (settings.input.source !== "bundled transcripts") {
      words.push("--input", settings.input.source);
    }
    if (settings.maxWindows) words.push("--max-windows", String(settings.maxWindows));
    if (settings.baseUrl !== null) words.push("--base-url", settings.baseUrl);
  }
  if (settings.seed !== null) words.push("--seed", String(settings.seed));
  words.push("--runs", String(settings.repeats));
  if (settings.prices !== null) words.push("--prices", settings.prices.file);
  for (const evaluator of settings.evaluators ?? []) words.push("--evaluator", evaluator);
  words.push("--baseline", baseline);
  return words.map(shellWord).join(" ");
}
