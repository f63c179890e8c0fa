/**
 * `deno task prices`: shows the price catalog in force; `--update` fetches the genai-prices
 * catalog data (`--url`, default the project's published `data.json`) and caches it to a file
 * (`--file`, default `.graphmeter/prices.json`) that {@linkcode loadCachedCatalog} puts in force.
 * Without a cached file the bundled catalog is used: the offline fallback.
 *
 * @module
 */
import { REMOTE_DATA_JSON_URL } from "@pydantic/genai-prices";
import {
  CatalogDataError,
  currentCatalog,
  parseCatalogData,
  useCatalogData,
} from "../pricing/catalog.ts";
import { type CliIo, type CommandInput, defineCommand, processIo, runCommand } from "./command.ts";
import { switchFlag } from "./flags.ts";
import { numberFlag, pathFlag, textFlag } from "./value_flags.ts";
import { UsageError } from "./usage_error.ts";

/** Where `--update` caches the catalog unless told otherwise. */
export const DEFAULT_CATALOG_FILE = ".graphmeter/prices.json";

/** Seconds `--update` waits for the catalog (the answer's whole body) by default. */
export const DEFAULT_UPDATE_TIMEOUT_SECONDS = 30;

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
    throw new CatalogDataError(`${path}: not valid JSON`);
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

async function update(
  url: string,
  file: string,
  timeoutSeconds: number,
  io: CliIo,
): Promise<number> {
  const kept = "the bundled catalog stays in use";
  // The whole exchange, body included: a server that never answers (or stalls) is given up.
  const signal = AbortSignal.timeout(timeoutSeconds * 1000);
  const couldNot = (error: unknown): UsageError => {
    const reason = signal.aborted
      ? `no answer within ${timeoutSeconds} s (--timeout)`
      : (error as Error).message.split("\n")[0];
    return new UsageError(`could not fetch ${url} (${reason}); ${kept}.`);
  };
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    throw couldNot(error);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new UsageError(`${url} answered ${response.status}; ${kept}.`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw couldNot(error);
  }
  let providers;
  try {
    providers = parseCatalogData(JSON.parse(text), url);
  } catch (error) {
    if (error instanceof SyntaxError) throw new UsageError(`${url}: not valid JSON; ${kept}.`);
    if (error instanceof CatalogDataError) throw new UsageError(`${error.message}; ${kept}.`);
    throw error;
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

/** The flags of `deno task prices`, in the order `--help` shows them. */
const PRICES_FLAGS = {
  update: switchFlag("fetch the catalog data from --url and cache it to --file"),
  url: textFlag("URL", "where --update fetches the genai-prices catalog data", {
    default: REMOTE_DATA_JSON_URL,
  }),
  file: pathFlag("PATH", "the cached catalog, put in force when it exists", {
    default: DEFAULT_CATALOG_FILE,
  }),
  timeoutSeconds: numberFlag("SECONDS", "give --update up after this long (the whole answer)", {
    name: "timeout",
    default: DEFAULT_UPDATE_TIMEOUT_SECONDS,
    check: (seconds) => seconds > 0,
    must: "a number of seconds above 0",
  }),
};

async function prices(
  { options }: CommandInput<typeof PRICES_FLAGS>,
  io: CliIo,
): Promise<number> {
  if (options.update) {
    return await update(options.url, options.file, options.timeoutSeconds, io);
  }
  await loadCachedCatalog(options.file);
  const catalog = currentCatalog();
  const version = catalog.origin === "file"
    ? catalog.version
    : `bundled @pydantic/genai-prices ${catalog.version}`;
  io.out(`prices: ${version}, data to ${catalog.dataDate ?? "unknown"}\n`);
  return 0;
}

/**
 * `prices`, declared.
 *
 * @example Usage
 * ```ts
 * import { pricesCommand } from "./prices.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(pricesCommand.name, "prices");
 * ```
 */
export const pricesCommand = defineCommand({
  name: "prices",
  about: "show the price catalog in force; --update refreshes it",
  description: `Shows the price catalog in force: the cached catalog file (--file) when there is
one, else the catalog bundled with @pydantic/genai-prices (the offline fallback). --update
fetches the genai-prices catalog data (--url) and caches it to --file.`,
  flags: PRICES_FLAGS,
  run: prices,
});

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
export function runPricesCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(pricesCommand, argv, io);
}

if (import.meta.main) Deno.exit(await runPricesCli(Deno.args, processIo()));
