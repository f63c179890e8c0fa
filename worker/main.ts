/**
 * The worker process: started by the CLI in the user's project (its `node_modules`, its
 * LangChain, its `.env`), it loads the graph and the `--evaluator`s, then runs each run the CLI
 * sends with a forwarding handler in its callbacks and streams every callback and the run's end
 * back (see `protocol.ts`); it scores a run's output (kept as the graph returned it) with each
 * evaluation the CLI asks for, the evaluator's own LLM calls forwarded the same way through the
 * project's LangChain context. It imports nothing but its own folder and Node's built-ins, so it
 * resolves no package the project does not have.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { EvaluateRequest, FromWorker, RemoteError, ToWorker, WorkerSpec } from "./protocol.ts";
import { MESSAGE_PREFIX } from "./protocol.ts";
import { forwardingHandler } from "./forwarding_handler.ts";
import { type PacerChannel, trackWorkerAttempts } from "./http_attempts.ts";
import { toPlain } from "./plain.ts";
import {
  attachMemory,
  graphFromExport,
  GraphLoadError,
  inputKeysOf,
  type LoadedGraph,
  mergeBoundConfig,
} from "./load_graph.ts";
import { importProjectModule } from "./project_module.ts";
import { EvaluatorLoadError, type LoadedEvaluator, loadEvaluators } from "./load_evaluators.ts";
import { type MeteringScope, projectMeteringScope } from "./metering_scope.ts";
import { RetainedOutputs } from "./retained_outputs.ts";

const encoder = new TextEncoder();

function send(message: FromWorker): void {
  const bytes = encoder.encode(`${MESSAGE_PREFIX}${JSON.stringify(message)}\n`);
  let written = 0;
  while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
}

function remoteError(error: unknown): RemoteError {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack ?? null };
  }
  return { name: "Error", message: String(error), stack: null };
}

/** The project's own `@langchain/langgraph` (node_modules, else the project's import map). */
function projectLangGraph(projectDir: string): Promise<Record<string, unknown> | null> {
  return importProjectModule("@langchain/langgraph", ".", projectDir);
}

async function load(spec: WorkerSpec): Promise<LoadedGraph> {
  let module: Record<string, unknown>;
  try {
    module = await import(spec.moduleUrl);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new GraphLoadError(`cannot import ${new URL(spec.moduleUrl).pathname}: ${reason}`);
  }
  if (!(spec.exportName in module)) {
    const names = Object.keys(module).join(", ") || "none";
    throw new GraphLoadError(
      `${new URL(spec.moduleUrl).pathname} has no export "${spec.exportName}" (it has: ${names})`,
    );
  }
  return await graphFromExport(module[spec.exportName], spec.exportName, spec.factoryConfig);
}

/**
 * Runs and evaluations in flight: what each is (for messages), its abort controller, and
 * whether its end was sent already.
 */
const inFlight = new Map<
  string,
  { what: "graph" | "evaluator"; controller: AbortController; ended: boolean }
>();
const runContext = new AsyncLocalStorage<string>();

/** Whether a run or an evaluation still forwards (its end is not sent yet). */
function open(key: string): boolean {
  return inFlight.get(key)?.ended === false;
}

function endRun(key: string, end: { output?: unknown; error?: RemoteError }): void {
  const run = inFlight.get(key);
  if (!run || run.ended) return;
  run.ended = true;
  inFlight.delete(key);
  send({ type: "end", key, ...end });
}

/** The forwarding handler of one run or evaluation: its callbacks go out under its key. */
function forwarderOf(key: string) {
  return forwardingHandler((method, atMs, args) => {
    if (open(key)) send({ type: "event", key, atMs, method, args });
  });
}

async function execute(
  graph: LoadedGraph,
  message: Extract<ToWorker, { type: "run" }>,
): Promise<void> {
  const controller = new AbortController();
  inFlight.set(message.key, { what: "graph", controller, ended: false });
  const config = mergeBoundConfig(graph.config, {
    ...message.config,
    callbacks: [forwarderOf(message.key)],
    signal: controller.signal,
  });
  try {
    const output = await runContext.run(message.key, () => graph.invoke(message.input, config));
    if (open(message.key)) {
      // Kept as it is for the run's evaluators (they see the project's own message classes).
      const retained = retainedOutputs.keep(message.key, output);
      endRun(message.key, { output: toPlain(output), ...(retained ? { retained } : {}) });
    }
  } catch (error) {
    endRun(message.key, { error: remoteError(error) });
  } finally {
    const threadId = (message.config.configurable as { thread_id?: unknown } | undefined)
      ?.thread_id;
    const saver = graph.checkpointer as { deleteThread?: (id: string) => Promise<void> } | null;
    // The in-memory checkpointer keeps every thread: drop the run's once it ended.
    if (attachedCheckpointer && typeof threadId === "string") {
      await saver?.deleteThread?.(threadId)?.catch?.(() => {});
    }
  }
}

let attachedCheckpointer = false;
let evaluators: LoadedEvaluator[] = [];
let metering: MeteringScope | null = null;
let retainedOutputs = new RetainedOutputs(0);

/**
 * One evaluator on one run's output (the one kept, else the plain value the CLI sent), in a
 * metering scope of its own when the project's LangChain has one: its LLM calls are forwarded
 * under the evaluation's key; its result (or error) is the evaluation's end.
 */
async function evaluate(message: EvaluateRequest): Promise<void> {
  inFlight.set(message.key, { what: "evaluator", controller: new AbortController(), ended: false });
  try {
    const evaluator = evaluators[message.evaluator];
    let outputs = message.outputs;
    if (message.run !== null) {
      const taken = retainedOutputs.take(message.run);
      if (!taken.found) {
        throw new Error(`the output of ${message.run} is no longer held by the worker`);
      }
      outputs = taken.output;
    }
    const args = { inputs: message.inputs, outputs, referenceOutputs: message.referenceOutputs };
    const work = async () => await evaluator.evaluate(args);
    const handler = forwarderOf(message.key);
    const result = await runContext.run(
      message.key,
      () => metering === null ? work() : metering(handler, work),
    );
    endRun(message.key, { output: toPlain(result, { keepNonFinite: true }) });
  } catch (error) {
    endRun(message.key, { error: remoteError(error) });
  } finally {
    if (message.run !== null) retainedOutputs.done(message.run);
  }
}

/** Loads the `--evaluator`s and, when there are some, the project's metering scope. */
async function loadEvaluation(spec: WorkerSpec): Promise<string | null> {
  evaluators = await loadEvaluators(spec.evaluators ?? [], (url) => import(url));
  retainedOutputs = new RetainedOutputs(evaluators.length);
  if (evaluators.length === 0) return null;
  const found = await projectMeteringScope(spec.projectDir);
  metering = found.scope;
  return found.reason;
}

/** Requests held for the CLI's pacer, by admit id: each one's release, told how long it was held. */
const held = new Map<number, (heldMs: number) => void>();
let nextAdmitId = 0;

/** The CLI's pacer, asked over the message channel (on once the CLI says it paces). */
const pacer: PacerChannel & { on: boolean } = {
  on: false,
  admit(request, signal) {
    signal?.throwIfAborted();
    const id = nextAdmitId++;
    return new Promise<number>((resolve, reject) => {
      const onAbort = (): void => {
        held.delete(id);
        send({ type: "admit-cancel", id });
        reject(signal?.reason);
      };
      held.set(id, (heldMs) => {
        held.delete(id);
        signal?.removeEventListener("abort", onAbort);
        resolve(heldMs);
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      send({ type: "admit", id, request });
    });
  },
  observe(request, answer) {
    try {
      send({ type: "observe", request, answer });
    } catch (error) {
      console.error(`graphmeter worker: an answer could not be told to the pacer: ${error}`);
    }
  },
};

async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffer = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    buffer += text;
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
    }
  }
  if (buffer.length > 0) yield buffer;
}

async function main(): Promise<void> {
  // Standard output carries the messages: the graph's own logging goes to standard error.
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    // The async context of the code that rejected names its run (a rejection no run caused
    // names the runs in flight).
    const key = runContext.getStore();
    const keys = key !== undefined ? [key] : [...inFlight.keys()];
    const error = remoteError(event.reason);
    send({ type: "unhandled-rejection", keys, error });
    for (const each of keys) {
      const what = inFlight.get(each)?.what ?? "graph";
      inFlight.get(each)?.controller.abort(event.reason);
      endRun(each, {
        error: {
          ...error,
          message: `unhandled promise rejection in the ${what}: ${error.message}`,
        },
      });
    }
  });
  const spec = JSON.parse(Deno.args[0]) as WorkerSpec;
  // A factory (or a top-level await) that never resolves would otherwise end the process with
  // Deno's own "never resolved" error: kept alive, it meets the CLI's load timeout, which names it.
  const keepAlive = setInterval(() => {}, 60_000);
  let graph: LoadedGraph;
  // Before the graph loads: an SDK client keeps the fetch it was built with.
  if (spec.trackHttpAttempts === true) trackWorkerAttempts(pacer);
  try {
    graph = await load(spec);
    const unmetered = await loadEvaluation(spec);
    const attached = attachMemory(graph, await projectLangGraph(spec.projectDir));
    attachedCheckpointer = attached.checkpointer;
    send({
      type: "ready",
      inputKeys: inputKeysOf(graph),
      attached,
      evaluators: evaluators.map((evaluator) => evaluator.name),
      unmetered,
    });
  } catch (error) {
    const known = error instanceof GraphLoadError || error instanceof EvaluatorLoadError;
    send({
      type: "load-failed",
      message: remoteError(error).message,
      stack: known ? null : remoteError(error).stack,
      ...(error instanceof EvaluatorLoadError ? { evaluator: error.flag } : {}),
    });
    Deno.exit(3);
  } finally {
    clearInterval(keepAlive);
  }
  for await (const line of lines(Deno.stdin.readable)) {
    if (line.trim() === "") continue;
    const message = JSON.parse(line) as ToWorker;
    if (message.type === "run") {
      void execute(graph, message);
    } else if (message.type === "evaluate") {
      void evaluate(message);
    } else if (message.type === "release") {
      retainedOutputs.release(message.run);
    } else if (message.type === "abort") {
      // Answered at once (the CLI reads the answer as a sign of life), whatever the graph does.
      const reason = new Error(`stopped: ${message.reason}`);
      inFlight.get(message.key)?.controller.abort(reason);
      endRun(message.key, { error: remoteError(reason) });
    } else if (message.type === "pace") {
      pacer.on = message.on;
    } else if (message.type === "admitted") {
      held.get(message.id)?.(message.heldMs);
    }
  }
  // The CLI closed our input: it wants no more runs nor evaluations.
  Deno.exit(0);
}

if (import.meta.main) await main();
