/**
 * Fixture Node projects (`tests/fixtures/projects/*`, in the shape of langchain-ai's LangGraph.js
 * templates) installed from the npm registry with their own package manager and lockfile, once
 * per content: the installed copy lives in a cache folder named for a hash of the fixture's files
 * (`$GRAPHMETER_TEST_CACHE`, else `~/.cache/graphmeter-tests`), so a second run, or CI on the same
 * machine, installs nothing. Package managers run through `npx -y` (npm's own client): yarn 1 and
 * pnpm need no global install.
 */

/** A package manager and the command that installs a project from its lockfile. */
export type PackageManager = "npm" | "yarn" | "pnpm";

const INSTALL: Record<PackageManager, string[]> = {
  npm: ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
  yarn: [
    "npx",
    "-y",
    "yarn@1.22.22",
    "install",
    "--frozen-lockfile",
    "--non-interactive",
    "--silent",
  ],
  pnpm: ["npx", "-y", "pnpm@9.15.9", "install", "--frozen-lockfile", "--reporter=silent"],
};

const FIXTURES = new URL("../fixtures/projects/", import.meta.url).pathname;

async function filesOf(dir: string, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
    if (entry.name === "node_modules" || entry.name === ".env") continue;
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory) files.push(...await filesOf(dir, `${path}/`));
    else files.push(path);
  }
  return files.sort();
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function cacheRoot(): string {
  const explicit = Deno.env.get("GRAPHMETER_TEST_CACHE");
  if (explicit) return explicit;
  const base = Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME") ?? "/tmp"}/.cache`;
  return `${base}/graphmeter-tests`;
}

/**
 * The fixture project `name`, installed with `manager` (cached by content): its folder.
 *
 * @param name The folder under `tests/fixtures/projects/`.
 * @param manager The package manager its lockfile is for.
 * @returns The installed copy's folder.
 */
export async function installedProject(name: string, manager: PackageManager): Promise<string> {
  const source = `${FIXTURES}${name}`;
  const files = await filesOf(source);
  const contents = await Promise.all(files.map((file) => Deno.readTextFile(`${source}/${file}`)));
  const hash = await sha256(
    JSON.stringify([manager, files.map((file, i) => [file, contents[i]])]),
  );
  const dir = `${cacheRoot()}/${name}-${manager}-${hash.slice(0, 16)}`;
  const marker = `${dir}/node_modules/.graphmeter-installed`;
  try {
    await Deno.stat(marker);
    return dir;
  } catch {
    // not installed yet
  }
  // Older installs of this fixture (before its files changed) go once they are a day old: a test
  // process of another checkout may still be using one.
  await Deno.mkdir(cacheRoot(), { recursive: true });
  const dayAgo = Date.now() - 24 * 3600_000;
  for await (const entry of Deno.readDir(cacheRoot())) {
    if (!entry.name.startsWith(`${name}-${manager}-`) || entry.name.includes(".tmp-")) continue;
    const installed = await Deno.stat(
      `${cacheRoot()}/${entry.name}/node_modules/.graphmeter-installed`,
    )
      .catch(() => null);
    if (installed?.mtime && installed.mtime.getTime() < dayAgo) {
      await Deno.remove(`${cacheRoot()}/${entry.name}`, { recursive: true }).catch(() => {});
    }
  }
  // Installed aside, then renamed into place: a concurrent test never sees half an install.
  const staging = `${dir}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  for (const [i, file] of files.entries()) {
    const target = `${staging}/${file}`;
    await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(target, contents[i]);
  }
  const [command, ...args] = INSTALL[manager];
  const { success, stderr, stdout } = await new Deno.Command(command, {
    args,
    cwd: staging,
    stdout: "piped",
    stderr: "piped",
    env: { CI: "true", npm_config_update_notifier: "false" },
  }).output();
  if (!success) {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
    throw new Error(`${INSTALL[manager].join(" ")} failed in ${staging}:\n${text}`);
  }
  await Deno.writeTextFile(
    `${staging}/node_modules/.graphmeter-installed`,
    new Date().toISOString(),
  );
  try {
    await Deno.rename(staging, dir);
  } catch {
    // Another process installed the same content first: use its install.
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    await Deno.stat(marker);
  }
  return dir;
}
