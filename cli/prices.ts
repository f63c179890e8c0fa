/**
 * `deno task prices`: shows the price catalog in force; `--update` fetches the genai-prices
 * catalog data (`--url`, default the project's published `data.json`) and caches it to a file
 * (`--file`, default `.graphmeter/prices.json`) that {@linkcode loadCachedCatalog} puts in force.
 * Without a cached file the bundled catalog is used: the offline fallback.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { REMOTE_DATA_JSON_URL } from "@pydantic/genai-prices";
import {
  CatalogDataError,
  currentCatalog,
  parseCatalogData,
  useCatalogData,
} from "../pricing/catalog.ts";

/** Where `--update` caches the catalog unless told otherwise. */
export const DEFAULT_CATALOG_FILE = ".graphmeter/prices.json";

/** What the command writes to. */
export interface PricesIo {
  /** Standard output. */
  out: (text: string) => void;
  /** Standard error. */
  err: (text: string) => void;
}

/**
 * Puts a cached catalog file in force when it exists (the bundled catalog otherwise).
 *
 * @param path The cached catalog file.
 * @returns True when the file was loaded, false when there is none.
 * @throws {CatalogDataError} When the file holds no catalog data.
 */
export async function loadCachedCatalog(path: string = DEFAULT_CATALOG_FILE): Promise<boolean> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CatalogDataError(`${path}: not valid JSON. Run \`deno task prices --update\`.`);
  }
  const stat = await Deno.stat(path);
  const fetched = stat.mtime?.toISOString().slice(0, 10) ?? null;
  await useCatalogData(
    parseCatalogData(value, path),
    `${path} (fetched ${fetched ?? "unknown date"})`,
    fetched,
  );
  return true;
}

async function update(url: string, file: string, io: PricesIo): Promise<number> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    io.err(
      `prices: could not fetch ${url} (${(error as Error).message}); ` +
        `the bundled catalog stays in use.\n`,
    );
    return 2;
  }
  if (!response.ok) {
    await response.body?.cancel();
    io.err(`prices: ${url} answered ${response.status}; the bundled catalog stays in use.\n`);
    return 2;
  }
  const text = await response.text();
  let providers;
  try {
    providers = parseCatalogData(JSON.parse(text), url);
  } catch (error) {
    const message = error instanceof SyntaxError
      ? `${url}: not valid JSON`
      : (error as Error).message;
    io.err(`prices: ${message}\n`);
    return 2;
  }
  const slash = file.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(file.slice(0, slash), { recursive: true });
  await Deno.writeTextFile(file, text);
  const today = new Date().toISOString().slice(0, 10);
  await useCatalogData(providers, `${url} (fetched ${today})`, today);
  io.out(
    `prices: ${providers.length} providers, data to ${currentCatalog().dataDate ?? "unknown"}, ` +
      `cached to ${file}\n`,
  );
  return 0;
}

/**
 * Runs the `prices` command.
 *
 * @param argv The arguments (`--update`, `--url URL`, `--file PATH`).
 * @param io Where to write.
 * @returns The exit code: 0, or 2 for a bad flag, an unreachable URL or bad data.
 *
 * @example Usage
 * ```ts
 * import { runPricesCli } from "./prices.ts";
 * import assert from "node:assert/strict";
 *
 * let err = "";
 * assert.equal(await runPricesCli(["--bogus"], { out: () => {}, err: (t) => (err += t) }), 2);
 * assert.match(err, /^prices: /);
 * ```
 */
export async function runPricesCli(argv: readonly string[], io: PricesIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        update: { type: "boolean", default: false },
        url: { type: "string", default: REMOTE_DATA_JSON_URL },
        file: { type: "string", default: DEFAULT_CATALOG_FILE },
      },
      strict: true,
    }));
  } catch (error) {
    io.err(
      `prices: ${(error as Error).message} (usage: prices [--update] [--url URL] [--file PATH])\n`,
    );
    return 2;
  }
  if (values.update) return await update(values.url, values.file, io);
  try {
    await loadCachedCatalog(values.file);
  } catch (error) {
    if (!(error instanceof CatalogDataError)) throw error;
    io.err(`prices: ${error.message}\n`);
    return 2;
  }
  const catalog = currentCatalog();
  io.out(
    `prices: ${
      catalog.origin === "file"
        ? catalog.version
        : `bundled @pydantic/genai-prices ${catalog.version}`
    }, ` +
      `data to ${catalog.dataDate ?? "unknown"}\n`,
  );
  return 0;
}

if (import.meta.main) {
  const encoder = new TextEncoder();
  Deno.exit(
    await runPricesCli(Deno.args, {
      out: (text) => Deno.stdout.writeSync(encoder.encode(text)),
      err: (text) => Deno.stderr.writeSync(encoder.encode(text)),
    }),
  );
}
