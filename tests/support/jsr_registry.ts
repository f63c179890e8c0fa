/**
 * A loopback JSR registry serving this package as `deno publish` would lay it out, so a test can
 * run `deno run -A jsr:@graphmeter/graphmeter/cli …` offline (Deno reads the registry from
 * `JSR_URL`). What it serves is what jsr.io serves: `/@scope/name/meta.json` (the versions),
 * `/@scope/name/<version>_meta.json` (the file manifest with sizes and SHA-256 checksums, which
 * Deno verifies, and the exports) and each file under `/@scope/name/<version>/…`. The files are
 * the ones `deno publish --dry-run` lists, with their bare specifiers rewritten through the
 * import map as `deno publish` does ("unfurling"): `"zod"` becomes `"npm:zod@^4.1.0"`.
 */

const ROOT = new URL("../../", import.meta.url).pathname;

/** The package's files as published: path (from the package root, with a leading `/`) -> text. */
export interface PublishedPackage {
  /** `@scope/name`. */
  name: string;
  /** The version. */
  version: string;
  /** `deno.json`'s exports. */
  exports: Record<string, string>;
  /** Each published file's bytes. */
  files: Map<string, Uint8Array>;
}

/**
 * A specifier after the import map, as `deno publish` rewrites it (relative ones are kept).
 *
 * @param specifier The specifier in the source.
 * @param imports The import map.
 * @returns The rewritten specifier.
 */
export function unfurlSpecifier(specifier: string, imports: Record<string, string>): string {
  if (/^(\.{1,2}\/|\/|[a-z]+:)/.test(specifier)) return specifier;
  if (specifier in imports) return imports[specifier];
  let best: string | null = null;
  for (const key of Object.keys(imports)) {
    if (key.endsWith("/") && specifier.startsWith(key) && key.length > (best?.length ?? 0)) {
      best = key;
    }
  }
  return best === null ? specifier : imports[best] + specifier.slice(best.length);
}

function unfurl(text: string, imports: Record<string, string>): string {
  return text.replace(
    /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])([^"'\n]+)\2/g,
    (_match, before: string, quote: string, specifier: string) =>
      `${before}${quote}${unfurlSpecifier(specifier, imports)}${quote}`,
  );
}

/**
 * Lays the package out as `deno publish` would publish it.
 *
 * @returns The package.
 */
export async function publishedPackage(): Promise<PublishedPackage> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const { stdout, stderr, success } = await new Deno.Command(Deno.execPath(), {
    args: ["publish", "--dry-run", "--allow-dirty"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  if (!success) throw new Error(`deno publish --dry-run failed:\n${text}`);
  const paths = [...text.matchAll(/^\s+file:\/\/(\S+) \(/gm)].map((m) => m[1]);
  if (paths.length === 0) throw new Error(`no files in deno publish --dry-run:\n${text}`);
  const files = new Map<string, Uint8Array>();
  for (const path of paths) {
    const relative = path.slice(ROOT.length - 1); // keeps the leading "/"
    const bytes = await Deno.readFile(path);
    files.set(
      relative,
      /\.(ts|js|mts|mjs|tsx|jsx)$/.test(path)
        ? new TextEncoder().encode(unfurl(new TextDecoder().decode(bytes), config.imports))
        : bytes,
    );
  }
  return { name: config.name, version: config.version, exports: config.exports, files };
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A running loopback registry. */
export interface JsrRegistry extends AsyncDisposable {
  /** `http://127.0.0.1:<port>/`, for `JSR_URL`. */
  url: string;
  /** The paths requested, in order. */
  requests: string[];
}

/**
 * Serves a package as jsr.io does.
 *
 * @param pkg The package.
 * @returns The registry; `await using` stops it.
 */
export async function serveRegistry(pkg: PublishedPackage): Promise<JsrRegistry> {
  const manifest: Record<string, { size: number; checksum: string }> = {};
  for (const [path, bytes] of pkg.files) {
    manifest[path] = { size: bytes.length, checksum: `sha256-${await sha256(bytes)}` };
  }
  const base = `/${pkg.name}`;
  const meta = {
    scope: pkg.name.split("/")[0].slice(1),
    name: pkg.name.split("/")[1],
    latest: pkg.version,
    versions: { [pkg.version]: {} },
  };
  const versionMeta = { manifest, exports: pkg.exports };
  const requests: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    requests.push(path);
    const json = (body: unknown) =>
      new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
    if (path === `${base}/meta.json`) return json(meta);
    if (path === `${base}/${pkg.version}_meta.json`) return json(versionMeta);
    const prefix = `${base}/${pkg.version}`;
    const file = path.startsWith(`${prefix}/`) ? pkg.files.get(path.slice(prefix.length)) : null;
    if (file) {
      return new Response(file as Uint8Array<ArrayBuffer>, {
        headers: { "content-type": "application/typescript" },
      });
    }
    return new Response("not found", { status: 404 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    requests,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}
