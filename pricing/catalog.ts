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
  let url = resolved;
  if (url === undefined) {
    try {
      url = import.meta.resolve("@pydantic/genai-prices");
    } catch {
      return "unknown";
    }
  }
  const match = /genai-prices[/@](\d+\.\d+\.\d+[\w.-]*)/.exec(url);
  return match?.[1] ?? "unknown";
}

/** The newest `start_date` of any price in the data: the day the data is current to. */
function newestPriceDate(providers: readonly Provider[]): string | null {
  let newest: string | null = null;
  for (const provider of providers) {
    for (const model of provider.models) {
      if (!Array.isArray(model.prices)) continue;
      for (const price of model.prices) {
        const constraint = price.constraint;
        if (constraint && "start_date" in constraint) {
          if (newest === null || constraint.start_date > newest) newest = constraint.start_date;
        }
      }
    }
  }
  return newest;
}

/** The catalog in force and what it is. */
export interface CatalogState {
  /** `bundled` (the package's own data) or `file` (loaded with {@linkcode useCatalogData}). */
  readonly origin: "bundled" | "file";
  /** The package version, or for loaded data the version its caller named (e.g. a fetch date). */
  readonly version: string;
  /** The newest price change in the data (YYYY-MM-DD), null when the data has none. */
  readonly dataDate: string | null;
}

// The bundled data is an already-resolved promise: read it once, at load.
const bundledProviders: Provider[] | null = await waitForUpdate();
const bundledState: CatalogState = {
  origin: "bundled",
  version: catalogPackageVersion(),
  dataDate: bundledProviders ? newestPriceDate(bundledProviders) : null,
};
let state: CatalogState = bundledState;

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
 * @returns A promise that resolves once the data is in force.
 *
 * @example Usage
 * ```ts ignore
 * import { parseCatalogData, useCatalogData } from "./catalog.ts";
 *
 * const text = await Deno.readTextFile(".graphmeter/prices.json");
 * await useCatalogData(parseCatalogData(JSON.parse(text)), "data.json 2026-11-27");
 * ```
 */
export async function useCatalogData(
  providers: readonly CatalogProvider[],
  version: string,
): Promise<void> {
  const data = providers as unknown as Provider[];
  updatePrices(({ setProviderData }) => setProviderData(data));
  await waitForUpdate();
  state = { origin: "file", version, dataDate: newestPriceDate(data) };
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
  for (const listener of listeners) listener();
}
