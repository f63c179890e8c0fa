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

import { installedOnce } from "./test_cache.ts";

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
  return await installedOnce(`${name}-${manager}-`, hash.slice(0, 16), async (folder) => {
    for (const [i, file] of files.entries()) {
      const target = `${folder}/${file}`;
      await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(target, contents[i]);
    }
    const [command, ...args] = INSTALL[manager];
    const { success, stderr, stdout } = await new Deno.Command(command, {
      args,
      cwd: folder,
      stdout: "piped",
      stderr: "piped",
      env: { CI: "true", npm_config_update_notifier: "false" },
    }).output();
    if (!success) {
      const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
      throw new Error(`${INSTALL[manager].join(" ")} failed in ${folder}:\n${text}`);
    }
  });
}
