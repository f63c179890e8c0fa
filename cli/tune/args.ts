/**
 * The flags of `deno task tune`, declared once ({@linkcode TUNE_FLAGS}): its own (the knobs, the
 * goal, the search) and the ones it shares with `bench`, taken from `BENCH_FLAGS` as declared
 * there, so a target is given to both commands alike. {@linkcode tuneArgs} checks them across.
 *
 * @module
 */
import { BENCH_FLAGS, type BenchArgs, benchArgs } from "../bench/args.ts";
import { type CommandInput, type CommonFlags, parseCommandLine } from "../command.ts";
import { type FlagValues, listFlag, switchFlag } from "../flags.ts";
import { choiceFlag, numberFlag, pathFlag, textFlag } from "../value_flags.ts";
import { UsageError } from "../usage_error.ts";
import { type Knob, KnobError, parseKnob } from "../../tune/knobs.ts";
import { DEFAULT_MAX_DROP, type TuneGoal } from "../../tune/goal.ts";
import { DEFAULT_QUALITY_TIE } from "../../tune/search.ts";
import { LLM_STAGES } from "../../workload/prompts/sections.ts";

function parseKnobFlag(text: string, flag: string): Knob {
  try {
    return parseKnob(text);
  } catch (error) {
    if (error instanceof KnobError) throw new UsageError(`${flag} ${error.message}`);
    throw error;
  }
}

/** The flags `tune` shares with `bench`, as `bench` declares them. */
const SHARED = {
  graph: BENCH_FLAGS.graph,
  dataset: BENCH_FLAGS.dataset,
  config: BENCH_FLAGS.config,
  evaluators: BENCH_FLAGS.evaluators,
  evaluatorTimeoutSeconds: BENCH_FLAGS.evaluatorTimeoutSeconds,
  model: BENCH_FLAGS.model,
  input: BENCH_FLAGS.input,
  maxWindows: BENCH_FLAGS.maxWindows,
  runs: BENCH_FLAGS.runs,
  concurrency: BENCH_FLAGS.concurrency,
  seed: BENCH_FLAGS.seed,
  latencyScale: BENCH_FLAGS.latencyScale,
  baseUrl: BENCH_FLAGS.baseUrl,
  timeoutSeconds: BENCH_FLAGS.timeoutSeconds,
  maxRetries: BENCH_FLAGS.maxRetries,
  runTimeoutSeconds: BENCH_FLAGS.runTimeoutSeconds,
  loadTimeoutSeconds: BENCH_FLAGS.loadTimeoutSeconds,
  db: BENCH_FLAGS.db,
  prices: BENCH_FLAGS.prices,
} as const;

/**
 * The flags of `deno task tune`, in the order `--help` shows them.
 *
 * @example Usage
 * ```ts
 * import { TUNE_FLAGS } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(TUNE_FLAGS.knobs.name, "try");
 * assert.equal(TUNE_FLAGS.goal.default, "cheapest");
 * ```
 */
export const TUNE_FLAGS = {
  knobs: listFlag(
    "KEY=V1,V2",
    "a knob: a configurable key and the values to try, the baseline's first; repeatable. The " +
      "bundled workload reads each LLM stage's model from configurable " +
      `(${LLM_STAGES.join(", ")}): e.g. relationship_analysis=simulated:gpt-4.1-nano,` +
      "simulated:gpt-4.1-mini; your --graph reads its own (model=openai:gpt-4.1-mini,...). A " +
      "knob the graph never reads is reported and left out",
    parseKnobFlag,
    { name: "try" },
  ),
  goal: choiceFlag(
    ["cheapest", "quality"],
    "cheapest: the cheapest configuration no key of which is below the baseline's by more " +
      "than --max-drop (established at 95%); quality: the best quality within --max-cost-per-run " +
      "and --max-p95",
    { default: "cheapest" },
  ),
  quality: listFlag(
    "KEY",
    "an evaluator key quality is judged on; repeatable (default: every key the evaluators " +
      "score; quality is their mean per run)",
  ),
  maxDrop: numberFlag("SCORE", "how far below the baseline's mean each key may be (cheapest)", {
    default: DEFAULT_MAX_DROP,
    check: (drop) => drop >= 0,
    must: "a score difference ≥ 0",
  }),
  maxCostPerRunUsd: numberFlag("USD", "the most a run may cost on average, US dollars", {
    name: "max-cost-per-run",
    default: null,
    check: (usd) => usd > 0,
    must: "a positive number of US dollars",
  }),
  maxP95Seconds: numberFlag("SECONDS", "the most the p95 wall time of a run may be", {
    name: "max-p95",
    default: null,
    check: (seconds) => seconds > 0,
    must: "a number of seconds above 0",
  }),
  tie: numberFlag(
    "SCORE",
    "quality differences up to this are ties: a dearer configuration stays on the frontier " +
      "only when it is better by more",
    { default: DEFAULT_QUALITY_TIE, check: (tie) => tie >= 0, must: "a score difference ≥ 0" },
  ),
  maxCostUsd: {
    ...BENCH_FLAGS.maxCostUsd,
    help:
      "a hard budget over the whole search, checked after every LLM call as bench checks it (evaluators' calls included, reused runs apart); run the same command with a higher one to go on",
  },
  name: textFlag(
    "NAME",
    "the search's name: each configuration is a benchmark labelled tune/NAME/<configuration>; " +
      "run the same command again to continue it",
    { default: "search", needs: "a name" },
  ),
  out: pathFlag("DIR", "output folder of report.html and tune.json", {
    shown: "reports/tune-<name>/",
  }),
  dryRun: switchFlag(
    "print the plan and its estimated cost (the recorded tokens of a benchmark of the same " +
      "inputs at each candidate's prices, as reprice does) and run nothing",
  ),
  ...SHARED,
};

/** The parsed, validated command line of `deno task tune`. */
export interface TuneArgs {
  /** The target and run settings, as `bench` takes them. */
  readonly bench: BenchArgs;
  /** The knobs (`--try`). */
  readonly knobs: readonly Knob[];
  /** The goal and its constraints. */
  readonly goal: TuneGoal;
  /** Quality ties (`--tie`). */
  readonly tie: number;
  /** The search's name. */
  readonly name: string;
  /** The output folder, or null for `reports/tune-<name>`. */
  readonly out: string | null;
  /** Print the plan only. */
  readonly dryRun: boolean;
}

/** Every bench flag's default, for the bench options tune does not take. */
function benchDefaults(): FlagValues<typeof BENCH_FLAGS & CommonFlags> {
  return parseCommandLine({ flags: BENCH_FLAGS }, []).options;
}

/**
 * The command line of `deno task tune` checked across its flags.
 *
 * @param input The parsed command line.
 * @returns The validated arguments.
 * @throws {UsageError} When flags contradict each other.
 *
 * @example Usage
 * ```ts
 * import { TUNE_FLAGS, tuneArgs } from "./args.ts";
 * import { parseCommandLine } from "../command.ts";
 * import assert from "node:assert/strict";
 *
 * const input = parseCommandLine({ flags: TUNE_FLAGS }, [
 *   "--try", "segmentation=simulated:gpt-4.1-nano,simulated:gpt-4.1-mini", "--seed", "3",
 * ]);
 * const args = tuneArgs(input);
 * assert.deepEqual(args.knobs[0].values, ["simulated:gpt-4.1-nano", "simulated:gpt-4.1-mini"]);
 * assert.equal(args.bench.seed, 3);
 * assert.equal(args.goal.maxDrop, 0.02);
 * ```
 */
export function tuneArgs(input: CommandInput<typeof TUNE_FLAGS>): TuneArgs {
  const o = input.options;
  if (o.knobs.length === 0) {
    throw new UsageError(
      "give at least one --try KEY=V1,V2 (e.g. --try relationship_analysis=" +
        "simulated:gpt-4.1-nano,simulated:gpt-4.1-mini)",
    );
  }
  const keys = new Set<string>();
  for (const knob of o.knobs) {
    if (keys.has(knob.key)) throw new UsageError(`--try ${knob.key}: given twice; give it once`);
    keys.add(knob.key);
  }
  if (o.goal === "quality" && input.given.has("max-drop")) {
    throw new UsageError("--max-drop is for --goal cheapest (how far quality may fall)");
  }
  const shared = Object.fromEntries(
    Object.keys(SHARED).map((key) => [key, o[key as keyof typeof SHARED]]),
  );
  const bench = benchArgs(
    {
      options: { ...benchDefaults(), ...shared, maxCostUsd: o.maxCostUsd, debug: o.debug },
      positionals: [],
      given: input.given,
      argv: input.argv,
    },
    LLM_STAGES,
  );
  return {
    bench,
    knobs: o.knobs,
    goal: {
      kind: o.goal,
      ...(o.quality.length === 0 ? {} : { keys: o.quality }),
      maxDrop: o.maxDrop,
      ...(o.maxCostPerRunUsd === null ? {} : { maxCostPerRunUsd: o.maxCostPerRunUsd }),
      ...(o.maxP95Seconds === null ? {} : { maxP95Ms: o.maxP95Seconds * 1000 }),
    },
    tie: o.tie,
    name: o.name,
    out: o.out,
    dryRun: o.dryRun,
  };
}
