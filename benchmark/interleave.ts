/**
 * A baseline and a candidate benchmarked in one time window, their runs alternating (as
 * hyperfine alternates commands), so that machine and provider load reach both alike and a
 * latency verdict is about the change, not the weather. One runner makes the runs of both sides:
 * its plan holds each run of the baseline beside the candidate's same run (baseline first for
 * even inputs, candidate first for odd ones, so neither side always goes first), under one
 * concurrency, one budget and one pacer; each side keeps its own graph, log and records.
 *
 * @module
 */
import type { LLMCallMetrics } from "../telemetry/metrics.ts";
import type {
  BenchmarkInput,
  BenchmarkOptions,
  BenchmarkRun,
  InvokableGraph,
  RunHooks,
} from "./options.ts";
import type { BenchmarkEvaluator, Evaluator } from "../evaluate/evaluator.ts";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import type { RunLog } from "./run_log.ts";
import type { RunRecord } from "./run_record.ts";
import { runBenchmark } from "./runner.ts";
import type { PlannedRun } from "./schedule.ts";

/** The two sides of an interleaved benchmark. */
export type Side = "baseline" | "candidate";

/** What is each side's own in an interleaved benchmark. */
export type InterleavedSide<I, O> = Pick<
  BenchmarkOptions<I, O>,
  "graph" | "inputs" | "config" | "createHandler" | "log" | "unit" | "quality"
>;

/** How to run a baseline and a candidate interleaved: the two sides and what they share. */
export interface InterleavedOptions<I, O> extends
  Omit<
    BenchmarkOptions<I, O>,
    keyof InterleavedSide<I, O> | "onRunEnd" | "onCallEnd"
  > {
  /** The baseline: its graph and its inputs (the same ids as the candidate's, in order). */
  baseline: InterleavedSide<I, O>;
  /** The candidate. */
  candidate: InterleavedSide<I, O>;
  /** Called once per run that ended, with its side. */
  onRunEnd?: (side: Side, run: PlannedRun, record: RunRecord) => void;
  /** Called once per finished LLM call, with its side. */
  onCallEnd?: (side: Side, run: PlannedRun, call: LLMCallMetrics) => void;
}

/** What an interleaved benchmark produced: each side's benchmark. */
export interface InterleavedRun {
  /** The baseline's benchmark. */
  baseline: BenchmarkRun;
  /** The candidate's benchmark. */
  candidate: BenchmarkRun;
}

/** An input of the interleaved plan: which side, and that side's input. */
interface Tagged<I> {
  side: Side;
  input: I;
}

const SEPARATOR = "\u0000";

/** The plan's id of a side's input (unique across both sides). */
const tag = (side: Side, id: string): string => `${side}${SEPARATOR}${id}`;

/** A side and its own id from a plan id. */
function untag(id: string): { side: Side; id: string } {
  const at = id.indexOf(SEPARATOR);
  return { side: id.slice(0, at) as Side, id: id.slice(at + 1) };
}

const untagRecord = (record: RunRecord): RunRecord => ({
  ...record,
  inputId: untag(record.inputId).id,
});
const tagRecord = (side: Side, record: RunRecord): RunRecord => ({
  ...record,
  inputId: tag(side, record.inputId),
});

function untagRun(run: PlannedRun): PlannedRun {
  return { ...run, inputId: untag(run.inputId).id, inputIndex: Math.floor(run.inputIndex / 2) };
}

/** An evaluator of the sides' runs, given each run's own input (not the interleaved plan's). */
function untagged<I, O>(
  evaluator: BenchmarkEvaluator<I, O, never>,
): BenchmarkEvaluator<Tagged<I>, O, never> {
  const evaluate = typeof evaluator === "function" ? evaluator : evaluator.evaluate;
  const wrapped: Evaluator<Tagged<I>, O, never> = (args) =>
    evaluate({ ...args, inputs: args.inputs.input });
  if (typeof evaluator !== "function") return { name: evaluator.name, evaluate: wrapped };
  // Its errors are recorded under its own name.
  Object.defineProperty(wrapped, "name", { value: evaluator.name });
  return wrapped;
}

/** One log in front of the two sides' logs: each record goes to (and comes from) its side's. */
function splitLog(logs: Record<Side, RunLog | undefined>): RunLog | undefined {
  const { baseline, candidate } = logs;
  if (baseline === undefined && candidate === undefined) return undefined;
  if (baseline === undefined || candidate === undefined) {
    throw new Error("give both sides a log, or neither");
  }
  return {
    create: async () => {
      await baseline.create();
      await candidate.create();
    },
    load: async () => {
      const [b, c] = [await baseline.load(), await candidate.load()];
      return {
        records: [
          ...b.records.map((r) => tagRecord("baseline", r)),
          ...c.records.map((r) => tagRecord("candidate", r)),
        ],
        skipped: [...b.skipped, ...c.skipped],
        stopped: [
          ...(b.stopped ?? []).map((r) => tagRecord("baseline", r)),
          ...(c.stopped ?? []).map((r) => tagRecord("candidate", r)),
        ],
      };
    },
    append: (record) =>
      (untag(record.inputId).side === "baseline" ? baseline : candidate).append(
        untagRecord(record),
      ),
    // Runs stopped in flight (their calls were paid) are kept by their side's log too.
    appendStopped: async (record, reason) => {
      const log = untag(record.inputId).side === "baseline" ? baseline : candidate;
      await log.appendStopped?.(untagRecord(record), reason);
    },
  };
}

/** One side's share of the interleaved benchmark's outcome. */
function sideRun(run: BenchmarkRun, side: Side, total: number): BenchmarkRun {
  const mine = (record: RunRecord) => untag(record.inputId).side === side;
  const records = run.records.filter(mine).map(untagRecord);
  const stoppedRuns = (run.stoppedRuns ?? []).filter(mine).map(untagRecord);
  const finished = Math.ceil((run.finishedRuns ?? run.records.length) / 2);
  return {
    ...run,
    records,
    stoppedRuns,
    total,
    finishedRuns: run.records.length > 0 ? records.length : finished,
    resumed: Math.ceil(run.resumed / 2),
    notRun: Math.ceil(run.notRun / 2),
  };
}

/**
 * Runs a baseline and a candidate benchmark interleaved in one time window: each run of one side
 * goes beside the other side's same run, under one concurrency, budget and pacer. Compare the two
 * with `compareBenchmarks`: runs pair by input and repeat, and the comparison says they ran
 * interleaved.
 *
 * @param options The two sides, and what they share (repeats, concurrency, budget, ...).
 * @returns Each side's benchmark.
 * @throws {Error} When the sides' inputs differ in number or ids.
 *
 * @example Usage
 * ```ts
 * import { RunnableLambda } from "@langchain/core/runnables";
 * import { runInterleaved } from "./interleave.ts";
 * import assert from "node:assert/strict";
 *
 * const inputs = [{ id: "a", input: "hi" }, { id: "b", input: "yo" }];
 * const { baseline, candidate } = await runInterleaved({
 *   baseline: { graph: RunnableLambda.from((t: string) => t), inputs },
 *   candidate: { graph: RunnableLambda.from((t: string) => t.toUpperCase()), inputs },
 * });
 * assert.deepEqual(candidate.records.map((r) => r.outputSummary), ['"HI"', '"YO"']);
 * assert.deepEqual(baseline.records.map((r) => r.inputId), ["a", "b"]);
 * ```
 */
export async function runInterleaved<I, O>(
  options: InterleavedOptions<I, O>,
): Promise<InterleavedRun> {
  const { baseline, candidate, onRunEnd, onCallEnd, ...shared } = options;
  const sides = { baseline, candidate };
  const ids = (side: InterleavedSide<I, O>) => side.inputs.map((input) => input.id).join("\n");
  if (ids(baseline) !== ids(candidate)) {
    throw new Error("the baseline and the candidate must have the same inputs, in the same order");
  }
  // Each input's two runs side by side; which side goes first alternates from input to input.
  const inputs: BenchmarkInput<Tagged<I>>[] = baseline.inputs.flatMap((input, i) => {
    const order: Side[] = i % 2 === 0 ? ["baseline", "candidate"] : ["candidate", "baseline"];
    return order.map((side) => ({
      id: tag(side, input.id),
      input: { side, input: sides[side].inputs[i].input },
      referenceOutputs: sides[side].inputs[i].referenceOutputs,
    }));
  });
  const ofSide = (run: PlannedRun) => sides[untag(run.inputId).side];
  const graph: InvokableGraph<Tagged<I>, O> = {
    invoke: (tagged, config) => sides[tagged.side].graph.invoke(tagged.input, config),
  };
  const sideInput = (input: BenchmarkInput<Tagged<I>>): BenchmarkInput<I> => ({
    ...input,
    id: untag(input.id).id,
    input: input.input.input,
  });
  const unit = baseline.unit && {
    name: baseline.unit.name,
    amountOf: (input: BenchmarkInput<Tagged<I>>) =>
      sides[input.input.side].unit?.amountOf(sideInput(input)) ?? null,
  };
  // An evaluator sees the side's own input; a handler is the side's (its clock, its prices).
  const evaluators = shared.evaluators?.map((evaluator) => untagged(evaluator));
  const createHandler = baseline.createHandler || candidate.createHandler
    ? (hooks: RunHooks) => {
      const which = hooks.run === undefined ? "candidate" : untag(hooks.run.inputId).side;
      const make = sides[which].createHandler;
      const own = { ...hooks, run: hooks.run && untagRun(hooks.run) };
      return make ? make(own) : new PerformanceCallbackHandler(own);
    }
    : undefined;
  const run = await runBenchmark<Tagged<I>, O>({
    ...shared,
    evaluators,
    createHandler,
    graph,
    inputs,
    unit,
    log: splitLog({ baseline: baseline.log, candidate: candidate.log }),
    config: (planned) => {
      const config = ofSide(planned).config;
      return (typeof config === "function" ? config(untagRun(planned)) : config) ?? {};
    },
    quality: baseline.quality || candidate.quality
      ? (output, input) => {
        const quality = sides[input.input.side].quality;
        return quality ? quality(output, sideInput(input)) : {};
      }
      : undefined,
    onRunEnd: (planned, record) => {
      onRunEnd?.(untag(planned.inputId).side, untagRun(planned), untagRecord(record));
    },
    onCallEnd: (planned, call) => onCallEnd?.(untag(planned.inputId).side, untagRun(planned), call),
  });
  const total = run.total / 2;
  return {
    baseline: sideRun(run, "baseline", total),
    candidate: sideRun(run, "candidate", total),
  };
}
