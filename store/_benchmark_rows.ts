/**
 * The `benchmarks` table read back: one benchmark, the list with what their runs add up to, and
 * the benchmark a reference (id, label, `latest`, `latest~N`) names.
 *
 * @module
 */
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import type { Row } from "./_rows.ts";
import { StoreError } from "./_store_error.ts";

/** What a new benchmark is created with. */
export interface NewBenchmark {
  /** A label that names it (the latest benchmark carrying a label wins), or null. */
  label: string | null;
  /** When it started, ISO 8601. */
  startedAt: string;
  /** The git commit measured, or null. */
  gitCommit: string | null;
  /** What a resume must match (any JSON). */
  settings: unknown;
  /** Facts for its report (any JSON). */
  meta: unknown;
  /** Runs planned. */
  plannedRuns: number;
  /** `i/n` when it is one shard of a larger benchmark, else null. */
  shard: string | null;
  /** Its id; default a new one (`YYYYMMDD-HHMMSS-xxxx` from `startedAt`). */
  id?: string;
}

/** A benchmark as stored. */
export interface StoredBenchmark extends Required<NewBenchmark> {
  /** The price catalog of its runs (`catalog version`), or null before the first run. */
  priceCatalog: string | null;
}

/** One line of the history: a benchmark and what its runs add up to. */
export interface BenchmarkSummary {
  /** Its id. */
  id: string;
  /** Its label, or null. */
  label: string | null;
  /** When it started, ISO 8601. */
  startedAt: string;
  /** The git commit measured, or null. */
  gitCommit: string | null;
  /** Runs planned. */
  plannedRuns: number;
  /** Runs stored. */
  runs: number;
  /** Stored runs that failed. */
  failedRuns: number;
  /** Priced cost per successful run in US dollars; null without one or when none was priced. */
  costPerRunUsd: number | null;
  /** `i/n` for a shard, else null. */
  shard: string | null;
}

/**
 * A new benchmark id, `YYYYMMDD-HHMMSS-xxxx` from its start time and 2 random bytes.
 *
 * @param startedAt When it starts, ISO 8601.
 * @returns The id.
 *
 * @example Usage
 * ```ts
 * import { newBenchmarkId } from "./_benchmark_rows.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(newBenchmarkId("2026-01-02T03:04:05.000Z"), /^20260102-030405-[0-9a-f]{4}$/);
 * ```
 */
export function newBenchmarkId(startedAt: string): string {
  const stamp = startedAt.replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const suffix = crypto.getRandomValues(new Uint8Array(2));
  return `${stamp}-${[...suffix].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Inserts a benchmark row (its recorded counts start at 0). */
export function insertBenchmark(db: DatabaseSync, id: string, benchmark: NewBenchmark): void {
  db.prepare(
    `INSERT INTO benchmarks (id, label, started_at, git_commit, settings_json, meta_json,
      planned_runs, shard) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    benchmark.label,
    benchmark.startedAt,
    benchmark.gitCommit,
    JSON.stringify(benchmark.settings),
    JSON.stringify(benchmark.meta),
    benchmark.plannedRuns,
    benchmark.shard,
  );
}

function benchmarkJson(path: string, id: string, column: string, value: unknown): unknown {
  try {
    return JSON.parse(value as string);
  } catch {
    throw new StoreError(
      `benchmark ${id} in ${path}: benchmarks.${column} is not JSON`,
      "unreadable-benchmark",
    );
  }
}

/** A benchmark by id, or null. */
export function selectBenchmark(
  db: DatabaseSync,
  path: string,
  id: string,
): StoredBenchmark | null {
  const row = db.prepare("SELECT * FROM benchmarks WHERE id = ?").get(id) as Row | undefined;
  if (row === undefined) return null;
  return {
    id: row.id as string,
    label: row.label as string | null,
    startedAt: row.started_at as string,
    gitCommit: row.git_commit as string | null,
    settings: benchmarkJson(path, id, "settings_json", row.settings_json),
    meta: benchmarkJson(path, id, "meta_json", row.meta_json),
    plannedRuns: row.planned_runs as number,
    shard: row.shard as string | null,
    priceCatalog: row.price_catalog as string | null,
  };
}

/** Every benchmark, oldest first, with its run count and cost per successful run. */
export function selectSummaries(db: DatabaseSync): BenchmarkSummary[] {
  const rows = db.prepare(
    `SELECT b.id, b.label, b.started_at, b.git_commit, b.planned_runs, b.shard,
       COUNT(r.input_id) AS runs,
       SUM(CASE WHEN r.status = 'ok' AND r.error IS NULL THEN 0 ELSE 1 END) AS failed,
       SUM(CASE WHEN r.status = 'ok' AND r.error IS NULL THEN r.cost_usd END) AS cost,
       SUM(CASE WHEN r.status = 'ok' AND r.error IS NULL THEN 1 ELSE 0 END) AS ok
     FROM benchmarks b LEFT JOIN runs r ON r.benchmark_id = b.id
     GROUP BY b.id ORDER BY b.started_at, b.rowid`,
  ).all() as Row[];
  return rows.map((row) => ({
    id: row.id as string,
    label: row.label as string | null,
    startedAt: row.started_at as string,
    gitCommit: row.git_commit as string | null,
    plannedRuns: row.planned_runs as number,
    runs: row.runs as number,
    failedRuns: (row.failed as number | null) ?? 0,
    costPerRunUsd: row.cost === null || !row.ok ? null : (row.cost as number) / (row.ok as number),
    shard: row.shard as string | null,
  }));
}

/**
 * Whether a label would read as another reference: `latest`, `latest~N`, or an id's shape.
 *
 * @param label The label.
 * @returns Why it is reserved, or null when it may be a label.
 *
 * @example Usage
 * ```ts
 * import { reservedLabel } from "./_benchmark_rows.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(reservedLabel("nightly"), null);
 * assert.match(reservedLabel("latest~1") ?? "", /names the benchmark before the latest/);
 * ```
 */
export function reservedLabel(label: string): string | null {
  if (label === "latest") return "latest names the latest benchmark";
  if (/^latest~\d+$/.test(label)) return `${label} names the benchmark before the latest`;
  if (/^\d{8}-\d{6}-[0-9a-f]{4}$/.test(label)) return `${label} has the shape of a benchmark id`;
  return null;
}

/**
 * The id of the benchmark a reference names: an id, a label (the latest benchmark carrying it),
 * `latest`, or `latest~N` (N benchmarks before the latest).
 */
export function resolveReference(db: DatabaseSync, path: string, ref: string): string {
  const ids = (sql: string, ...params: SQLInputValue[]): string[] =>
    (db.prepare(sql).all(...params) as { id: string }[]).map((row) => row.id);
  if (ids("SELECT id FROM benchmarks WHERE id = ?", ref).length === 1) return ref;
  const latest = /^latest(?:~(\d+))?$/.exec(ref);
  if (latest) {
    const back = Number(latest[1] ?? 0);
    const found = ids(
      "SELECT id FROM benchmarks ORDER BY started_at DESC, rowid DESC LIMIT 1 OFFSET ?",
      back,
    );
    if (found.length === 1) return found[0];
    const count = (db.prepare("SELECT COUNT(*) AS n FROM benchmarks").get() as { n: number }).n;
    throw new StoreError(
      `no benchmark "${ref}" in ${path}: it holds ${count}`,
      "no-such-benchmark",
    );
  }
  const labelled = ids(
    "SELECT id FROM benchmarks WHERE label = ? ORDER BY started_at DESC, rowid DESC LIMIT 1",
    ref,
  );
  if (labelled.length === 1) return labelled[0];
  throw new StoreError(
    `no benchmark with id or label "${ref}" in ${path}`,
    "no-such-benchmark",
  );
}
