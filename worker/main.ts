/**
 * The worker process: started by the CLI in the user's project (its `node_modules`, its
 * LangChain, its `.env`), it loads the graph, then runs each run the CLI sends with a forwarding
 * handler in its callbacks and streams every callback and the run's end back (see
 * `protocol.ts`). It imports nothing but its own folder and Node's built-ins, so it resolves no
 * package the project does not have.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { FromWorker, RemoteError, ToWorker, WorkerSpec } from "./protocol.ts";
import { MESSAGE_PREFIX } from "./protocol.ts";
import { forwardingHandler } from "./forwarding_handler.ts";
import { toPlain } from "./plain.ts";
import {
  attachMemory,
  graphFromExport,
  GraphLoadError,
  inputKeysOf,
  installedEntry,
  type LoadedGraph,
  mergeBoundConfig,
} from "./load_graph.ts";

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

async function readTextIfExists(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return null;
  }
}

/** The project's own `@langchain/langgraph` (node_modules, else the project's import map). */
async function projectLangGraph(projectDir: string): Promise<Record<string, unknown> | null> {
  try {
    const entry = await installedEntry(
      "@langchain/langgraph",
      projectDir,
      readTextIfExists,
      (path) => Deno.realPath(path),
    );
    if (entry !== null) return await import(entry);
  } catch {
    // fall through to the import map
  }
  try {
    const specifier = "@langchain/langgraph"; // the project's import map (a Deno project)
    return await import(specifier);
  } catch {
    return null;
  }
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

/** Runs in flight: each one's abort controller, and whether its end was sent already. */
const inFlight = new Map<string, { controller: AbortController; ended: boolean }>();
const runContext = new AsyncLocalStorage<string>();

function endRun(key: string, end: { output?: unknown; error?: RemoteError }): void {
  const run = inFlight.get(key);
  if (!run || run.ended) return;
  run.ended = true;
  inFlight.delete(key);
  send({ type: "end", key, ...end });
}

async function execute(
  graph: LoadedGraph,
  message: Extract<ToWorker, { type: "run" }>,
): Promise<void> {
  const controller = new AbortController();
  inFlight.set(message.key, { controller, ended: false });
  const handler = forwardingHandler((method, atMs, args) => {
    if (inFlight.get(message.key)?.ended === false) {
      send({ type: "event", key: message.key, atMs, method, args });
    }
  });
  const config = mergeBoundConfig(graph.config, {
    ...message.config,
    callbacks: [handler],
    signal: controller.signal,
  });
  try {
    const output = await runContext.run(message.key, () => graph.invoke(message.input, config));
    endRun(message.key, { output: toPlain(output) });
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
      inFlight.get(each)?.controller.abort(event.reason);
      endRun(each, {
        error: { ...error, message: `unhandled promise rejection in the graph: ${error.message}` },
      });
    }
  });
  const spec = JSON.parse(Deno.args[0]) as WorkerSpec;
  // A factory (or a top-level await) that never resolves would otherwise end the process with
  // Deno's own "never resolved" error: kept alive, it meets the CLI's load timeout, which names it.
  const keepAlive = setInterval(() => {}, 60_000);
  let graph: LoadedGraph;
  try {
    graph = await load(spec);
    const attached = attachMemory(graph, await projectLangGraph(spec.projectDir));
    attachedCheckpointer = attached.checkpointer;
    send({ type: "ready", inputKeys: inputKeysOf(graph), attached });
  } catch (error) {
    const stack = error instanceof GraphLoadError ? null : remoteError(error).stack;
    send({ type: "load-failed", message: remoteError(error).message, stack });
    Deno.exit(3);
  } finally {
    clearInterval(keepAlive);
  }
  for await (const line of lines(Deno.stdin.readable)) {
    if (line.trim() === "") continue;
    const message = JSON.parse(line) as ToWorker;
    if (message.type === "run") {
      void execute(graph, message);
    } else if (message.type === "abort") {
      // Answered at once (the CLI reads the answer as a sign of life), whatever the graph does.
      const reason = new Error(`stopped: ${message.reason}`);
      inFlight.get(message.key)?.controller.abort(reason);
      endRun(message.key, { error: remoteError(reason) });
    }
  }
  // The CLI closed our input: it wants no more runs.
  Deno.exit(0);
}

if (import.meta.main) await main();
