/**
 * `deno task tune --try KEY=V1,V2 …`: which value for each knob? Searches the configurations of
 * the bundled workload's stage models, or of your `--graph`'s `configurable` keys, for the
 * quality–cost frontier with far fewer runs than a grid (`tune/`), each configuration a stored
 * benchmark labelled `tune/<name>/<configuration>`; prints the frontier, the recommended
 * configuration with compare's verdicts against the baseline, the `configurable` to paste, the
 * command that confirms it and the spend against a grid; writes `report.html` and `tune.json`.
 * The same command run again continues the search: nothing is run twice.
 *
 * @module
 */
import type { BenchmarkEvent } from "../benchmark/options.ts";
import type { BenchmarkMeta } from "../benchmark/result/benchmark_result.ts";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { tune } from "../tune/tune.ts";
import type { Configuration } from "../tune/knobs.ts";
import { formatConfiguration } from "../tune/knobs.ts";
import { formatTuneMarkdown } from "../tune/markdown.ts";
import { writeTuneHtml } from "../tune/html.ts";
import { TuneResult } from "../tune/result.ts";
import type { NamedEvaluator } from "../evaluate/evaluator.ts";
import { TUNE_FLAGS, type TuneArgs, tuneArgs } from "./tune/args.ts";
import { simulatedNote, type TuneTarget, tuneTarget } from "./tune/target.ts";
import { configurationLabel, storeConfigurationLogs } from "./tune/logs.ts";
import { firstValues, formatTunePlan } from "./tune/dry_run.ts";
import { type CliIo, type CommandInput, defineCommand, processIo, runCommand } from "./command.ts";
import { gitCommit } from "./bench/git_commit.ts";
import { readPriceTable } from "./bench/inputs.ts";
import { loadEvaluators } from "./bench/evaluator_source.ts";
import { formatBenchEvent } from "./bench/events.ts";
import { prepareOut } from "./bench/out_dir.ts";
import type { BenchSettings } from "./bench/settings.ts";
import { DEFAULT_DB, openStoreForCli, type StoredBenchMeta } from "./open_store.ts";
import { EXIT_INTERRUPTED, writeFileForFlag } from "./errors.ts";
import type { ResultsStore } from "../store/results_store.ts";
import type { PriceOverrides } from "../pricing/overrides.ts";

/** A configuration's settings, complete: the target's, and the run settings bench adds. */
function completeSettings(
  target: TuneTarget,
  args: TuneArgs,
  configuration: Configuration,
  priceOverrides: PriceOverrides | undefined,
): BenchSettings {
  const bench = args.bench;
  return {
    ...target.settingsFor(configuration),
    prices: bench.prices === null ? null : { file: bench.prices, table: priceOverrides },
    repeats: bench.runs,
    shard: null,
    ...(bench.evaluators.length === 0 ? {} : { evaluators: bench.evaluators }),
    defaults: {
      concurrency: bench.concurrency,
      maxCostUsd: bench.maxCostUsd,
      dailyWords: bench.dailyWords,
      timeoutSeconds: bench.timeoutSeconds,
      maxRetries: bench.maxRetries,
      evaluatorTimeoutSeconds: bench.evaluatorTimeoutSeconds,
      passRules: [],
    },
  };
}

/** The stored benchmark of the same inputs to estimate a dry run's cost from, or null. */
function recordedBenchmark(
  store: ResultsStore,
  settings: BenchSettings,
): { name: string; runs: ReturnType<ResultsStore["readRuns"]>["records"] } | null {
  for (const summary of store.listBenchmarks().reverse()) {
    if (summary.runs === 0) continue;
    const stored = store.getBenchmark(summary.id)?.settings as Partial<BenchSettings> | undefined;
    if (stored?.input?.sha256 !== settings.input.sha256) continue;
    if ((stored.models?.graph ?? null) !== (settings.models.graph ?? null)) continue;
    if ((stored.maxWindows ?? null) !== (settings.maxWindows ?? null)) continue;
    const name = summary.label === null
      ? `benchmark ${summary.id}`
      : `benchmark ${summary.id} (${summary.label})`;
    return { name, runs: store.readRuns(summary.id).records };
  }
  return null;
}

async function runTune(parsed: CommandInput<typeof TUNE_FLAGS>, io: CliIo): Promise<number> {
  const args = tuneArgs(parsed);
  const bench = args.bench;
  const priceOverrides = bench.prices === null ? undefined : await readPriceTable(bench.prices);
  let failedAttempts = 0;
  const target = await tuneTarget(
    bench,
    args.knobs,
    io,
    () => void failedAttempts++,
    priceOverrides,
  );
  try {
    return await search(parsed.argv, args, target, priceOverrides, io);
  } finally {
    await target.bench.close?.();
  }
}

async function search(
  argv: readonly string[],
  args: TuneArgs,
  target: TuneTarget,
  priceOverrides: PriceOverrides | undefined,
  io: CliIo,
): Promise<number> {
  const bench = args.bench;
  for (const warning of target.bench.warnings ?? []) io.err(`${warning}\n`);
  for (const knob of target.unread) {
    io.err(`warning: --try ${knob.key}: ${knob.evidence}: left out of the search\n`);
  }
  const baseline = firstValues(target.knobs);
  const db = bench.db ?? DEFAULT_DB;
  using store = await openStoreForCli(db, false);
  const settingsOf = (configuration: Configuration) =>
    completeSettings(target, args, configuration, priceOverrides);
  if (args.dryRun) {
    io.out(formatTunePlan({
      knobs: target.knobs,
      unread: target.unread,
      baseline,
      inputCount: target.bench.inputs.length,
      repeats: bench.runs,
      stagesOf: target.stagesOf,
      recorded: recordedBenchmark(store, settingsOf(baseline)),
      overrides: priceOverrides,
      maxCostUsd: bench.maxCostUsd,
    }));
    return 0;
  }
  if (target.knobs.length === 0) {
    io.err("tune: no knob the graph reads: nothing to search\n");
    return 2;
  }
  // Before any run: an evaluator that cannot be loaded costs nothing.
  // A user's graph's --evaluators load and run in its worker, in its project (its packages).
  const evaluators: NamedEvaluator[] = [
    ...(target.bench.evaluators ?? []),
    ...(target.bench.evaluatorFlagsLoaded
      ? []
      : await loadEvaluators(bench.evaluators, Deno.cwd())),
  ];
  const commit = await gitCommit();
  const inputIds = target.bench.inputs.map((input) => input.id);
  const metaFor = (configuration: Configuration): StoredBenchMeta => {
    const models = target.modelsFor(configuration);
    const meta: BenchmarkMeta = {
      createdAt: new Date().toISOString(),
      gitCommit: commit,
      ...target.bench.meta,
      models,
      ...simulatedNote(models),
      notes: {
        ...target.bench.meta.notes,
        "Tune": `search ${args.name}: ${formatConfiguration(target.knobs, configuration)}`,
        ...(evaluators.length === 0
          ? {}
          : { Evaluators: evaluators.map((e) => e.name).join(", ") }),
      },
      repeats: bench.runs,
      concurrency: bench.concurrency,
      maxCostUsd: bench.maxCostUsd,
      seed: bench.seed,
    };
    return {
      meta,
      dailyWords: bench.dailyWords,
      unitName: target.bench.unit?.name ?? null,
      inputIds,
    };
  };
  const logs = storeConfigurationLogs({
    store,
    name: args.name,
    settingsFor: settingsOf,
    metaFor,
    inputIds,
    plannedRuns: inputIds.length * bench.runs,
    gitCommit: commit,
  });
  const again = `deno task tune ${argv.join(" ")}`.trim();
  const onInterrupt = (): void => {
    target.bench.kill?.();
    io.err(`interrupted: finished runs are stored in ${db}; run the same command to go on\n`);
    Deno.exit(EXIT_INTERRUPTED);
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  let result;
  try {
    result = await tune({
      graph: target.bench.graph,
      inputs: target.bench.inputs,
      evaluators,
      knobs: target.knobs,
      goal: args.goal,
      baseline,
      config: target.bench.runConfig,
      repeats: bench.runs,
      concurrency: bench.concurrency,
      maxCostUsd: bench.maxCostUsd ?? undefined,
      logs,
      qualityTie: args.tie,
      seed: bench.seed ?? undefined,
      checkUnreadKnobs: true,
      createHandler: (hooks) =>
        new PerformanceCallbackHandler({ ...hooks, priceOverrides, clock: target.bench.clock }),
      summarizeOutput: target.bench.summarizeOutput,
      describeError: target.bench.describeError,
      evaluatorTimeoutMs: bench.evaluatorTimeoutSeconds * 1000,
      onMeasure: (name, inputs) => io.err(`tune: ${name}: running inputs up to ${inputs}\n`),
      onRound: (round) =>
        io.err(
          `tune: round ${round.round} (${round.inputs} inputs): ${round.racing} racing, ` +
            `${round.joined} joined, ${round.eliminated} eliminated, ${round.stopped} stopped\n`,
        ),
      onEvent: (event: BenchmarkEvent) => io.err(`${formatBenchEvent(event)}\n`),
    });
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
  for (const knob of result.unreadKnobs) {
    io.err(`warning: --try ${knob.key}: ${knob.evidence}: left out of the search\n`);
  }
  result = { ...result, unreadKnobs: [...target.unread, ...result.unreadKnobs] };
  const out = await prepareOut(args.out ?? `reports/tune-${args.name}`, argv);
  const recommended = result.configurations.find((c) => c.name === result.recommended?.name);
  const confirmCommand = recommended === undefined ? null : target.confirmCommand(
    settingsOf(configurationOf(target, recommended.configuration)),
    configurationOf(target, recommended.configuration),
    configurationLabel(args.name, result.baseline),
  ) + ` --label tune/${args.name}/confirm`;
  io.out(
    formatTuneMarkdown(result, { name: args.name, confirmCommand, details: `${out}/tune.json` }),
  );
  await writeFileForFlag(
    "--out",
    `${out}/tune.json`,
    JSON.stringify(TuneResult.parse(result), null, 2) + "\n",
  );
  await writeFileForFlag(
    "--out",
    `${out}/report.html`,
    await writeTuneHtml(result, { name: args.name, confirmCommand }),
  );
  if (result.stoppedReason !== null) {
    io.err(`tune: stopped: ${result.stoppedReason}; continue with ${again}\n`);
  }
  const spend = result.spend;
  io.err(
    `tune ${args.name}: ${result.configurations.length} configurations, ${spend.runs} runs ` +
      `stored in ${db} (labels tune/${args.name}/...): ${spend.runsNow} made now, ` +
      `${spend.runs - spend.runsNow} stored before` +
      (spend.reusedRuns > 0 ? `, ${spend.reusedRuns} reused from earlier benchmarks` : "") +
      `; $${spend.costUsd.toFixed(4)} spent by the search\n`,
  );
  io.out(`${out}/report.html\n${out}/tune.json\n`);
  return 0;
}

/** A configuration of every knob from the searched values of a result's configuration. */
function configurationOf(target: TuneTarget, values: Configuration): Configuration {
  return Object.fromEntries(target.knobs.map((k) => [k.key, values[k.key] ?? k.values[0]]));
}

/**
 * `tune`, declared: its flags are `TUNE_FLAGS` (`cli/tune/args.ts`).
 *
 * @example Usage
 * ```ts
 * import { tuneCommand } from "./tune.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(tuneCommand.name, "tune");
 * ```
 */
export const tuneCommand = defineCommand({
  name: "tune",
  about: "search the knobs' configurations for the quality-cost frontier",
  description:
    `Searches the configurations of some configurable knobs (--try KEY=V1,V2, repeatable: the
bundled workload's stage models, or your --graph's keys) for the quality-cost frontier, with
far fewer runs than trying them all: configurations race over shared inputs, the ones not run
yet are predicted stage by stage, and one is eliminated only when another dominates it
significantly (compare's paired bootstrap). Prints the frontier, the recommended configuration
for the goal with compare's verdicts against the baseline (each knob's first value), the
configurable to paste and the deno task bench command that confirms it; writes report.html
and tune.json. Each configuration is a benchmark labelled tune/<name>/<configuration>: run the
same command again to continue, and a configuration benchmarked before is reused.`,
  flags: TUNE_FLAGS,
  notes: `Exit status: 0 done (or stopped by --max-cost: run it again with more to go on), 2
bad usage or input (one line says what to do), 130 interrupted (finished runs are kept).`,
  run: runTune,
});

/**
 * Runs `deno task tune` with the given arguments.
 *
 * @param argv The arguments.
 * @param io Output streams and environment.
 * @returns The exit code: 0 done, 2 bad usage.
 *
 * @example Usage
 * ```ts
 * import { runTuneCli } from "./tune.ts";
 * import assert from "node:assert/strict";
 *
 * let err = "";
 * const io = { out: () => {}, err: (t: string) => (err += t), env: () => undefined };
 * assert.equal(await runTuneCli([], io), 2);
 * assert.match(err, /^tune: give at least one --try/);
 * ```
 */
export function runTuneCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(tuneCommand, argv, io);
}

if (import.meta.main) Deno.exit(await runTuneCli(Deno.args, processIo()));
