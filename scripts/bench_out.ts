/**
 * The output folder of `deno task bench`: created (or checked for a resume) with one-line errors,
 * and the exact command that works when Deno may not write there.
 *
 * @module
 */
import { type BenchArgs, UsageError } from "./bench_args.ts";
import { fsStep } from "./errors.ts";

/**
 * The command that runs the CLI with write access to `out`, with the same arguments.
 *
 * @param argv The arguments given.
 * @param out The output folder.
 * @returns The command line.
 *
 * @example Usage
 * ```ts
 * import { rerunCommand } from "./bench_out.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   rerunCommand(["--out", "/tmp/x"], "/tmp/x"),
 *   "deno run --allow-read --allow-write=/tmp/x --allow-env --allow-net --allow-sys " +
 *     "--allow-run=git scripts/bench.ts --out /tmp/x",
 * );
 * ```
 */
export function rerunCommand(argv: readonly string[], out: string): string {
  const quote = (arg: string): string => /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg}'`;
  return `deno run --allow-read --allow-write=${quote(out)} --allow-env --allow-net ` +
    `--allow-sys --allow-run=git scripts/bench.ts ${argv.map(quote).join(" ")}`.trimEnd();
}

/**
 * The command that resumes the benchmark in `out`: `deno task bench` when the task may write
 * there (under `reports/`), else the full `deno run` command with write access to `out`.
 *
 * @param out The output folder.
 * @returns The command line.
 *
 * @example Usage
 * ```ts
 * import { resumeCommand } from "./bench_out.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(resumeCommand("reports/x"), "deno task bench --resume --out reports/x");
 * assert.match(resumeCommand("/tmp/x"), /^deno run .*--allow-write=\/tmp\/x .* --resume --out \/tmp\/x$/);
 * ```
 */
export function resumeCommand(out: string): string {
  return /^(\.\/)?reports\/[^/]/.test(out) && !out.includes("..")
    ? `deno task bench --resume --out ${out}`
    : rerunCommand(["--resume", "--out", out], out);
}

/**
 * Creates the output folder (default `reports/<timestamp>/`); without `--resume`, refuses a
 * folder that already holds runs.
 *
 * @param args The command line.
 * @param argv The arguments given, for the command that works when writing is not allowed.
 * @returns The folder, without a trailing slash.
 * @throws {UsageError} When the folder cannot be created or already holds runs.
 */
export async function prepareOut(args: BenchArgs, argv: readonly string[] = []): Promise<string> {
  const out = (args.out ?? `reports/${new Date().toISOString().replace(/[:.]/g, "-")}`)
    .replace(/\/+$/, "");
  await fsStep(
    { action: "create the output folder", path: out },
    rerunCommand(argv, out),
    () => Deno.mkdir(out, { recursive: true }),
  );
  if (!args.resume) {
    try {
      if ((await Deno.stat(`${out}/runs.jsonl`)).size > 0) {
        throw new UsageError(
          `${out} already holds runs.jsonl: add --resume, or choose another --out`,
        );
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return out;
}
