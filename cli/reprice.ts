/**
 * `deno task reprice <benchmark> --model <stage>=<provider:model> …`: prices a benchmark's
 * recorded tokens at other models' rates, stage by stage, and names the cheapest mix. An
 * estimate, and it says so.
 *
 * @module
 */
import { type ModelRef, parseModelRef, repriceBenchmark } from "../compare/reprice_benchmark.ts";
import { formatRepriceMarkdown } from "../compare/reprice_markdown.ts";
import { readPriceTable } from "./bench/inputs.ts";
import { readBenchmarkRuns } from "./benchmark_source.ts";
import { BenchSettings } from "./bench/settings.ts";
import { measureCommand } from "./bench/measure_command.ts";
import { type CliIo, type CommandInput, defineCommand, processIo, runCommand } from "./command.ts";
import { writeFileForFlag } from "./errors.ts";
import { listFlag } from "./flags.ts";
import { pathFlag } from "./value_flags.ts";
import { DB_FLAG, PRICES_FLAG } from "./shared_flags.ts";
import { UsageError } from "./usage_error.ts";

function parseCandidate(spec: string): { stage: string; ref: ModelRef } {
  const equals = spec.indexOf("=");
  const colon = spec.indexOf(":");
  const hasStage = equals >= 0 && (colon < 0 || equals < colon);
  const stage = hasStage ? spec.slice(0, equals).trim() : "*";
  const ref = parseModelRef(hasStage ? spec.slice(equals + 1).trim() : spec.trim());
  if (stage === "" || ref === null) {
    throw new UsageError(
      `--model "${spec}": write <stage>=<provider:model>, e.g. relationship_analysis=openai:gpt-4.1`,
    );
  }
  return { stage, ref };
}

/** The flags of `deno task reprice`, in the order `--help` shows them. */
const REPRICE_FLAGS = {
  model: listFlag(
    "SPEC",
    "<stage>=<provider:model>, or <provider:model> for every stage; repeat it to give several " +
      "candidates (providers: openai, anthropic, google-genai, ...)",
    parseCandidate,
  ),
  prices: PRICES_FLAG,
  json: pathFlag("FILE", "also write the figures as JSON"),
  db: DB_FLAG,
};

async function reprice(
  { options, positionals }: CommandInput<typeof REPRICE_FLAGS>,
  io: CliIo,
): Promise<number> {
  if (options.model.length === 0) {
    throw new UsageError("give at least one --model <stage>=<provider:model> to price at");
  }
  const benchmark = await readBenchmarkRuns(positionals[0], options.db);
  if (benchmark.runs.length === 0) {
    throw new UsageError(`${benchmark.label}: the benchmark has no runs`);
  }
  const stages = new Set(benchmark.runs.flatMap((run) => Object.keys(run.metrics.stages)));
  const candidates: Record<string, ModelRef[]> = {};
  for (const { stage, ref } of options.model) {
    if (stage !== "*" && !stages.has(stage)) {
      throw new UsageError(
        `--model ${stage}=...: the benchmark has no stage "${stage}"; stages: ${
          [...stages].join(", ")
        }`,
      );
    }
    (candidates[stage] ??= []).push(ref);
  }
  const overrides = options.prices === null ? undefined : await readPriceTable(options.prices);
  const result = repriceBenchmark(benchmark.runs, candidates, { overrides });
  const unpriced = result.stages.flatMap((s) => s.candidates)
    .filter((c) => c.costPerRunUsd === null).map((c) => c.model);
  if (unpriced.length > 0) {
    throw new UsageError(
      `--model ${unpriced[0]}: no price for this model in the catalog; give its rates with ` +
        `--prices (e.g. {"${unpriced[0]}": {"inputPerMTok": 1, "outputPerMTok": 2}})`,
    );
  }
  const settings = BenchSettings.safeParse(benchmark.settings);
  const command = measureCommand(
    settings.success ? settings.data : null,
    benchmark.label,
    result.cheapestMix,
  );
  io.out(formatRepriceMarkdown(result, benchmark.label, command));
  if (settings.success && settings.data.models.graph !== undefined) {
    io.out("(Your graph chooses its own models: set it to the mix above before running that.)\n");
  }
  if (options.json !== null) {
    await writeFileForFlag("--json", options.json, JSON.stringify(result, null, 2) + "\n");
  }
  return 0;
}

/**
 * `reprice`, declared.
 *
 * @example Usage
 * ```ts
 * import { repriceCommand } from "./reprice.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(repriceCommand.positionals, "<benchmark>");
 * ```
 */
export const repriceCommand = defineCommand({
  name: "reprice",
  about: "price a benchmark's tokens at other models' rates",
  positionals: "<benchmark>",
  description:
    `Prices the tokens a benchmark recorded at other models' rates (cached input and reasoning
shares kept) and prints each stage before and after, plus the cheapest mix of the models given
(--model, at least one). An estimate: tokenizers and answer lengths differ between models, and
quality is not measured: it prints the deno task bench command that measures the mix (and
compares it with this benchmark).

<benchmark> is a benchmark id, a label, latest or latest~N in the results store, a report
folder (the benchmark its metrics.json names), or a runs.jsonl run log.`,
  flags: REPRICE_FLAGS,
  run: reprice,
});

/**
 * Runs `deno task reprice`: a usage mistake prints one line on `err` and returns 2; a bug prints
 * one line and returns 1 (its stack trace with `--debug`).
 *
 * @param argv The arguments.
 * @param io Output streams.
 * @returns 0 when repriced, 2 on bad usage.
 *
 * @example Usage
 * ```ts
 * import { runRepriceCli } from "./reprice.ts";
 * import assert from "node:assert/strict";
 *
 * let err = "";
 * const io = { out: () => {}, err: (text: string) => (err += text) };
 * assert.equal(await runRepriceCli(["reports/x", "--model", "nonsense"], io), 2);
 * assert.match(err, /^reprice: --model "nonsense"/);
 * ```
 */
export function runRepriceCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(repriceCommand, argv, io);
}

if (import.meta.main) Deno.exit(await runRepriceCli(Deno.args, processIo()));
