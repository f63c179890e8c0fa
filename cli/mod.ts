/**
 * The graphmeter command line, for users of the package:
 * `deno run -A jsr:@graphmeter/graphmeter/cli <command> [options]`. Each command is also a
 * `deno task` in this repository (`deno task bench ...`).
 *
 * Run from a Node project's folder (a `package.json` and its `node_modules`), Deno would resolve
 * graphmeter's own npm packages in that project's `node_modules`, where they are not (or are other
 * versions). So this module loads nothing from npm itself: run as the published package, it starts
 * the command line again in graphmeter's own dependency world (`--no-config
 * --node-modules-dir=none`) and waits for it; the user's graph then runs in a worker started in
 * the project's world (`bench --graph`).
 *
 * @example Usage
 * ```ts
 * import { runCli } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * let out = "";
 * const io = { out: (t: string) => (out += t), err: () => {}, errIsTerminal: false, env: () => undefined };
 * assert.equal(await runCli(["help"], io), 0);
 * assert.match(out, /^ {2}bench {2}/m);
 * assert.match(out, /^ {2}history {2}/m);
 * ```
 *
 * @module
 */
import type { CliIo } from "./command.ts";

export type { CliIo } from "./command.ts";

/** Set in the command line started again, so it runs the command instead of starting again. */
const IN_OWN_WORLD = "GRAPHMETER_CLI_OWN_DEPENDENCIES";

/**
 * Runs one command of the command line.
 *
 * @param argv The command and its arguments.
 * @param io Output streams and environment.
 * @returns The exit code: 0 done, 1 the command's work failed (or a bug), 2 bad usage.
 *
 * @example Usage
 * ```ts
 * import { runCli } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const io = { out: () => {}, err: () => {}, errIsTerminal: false, env: () => undefined };
 * assert.equal(await runCli(["nonsense"], io), 2);
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const { runCommandLine } = await import("./run_cli.ts");
  return await runCommandLine(argv, io);
}

/** Whether this process may start another with every permission (it has them all). */
function hasAllPermissions(): boolean {
  const names = ["read", "write", "net", "env", "run", "sys", "ffi", "import"] as const;
  return names.every((name) => Deno.permissions.querySync({ name }).state === "granted");
}

/**
 * Runs the command line again in graphmeter's own dependency world and returns its exit code;
 * Ctrl-C reaches both processes (one process group): this one waits for the other's answer.
 */
async function runInOwnWorld(argv: readonly string[]): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--no-config",
      "--node-modules-dir=none",
      "--no-lock",
      import.meta.url,
      ...argv,
    ],
    env: { [IN_OWN_WORLD]: "1" },
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const forward = (signal: Deno.Signal) => () => {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  };
  const listeners = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((signal) => {
    const listener = signal === "SIGINT" ? () => {} : forward(signal);
    Deno.addSignalListener(signal, listener);
    return [signal, listener] as const;
  });
  const status = await child.status;
  for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
  return status.signal === null ? status.code : 128 + (status.signal === "SIGINT" ? 2 : 15);
}

if (import.meta.main) {
  const published = new URL(import.meta.url).protocol !== "file:";
  if (published && Deno.env.get(IN_OWN_WORLD) !== "1" && hasAllPermissions()) {
    Deno.exit(await runInOwnWorld(Deno.args));
  }
  const { processIo } = await import("./command.ts");
  Deno.exit(await runCli(Deno.args, processIo()));
}
