/**
 * The command line itself: the help and the command `argv` names (what `cli/mod.ts` loads once
 * it runs in graphmeter's own dependency world).
 *
 * @module
 */
import { type CliIo, runCommand } from "./command.ts";
import { COMMANDS } from "./commands.ts";

function help(): string {
  const width = Math.max(...COMMANDS.map(({ name }) => name.length));
  return "Usage: graphmeter <command> [options]   (<command> --help for its options)\n\n" +
    COMMANDS.map(({ name, about }) => `  ${name.padEnd(width)}  ${about}\n`).join("");
}

/**
 * Runs one command of the command line.
 *
 * @param argv The command and its arguments.
 * @param io Output streams and environment.
 * @returns The exit code: 0 done, 1 the command's work failed (or a bug), 2 bad usage.
 *
 * @example Usage
 * ```ts
 * import { runCommandLine } from "./run_cli.ts";
 * import assert from "node:assert/strict";
 *
 * let out = "";
 * const io = { out: (t: string) => (out += t), err: () => {}, errIsTerminal: false, env: () => undefined };
 * assert.equal(await runCommandLine(["help"], io), 0);
 * assert.match(out, /^ {2}bench {2}/m);
 * ```
 */
export async function runCommandLine(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.out(help());
    return 0;
  }
  const command = COMMANDS.find((command) => command.name === name);
  if (command === undefined) {
    const names = COMMANDS.map((command) => command.name).join(", ");
    io.err(`graphmeter: unknown command "${name}"; commands: ${names}\n`);
    return 2;
  }
  return await runCommand(command, rest, io);
}
