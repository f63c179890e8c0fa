/**
 * The benchmark target of `--graph` + `--dataset`: the user's graph over the dataset's examples.
 *
 * @module
 */
import type { BenchmarkInput, InvokableGraph } from "../../benchmark/runner.ts";
import type { BenchArgs } from "./args.ts";
import { UsageError } from "../usage_error.ts";
import { transcriptsSha256 } from "./settings.ts";
import { readDataset } from "./dataset.ts";
import { loadGraph } from "./graph_source.ts";

/** A graph and its inputs, with what the settings and the report say about them. */
export interface UserGraphTarget {
  /** The graph. */
  graph: InvokableGraph<unknown, unknown>;
  /** The dataset's examples as benchmark inputs. */
  inputs: BenchmarkInput<unknown>[];
  /** Where the graph came from (`--graph`'s value). */
  graphSource: string;
  /** The dataset's path. */
  inputSource: string;
  /** A SHA-256 of the examples' ids and inputs (a resume checks it). */
  inputSha256: string;
}

/**
 * Loads `--graph` and `--dataset`.
 *
 * @param args The parsed command line (with `graph` and `dataset` set).
 * @param cwd The project folder (where `langgraph.json` is).
 * @returns The target.
 * @throws {UsageError} When either cannot be loaded, or `--model`/`--input` were given too.
 *
 * @example Usage
 * ```ts ignore
 * import { loadUserGraphTarget } from "./user_graph_target.ts";
 * import { parseBenchArgs } from "./args.ts";
 *
 * const args = parseBenchArgs(["--graph", "agent", "--dataset", "d.jsonl"], []);
 * const target = await loadUserGraphTarget(args, Deno.cwd());
 * ```
 */
export async function loadUserGraphTarget(args: BenchArgs, cwd: string): Promise<UserGraphTarget> {
  if (args.defaultModel !== null || Object.keys(args.stageModels).length > 0) {
    throw new UsageError("--model is for the bundled workload: your --graph brings its own models");
  }
  const examples = await readDataset(args.dataset!);
  const { graph, source } = await loadGraph(args.graph!, cwd);
  return {
    graph,
    inputs: examples.map((example) => ({ id: example.id, input: example.inputs, words: null })),
    graphSource: source,
    inputSource: args.dataset!,
    inputSha256: await transcriptsSha256(
      examples.map((example) => ({ id: example.id, text: JSON.stringify(example.inputs) })),
    ),
  };
}
