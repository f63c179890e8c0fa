/**
 * What the reference workload tells the generic benchmark runner and its report: cost is normalised
 * per 1,000 words of transcript, the daily projection is a volume of words, and notes for the
 * report's header (simulated calls, the price file).
 *
 * @module
 */
import type { DailyVolume } from "../../benchmark/result/aggregate_runs.ts";
import { formatCount } from "../../report/format.ts";
import type { BenchmarkUnit } from "../../benchmark/options.ts";
import {
  DEFAULT_BENCH_TIME_SCALE,
  qualityProfileFor,
  type TranscriptTreeInput,
} from "../../workload/mod.ts";
import type { ModelChoice } from "./args.ts";
import { countWords } from "../../workload/text.ts";
import type { BenchArgs } from "./args.ts";

/** Said wherever the report lists models, when every stage was simulated. */
export const SIMULATED_NOTE: string = "simulated: no provider was called; these are the real " +
  "models the simulated model imitated (their token counts and prices)";

/**
 * The unit "1,000 words" of the transcripts, counted on their text (not the windows).
 *
 * @param transcripts The transcripts, by id.
 * @returns The unit.
 *
 * @example Usage
 * ```ts
 * import { thousandWords } from "./unit.ts";
 * import assert from "node:assert/strict";
 *
 * const unit = thousandWords([{ id: "a", text: "one two three four" }]);
 * assert.equal(unit.amountOf({ id: "a", input: { transcriptId: "a", windows: [] } }), 0.004);
 * ```
 */
export function thousandWords(
  transcripts: readonly { id: string; text: string }[],
): BenchmarkUnit<TranscriptTreeInput> {
  const words = new Map(transcripts.map((t) => [t.id, countWords(t.text)]));
  return {
    name: "1,000 words",
    amountOf: (input) => {
      const count = words.get(input.id);
      return count === undefined ? null : count / 1000;
    },
  };
}

/**
 * The projection's daily volume from `--daily-words`.
 *
 * @param dailyWords Words a day.
 * @returns The volume in thousands of words, labelled in words.
 *
 * @example Usage
 * ```ts
 * import { dailyVolume } from "./unit.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(dailyVolume(100_000), { amount: 100, label: "100,000 words" });
 * ```
 */
export function dailyVolume(dailyWords: number): DailyVolume {
  return { amount: dailyWords / 1000, label: `${formatCount(dailyWords)} words` };
}

/**
 * The report header's notes of a bench run: how calls were made, and the price file.
 *
 * @param args The command line.
 * @param simulated Whether every stage was simulated.
 * @param choices The models of the stages (a simulated one's quality profile is stated).
 * @returns Label -> text.
 *
 * @example Usage
 * ```ts
 * import { benchNotes } from "./unit.ts";
 * import { parseBenchArgs } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(benchNotes(parseBenchArgs([], []), true).Calls, /^simulated/);
 * ```
 */
export function benchNotes(
  args: BenchArgs,
  simulated: boolean,
  choices: readonly ModelChoice[] = [],
): Record<string, string> {
  const notes: Record<string, string> = {
    Calls: simulated
      ? "simulated (no provider called; real token counts and prices); latencies from a " +
        `latency profile run at ${DEFAULT_BENCH_TIME_SCALE}× real time, so seconds are not a ` +
        "provider's"
      : "real providers",
  };
  const quality = simulatedQualityNote(choices);
  if (quality !== null) notes["Simulated quality"] = quality;
  if (args.prices !== null) notes["Price overrides"] = `from ${args.prices}`;
  return notes;
}

/**
 * What the simulated models' quality profiles are, when any model makes simulated mistakes.
 *
 * @param choices The stages' models.
 * @returns The note, or null when every simulated model answers as written.
 *
 * @example Usage
 * ```ts
 * import { simulatedQualityNote } from "./unit.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(
 *   simulatedQualityNote([{ provider: "simulated", model: "gpt-4.1-nano" }]) ?? "",
 *   /^gpt-4\.1-nano drops 30% of relationships, misplaces 15% of nodes/,
 * );
 * assert.equal(simulatedQualityNote([{ provider: "simulated", model: "gpt-4.1-mini" }]), null);
 * ```
 */
export function simulatedQualityNote(choices: readonly ModelChoice[]): string | null {
  const models = [
    ...new Set(choices.filter((c) => c.provider === "simulated").map((c) => c.model)),
  ];
  const percent = (rate: number) => `${Math.round(rate * 100)}%`;
  const erring = models.flatMap((model) => {
    const p = qualityProfileFor(model);
    if (p.dropRelationshipRate === 0 && p.misplaceNodeRate === 0 && p.malformedRate === 0) {
      return [];
    }
    return [
      `${model} drops ${percent(p.dropRelationshipRate)} of relationships, misplaces ` +
      `${percent(p.misplaceNodeRate)} of nodes and returns ${percent(p.malformedRate)} ` +
      "malformed answers",
    ];
  });
  if (erring.length === 0) return null;
  const clean = models.filter((m) => !erring.some((line) => line.startsWith(`${m} `)));
  return `${erring.join("; ")}${
    clean.length === 0 ? "" : `; ${clean.join(", ")} answer as written`
  }` +
    " (simulated rates, not measurements; tokens and cost are the clean answers')";
}
