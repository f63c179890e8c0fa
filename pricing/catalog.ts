/**
 * Which price catalog is in force: the `@pydantic/genai-prices` package's bundled data (its
 * version read from where the package resolved, never typed by hand), or a newer copy of the
 * catalog data loaded from a file (`deno task prices --update`), and the date of the newest
 * price change the data knows of.
 *
 * @module
 */
import { type Provider, updatePrices, waitForUpdate } from "@pydantic/genai-prices";
import { z } from "zod";

/** The catalog behind catalog prices. */
export const PRICE_CATALOG = "@pydantic/genai-prices";

/**
 * The catalog package as a full npm specifier, the import map's (a test keeps them equal). A
 * published module's bare `"@pydantic/genai-prices"` means nothing to `import.meta.resolve` (the
 * import map stays behind; only imports are rewritten), this one does.
 *
 * @example Usage
 * ```ts
 * import { CATALOG_NPM_SPECIFIER } from "./catalog.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(CATALOG_NPM_SPECIFIER, /^npm:@pydantic\/genai-prices@/);
 * ```
 */
export const CATALOG_NPM_SPECIFIER = "npm:@pydantic/genai-prices@^0.1.8";

/** Where the catalog package's entry resolved: by its name, else by its npm specifier. */
function resolvedCatalog(): string | null {
  for (const specifier of ["@pydantic/genai-prices", CATALOG_NPM_SPECIFIER]) {
    try {
      return import.meta.resolve(specifier);
    } catch {
      // not resolvable this way here (Node knows no npm: specifiers)
    }
  }
  return null;
}

/**
 * The installed catalog package's version, read from the path the package resolved to
 * (`…/@pydantic/genai-prices/0.1.8/…` in Deno's cache, `…@0.1.8…` on a CDN), or `"unknown"`
 * where the runtime's path does not say (a flat `node_modules`).
 *
 * @param resolved The resolved URL of the package's entry (default: this runtime's).
 * @returns The version, e.g. `"0.1.8"`.
 *
 * @example Usage
 * ```ts
 * import { catalogPackageVersion } from "./catalog.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   catalogPackageVersion("file:///cache/npm/@pydantic/genai-prices/0.1.8/dist/index.js"),
 *   "0.1.8",
 * );
 * assert.equal(catalogPackageVersion("file:///app/node_modules/x/index.js"), "unknown");
 * ```
 */
export function catalogPackageVersion(resolved?: string): string {
  const url = resolved ?? resolvedCatalog();
  if (url === null) return "unknown";
  const match = /genai-prices[/@](\d+\.\d+\.\d+[\w.-]*)/.exec(url);
  return match?.[1] ?? "unknown";
}

/**
 * The catalog package's version where its resolved path does not say (a flat `node_modules`, as
 * Node, Bun and JSR's npm layer lay packages out): read from the `package.json` of the package
 * folder the entry resolved into. `"unknown"` where there is no file system (a browser).
 */
async function installedCatalogVersion(): Promise<string> {
  const fromPath = catalogPackageVersion();
  if (fromPath !== "unknown") return fromPath;
  try {
    const resolved = resolvedCatalog();
    if (resolved === null) return "unknown";
    const entry = new URL(resolved);
    const marker = "/@pydantic/genai-prices/";
    const at = entry.pathname.lastIndexOf(marker);
    if (entry.protocol !== "file:" || at < 0) return "unknown";
    const manifest = new URL(entry.href);
    manifest.pathname = `${entry.pathname.slice(0, at + marker.length)}package.json`;
    const { readFile } = await import("node:fs/promises");
    const version = JSON.parse(await readFile(manifest, "utf8")).version;
    return typeof version === "string" ? version : "unknown";
  } catch {
    return "unknown";
  }
}

/** Every `start_date` of a price in the data, sorted (the days the data knows changes on). */
function priceDates(providers: readonly Provider[]): readonly string[] {
  const dates = new Set<string>();
  for (const provider of providers) {
    for (const model of provider.models) {
      if (!Array.isArray(model.prices)) continue;
      for (const price of model.prices) {
        const constraint = price.constraint;
        if (constraint && "start_date" in constraint) dates.add(constraint.start_date);
      }
    }
  }
  return [...dates].sort();
}

/** The catalog in force and what it is. */
export interface CatalogState {
  /** `bundled` (the package's own data) or `file` (loaded with {@linkcode useCatalogData}). */
  readonly origin: "bundled" | "file";
  /** The package version, or for loaded data the version its caller named (e.g. a fetch date). */
  readonly version: string;
  /** The newest price change in the data (YYYY-MM-DD), null when the data has none. */
  readonly dataDate: string | null;
  /** For loaded data, the day it was fetched (YYYY-MM-DD); null for the bundled data. */
  readonly fetchedOn: string | null;
}

// The bundled data is an already-resolved promise: read it once, at load.
const bundledProviders: Provider[] | null = await waitForUpdate();
const bundledDates = bundledProviders ? priceDates(bundledProviders) : [];
const bundledState: CatalogState = {
  origin: "bundled",
  version: await installedCatalogVersion(),
  dataDate: bundledDates.at(-1) ?? null,
  fetchedOn: null,
};
let state: CatalogState = bundledState;
let dates: readonly string[] = bundledDates;

/**
 * After this many days a catalog may be stale: a call it does not know is then worth a note.
 *
 * @example Usage
 * ```ts
 * import { STALE_CATALOG_DAYS } from "./catalog.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(STALE_CATALOG_DAYS, 60);
 * ```
 */
export const STALE_CATALOG_DAYS = 60;

const DAY_MS = 86_400_000;

/**
 * The day the catalog in force is known to be current to, as of a moment: the day loaded data
 * was fetched, or for the bundled data (which records no publication date) its newest price
 * change on or before that moment (changes scheduled later, e.g. a price due next January, do
 * not make it newer).
 *
 * @param atMs The moment (epoch ms), e.g. a run's start.
 * @returns The day (YYYY-MM-DD), or null when the data dates nothing.
 *
 * @example Usage
 * ```ts
 * import { catalogAsOf } from "./catalog.ts";
 * import assert from "node:assert/strict";
 *
 * const asOf = catalogAsOf(Date.parse("2026-12-06T00:00:00Z"));
 * assert.ok(asOf !== null && asOf <= "2026-12-06");
 * ```
 */
export function catalogAsOf(atMs: number): string | null {
  if (state.fetchedOn !== null) return state.fetchedOn;
  const today = new Date(atMs).toISOString().slice(0, 10);
  let asOf: string | null = null;
  for (const date of dates) if (date <= today) asOf = date;
  return asOf;
}

/**
 * Whether the catalog in force is older than {@linkcode STALE_CATALOG_DAYS} at a moment.
 *
 * @param atMs The moment (epoch ms).
 * @returns True when its data is that old (or dates nothing).
 *
 * @example Usage
 * ```ts
 * import { isCatalogStale } from "./catalog.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isCatalogStale(Date.parse("2030-01-01T00:00:00Z")), true);
 * ```
 */
export function isCatalogStale(atMs: number): boolean {
  const asOf = catalogAsOf(atMs);
  return asOf === null || atMs - Date.parse(asOf) > STALE_CATALOG_DAYS * DAY_MS;
}

/**
 * The catalog in force.
 *
 * @returns Its origin, version and data date.
 *
 * @example Usage
 * ```ts
 * import { currentCatalog } from "./catalog.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(currentCatalog().origin, "bundled");
 * ```
 */
export function currentCatalog(): CatalogState {
  return state;
}

const listeners = new Set<() => void>();

/**
 * Calls `listener` whenever the catalog in force changes (rate caches clear themselves).
 *
 * @param listener The callback.
 */
export function onCatalogChange(listener: () => void): void {
  listeners.add(listener);
}

/** The catalog data file's shape, checked loosely: a list of providers with models. */
const CatalogData = z.array(
  z.looseObject({
    id: z.string(),
    name: z.string(),
    api_pattern: z.string(),
    models: z.array(z.looseObject({ id: z.string(), match: z.unknown(), prices: z.unknown() })),
  }),
).min(1);

/** One provider of the catalog data (the genai-prices `data.json` shape, checked loosely). */
export interface CatalogProvider {
  /** The provider's id (`openai`, `anthropic`, ...). */
  readonly id: string;
  /** Its display name. */
  readonly name: string;
  /** A regular expression matching its API's URL. */
  readonly api_pattern: string;
  /** Its models, each with `id`, `match` and `prices`. */
  readonly models: readonly {
    readonly id: string;
    readonly match: unknown;
    readonly prices: unknown;
  }[];
}

/** Catalog data that is not a list of providers. */
export class CatalogDataError extends Error {
  /** Creates the error with a one-line, user-facing message. */
  constructor(message: string) {
    super(message);
    this.name = "CatalogDataError";
  }
}

/**
 * Validates catalog data (the `data.json` the genai-prices project publishes).
 *
 * @param value The parsed JSON.
 * @param source Where it came from, for the error message.
 * @returns The providers.
 * @throws {CatalogDataError} When the value is not catalog data.
 *
 * @example Usage
 * ```ts
 * import { parseCatalogData } from "./catalog.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => parseCatalogData({ not: "a list" }, "prices.json"), /prices.json/);
 * ```
 */
export function parseCatalogData(value: unknown, source = "catalog data"): CatalogProvider[] {
  const parsed = CatalogData.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CatalogDataError(
      `${source}: not genai-prices catalog data (at ${issue.path.join(".") || "top level"}: ` +
        `${issue.message})`,
    );
  }
  return parsed.data as CatalogProvider[];
}

/**
 * Puts catalog data (e.g. a refreshed `data.json` cached to a file) in force for every later
 * price; the bundled data stays the fallback until this is called.
 *
 * @param providers Validated catalog data ({@linkcode parseCatalogData}).
 * @param version What to call this data in metrics (e.g. `"data.json 2026-11-27"`).
 * @param fetchedOn The day the data was fetched (YYYY-MM-DD): its age, for the stale note.
 * @returns A promise that resolves once the data is in force.
 *
 * @example Usage
 * ```ts ignore
 * import { parseCatalogData, useCatalogData } from "./catalog.ts";
 *
 * const text = await Deno.readTextFile(".graphmeter/prices.json");
 * await useCatalogData(parseCatalogData(JSON.parse(text)), "data.json 2026-11-27", "2026-11-27");
 * ```
 */
export async function useCatalogData(
  providers: readonly CatalogProvider[],
  version: string,
  fetchedOn: string | null = null,
): Promise<void> {
  const data = providers as unknown as Provider[];
  updatePrices(({ setProviderData }) => setProviderData(data));
  await waitForUpdate();
  dates = priceDates(data);
  state = { origin: "file", version, dataDate: dates.at(-1) ?? null, fetchedOn };
  for (const listener of listeners) listener();
}

/**
 * Puts the package's bundled catalog back in force (after {@linkcode useCatalogData}).
 *
 * @returns A promise that resolves once the bundled data is in force.
 *
 * @example Usage
 * ```ts
 * import { currentCatalog, useBundledCatalog } from "./catalog.ts";
 * import assert from "node:assert/strict";
 *
 * await useBundledCatalog();
 * assert.equal(currentCatalog().origin, "bundled");
 * ```
 */
export async function useBundledCatalog(): Promise<void> {
  const providers = bundledProviders;
  if (state.origin === "bundled" || !providers) return;
  updatePrices(({ setProviderData }) => setProviderData(providers));
  await waitForUpdate();
  state = bundledState;
  dates = bundledDates;
  for (const listener of listeners) listener();
}
