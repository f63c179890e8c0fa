/**
 * The graphmeter command line, for users of the package:
 * `deno run -A jsr:@graphmeter/graphmeter/cli <command> [options]`. Each command is also a
 * `deno task` in this repository (`deno task bench ...`).
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
import { type BenchIo, runBenchCli } from "./bench.ts";
import { runCheckStoreCli } from "./check_store.ts";
import { runCompareCli } from "./compare.ts";
import { runExportCli } from "./export.ts";
import { runHistoryCli } from "./history.ts";
import { runMergeCli } from "./merge.ts";
import { runPricesCli } from "./prices.ts";
import { runRepriceCli } from "./reprice.ts";

/** Where a command reads its environment and writes its output. */
export type CliIo = BenchIo;

/** The commands, each with its one-line description and its entry point. */
const COMMANDS: Record<
  string,
  { about: string; run: (argv: string[], io: CliIo) => Promise<number> }
> = {
  bench: { about: "benchmark a graph (default: the bundled reference workload)", run: runBenchCli },
  compare: { about: "compare two benchmarks per stage; --fail-on gates CI", run: runCompareCli },
  reprice: { about: "price a benchmark's tokens at other models' rates", run: runRepriceCli },
  history: {
    about: "cost per run and p95 wall time of every stored benchmark over time",
    run: runHistoryCli,
  },
  export: { about: "write a stored benchmark's calls as JSONL or CSV", run: runExportCli },
  merge: { about: "merge the shard databases of one benchmark and report it", run: runMergeCli },
  prices: { about: "show the price catalog in force; --update refreshes it", run: runPricesCli },
  "check-store": {
    about: "check the whole results store (pages, counts, every run read back)",
    run: runCheckStoreCli,
  },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return "Usage: graphmeter <command> [options]   (<command> --help for its options)\n\n" +
    Object.entries(COMMANDS).map(([name, { about }]) => `  ${name.padEnd(width)}  ${about}\n`)
      .join("");
}

/**
 * Runs one command of the command line.
 *
 * @param argv The command and its arguments.
 * @param io Output streams and environment.
 * @returns The exit code: 0 done, 1 the command's work failed, 2 bad usage.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.out(help());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(
      `graphmeter: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(", ")}\n`,
    );
    return 2;
  }
  return await command.run(rest, io);
}

if (import.meta.main) {
  const encoder = new TextEncoder();
  Deno.exit(
    await runCli(Deno.args, {
      out: (text) => Deno.stdout.writeSync(encoder.encode(text)),
      err: (text) => Deno.stderr.writeSync(encoder.encode(text)),
      errIsTerminal: Deno.stderr.isTerminal(),
      env: (name) => Deno.env.get(name),
    }),
  );
}
