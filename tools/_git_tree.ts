/**
 * A git ref's tree, exported to a temporary folder, for the scripts that compare this tree with
 * its past in one process (`compare_ab.ts`, `overhead.ts --ref`).
 *
 * @module
 */

/**
 * Exports `ref`'s tree (`git archive`) into a new temporary folder.
 *
 * @param ref A git ref or commit of this repository.
 * @param prefix The temporary folder's name prefix.
 * @returns The folder; the caller removes it.
 * @throws {Error} When git cannot export the ref.
 */
export async function exportGitTree(ref: string, prefix: string): Promise<string> {
  const root = new URL("..", import.meta.url).pathname;
  const folder = await Deno.makeTempDir({ prefix });
  const archive = new Deno.Command("sh", {
    args: ["-c", `git -C "$0" archive "$1" | tar -x -C "$2"`, root, ref, folder],
  });
  const { success, stderr } = await archive.output();
  if (!success) throw new Error(`git archive ${ref}: ${new TextDecoder().decode(stderr)}`);
  return folder;
}
