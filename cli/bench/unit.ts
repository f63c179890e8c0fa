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
import { DEFAULT_BENCH_TIME_SCALE, type TranscriptTreeInput } from "../../workload/mod.ts";
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
export function benchNotes(args: BenchArgs, simulated: boolean): Record<string, string> {
  const notes: Record<string, string> = {
    Calls: simulated
      ? "simulated (no provider called; real token counts and prices); latencies from a " +
        `latency profile run at ${DEFAULT_BENCH_TIME_SCALE}× real time, so seconds are not a ` +
        "provider's"
      : "real providers",
  };
  if (args.prices !== null) notes["Price overrides"] = `from ${args.prices}`;
  return notes;
}
