/**
 * Files written whole or not at all: each is written to a temporary file beside it, then all are
 * renamed into place in one synchronous step (no signal handler runs between two renames). An
 * interrupt meanwhile abandons the writing: it waits for the write in flight (an asynchronous
 * write may still be creating its file on another thread), renames nothing, and removes the
 * temporary files: nothing half-made is left.
 *
 * @module
 */

/** How long an interrupt waits for the write in flight before removing what is there. */
const SETTLE_MS = 2000;

/**
 * What an abandoned `writeAll` waits for: nothing, ever. The interrupt that abandoned it ends the
 * process; the command that was writing must not go on as if its files were in place.
 */
const ABANDONED: Promise<never> = new Promise(() => {});

/** The temporary files being written, so an interrupt can remove them. */
export class PendingFiles {
  readonly #paths = new Set<string>();
  #inFlight: Promise<unknown> | null = null;
  #abandoned = false;

  /**
   * Writes every file to a temporary file beside it, then renames them all into place. Once
   * abandoned (an interrupt), it renames nothing and never resolves: the interrupt ends the
   * process.
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
    for (const [index, [path, text]] of files.entries()) {
      if (this.#abandoned) return await ABANDONED;
      this.#paths.add(temporary[index]);
      this.#inFlight = write(temporary[index], text, path);
      try {
        await this.#inFlight;
      } catch (error) {
        this.removeAll();
        throw error;
      } finally {
        this.#inFlight = null;
      }
    }
    if (this.#abandoned) return await ABANDONED;
    try {
      files.forEach(([path], index) => Deno.renameSync(temporary[index], path));
    } finally {
      this.removeAll();
    }
  }

  /**
   * Abandons the writing (an interrupt): waits for the write in flight to settle (at most 2 s),
   * so no temporary file appears after, renames nothing, and removes the temporary files.
   *
   * @example Usage
   * ```ts
   * import { PendingFiles } from "./pending_files.ts";
   * import assert from "node:assert/strict";
   *
   * const dir = await Deno.makeTempDir();
   * const pending = new PendingFiles();
   * let done = false;
   * void pending.writeAll(
   *   [[`${dir}/a.txt`, "a"], [`${dir}/b.txt`, "b"]],
   *   (temporary, text) => Deno.writeTextFile(temporary, text),
   * ).then(() => (done = true));
   * await pending.abandon();
   * await new Promise((resolve) => setTimeout(resolve, 50));
   * assert.deepEqual([...Deno.readDirSync(dir)], []);
   * assert.equal(done, false); // abandoned: the writing never completes
   * await Deno.remove(dir, { recursive: true });
   * ```
   */
  async abandon(): Promise<void> {
    this.#abandoned = true;
    const inFlight = this.#inFlight;
    if (inFlight !== null) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        inFlight.catch(() => {}),
        new Promise((resolve) => timer = setTimeout(resolve, SETTLE_MS)),
      ]);
      clearTimeout(timer);
    }
    this.removeAll();
  }

  /** Removes the temporary files not yet renamed. */
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
