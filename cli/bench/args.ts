/**
 * The `deno task bench` command line: flags parsed and validated into {@linkcode BenchArgs}
 * (pure; a bad flag or value is a {@linkcode UsageError} with one line that says what to do).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { DEFAULT_BENCH_TIME_SCALE } from "../../workload/simulated_chat_model.ts";
import { type GateRule, GateRuleError, parseGateRules } from "../../compare/gate.ts";
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

/** The parsed, validated command line. */
export interface BenchArgs {
  /** Runs per input. */
  runs: number;
  /** Runs in flight at most. */
  concurrency: number;
  /** The model for every stage not named in `stageModels`, or null for the default. */
  defaultModel: ModelChoice | null;
  /** Models for named stages. */
  stageModels: Record<string, ModelChoice>;
  /** A base URL for the chosen (non-simulated) provider, or null. */
  baseUrl: string | null;
  /** A .txt file or folder of .txt transcripts, or null for the bundled ones. */
  input: string | null;
  /** The output folder, or null for `reports/<timestamp>/`. */
  out: string | null;
  /** The budget in US dollars, or null. */
  maxCostUsd: number | null;
  /** The seed for the models, or null. */
  seed: number | null;
  /** Continue a stored benchmark instead of starting one. */
  resume: boolean;
  /** The benchmark `--resume` names (an id, a label, `latest~N`), or null for the latest (with `label`: the latest carrying it). */
  resumeRef: string | null;
  /** The daily volume in words for the cost projection. */
  dailyWords: number;
  /** A JSON price table (US dollars per million tokens) that wins over the catalog, or null. */
  prices: string | null;
  /** Seconds an LLM call may take before it is abandoned (per attempt). */
  timeoutSeconds: number;
  /** Retries of a failed LLM call (after the first attempt). */
  maxRetries: number;
  /** Seconds a run may take before it is abandoned as failed (a node that hangs). */
  runTimeoutSeconds: number;
  /** At most this many windows of each transcript, or null for all. */
  maxWindows: number | null;
  /** Print a bug's stack trace. */
  debug: boolean;
  /** A graph: an id in `./langgraph.json`, or `path.ts:export`; null for the bundled workload. */
  graph: string | null;
  /** A dataset file (JSONL or JSON array of `{ id?, inputs, metadata? }`), or null. */
  dataset: string | null;
  /** The results store, or null for `reports/graphmeter.db`. */
  db: string | null;
  /** A label for the benchmark (and what `--resume` continues), or null. */
  label: string | null;
  /** The simulated model's latency scale (0: no waiting). */
  latencyScale: number;
  /** One slice of the planned runs (`--shard i/n`), or null for all. */
  shard: { index: number; count: number } | null;
  /** The benchmark to compare with when done (id, label, `latest~N` or report folder), or null. */
  baseline: string | null;
  /** The gate's rules (`--fail-on`), checked against the baseline; empty for none. */
  failOn: GateRule[];
  /** Print the help and exit. */
  help: boolean;
  /** The flags given on the command line (e.g. `runs`, `model`), so a resume knows what was said. */
  given: ReadonlySet<string>;
}

/** Seconds an LLM call may take by default before it is abandoned. */
export const DEFAULT_TIMEOUT_SECONDS = 60;
/** Retries of a failed LLM call by default. */
export const DEFAULT_MAX_RETRIES = 2;
/** Seconds a run may take by default (15 minutes) before it is abandoned as failed. */
export const DEFAULT_RUN_TIMEOUT_SECONDS = 900;
/** The most runs one benchmark may plan (inputs x --runs): ~93 MB and 1.2 s to plan. */
export const MAX_PLANNED_RUNS = 1_000_000;

/**
 * A mistake on the command line: its message is one line saying what to do.
 *
 * @example Usage
 * ```ts
 * import { parseBenchArgs, UsageError } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => parseBenchArgs(["--runs", "0"], []), UsageError);
 * ```
 */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * The help text of `deno task bench`.
 *
 * @example Usage
 * ```ts
 * import { BENCH_HELP } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(BENCH_HELP, /--max-cost USD/);
 * ```
 */
export const BENCH_HELP: string = `Usage: deno task bench [options]

Runs the reference workload (transcripts -> tree) over transcripts, or your own graph
(--graph) over a dataset, stores every run in the results store (--db) and writes report.md,
report.html and metrics.json. With no --model it uses the simulated model (no key, no network).

Options:
  --runs N             repeats per input (default 1)
  --concurrency N      runs in flight at most (default 4)
  --model SPEC         provider:model for all stages, or stage=provider:model for one stage;
                       repeatable. Providers: openai, anthropic, google-genai, ollama,
                       simulated (e.g. simulated:gemini-2.5-flash-lite). Stages:
                       segmentation, relationship_analysis, integration_decision
  --base-url URL       endpoint for the chosen provider (OpenAI-compatible servers, Ollama, ...)
  --input PATH         a .txt transcript or a folder of them (default: bundled transcripts)
  --out DIR            output folder of report.md, report.html and metrics.json (default
                       reports/<id>/)
  --max-cost USD       a hard budget, checked after every LLM call: once the calls made pass
                       it, no run is launched and the runs in flight are aborted (stored as
                       stopped, with what their calls cost: --resume makes them again and
                       counts that cost). Guarantee: spent <= USD + the
                       cost of the calls already in flight when it was crossed. Every model
                       must have a price (the catalog's or --prices'); a call that turns out
                       unpriced stops the benchmark
  --timeout SECONDS    abandon an LLM call (one attempt) after this long (default
                       ${DEFAULT_TIMEOUT_SECONDS})
  --run-timeout SECONDS
                       abandon a run after this long: it fails and the others go on (default
                       ${DEFAULT_RUN_TIMEOUT_SECONDS}; bounds a node that hangs without calling a model)
  --max-retries N      retries of a failed LLM call (default ${DEFAULT_MAX_RETRIES}; 0 for none)
  --max-windows N      process at most N windows (~300 characters each) of each transcript
  --seed N             seed of the simulated model's answers and latencies (and OpenAI's
                       sampling). The same seed gives the same tokens and costs; --seed 0 is a
                       seed like any other; without --seed the simulated model uses seed 0
                       and real providers get none (their own randomness)
  --graph ID|FILE:EXPORT
                       benchmark your own graph: an id from ./langgraph.json ("graphs"), or
                       ./path.ts:exportName (a compiled graph or a function returning one)
  --dataset FILE       the graph's inputs: JSONL or a JSON array of {"id"?, "inputs",
                       "metadata"?} (a LangSmith dataset export); needed with --graph
  --db FILE            the results store (default reports/graphmeter.db)
  --label NAME         name the benchmark (history, export and compare take labels; latest,
                       latest~N and id-shaped names are taken)
  --resume [REF]       continue a benchmark in --db: REF is its id or label (default the latest;
                       with --label, the latest carrying it), skipping finished runs and making
                       again those stopped in flight. It takes the benchmark's stored settings;
                       a flag that contradicts them (models, seed, prices, input, runs, base
                       URL, shard, max windows) is refused, naming it. A benchmark another
                       process is writing is refused, naming the process
  --latency-scale X    the simulated model's latency profile at X times real time (default
                       ${DEFAULT_BENCH_TIME_SCALE}; 0: no waiting)
  --shard I/N          run only slice I of N of the planned runs (merge with deno task merge)
  --baseline REF       when done, compare with this benchmark (an id, a label, latest~N or a
                       report folder in --db): prints the comparison and adds it to report.html
  --fail-on RULES      with --baseline, a CI gate, e.g. "cost:+5%,p95:+10%,errors:+0" (figures
                       cost, tokens, calls, p50, p95, errors; <stage>.<figure> for one stage):
                       exit 1 when a figure regressed significantly past its limit
  --daily-words N      daily volume for the projected cost (default ${DEFAULT_DAILY_WORDS})
  --prices FILE        a JSON price table in $ per million tokens that wins over the catalog:
                       {"<model>" or "<provider>:<model>": {"inputPerMTok": 0.2,
                       "outputPerMTok": 0.6, "cacheReadPerMTok"?: ..., "cacheWritePerMTok"?: ...}}
  --debug              print a bug's stack trace
  --help               show this help

Keys come from OPENAI_API_KEY, ANTHROPIC_API_KEY, GOOGLE_API_KEY or GEMINI_API_KEY.
Exit status: 0 done, 1 some runs failed or a --fail-on rule failed (the report is still
written), 2 bad usage or input (one line says what to do), 128+N stopped by a signal: 130
Ctrl-C (SIGINT), 143 SIGTERM, 129 SIGHUP (finished runs are kept; the printed --resume
command continues).
`;

const OPTIONS = {
  runs: { type: "string" },
  concurrency: { type: "string" },
  model: { type: "string", multiple: true },
  "base-url": { type: "string" },
  input: { type: "string" },
  out: { type: "string" },
  "max-cost": { type: "string" },
  seed: { type: "string" },
  resume: { type: "string" },
  "daily-words": { type: "string" },
  prices: { type: "string" },
  timeout: { type: "string" },
  "run-timeout": { type: "string" },
  "max-retries": { type: "string" },
  "max-windows": { type: "string" },
  debug: { type: "boolean" },
  graph: { type: "string" },
  dataset: { type: "string" },
  db: { type: "string" },
  label: { type: "string" },
  "latency-scale": { type: "string" },
  shard: { type: "string" },
  baseline: { type: "string" },
  "fail-on": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

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
 * Writes `--flag -4` as `--flag=-4` for flags that take a value: node's parseArgs takes a value
 * that starts with a dash for a flag and calls it ambiguous, so `--seed -4` would fail and
 * `--max-cost -1` would not reach the check that says what is wrong with it.
 */
function joinNegativeNumbers(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    // `--resume` takes a benchmark when one follows (bench takes no other positional).
    if (argv[i] === "--resume") {
      const next = argv[i + 1];
      args.push(
        next !== undefined && !next.startsWith("-") ? `--resume=${argv[++i]}` : "--resume=",
      );
      continue;
    }
    const name = argv[i].startsWith("--") ? argv[i].slice(2) : null;
    const takesValue = name !== null && OPTIONS[name as keyof typeof OPTIONS]?.type === "string";
    if (takesValue && /^-\.?\d/.test(argv[i + 1] ?? "")) {
      args.push(`${argv[i]}=${argv[++i]}`);
    } else {
      args.push(argv[i]);
    }
  }
  return args;
}

function wholeNumber(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value > 100) {
    throw new UsageError(`${flag} must be a whole number from 0 to 100, got "${text}"`);
  }
  return value;
}

function positiveInt(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`${flag} must be a whole number ≥ 1, got "${text}"`);
  }
  return value;
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
  let values;
  try {
    ({ values } = parseArgs({
      args: joinNegativeNumbers(argv),
      strict: true,
      allowPositionals: false,
      options: OPTIONS,
    }));
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UsageError(`${message} (see --help)`);
  }
  const help = values.help ?? false;
  let defaultModel: ModelChoice | null = null;
  const stageModels: Record<string, ModelChoice> = {};
  for (const spec of values.model ?? []) {
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
  const baseUrl = values["base-url"] ?? null;
  if (baseUrl !== null) checkBaseUrl(baseUrl, [defaultModel, ...Object.values(stageModels)]);
  const maxCost = values["max-cost"];
  const maxCostUsd = maxCost === undefined ? null : Number(maxCost);
  if (maxCostUsd !== null && !(Number.isFinite(maxCostUsd) && maxCostUsd > 0)) {
    throw new UsageError(`--max-cost must be a positive number of US dollars, got "${maxCost}"`);
  }
  const seedText = values.seed;
  const seed = seedText === undefined ? null : Number(seedText);
  if (seed !== null && !(/^-?\d+$/.test(seedText!.trim()) && Number.isSafeInteger(seed))) {
    throw new UsageError(`--seed must be a whole number, got "${seedText}"`);
  }
  const resume = values.resume !== undefined;
  const resumeRef = values.resume?.trim() || null;
  if (resumeRef !== null && values.label !== undefined) {
    throw new UsageError(
      `--resume ${resumeRef} names the benchmark; drop --label (or give --resume --label ` +
        `${values.label})`,
    );
  }
  const reserved = values.label === undefined || resume ? null : reservedLabel(values.label);
  if (reserved !== null) {
    throw new UsageError(`--label ${values.label}: ${reserved}; choose another label`);
  }
  const scaleText = values["latency-scale"];
  const latencyScale = scaleText === undefined ? DEFAULT_BENCH_TIME_SCALE : Number(scaleText);
  if (!(Number.isFinite(latencyScale) && latencyScale >= 0) || scaleText?.trim() === "") {
    throw new UsageError(`--latency-scale must be a number ≥ 0, got "${scaleText}"`);
  }
  if (values.graph !== undefined && values.dataset === undefined) {
    throw new UsageError("--graph needs --dataset with the graph's inputs");
  }
  if (values.dataset !== undefined && values.graph === undefined) {
    throw new UsageError("--dataset needs --graph (the bundled workload reads --input)");
  }
  if (values.graph !== undefined && values.input !== undefined) {
    throw new UsageError("--input is for the bundled workload; a --graph reads --dataset");
  }
  for (const flag of ["input", "out", "prices", "graph", "dataset", "db", "label"] as const) {
    if (values[flag]?.trim() === "") throw new UsageError(`--${flag} needs a path`);
  }
  if (values.baseline?.trim() === "") {
    throw new UsageError("--baseline needs a benchmark: an id, a label, latest~N or a folder");
  }
  if (values["fail-on"] !== undefined && values.baseline === undefined) {
    throw new UsageError("--fail-on needs --baseline, the benchmark to compare with");
  }
  const timeoutText = values.timeout;
  const timeoutSeconds = timeoutText === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(timeoutText);
  if (!(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 && timeoutSeconds <= 86_400)) {
    throw new UsageError(`--timeout must be a number of seconds above 0, got "${timeoutText}"`);
  }
  const runTimeoutText = values["run-timeout"];
  const runTimeoutSeconds = runTimeoutText === undefined
    ? DEFAULT_RUN_TIMEOUT_SECONDS
    : Number(runTimeoutText);
  if (
    !(Number.isFinite(runTimeoutSeconds) && runTimeoutSeconds > 0 && runTimeoutSeconds <= 604_800)
  ) {
    throw new UsageError(
      `--run-timeout must be a number of seconds above 0 (at most a week), got "${runTimeoutText}"`,
    );
  }
  return {
    runs: positiveInt("--runs", values.runs, 1),
    concurrency: positiveInt("--concurrency", values.concurrency, 4),
    defaultModel,
    stageModels,
    baseUrl,
    input: values.input ?? null,
    out: values.out ?? null,
    maxCostUsd,
    seed,
    resume,
    resumeRef,
    dailyWords: positiveInt("--daily-words", values["daily-words"], DEFAULT_DAILY_WORDS),
    prices: values.prices ?? null,
    timeoutSeconds,
    maxRetries: wholeNumber("--max-retries", values["max-retries"], DEFAULT_MAX_RETRIES),
    runTimeoutSeconds,
    maxWindows: values["max-windows"] === undefined
      ? null
      : positiveInt("--max-windows", values["max-windows"], 1),
    debug: values.debug ?? false,
    graph: values.graph ?? null,
    dataset: values.dataset ?? null,
    db: values.db ?? null,
    label: values.label ?? null,
    latencyScale,
    shard: values.shard === undefined ? null : parseShard(values.shard),
    baseline: values.baseline ?? null,
    failOn: parseFailOn(values["fail-on"]),
    help,
    given: new Set(Object.keys(values)),
  };
}

function parseFailOn(text: string | undefined): GateRule[] {
  if (text === undefined) return [];
  try {
    return parseGateRules(text);
  } catch (error) {
    if (error instanceof GateRuleError) throw new UsageError(`--fail-on: ${error.message}`);
    throw error;
  }
}

function checkBaseUrl(baseUrl: string, choices: (ModelChoice | null)[]): void {
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new UsageError(`--base-url must be an http(s) URL, got "${baseUrl}"`);
  }
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
