/**
 * The git commit a benchmark was made at.
 *
 * @module
 */

/**
 * The git commit of the current folder, or null outside a repository (or without git).
 *
 * @returns The short commit hash, or null.
 *
 * @example Usage
 * ```ts
 * import { gitCommit } from "./git_commit.ts";
 * import assert from "node:assert/strict";
 *
 * const commit = await gitCommit();
 * assert.ok(commit === null || /^[0-9a-f]{12}$/.test(commit));
 * ```
 */
export async function gitCommit(): Promise<string | null> {
  try {
    const { success, stdout } = await new Deno.Command("git", {
      args: ["rev-parse", "--short=12", "HEAD"],
      stdout: "piped",
      stderr: "null",
    }).output();
    return success ? new TextDecoder().decode(stdout).trim() || null : null;
  } catch {
    return null;
  }
}
