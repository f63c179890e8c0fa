/**
 * The folder where tests keep what they install from the npm registry (fixture projects, the npm
 * layer, Node and Bun), once per content: `$GRAPHMETER_TEST_CACHE`, else
 * `~/.cache/graphmeter-tests`. Test processes of several checkouts may share it at once, so an
 * install is made aside and renamed into place (nobody sees half of one), and an older install of
 * the same thing is removed only once it is a day old (nobody loses one they are using).
 */

/** The cache folder. */
export function testCacheRoot(): string {
  const explicit = Deno.env.get("GRAPHMETER_TEST_CACHE");
  if (explicit) return explicit;
  const base = Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME") ?? "/tmp"}/.cache`;
  return `${base}/graphmeter-tests`;
}

const INSTALLED = "node_modules/.graphmeter-installed";
const DAY_MS = 24 * 3600_000;

/**
 * `${root}/${family}${key}`, made once by `build` into a staging folder and renamed into place.
 *
 * @param family The name's prefix shared by every version of this thing (e.g. `npm-layer-`).
 * @param key What tells this version apart (a content hash).
 * @param build Fills the folder it is given (installing into its `node_modules`).
 * @returns The installed folder.
 */
export async function installedOnce(
  family: string,
  key: string,
  build: (folder: string) => Promise<void>,
): Promise<string> {
  const root = testCacheRoot();
  const dir = `${root}/${family}${key}`;
  const marker = `${dir}/${INSTALLED}`;
  if (await Deno.stat(marker).then(() => true, () => false)) return dir;
  await Deno.mkdir(root, { recursive: true });
  for await (const entry of Deno.readDir(root)) {
    if (!entry.name.startsWith(family) || entry.name.includes(".tmp-")) continue;
    const installed = await Deno.stat(`${root}/${entry.name}/${INSTALLED}`).catch(() => null);
    if (installed?.mtime && installed.mtime.getTime() < Date.now() - DAY_MS) {
      await Deno.remove(`${root}/${entry.name}`, { recursive: true }).catch(() => {});
    }
  }
  const staging = `${dir}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(staging, { recursive: true });
  try {
    await build(staging);
    await Deno.mkdir(`${staging}/node_modules`, { recursive: true });
    await Deno.writeTextFile(`${staging}/${INSTALLED}`, new Date().toISOString());
    await Deno.rename(staging, dir);
  } catch (error) {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    // Another process installed the same content first: use its install.
    if (await Deno.stat(marker).then(() => true, () => false)) return dir;
    throw error;
  }
  return dir;
}
