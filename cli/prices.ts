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

/** Seconds `--update` waits for the catalog (the answer's whole body) by default. */
export const DEFAULT_UPDATE_TIMEOUT_SECONDS = 30;

/** The help text of `deno task prices`. */
export const PRICES_HELP =
  `Usage: deno task prices [--update] [--url URL] [--file PATH] [--timeout SECONDS]

Shows the price catalog in force: the one --update cached, else the bundled one.

Options:
  --update            fetch the genai-prices catalog data and cache it (the bundled catalog stays
                      in use when it cannot be fetched)
  --url URL           where --update fetches it from (default the project's published data.json)
  --file PATH         the cached catalog (default ${DEFAULT_CATALOG_FILE})
  --timeout SECONDS   give up --update after this long (default ${DEFAULT_UPDATE_TIMEOUT_SECONDS})
  -h, --help          this text
`;

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
  const fetched = stat.mtime?.toISOString().slice(0, 10) ?? "unknown date";
  await useCatalogData(parseCatalogData(value, path), `${path} (fetched ${fetched})`);
  return true;
}

async function update(
  url: string,
  file: string,
  timeoutSeconds: number,
  io: PricesIo,
): Promise<number> {
  // The whole exchange, body included: a server that never answers (or stalls) is given up.
  const signal = AbortSignal.timeout(timeoutSeconds * 1000);
  const couldNot = (error: unknown): number => {
    const reason = signal.aborted
      ? `no answer within ${timeoutSeconds} s (--timeout)`
      : (error as Error).message.split("\n")[0];
    io.err(`prices: could not fetch ${url} (${reason}); the bundled catalog stays in use.\n`);
    return 2;
  };
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    return couldNot(error);
  }
  if (!response.ok) {
    await response.body?.cancel();
    io.err(`prices: ${url} answered ${response.status}; the bundled catalog stays in use.\n`);
    return 2;
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    return couldNot(error);
  }
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
  await useCatalogData(providers, `${url} (fetched ${new Date().toISOString().slice(0, 10)})`);
  io.out(
    `prices: ${providers.length} providers, data to ${currentCatalog().dataDate ?? "unknown"}, ` +
      `cached to ${file}\n`,
  );
  return 0;
}

/**
 * Runs the `prices` command.
 *
 * @param argv The arguments (`--update`, `--url URL`, `--file PATH`, `--timeout SECONDS`,
 * `--help`).
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
        timeout: { type: "string", default: String(DEFAULT_UPDATE_TIMEOUT_SECONDS) },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    io.err(`prices: ${(error as Error).message.split("\n")[0]} (see --help)\n`);
    return 2;
  }
  if (values.help) {
    io.out(PRICES_HELP);
    return 0;
  }
  const timeoutSeconds = Number(values.timeout);
  if (!(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)) {
    io.err(`prices: --timeout must be a number of seconds above 0, got "${values.timeout}"\n`);
    return 2;
  }
  if (values.update) return await update(values.url, values.file, timeoutSeconds, io);
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
