/**
 * Each configuration a search runs is a benchmark in the results store, labelled
 * `tune/<name>/<configuration>`, with the settings `bench` would give it. The same command run
 * again finds each one by its label and settings and continues it (nothing is run twice); a
 * configuration some earlier benchmark already ran with the same settings — a plain `bench`, or
 * another search — gets that benchmark's runs copied in, not run again.
 *
 * @module
 */
import type { ResultsStore } from "../../store/results_store.ts";
import { runSpend } from "../../benchmark/run_record.ts";
import type { ConfigurationLog, ConfigurationLogs } from "../../tune/tune.ts";
import type { Configuration } from "../../tune/knobs.ts";
import { BenchSettings, settingsDifference } from "../bench/settings.ts";
import type { StoredBenchMeta } from "../open_store.ts";

/** What the search adds to a configuration benchmark's stored meta. */
export interface TuneBenchMeta extends StoredBenchMeta {
  /** The search it belongs to, and what was reused into it. */
  tune: {
    /** The search's name. */
    name: string;
    /** The benchmark its reused runs came from, or null. */
    reusedFrom: string | null;
    /** How many runs were reused. */
    reusedRuns: number;
    /** What those runs cost when they were made, US dollars. */
    reusedUsd: number;
  };
}

/** What the logs need to know about the search. */
export interface SearchStorage {
  /** The results store. */
  readonly store: ResultsStore;
  /** The search's name. */
  readonly name: string;
  /** A configuration's settings, complete (what a resume and a reuse must match). */
  readonly settingsFor: (configuration: Configuration) => BenchSettings;
  /** A configuration's stored meta (its report's facts). */
  readonly metaFor: (configuration: Configuration) => StoredBenchMeta;
  /** The search's inputs (a reused benchmark's other runs are left out). */
  readonly inputIds: readonly string[];
  /** Runs planned per configuration (inputs × repeats). */
  readonly plannedRuns: number;
  /** The git commit measured, or null. */
  readonly gitCommit: string | null;
}

/**
 * A configuration's label: `tune/<name>/<configuration>`, its `key=value` pairs joined by commas.
 *
 * @param name The search's name.
 * @param configurationName The configuration as `formatConfiguration` writes it.
 * @returns The label.
 *
 * @example Usage
 * ```ts
 * import { configurationLabel } from "./logs.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(configurationLabel("s", "a=x, b=0.7"), "tune/s/a=x,b=0.7");
 * ```
 */
export function configurationLabel(name: string, configurationName: string): string {
  return `tune/${name}/${configurationName.replaceAll(", ", ",")}`;
}

/** JSON with object keys sorted, so equal objects give one text. */
function canonical(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v !== null && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
  );
}

/** A run config stored as JSON in `models.config`, canonical, so key order does not matter. */
function withCanonicalConfig(settings: BenchSettings): BenchSettings {
  const config = settings.models.config;
  if (config === undefined) return settings;
  try {
    return { ...settings, models: { ...settings.models, config: canonical(JSON.parse(config)) } };
  } catch {
    return settings;
  }
}

/** Whether a stored benchmark's settings are a configuration's (the same runs would be made). */
function sameSettings(stored: unknown, wanted: BenchSettings): boolean {
  const parsed = BenchSettings.safeParse(stored);
  if (!parsed.success) return false;
  return settingsDifference(withCanonicalConfig(parsed.data), withCanonicalConfig(wanted)) === null;
}

/**
 * The run logs of a search's configurations, kept in the results store (see the module doc).
 *
 * @param storage The store, the search's name, and what each configuration's benchmark holds.
 * @returns The logs, for `tune({ logs })`.
 */
export function storeConfigurationLogs(storage: SearchStorage): ConfigurationLogs {
  const { store } = storage;
  // The benchmarks there were before this search started, newest first.
  const earlier = store.listBenchmarks().reverse();
  return (configuration, configurationName): ConfigurationLog => {
    const label = configurationLabel(storage.name, configurationName);
    const settings = storage.settingsFor(configuration);
    const own = earlier.find((b) =>
      b.label === label && sameSettings(store.getBenchmark(b.id)?.settings, settings)
    );
    if (own !== undefined) {
      const meta = store.getBenchmark(own.id)?.meta as Partial<TuneBenchMeta> | undefined;
      return {
        ...store.runLog(own.id),
        reusedRuns: meta?.tune?.reusedRuns ?? 0,
        reusedUsd: meta?.tune?.reusedUsd ?? 0,
      };
    }
    const wanted = new Set(storage.inputIds);
    const donor = earlier.find((b) =>
      b.runs > 0 && sameSettings(store.getBenchmark(b.id)?.settings, settings)
    );
    const reused = donor === undefined
      ? []
      : store.readRuns(donor.id).records.filter((record) => wanted.has(record.inputId));
    const reusedUsd = reused.reduce((sum, record) => sum + runSpend(record).costUsd, 0);
    const meta: TuneBenchMeta = {
      ...storage.metaFor(configuration),
      tune: {
        name: storage.name,
        reusedFrom: reused.length === 0 ? null : donor!.id,
        reusedRuns: reused.length,
        reusedUsd,
      },
    };
    const id = store.createBenchmark({
      label,
      startedAt: new Date().toISOString(),
      gitCommit: storage.gitCommit,
      settings,
      meta,
      plannedRuns: storage.plannedRuns,
      shard: null,
    });
    if (reused.length > 0) store.appendRuns(id, reused);
    return { ...store.runLog(id), reusedRuns: reused.length, reusedUsd };
  };
}
