/**
 * `deno task reprice <benchmark> --model <stage>=<provider:model> …`: prices a benchmark's
 * recorded tokens at other models' rates, stage by stage, and names the cheapest mix. An
 * estimate, and it says so.
 *
 * @module
 */
import { parseFlags, processIo, runCommand } from "./_store_command.ts";
import { type ModelRef, parseModelRef, repriceBenchmark } from "../compare/reprice_benchmark.ts";
import { formatRepriceMarkdown } from "../compare/reprice_markdown.ts";
import { UsageError } from "./bench/args.ts";
import { readPriceTable } from "./bench/inputs.ts";
import { readBenchmarkRuns } from "./benchmark_source.ts";
import { BenchSettings } from "./bench/settings.ts";
import { measureCommand } from "./bench/measure_command.ts";

/** The help text of `deno task reprice`. */
export const REPRICE_HELP =
  `Usage: deno task reprice <benchmark> --model <stage>=<provider:model> ...

Prices the tokens a benchmark recorded at other models' rates (cached input and reasoning shares
kept) and prints each stage before and after, plus the cheapest mix of the models given. An
estimate: tokenizers and answer lengths differ between models, and quality is not measured; it
prints the deno task bench command that measures the mix (and compares it with this benchmark).

<benchmark> is a benchmark id, a label, latest or latest~N in the results store, a report
folder (the benchmark its metrics.json names), or a runs.jsonl run log.

Options:
  --model SPEC      <stage>=<provider:model>, or <provider:model> for every stage; repeat it
                    to give several candidates (providers: openai, anthropic, google-genai, ...)
  --prices FILE     your price table (JSON, per-million-token rates); it wins over the catalog
  --json FILE       also write the figures as JSON
  --db PATH         the results store (default reports/graphmeter.db)
  -h, --help        this text
`;

/** Where the reprice CLI writes. */
export interface RepriceIo {
  /** Writes to standard output. */
  out: (text: string) => void;
  /** Writes to standard error. */
  err: (text: string) => void;
}

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

async function reprice(argv: readonly string[], io: RepriceIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    model: { type: "string", multiple: true },
    prices: { type: "string" },
    json: { type: "string" },
    db: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.out(REPRICE_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError("give one benchmark: reprice <benchmark> --model ... (see --help)");
  }
  const specs = (values.model ?? []).map(parseCandidate);
  if (specs.length === 0) {
    throw new UsageError("give at least one --model <stage>=<provider:model> to price at");
  }
  const benchmark = await readBenchmarkRuns(positionals[0], values.db ?? null);
  if (benchmark.runs.length === 0) {
    throw new UsageError(`${benchmark.label}: the benchmark has no runs`);
  }
  const stages = new Set(benchmark.runs.flatMap((run) => Object.keys(run.metrics.stages)));
  const candidates: Record<string, ModelRef[]> = {};
  for (const { stage, ref } of specs) {
    if (stage !== "*" && !stages.has(stage)) {
      throw new UsageError(
        `--model ${stage}=...: the benchmark has no stage "${stage}"; stages: ${
          [...stages].join(", ")
        }`,
      );
    }
    (candidates[stage] ??= []).push(ref);
  }
  const overrides = values.prices === undefined ? undefined : await readPriceTable(values.prices);
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
  if (values.json !== undefined) {
    try {
      await Deno.writeTextFile(values.json, JSON.stringify(result, null, 2) + "\n");
    } catch (error) {
      throw new UsageError(`--json ${values.json}: cannot write (${(error as Error).message})`);
    }
  }
  return 0;
}

/**
 * Runs `deno task reprice`: a usage mistake prints one line on `err` and returns 2; a bug throws.
 *
 * @param argv The arguments.
 * @param io Output streams .
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
export async function runRepriceCli(argv: readonly string[], io: RepriceIo): Promise<number> {
  return await runCommand("reprice", io, () => reprice(argv, io));
}

if (import.meta.main) Deno.exit(await runRepriceCli(Deno.args, processIo()));
