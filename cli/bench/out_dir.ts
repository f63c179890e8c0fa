/**
 * The output folder of `deno task bench`: created (or checked for a resume) with one-line errors,
 * and the exact command that works when Deno may not write there.
 *
 * @module
 */
import { fsStep } from "../errors.ts";
import { shellQuote } from "../shell_quote.ts";

export { shellQuote };

/**
 * The command that runs the CLI with write access to `out`, with the same arguments: the
 * permissions of `deno task bench` (`tests/hostile_cli_test.ts` holds them equal), but for the
 * paths it may write.
 *
 * @param argv The arguments given.
 * @param out The paths Deno may write (comma-separated), e.g. the output folder.
 * @returns The command line.
 *
 * @example Usage
 * ```ts
 * import { rerunCommand } from "./out_dir.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   rerunCommand(["--out", "/tmp/x"], "/tmp/x"),
 *   "deno run --allow-read --allow-write=/tmp/x --allow-env --allow-net --allow-sys " +
 *     "--allow-run cli/bench.ts --out /tmp/x",
 * );
 * ```
 */
export function rerunCommand(argv: readonly string[], out: string): string {
  return `deno run --allow-read --allow-write=${shellQuote(out)} --allow-env --allow-net ` +
    `--allow-sys --allow-run cli/bench.ts ${argv.map(shellQuote).join(" ")}`.trimEnd();
}

/** Whether `deno task bench` (which may write under `reports/` only) can write a path. */
function taskMayWrite(path: string): boolean {
  return /^(\.\/)?reports\/[^/]/.test(path) && !path.includes("..");
}

/**
 * The command that resumes a benchmark, naming it by id (another benchmark started meanwhile is
 * never the one resumed): `deno task bench --resume <id> ...` when the task may write its store
 * and output folder (under `reports/`), else the full `deno run` command that may. Every word is
 * shell-quoted.
 *
 * @param id The benchmark's id.
 * @param db The `--db` given, or null for the default store.
 * @param out The `--out` given, or null for the default folder.
 * @returns The command line.
 *
 * @example Usage
 * ```ts
 * import { resumeCommand } from "./out_dir.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   resumeCommand("20260101-000000-ab12", null, null),
 *   "deno task bench --resume 20260101-000000-ab12",
 * );
 * assert.match(
 *   resumeCommand("20260101-000000-ab12", "/tmp/my store.db", null),
 *   /^deno run .*--allow-write='reports,\/tmp\/my store\.db' .* --db '\/tmp\/my store\.db'$/,
 * );
 * ```
 */
export function resumeCommand(id: string, db: string | null, out: string | null): string {
  const args = ["--resume", id];
  if (db !== null) args.push("--db", db);
  if (out !== null) args.push("--out", out);
  const outside = [db, out].filter((p): p is string => p !== null && !taskMayWrite(p));
  if (outside.length === 0) return `deno task bench ${args.map(shellQuote).join(" ")}`;
  return rerunCommand(args, ["reports", ...outside].join(","));
}

/**
 * Creates the output folder of the report, with one-line errors (a file in the way, a folder
 * Deno may not write: then the exact command that works).
 *
 * @param out The folder.
 * @param argv The arguments given, for the command that works when writing is not allowed.
 * @returns The folder, without a trailing slash.
 * @throws {UsageError} When the folder cannot be created.
 */
export async function prepareOut(out: string, argv: readonly string[] = []): Promise<string> {
  out = out.replace(/\/+$/, "");
  await fsStep(
    { action: "create the output folder", path: out },
    rerunCommand(argv, `reports,${out}`),
    () => Deno.mkdir(out, { recursive: true }),
  );
  return out;
}
