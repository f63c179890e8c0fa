/**
 * What `bench` benchmarks — the bundled workload or the user's graph — and what to say about it:
 * the one shape both targets take.
 *
 * @module
 */
import type { BenchmarkMeta } from "../../benchmark/result/benchmark_result.ts";
import type { QualityRecord } from "../../benchmark/run_record.ts";
import type {
  BenchmarkInput,
  BenchmarkUnit,
  InvokableGraph,
  RunConfig,
} from "../../benchmark/options.ts";
import type { PlannedRun } from "../../benchmark/schedule.ts";
import type { ModelChoice } from "./args.ts";
import type { BenchSettings } from "./settings.ts";
import type { NamedEvaluator } from "../../evaluate/evaluator.ts";
import type { RatePacer } from "../../benchmark/pacing/rate_pacer.ts";

/** What is benchmarked: the bundled workload or the user's graph, and what to say about it. */
export interface BenchTarget {
  /** The graph. */
  graph: InvokableGraph<unknown, unknown>;
  /** Its inputs. */
  inputs: BenchmarkInput<unknown>[];
  /** Measures a run's output (the workload's tree quality). */
  quality?: (output: unknown) => QualityRecord;
  /** Says what a run produced, in a few words. */
  summarizeOutput?: (output: unknown) => string;
  /** What a resume must match. */
  settings: Omit<BenchSettings, "prices" | "repeats" | "shard">;
  /** What the report says about the target. */
  meta: Pick<BenchmarkMeta, "models" | "modelsNote" | "notes" | "inputSource" | "graph">;
  /** The normalisation unit (the workload's 1,000 words), or none. */
  unit?: BenchmarkUnit<unknown>;
  /** The chosen models per stage (none for a user's graph). */
  choices: Record<string, ModelChoice>;
  /** Evaluators the target brings of its own (the workload's tree evaluators); default none. */
  evaluators?: NamedEvaluator[];
  /**
   * Whether `evaluators` holds the `--evaluator`s already (a user's graph's, loaded and run in
   * its worker, in its project); else `bench` imports them itself.
   */
  evaluatorFlagsLoaded?: boolean;
  /** Windows of each input (the workload's), for progress inside its runs. */
  windowsOf?: (inputId: string) => number;
  /** The config of each run (a user's graph: `--config` and the example's metadata). */
  runConfig?: (run: PlannedRun) => RunConfig;
  /** The clock of the process the graph runs in, for the handler (a user's graph's worker). */
  clock?: () => number;
  /** Words a run's error (a user's graph: its own message; its stack with --debug). */
  describeError?: (error: unknown) => string;
  /** Lines to print before the runs (e.g. inputs the graph does not know). */
  warnings?: string[];
  /** The report lists the models the calls were answered by (a user's graph states none). */
  modelsFromCalls?: boolean;
  /**
   * Paces the target's LLM requests with the benchmark's pacer, when they are sent from another
   * process (a user's graph's worker); the CLI's own requests are paced through its `fetch`.
   */
  pace?: (gate: RatePacer | null) => void;
  /** Releases what the target holds (a worker process). */
  close?: () => Promise<void>;
  /** Stops it at once (Ctrl-C). */
  kill?: () => void;
}
