/**
 * Files written whole or not at all: each is written to a temporary file beside it, then all are
 * renamed into place in one synchronous step (no signal handler runs between two renames). An
 * interrupt meanwhile removes the temporary files: nothing half-made is left.
 *
 * @module
 */

/** The temporary files being written, so an interrupt can remove them. */
export class PendingFiles {
  readonly #paths = new Set<string>();

  /**
   * Writes every file to a temporary file beside it, then renames them all into place.
   *
   * @param files Each file's path and text.
   * @param write Writes one file's text to its temporary path (given its final path too, for
   * messages).
   *
   * @example Usage
   * ```ts
   * import { PendingFiles } from "./pending_files.ts";
   * import assert from "node:assert/strict";
   *
   * const dir = await Deno.makeTempDir();
   * const write = (temporary: string, text: string) => Deno.writeTextFile(temporary, text);
   * await new PendingFiles().writeAll([[`${dir}/a.txt`, "a"]], write);
   * assert.deepEqual([...Deno.readDirSync(dir)].map((entry) => entry.name), ["a.txt"]);
   * await Deno.remove(dir, { recursive: true });
   * ```
   */
  async writeAll(
    files: readonly [string, string][],
    write: (temporary: string, text: string, path: string) => Promise<void>,
  ): Promise<void> {
    const temporary = files.map(([path]) => {
      const slash = path.lastIndexOf("/");
      return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.${crypto.randomUUID()}.tmp`;
    });
    try {
      for (const [index, [path, text]] of files.entries()) {
        this.#paths.add(temporary[index]);
        await write(temporary[index], text, path);
      }
      files.forEach(([path], index) => Deno.renameSync(temporary[index], path));
    } finally {
      this.removeAll();
    }
  }

  /** Removes the temporary files not yet renamed (synchronously: a signal handler calls it). */
  removeAll(): void {
    for (const path of this.#paths) {
      try {
        Deno.removeSync(path);
      } catch {
        // Renamed already, or never created.
      }
    }
    this.#paths.clear();
  }
}
