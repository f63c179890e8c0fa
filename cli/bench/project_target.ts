/**
 * The benchmark target of `--graph` + `--dataset`: the user's graph, run by a worker process in
 * its own project (`langgraph.json` found from the current directory upward, the project's
 * installed packages, its `.js`-suffixed imports and tsconfig paths, its `env`), over the
 * dataset's examples, each run with `--config` and the example's metadata.
 *
 * @module
 */
import type { BenchmarkInput } from "../../benchmark/runner.ts";
import type { PlannedRun } from "../../benchmark/schedule.ts";
import type { InvokableGraph, RunConfig } from "../../benchmark/options.ts";
import type { BenchTarget } from "./bench_target.ts";
import type { BenchArgs } from "./args.ts";
import { UsageError } from "../usage_error.ts";
import { transcriptsSha256 } from "./settings.ts";
import { type DatasetExample, readDataset } from "./dataset.ts";
import { type BenchRunConfig, parseRunConfig } from "./run_config.ts";
import { projectLayout, workerFlags } from "../../worker/project.ts";
import { findLanggraphJson, resolveGraphRef } from "../../worker/langgraph_json.ts";
import { ProjectError } from "../../worker/project_error.ts";
import { ProjectGraph, WorkerLoadError } from "../../worker/client.ts";
import type { NamedEvaluator } from "../../evaluate/evaluator.ts";
import { evaluatorSpecs, remoteEvaluators } from "./evaluator_source.ts";

/** A user's graph in its worker, its inputs, and what the settings and report say about them. */
export interface ProjectTarget {
  /** The graph (in its worker). */
  graph: ProjectGraph;
  /** The dataset's examples as benchmark inputs. */
  inputs: BenchmarkInput<unknown>[];
  /** The config of each run: `--config`, the example's metadata over its metadata. */
  runConfig: (run: PlannedRun) => RunConfig;
  /** Where the graph came from (`--graph`'s value). */
  graphSource: string;
  /** The dataset's path. */
  inputSource: string;
  /** A SHA-256 of the examples' ids and inputs (a resume checks it). */
  inputSha256: string;
  /** The `--config` as given (JSON), or null. */
  configJson: string | null;
  /** The `--evaluator`s, loaded and run in the worker. */
  evaluators: NamedEvaluator[];
  /** What the worker attached (`in-memory checkpointer`, ...), for the report's notes. */
  attached: string[];
  /** One warning line per problem found before any run (inputs the graph does not know). */
  warnings: string[];
  /** Lets the worker finish and exit. */
  close: () => Promise<void>;
  /** Kills the worker at once (Ctrl-C). */
  kill: () => void;
}

async function readTextIfExists(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A warning for examples whose input keys the graph's input schema does not know (the graph would
 * run them "ok" on an empty state), or null.
 *
 * @param examples The dataset's examples.
 * @param inputKeys The graph's input keys, or null when it does not say.
 * @param graph How `--graph` was given.
 * @returns One line, or null.
 *
 * @example Usage
 * ```ts
 * import { unknownInputKeysWarning } from "./project_target.ts";
 * import assert from "node:assert/strict";
 *
 * const examples = [{ id: "a", inputs: { question: "hi" }, outputs: undefined, metadata: null }];
 * assert.equal(
 *   unknownInputKeysWarning(examples, ["messages"], "agent"),
 *   'warning: 1 of 1 examples have inputs graph agent does not know: "question" ' +
 *     "(its input keys: messages); they run on an empty state",
 * );
 * assert.equal(unknownInputKeysWarning(examples, ["question"], "agent"), null);
 * ```
 */
export function unknownInputKeysWarning(
  examples: readonly DatasetExample[],
  inputKeys: readonly string[] | null,
  graph: string,
): string | null {
  if (inputKeys === null) return null;
  const known = new Set(inputKeys);
  const unknown = new Set<string>();
  let affected = 0;
  for (const example of examples) {
    const inputs = example.inputs;
    if (inputs === null || typeof inputs !== "object" || Array.isArray(inputs)) continue;
    const keys = Object.keys(inputs).filter((key) => !known.has(key));
    if (keys.length > 0) affected++;
    for (const key of keys) unknown.add(key);
  }
  if (affected === 0) return null;
  const names = [...unknown].slice(0, 5).map((key) => `"${key}"`).join(", ");
  return `warning: ${affected} of ${examples.length} examples have inputs graph ${graph} does ` +
    `not know: ${names}${unknown.size > 5 ? ", ..." : ""} (its input keys: ` +
    `${inputKeys.join(", ")}); they run on an empty state`;
}

/**
 * Loads `--graph` and `--evaluator` (in a worker started in the graph's project) and `--dataset`.
 *
 * @param args The parsed command line (with `graph` and `dataset` set).
 * @param cwd The current directory.
 * @param onOutput Where the worker's own output goes (the graph's logging).
 * @returns The target; close its graph when done.
 * @throws {UsageError} When the project, the graph, an evaluator or the dataset cannot be used.
 *
 * @example Usage
 * ```ts ignore
 * import { loadProjectTarget } from "./project_target.ts";
 * import { parseBenchArgs } from "./args.ts";
 *
 * const args = parseBenchArgs(["--graph", "agent", "--dataset", "d.jsonl"], []);
 * const target = await loadProjectTarget(args, Deno.cwd(), (text) => console.error(text));
 * await target.close();
 * ```
 */
export async function loadProjectTarget(
  args: BenchArgs,
  cwd: string,
  onOutput: (text: string) => void,
): Promise<ProjectTarget> {
  if (args.defaultModel !== null || Object.keys(args.stageModels).length > 0) {
    throw new UsageError(
      "--model is for the bundled workload: your --graph brings its own models (choose one with " +
        "--config '{\"configurable\": {...}}' if your graph reads it from there)",
    );
  }
  const examples = await readDataset(args.dataset!);
  const config: BenchRunConfig = args.config === null
    ? { configurable: {}, tags: [], metadata: {} }
    : await parseRunConfig(args.config, readTextIfExists);
  const ref = args.graph!;
  // Checked here (FILE:EXPORT, FILE there); loaded by the worker, in the project.
  const evaluators = await evaluatorSpecs(args.evaluators, cwd);
  let graph: ProjectGraph;
  let ready;
  const warnings: string[] = [];
  try {
    let langgraphJson = await findLanggraphJson(cwd, exists);
    const location = await resolveGraphRef(ref, cwd, langgraphJson, readTextIfExists);
    // A graph given by path outside the current folder's project: its own project's config.
    langgraphJson ??= await findLanggraphJson(location.file.replace(/\/[^/]*$/, ""), exists);
    if (!(await exists(location.file))) {
      throw new ProjectError(`--graph ${ref}: ${location.file} does not exist`);
    }
    const layout = await projectLayout(cwd, langgraphJson, location.file, readTextIfExists, exists);
    warnings.push(...layout.warnings);
    ({ graph, ready } = await ProjectGraph.start({
      flags: workerFlags(layout),
      cwd: layout.dir,
      env: layout.envVars,
      spec: {
        moduleUrl: new URL(`file://${location.file}`).href,
        exportName: location.exportName,
        projectDir: layout.dir,
        factoryConfig: { configurable: config.configurable },
        // Each LLM call's HTTP attempts, tracked in the worker and paced by the CLI's pacer.
        trackHttpAttempts: true,
        evaluators,
      },
      ref,
      loadTimeoutMs: args.loadTimeoutSeconds * 1000,
      runTimeoutMs: args.runTimeoutSeconds * 1000,
      evaluatorTimeoutMs: args.evaluatorTimeoutSeconds * 1000,
      onOutput,
    }));
  } catch (error) {
    if (error instanceof ProjectError) throw new UsageError(error.message);
    if (error instanceof WorkerLoadError) {
      const debug = args.debug && error.remoteStack ? `\n${error.remoteStack}` : "";
      throw new UsageError(`${error.message}${debug}`);
    }
    throw error;
  }
  const byId = new Map(examples.map((example) => [example.id, example]));
  const warning = unknownInputKeysWarning(examples, ready.inputKeys, ref);
  if (ready.unmetered !== null) warnings.push(`warning: --evaluator: ${ready.unmetered}`);
  let loaded: NamedEvaluator[];
  try {
    loaded = remoteEvaluators(graph, ready.evaluators);
  } catch (error) {
    await graph.close();
    throw error;
  }
  return {
    graph,
    inputs: examples.map((example) => ({
      id: example.id,
      input: example.inputs,
      words: null,
      ...(example.outputs === undefined ? {} : { referenceOutputs: example.outputs }),
      // Kept on the run's record, where --group-by reads it (runConfig passes it to the run).
      ...(example.metadata === null ? {} : { metadata: example.metadata }),
    })),
    runConfig: (run) => ({
      configurable: { ...config.configurable },
      ...(config.recursionLimit === undefined ? {} : { recursionLimit: config.recursionLimit }),
      tags: [...config.tags],
      metadata: { ...config.metadata, ...(byId.get(run.inputId)?.metadata ?? {}) },
    }),
    graphSource: ref,
    inputSource: args.dataset!,
    inputSha256: await transcriptsSha256(
      examples.map((example) => ({
        id: example.id,
        // The reference outputs too: a resume must not score against other references.
        text: JSON.stringify(example.inputs) +
          (example.outputs === undefined ? "" : `\n${JSON.stringify(example.outputs)}`),
      })),
    ),
    configJson: args.config === null ? null : JSON.stringify(config),
    evaluators: loaded,
    attached: [
      ...(ready.attached.checkpointer ? ["an in-memory checkpointer"] : []),
      ...(ready.attached.store ? ["an in-memory store"] : []),
    ],
    warnings: warning === null ? warnings : [...warnings, warning],
    close: () => graph.close(),
    kill: () => graph.kill(),
  };
}

/**
 * The user's graph as `bench` runs it: its worker, its inputs and configs, its `--evaluator`s
 * (run in the worker), what its report notes, its runs' error messages (their stack with
 * `--debug`), and the models its calls were answered by.
 *
 * @param args The parsed command line (with `graph` and `dataset`).
 * @param err Where the worker's output, warnings and `--debug` stacks go.
 * @returns The target; `close` it when done.
 * @throws {UsageError} When the project, the graph or the dataset cannot be used.
 *
 * @example Usage
 * ```ts ignore
 * import { projectBenchTarget } from "./project_target.ts";
 * import { parseBenchArgs } from "./args.ts";
 *
 * const args = parseBenchArgs(["--graph", "agent", "--dataset", "d.jsonl"], []);
 * const target = await projectBenchTarget(args, (text) => console.error(text));
 * await target.close?.();
 * ```
 */
export async function projectBenchTarget(
  args: BenchArgs,
  err: (text: string) => void,
): Promise<BenchTarget> {
  const target = await loadProjectTarget(args, Deno.cwd(), err);
  const notes: Record<string, string> = {};
  if (args.prices !== null) notes["Price overrides"] = `from ${args.prices}`;
  if (target.configJson !== null) notes["Run config"] = target.configJson;
  if (target.attached.length > 0) {
    notes["Attached"] = `${target.attached.join(" and ")} (as langgraph dev does)`;
  }
  return {
    graph: target.graph as InvokableGraph<unknown, unknown>,
    inputs: target.inputs,
    settings: {
      models: {
        graph: target.graphSource,
        ...(target.configJson === null ? {} : { config: target.configJson }),
      },
      seed: args.seed,
      input: { source: target.inputSource, sha256: target.inputSha256 },
      baseUrl: null,
      maxWindows: null,
    },
    meta: {
      models: {},
      ...(Object.keys(notes).length === 0 ? {} : { notes }),
      inputSource: target.inputSource,
      graph: target.graphSource,
    },
    choices: {},
    evaluators: target.evaluators,
    evaluatorFlagsLoaded: true,
    runConfig: target.runConfig,
    clock: target.graph.clock,
    describeError: (error) => {
      const stack = (error as { remoteStack?: unknown } | null)?.remoteStack;
      if (args.debug && typeof stack === "string") err(`run failed: ${stack}\n`);
      return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    },
    warnings: target.warnings,
    modelsFromCalls: true,
    pace: (gate) => target.graph.pace(gate),
    close: target.close,
    kill: target.kill,
  };
}
