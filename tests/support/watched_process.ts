/**
 * A child process whose standard error is watched line by line as it comes (no polling): a test
 * waits for the line that says the process reached a point (`2500/2500 runs`: every run stored,
 * the report is being written) and signals it then.
 *
 * @module
 */

/** A running child process, its output collected, its standard error watched. */
export interface WatchedProcess {
  /** The process. */
  child: Deno.ChildProcess;
  /** Its exit code and whole output, once it has ended. */
  output: Promise<{ code: number; stdout: string; stderr: string }>;
  /** Resolves with the first standard-error line matching `pattern` (rejects if none came). */
  line: (pattern: RegExp) => Promise<string>;
}

/**
 * Starts a command with its output piped and watched.
 *
 * @param command The program.
 * @param options Its options (stdout and stderr are piped).
 * @returns The process.
 */
export function startWatched(command: string, options: Deno.CommandOptions): WatchedProcess {
  const child = new Deno.Command(command, { ...options, stdout: "piped", stderr: "piped" })
    .spawn();
  let stderr = "";
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const check = (): void => {
    for (const wait of [...waiting]) {
      const line = stderr.split("\n").slice(0, -1).find((l) => wait.pattern.test(l));
      if (line !== undefined) {
        waiting.splice(waiting.indexOf(wait), 1);
        wait.resolve(line);
      }
    }
  };
  const readText = async (stream: ReadableStream<Uint8Array>, onText: (t: string) => void) => {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) onText(text);
  };
  let stdout = "";
  const done = Promise.all([
    readText(child.stdout, (text) => (stdout += text)),
    readText(child.stderr, (text) => {
      stderr += text;
      check();
    }),
  ]);
  const output = Promise.all([child.status, done]).then(([status]) => ({
    code: status.code,
    stdout,
    stderr,
  }));
  return {
    child,
    output,
    line: (pattern) =>
      new Promise((resolve, reject) => {
        waiting.push({ pattern, resolve });
        check();
        output.then(() => reject(new Error(`no line matched ${pattern}:\n${stderr}`)));
      }),
  };
}
