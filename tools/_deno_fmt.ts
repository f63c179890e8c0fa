/**
 * Formats text as `deno fmt` does in this repository (its `deno.json` settings), through
 * `deno fmt -`: for the scripts that write checked-in files (`docs/cli.md`, the generated metric
 * interfaces), so what they write is what `deno fmt --check` accepts.
 *
 * @module
 */

const ROOT = new URL("..", import.meta.url);

/**
 * Formats `text` as `deno fmt` would a file with the extension `ext`.
 *
 * @param text The source.
 * @param ext The file type: `ts`, `md`, ...
 * @returns The formatted text.
 * @throws {Error} When `deno fmt` cannot parse it.
 */
export async function denoFmt(text: string, ext: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", `--ext=${ext}`, "-"],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const { success, stdout, stderr } = await child.output();
  if (!success) throw new Error(`deno fmt failed: ${new TextDecoder().decode(stderr)}`);
  return new TextDecoder().decode(stdout);
}
