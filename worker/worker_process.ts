/**
 * One worker process as the CLI drives it: started with `deno run` and the project's flags in the
 * project's folder, messages in on its standard input, messages out (behind the message prefix)
 * on its standard output; any other output line is the graph's own, passed on.
 *
 * @module
 */
import type { FromWorker, ToWorker, WorkerSpec } from "./protocol.ts";
import { MESSAGE_PREFIX } from "./protocol.ts";

/** What starting a worker takes. */
export interface WorkerStart {
  /** `deno run` flags for the project (see `workerFlags`). */
  flags: string[];
  /** The project folder (the worker's working directory). */
  cwd: string;
  /** Environment variables to add (`langgraph.json`'s `env` object). */
  env: Record<string, string>;
  /** What the worker loads. */
  spec: WorkerSpec;
  /** Where the worker's own output (the graph's logging, Deno's warnings) goes. */
  onOutput: (text: string) => void;
  /** The worker's entry module (default: `main.ts` beside this file). */
  mainUrl?: string;
}

/**
 * One worker process: its child, its input writer and its output reader.
 *
 * @example Usage
 * ```ts ignore
 * import { WorkerProcess } from "./worker_process.ts";
 *
 * const worker = new WorkerProcess({ flags, cwd, env: {}, spec, onOutput: console.error }, (message) => {
 *   if (message.type === "ready") worker.send({ type: "run", key: "run-0", input, config: {} });
 * });
 * ```
 */
export class WorkerProcess {
  /** The child process. */
  readonly child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<Deno.CommandStatus>;
  /** Whether it still runs. */
  alive = true;
  /** When the worker last sent a message (the CLI's clock, ms). */
  lastMessageAt = performance.now();

  /**
   * Starts the worker.
   *
   * @param options How (its flags, folder, environment, what it loads, where its output goes).
   * @param onMessage Called with each message it sends.
   */
  constructor(options: WorkerStart, onMessage: (message: FromWorker) => void) {
    const main = options.mainUrl ?? new URL("./main.ts", import.meta.url).href;
    this.child = new Deno.Command(Deno.execPath(), {
      args: [...options.flags, main, JSON.stringify(options.spec)],
      cwd: options.cwd,
      env: { ...options.env, NO_COLOR: "1" },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#writer = this.child.stdin.getWriter();
    this.exited = this.child.status.then((status) => {
      this.alive = false;
      return status;
    });
    void readLines(this.child.stdout, (line) => {
      if (line.startsWith(MESSAGE_PREFIX)) {
        this.lastMessageAt = performance.now();
        onMessage(JSON.parse(line.slice(MESSAGE_PREFIX.length)) as FromWorker);
      } else {
        options.onOutput(`${line}\n`);
      }
    });
    void readLines(this.child.stderr, (line) => options.onOutput(`${line}\n`));
  }

  /**
   * Sends a message (nothing once the worker is gone).
   *
   * @param message The message.
   */
  send(message: ToWorker): void {
    if (!this.alive) return;
    this.#writer.write(new TextEncoder().encode(`${JSON.stringify(message)}\n`)).catch(() => {});
  }

  /** Kills the worker at once. */
  kill(): void {
    if (!this.alive) return;
    try {
      this.child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }

  /** Closes its input (it finishes and exits); a worker still there after 2 s is killed. */
  async close(): Promise<void> {
    try {
      await this.#writer.close();
    } catch {
      // already closed
    }
    const timer = setTimeout(() => this.kill(), 2000);
    await this.exited;
    clearTimeout(timer);
  }
}

async function readLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  let buffer = "";
  try {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      buffer += text;
      let newline;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        onLine(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
      }
    }
  } catch {
    // the worker was killed
  }
  if (buffer.length > 0) onLine(buffer);
}
