/**
 * The flags of `deno task bench`, declared once ({@linkcode BENCH_FLAGS}: parser, `--help`, the
 * docs' table and the type of {@linkcode BenchArgs} all come from it), and the checks across
 * them ({@linkcode benchArgs}). To add a flag, add its entry to `BENCH_FLAGS` (see `../flags.ts`).
 *
 * @module
 */
import { DEFAULT_BENCH_TIME_SCALE } from "../../workload/simulated_chat_model.ts";
import { LLM_STAGES } from "../../workload/prompts/sections.ts";
import { type CommandInput, type CommonFlags, parseCommandLine } from "../command.ts";
import { type FlagValues, listFlag, switchFlag, valueFlag } from "../flags.ts";
import { intFlag, numberFlag, pathFlag, textFlag } from "../value_flags.ts";
import { DB_FLAG, FAIL_ON_RULES, failOnFlag, PRICES_FLAG } from "../shared_flags.ts";
import { UsageError } from "../usage_error.ts";
import { parsePassRules, type PassRule, PassRuleError } from "../../evaluate/passing.ts";
import { DEFAULT_EVALUATOR_TIMEOUT_MS } from "../../evaluate/evaluator.ts";
import { reservedLabel } from "../../store/mod.ts";

/** The daily volume the cost projection assumes unless `--daily-words` says otherwise. */
export const DEFAULT_DAILY_WORDS = 100_000;

/**
 * The chat model providers the CLI can build.
 *
 * @example Usage
 * ```ts
 * import { PROVIDERS } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(PROVIDERS.includes("simulated"));
 * ```
 */
export const PROVIDERS = ["openai", "anthropic", "google-genai", "ollama", "simulated"] as const;
/** A chat model provider the CLI can build. */
export type Provider = (typeof PROVIDERS)[number];

/** A model chosen on the command line: `provider:model`. */
export interface ModelChoice {
  /** The provider. */
  provider: Provider;
  /** The provider's model name (for `simulated`, the real model it imitates and is priced as). */
  model: string;
}

/** One `--rpm` or `--tpm` value: a limit per minute, for one endpoint or (`target` null) all. */
export interface LimitFlag {
  /** A provider (`openai`, ...), a host (`api.openai.com`, `127.0.0.1:8080`), or null for all. */
  readonly target: string | null;
  /** The limit per minute. */
  readonly perMinute: number;
}

/**
 * Parses `--rpm` / `--tpm`: `N` (every endpoint) or `TARGET=N`, TARGET a provider or a host.
 *
 * @param text The flag's value.
 * @param flag The flag's name, for messages (`--rpm`).
 * @returns The limit.
 * @throws {UsageError} When it is not a positive number, or the target is empty.
 *
 * @example Usage
 * ```ts
 * import { parseLimitFlag } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseLimitFlag("openai=500", "--rpm"), { target: "openai", perMinute: 500 });
 * assert.deepEqual(parseLimitFlag("200000", "--tpm"), { target: null, perMinute: 200000 });
 * ```
 */
export function parseLimitFlag(text: string, flag: string): LimitFlag {
  const equals = text.lastIndexOf("=");
  const target = equals < 0 ? null : text.slice(0, equals).trim();
  const amount = Number(text.slice(equals + 1).trim());
  if (target === "") throw new UsageError(`${flag} "${text}": the endpoint before "=" is empty`);
  if (!(Number.isFinite(amount) && amount > 0)) {
    throw new UsageError(
      `${flag} must be a number per minute above 0, or PROVIDER=N / HOST=N, got "${text}"`,
    );
  }
  return { target, perMinute: amount };
}

/**
 * The baseline models `--interleave` names (comma-separated `--model` values).
 *
 * @param text The flag's value.
 * @returns Each value, trimmed.
 *
 * @example Usage
 * ```ts
 * import { interleavedModels } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(interleavedModels("s=openai:a, simulated:b"), ["s=openai:a", "simulated:b"]);
 * ```
 */
export function interleavedModels(text: string): string[] {
  return text.split(",").map((spec) => spec.trim()).filter((spec) => spec !== "");
}

/** Seconds loading a `--graph` may take by default (a factory, top-level awaits). */
export const DEFAULT_LOAD_TIMEOUT_SECONDS = 60;
/**
 * Seconds one run may take by default before it is stopped as failed (the bundled workload's
 * or a `--graph`'s).
 */
export const DEFAULT_RUN_TIMEOUT_SECONDS = 600;

/** Seconds an LLM call may take by default before it is abandoned. */
export const DEFAULT_TIMEOUT_SECONDS = 60;
/** Retries of a failed LLM call by default. */
export const DEFAULT_MAX_RETRIES = 2;
/** The most runs one benchmark may plan (inputs x --runs): ~93 MB and 1.2 s to plan. */
export const MAX_PLANNED_RUNS = 1_000_000;

/**
 * Parses `--shard i/n` (1 ≤ i ≤ n).
 *
 * @param text The flag's value.
 * @returns The shard's index (from 1) and the shard count.
 * @throws {UsageError} When it is not `i/n` with 1 ≤ i ≤ n.
 *
 * @example Usage
 * ```ts
 * import { parseShard } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseShard("2/4"), { index: 2, count: 4 });
 * ```
 */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || index < 1 || count < 1 || index > count) {
    throw new UsageError(`--shard must be i/n with 1 ≤ i ≤ n (e.g. 2/4), got "${text}"`);
  }
  return { index, count };
}

/**
 * Parses `provider:model` or `stage=provider:model`.
 *
 * @param spec The flag's value.
 * @returns The stage (null for all stages) and the model.
 * @throws {UsageError} When the provider is unknown or a part is empty.
 *
 * @example Usage
 * ```ts
 * import { parseModelSpec } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseModelSpec("segmentation=ollama:llama3.2:3b"), {
 *   stage: "segmentation",
 *   choice: { provider: "ollama", model: "llama3.2:3b" },
 * });
 * ```
 */
export function parseModelSpec(spec: string): { stage: string | null; choice: ModelChoice } {
  const colon = spec.indexOf(":");
  const equals = spec.indexOf("=");
  const hasStage = equals >= 0 && (colon < 0 || equals < colon);
  const stage = hasStage ? spec.slice(0, equals).trim() : null;
  const rest = hasStage ? spec.slice(equals + 1) : spec;
  const split = rest.indexOf(":");
  const provider = split < 0 ? rest : rest.slice(0, split);
  const model = split < 0 ? "" : rest.slice(split + 1).trim();
  if (stage === "") throw new UsageError(`--model "${spec}": the stage before "=" is empty`);
  if (!(PROVIDERS as readonly string[]).includes(provider)) {
    throw new UsageError(
      `--model "${spec}": unknown provider "${provider}"; use one of ${PROVIDERS.join(", ")}`,
    );
  }
  if (model === "") {
    throw new UsageError(`--model "${spec}": name a model, e.g. ${provider}:<model-name>`);
  }
  return { stage, choice: { provider: provider as Provider, model } };
}

/**
 * The flags of `deno task bench`, in the order `--help` shows them. The key is the option's name
 * in {@linkcode BenchArgs}; the flag is the key in kebab case unless `name` says otherwise.
 *
 * @example Usage
 * ```ts
 * import { BENCH_FLAGS } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(BENCH_FLAGS.maxCostUsd.name, "max-cost");
 * assert.equal(BENCH_FLAGS.runs.default, 1);
 * ```
 */
export const BENCH_FLAGS = {
  runs: intFlag("N", "repeats per input", { default: 1, min: 1 }),
  concurrency: intFlag("N", "runs in flight at most", { default: 4, min: 1 }),
  model: listFlag(
    "SPEC",
    "provider:model for all stages, or stage=provider:model for one stage; repeatable. " +
      `Providers: ${PROVIDERS.join(", ")} (e.g. simulated:gemini-2.5-flash-lite). ` +
      `Stages: ${LLM_STAGES.join(", ")}`,
    (text) => ({ spec: text, ...parseModelSpec(text) }),
  ),
  baseUrl: valueFlag(
    "URL",
    "endpoint for the chosen provider (OpenAI-compatible servers, Ollama, ...)",
    { default: null, parse: parseBaseUrl },
  ),
  input: pathFlag("PATH", "a .txt transcript or a folder of them", {
    shown: "bundled transcripts",
  }),
  out: pathFlag("DIR", "output folder of report.md, report.html and metrics.json", {
    shown: "reports/<id>/",
  }),
  maxCostUsd: numberFlag(
    "USD",
    "a hard budget, checked after every LLM call: once the calls made pass it, no run is " +
      "launched and the runs in flight are aborted (stored as stopped, with what their calls " +
      "cost: --resume makes them again and counts that cost). Guarantee: spent <= USD + the " +
      "cost of the calls already in flight when it was crossed. Every model must have a price " +
      "(the catalog's or --prices'); a call that turns out unpriced stops the benchmark",
    {
      name: "max-cost",
      default: null,
      check: (usd) => usd > 0,
      must: "a positive number of US dollars",
    },
  ),
  timeoutSeconds: numberFlag("SECONDS", "abandon an LLM call (one attempt) after this long", {
    name: "timeout",
    default: DEFAULT_TIMEOUT_SECONDS,
    check: (seconds) => seconds > 0 && seconds <= 86_400,
    must: "a number of seconds above 0",
  }),
  maxRetries: intFlag("N", "retries of a failed LLM call; 0 for none", {
    default: DEFAULT_MAX_RETRIES,
    min: 0,
    max: 100,
  }),
  maxWindows: intFlag(
    "N",
    "process at most N windows (~300 characters each) of each transcript",
    { default: null, min: 1 },
  ),
  seed: intFlag(
    "N",
    "seed of the simulated model's answers and latencies (and OpenAI's sampling). The same " +
      "seed gives the same tokens and costs; --seed 0 is a seed like any other; without " +
      "--seed the simulated model uses seed 0 and real providers get none (their own " +
      "randomness)",
    { default: null },
  ),
  graph: pathFlag(
    "ID|FILE:EXPORT",
    'benchmark your own graph: an id from langgraph.json ("graphs"; found from the current ' +
      "folder up), or ./path.ts:exportName (a compiled graph, or a function returning one). It " +
      "runs in a worker process in its project, on the project's installed packages, with " +
      "langgraph.json's env",
  ),
  dataset: pathFlag(
    "FILE",
    'the graph\'s inputs: JSONL or a JSON array of {"id"?, "inputs", "outputs"?, "metadata"?} ' +
      "(a LangSmith dataset export; outputs are the evaluators' referenceOutputs); needed " +
      "with --graph",
  ),
  config: textFlag(
    "FILE|JSON",
    "with --graph: the run config of every run, in LangGraph's words: " +
      '{"configurable": {...}, "recursion_limit": N, "tags": [...], "metadata": {...}} ' +
      "(an example's own metadata is added to its run's)",
    { needs: "a JSON file or JSON" },
  ),
  runTimeoutSeconds: numberFlag(
    "SECONDS",
    "stop a run that takes longer: it fails, the others go on (a node that awaits forever " +
      "without calling a model is stopped through the run's abort signal; with --graph, a " +
      "worker whose node does not yield is replaced)",
    {
      name: "run-timeout",
      default: DEFAULT_RUN_TIMEOUT_SECONDS,
      check: (seconds) => seconds > 0 && seconds <= 86_400,
      must: "a number of seconds above 0",
    },
  ),
  loadTimeoutSeconds: numberFlag(
    "SECONDS",
    "with --graph: give up loading the graph after this long",
    {
      name: "load-timeout",
      default: DEFAULT_LOAD_TIMEOUT_SECONDS,
      check: (seconds) => seconds > 0 && seconds <= 86_400,
      must: "a number of seconds above 0",
    },
  ),
  groupBy: textFlag(
    "KEY",
    "break report.md and report.html down by a key of the dataset examples' metadata (split: " +
      "LangSmith's dataset_split) or an attribution key the runs carry (user_id, tenant_id)",
    { needs: "a key, e.g. split or user_id" },
  ),
  db: DB_FLAG,
  label: textFlag(
    "NAME",
    "name the benchmark (history, export and compare take labels; latest, latest~N and " +
      "id-shaped names are taken)",
    { needs: "a name" },
  ),
  resume: switchFlag(
    "continue a benchmark in --db: `--resume <id or label>`, or the latest (with --label: " +
      "the latest carrying it), skipping finished runs and making again those stopped in " +
      "flight. It takes the benchmark's stored settings; a flag that contradicts them " +
      "(models, seed, prices, input, runs, base URL, shard, max windows, evaluators) is " +
      "refused, naming it. A benchmark another process is writing is refused, naming the " +
      "process",
  ),
  latencyScale: numberFlag(
    "X",
    "the simulated model's latency profile at X times real time; 0: no waiting",
    { default: DEFAULT_BENCH_TIME_SCALE, check: (scale) => scale >= 0, must: "a number ≥ 0" },
  ),
  shard: valueFlag(
    "I/N",
    "run only slice I of N of the planned runs (merge with deno task merge)",
    { default: null, parse: parseShard },
  ),
  baseline: textFlag(
    "REF",
    "when done, compare with this benchmark (an id, a label, latest~N or a report folder in " +
      "--db): prints the comparison and adds it to report.html",
    { needs: "a benchmark: an id, a label, latest~N or a folder" },
  ),
  failOn: failOnFlag(
    `with --baseline or --interleave, a CI gate, ${FAIL_ON_RULES}: exit 1 when a figure ` +
      "regressed significantly past its limit",
  ),
  interleave: textFlag(
    "BASELINE",
    "also run a baseline, its runs alternating with these in one time window (so machine and " +
      "provider load are the same for both), store it as its own benchmark (label " +
      "<label>.baseline) and compare with it as --baseline does: with --graph, BASELINE is " +
      "another graph (ID or ./path.ts:export) over the same dataset; with the bundled workload, " +
      'the baseline\'s models, e.g. "openai:gpt-4.1-mini" or "segmentation=openai:gpt-4.1,' +
      'simulated:gpt-4.1-mini"',
    { needs: "a baseline: a graph with --graph, else models" },
  ),
  rpm: listFlag(
    "[TARGET=]N",
    "pace LLM requests to N requests per minute: for every endpoint, or one (TARGET a " +
      "provider, e.g. openai, or a host such as api.openai.com); repeatable. Without it, " +
      "limits are learnt from the providers' rate-limit headers and 429s; a learnt limit " +
      "below a told one wins",
    parseLimitFlag,
  ),
  tpm: listFlag(
    "[TARGET=]N",
    "the same for tokens (input and output) per minute",
    parseLimitFlag,
  ),
  evaluators: listFlag(
    "FILE:EXPORT",
    "score each run with an evaluator exported by FILE (a function, or an array of them) " +
      "called with {inputs, outputs, referenceOutputs} and returning {key, score, comment?} " +
      "(openevals' createLLMAsJudge(...) is one); repeatable. With --graph it is loaded and run " +
      "where the graph runs, in its project (its packages, its env). Its own LLM calls are " +
      "metered apart and count against --max-cost. The bundled workload always scores its tree " +
      "(topic recall, relationship accuracy, coverage, valid JSON) too",
    parseEvaluatorSpec,
    { name: "evaluator" },
  ),
  evaluatorTimeoutSeconds: numberFlag(
    "SECONDS",
    "give up on one evaluator on one run after this long, recording an error for its key",
    {
      name: "evaluator-timeout",
      default: DEFAULT_EVALUATOR_TIMEOUT_MS / 1000,
      check: (seconds) => seconds > 0,
      must: "a number of seconds above 0",
    },
  ),
  pass: listFlag(
    "KEY>=VALUE",
    "what a passing run is, for cost per passing run; repeatable (default: every key scored " +
      "true or false passes)",
    parsePass,
  ),
  dailyWords: intFlag("N", "daily volume for the projected cost", {
    default: DEFAULT_DAILY_WORDS,
    min: 1,
  }),
  prices: PRICES_FLAG,
};

/** The parsed, validated command line of `deno task bench`. */
export interface BenchArgs
  extends Omit<FlagValues<typeof BENCH_FLAGS & CommonFlags>, "model" | "pass"> {
  /**
   * The benchmark `--resume` names (an id, a label, `latest~N`), or null for the latest (with
   * `label`: the latest carrying it).
   */
  resumeRef: string | null;
  /** What passing means (`--pass`, every flag's rules in order); empty: the boolean keys. */
  passRules: PassRule[];
  /** The model for every stage not named in `stageModels`, or null for the default. */
  defaultModel: ModelChoice | null;
  /** Models for named stages. */
  stageModels: Record<string, ModelChoice>;
  /** The flags given on the command line (e.g. `runs`, `model`), so a resume knows what was said. */
  given: ReadonlySet<string>;
}

/**
 * The command line of `deno task bench` checked across its flags: the models of `--model` by
 * stage, and the flags that need or exclude others.
 *
 * @param input The parsed command line.
 * @param stages The stage names `--model stage=...` may name.
 * @returns The validated arguments.
 * @throws {UsageError} When flags contradict each other or a stage is unknown.
 *
 * @example Usage
 * ```ts
 * import { BENCH_FLAGS, benchArgs } from "./args.ts";
 * import { parseCommandLine } from "../command.ts";
 * import assert from "node:assert/strict";
 *
 * const input = parseCommandLine({ flags: BENCH_FLAGS }, ["--model", "a=simulated:gpt-4o-mini"]);
 * assert.deepEqual(benchArgs(input, ["a"]).stageModels.a.model, "gpt-4o-mini");
 * assert.throws(() => benchArgs(input, ["b"]), /unknown stage; use one of b/);
 * ```
 */
export function benchArgs(
  input: CommandInput<typeof BENCH_FLAGS>,
  stages: readonly string[],
): BenchArgs {
  const { model, pass, ...options } = input.options;
  const { defaultModel, stageModels } = parseModels(model.map((entry) => entry.spec), stages);
  if (options.baseUrl !== null) {
    checkBaseUrlProvider([defaultModel, ...Object.values(stageModels)]);
  }
  if (options.graph !== null && options.dataset === null) {
    throw new UsageError("--graph needs --dataset with the graph's inputs");
  }
  if (options.dataset !== null && options.graph === null) {
    throw new UsageError("--dataset needs --graph (the bundled workload reads --input)");
  }
  if (options.graph !== null && options.input !== null) {
    throw new UsageError("--input is for the bundled workload; a --graph reads --dataset");
  }
  for (const flag of ["config", "load-timeout"]) {
    if (input.given.has(flag) && options.graph === null && !options.resume) {
      throw new UsageError(`--${flag} is for --graph (your own graph)`);
    }
  }
  if (input.given.has("fail-on") && options.baseline === null && options.interleave === null) {
    throw new UsageError(
      "--fail-on needs --baseline or --interleave, the benchmark to compare with",
    );
  }
  if (options.interleave !== null) {
    for (const [flag, given] of [["--baseline", "baseline"], ["--shard", "shard"]]) {
      if (input.given.has(given)) {
        throw new UsageError(`--interleave runs its own baseline: drop ${flag}`);
      }
    }
    if (options.resume) {
      throw new UsageError(
        "--resume continues an interleaved benchmark beside the baseline it began with: drop " +
          "--interleave",
      );
    }
    if (options.graph === null) parseModels(interleavedModels(options.interleave), stages);
  }
  const [resumeRef = null] = input.positionals;
  if (resumeRef !== null && !options.resume) {
    throw new UsageError(
      `unexpected argument "${resumeRef}": bench takes a positional argument only with ` +
        `--resume (the benchmark to continue: --resume ${resumeRef})`,
    );
  }
  if (resumeRef !== null && options.label !== null) {
    throw new UsageError(
      `--resume ${resumeRef} names the benchmark; drop --label (or give --resume --label ` +
        `${options.label})`,
    );
  }
  const reserved = options.label === null || options.resume ? null : reservedLabel(options.label);
  if (reserved !== null) {
    throw new UsageError(`--label ${options.label}: ${reserved}; choose another label`);
  }
  return {
    ...options,
    resumeRef,
    passRules: pass.flat(),
    defaultModel,
    stageModels,
    given: input.given,
  };
}

/**
 * Parses `--model` values (or `--interleave`'s baseline models): one model for all stages and
 * one per named stage.
 *
 * @param specs The values, each `provider:model` or `stage=provider:model`.
 * @param stages The stage names a value may name.
 * @returns The model for all stages (or null) and the models of named stages.
 * @throws {UsageError} On a bad value, an unknown stage, or two models for one stage.
 *
 * @example Usage
 * ```ts
 * import { parseModels } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * const { defaultModel, stageModels } = parseModels(["simulated:a", "s=openai:b"], ["s"]);
 * assert.equal(defaultModel?.model, "a");
 * assert.equal(stageModels.s.provider, "openai");
 * ```
 */
export function parseModels(
  specs: readonly string[],
  stages: readonly string[],
): { defaultModel: ModelChoice | null; stageModels: Record<string, ModelChoice> } {
  let defaultModel: ModelChoice | null = null;
  const stageModels: Record<string, ModelChoice> = {};
  for (const spec of specs) {
    const { stage, choice } = parseModelSpec(spec);
    if (stage === null) {
      if (defaultModel) throw new UsageError(`--model: two models for all stages ("${spec}")`);
      defaultModel = choice;
    } else {
      if (!stages.includes(stage)) {
        throw new UsageError(`--model "${spec}": unknown stage; use one of ${stages.join(", ")}`);
      }
      if (stageModels[stage]) throw new UsageError(`--model: two models for stage "${stage}"`);
      stageModels[stage] = choice;
    }
  }
  return { defaultModel, stageModels };
}

/**
 * Parses and validates the command line of `deno task bench`.
 *
 * @param argv The arguments (e.g. `Deno.args`).
 * @param stages The stage names `--model stage=...` may name.
 * @returns The validated arguments.
 * @throws {UsageError} On an unknown flag or a bad value.
 *
 * @example Usage
 * ```ts
 * import { parseBenchArgs } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * const args = parseBenchArgs(["--runs", "3", "--model", "simulated:gpt-4o-mini"], ["a"]);
 * assert.equal(args.runs, 3);
 * assert.equal(args.defaultModel?.model, "gpt-4o-mini");
 * ```
 */
export function parseBenchArgs(argv: readonly string[], stages: readonly string[]): BenchArgs {
  return benchArgs(
    parseCommandLine({ flags: BENCH_FLAGS, positionals: BENCH_POSITIONALS }, argv),
    stages,
  );
}

/** The positional argument of `deno task bench`: the benchmark `--resume` continues. */
export const BENCH_POSITIONALS = "[<benchmark>]";

function parseEvaluatorSpec(text: string, flag: string): string {
  const spec = text.trim();
  if (!/^.+:[A-Za-z_$][\w$]*$/.test(spec)) {
    throw new UsageError(`${flag} "${text}": write FILE:EXPORT, e.g. ./evaluators.ts:correctness`);
  }
  return spec;
}

function parsePass(text: string, flag: string): PassRule[] {
  try {
    return parsePassRules(text);
  } catch (error) {
    if (error instanceof PassRuleError) throw new UsageError(`${flag} ${error.message}`);
    throw error;
  }
}

function parseBaseUrl(text: string, flag: string): string {
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) {
    throw new UsageError(`${flag} must be an http(s) URL, got "${text}"`);
  }
  return text;
}

function checkBaseUrlProvider(choices: (ModelChoice | null)[]): void {
  const providers = new Set(
    choices.filter((c): c is ModelChoice => c !== null && c.provider !== "simulated")
      .map((c) => c.provider),
  );
  if (providers.size === 0) {
    throw new UsageError("--base-url needs a real provider: add --model <provider>:<model>");
  }
  if (providers.size > 1) {
    throw new UsageError(
      `--base-url applies to one provider, but --model names ${[...providers].join(" and ")}`,
    );
  }
}
