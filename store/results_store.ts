/**
 * The results store: every benchmark, run, stage and call in one SQLite database (Deno's built-in
 * `node:sqlite`, WAL mode). Each finished run is committed in one transaction as it finishes, so a
 * crash loses at most the runs in flight. This file is an I/O edge: the database file.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { RunLog } from "../benchmark/run_log.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import {
  CALL_COLUMNS,
  EVALUATION_COLUMNS,
  PATH_COLUMNS,
  recordToRows,
  type Row,
  RUN_COLUMNS,
  SCORE_COLUMNS,
  type SqlValue,
  STAGE_COLUMNS,
} from "./_rows.ts";
import { readRuns, type StoredRuns } from "./_read_runs.ts";
import { storeRunLog } from "./_run_log.ts";
import { StoreError, type StoreProblem } from "./_store_error.ts";

export { StoreError, type StoreProblem };
import { MIGRATIONS, SCHEMA_VERSION } from "./schema.ts";

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

/** One key's mean score over a stored benchmark's successful runs. */
export interface StoredScoreMean {
  /** The key. */
  key: string;
  /** Runs with a score for it. */
  scoredRuns: number;
  /** The mean of those scores, or null when none was scored. */
  mean: number | null;
}

/** One stored run's outcome, wall time and cost, without its stages and calls. */
export interface StoredRunTime {
  /** Whether the run succeeded. */
  ok: boolean;
  /** Its wall time, milliseconds. */
  wallTimeMs: number;
  /** Its priced cost in US dollars; null when calls were made and none could be priced. */
  costUsd: number | null;
}

const insertSql = (table: string, columns: readonly string[]): string =>
  `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((c) => `:${c}`).join(", ")})`;

/** Runs `work` inside one transaction: committed when it returns, rolled back when it throws. */
function transaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

function newBenchmarkId(startedAt: string): string {
  const stamp = startedAt.replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const suffix = crypto.getRandomValues(new Uint8Array(2));
  return `${stamp}-${[...suffix].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** A results store on one SQLite database; close it (or `using` it) when done. */
export class ResultsStore implements Disposable {
  readonly #db: DatabaseSync;
  readonly #path: string;
  readonly #insertRun: StatementSync;
  readonly #insertStage: StatementSync;
  readonly #insertCall: StatementSync;
  readonly #insertPath: StatementSync;
  readonly #insertScore: StatementSync;
  readonly #insertEvaluation: StatementSync;
  readonly #nextSeq: StatementSync;

  /** Opens (and migrates) the database at `path`; prefer {@linkcode openResultsStore}. */
  constructor(path: string) {
    this.#path = path;
    try {
      this.#db = new DatabaseSync(path);
      this.#db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
      this.#db.exec("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
      this.#migrate();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreError(`cannot open the results store ${path}: ${reason}`, "unopenable");
    }
    this.#insertRun = this.#db.prepare(insertSql("runs", RUN_COLUMNS));
    this.#insertStage = this.#db.prepare(insertSql("stages", STAGE_COLUMNS));
    this.#insertCall = this.#db.prepare(insertSql("calls", CALL_COLUMNS));
    this.#insertPath = this.#db.prepare(insertSql("paths", PATH_COLUMNS));
    this.#insertScore = this.#db.prepare(insertSql("scores", SCORE_COLUMNS));
    this.#insertEvaluation = this.#db.prepare(insertSql("evaluations", EVALUATION_COLUMNS));
    this.#nextSeq = this.#db.prepare(
      "SELECT COALESCE(MAX(seq), -1) + 1 AS seq FROM runs WHERE benchmark_id = ?",
    );
  }

  #migrate(): void {
    const { user_version: version } = this.#db.prepare("PRAGMA user_version").get() as {
      user_version: number;
    };
    if (version === 0) {
      const { tables } = this.#db.prepare(
        "SELECT COUNT(*) AS tables FROM sqlite_master WHERE type = 'table'",
      ).get() as { tables: number };
      if (tables > 0) {
        throw new StoreError(
          `${this.#path} is a SQLite database but not a graphmeter results store`,
          "not-a-store",
        );
      }
    }
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        `${this.#path} has schema version ${version}, newer than this graphmeter's ` +
          `${SCHEMA_VERSION}`,
        "newer-schema",
      );
    }
    for (let next = version; next < SCHEMA_VERSION; next++) {
      transaction(this.#db, () => {
        this.#db.exec(MIGRATIONS[next]);
        this.#db.exec(`PRAGMA user_version = ${next + 1}`);
      });
    }
  }

  /** The database's path. */
  get path(): string {
    return this.#path;
  }

  /**
   * Creates a benchmark and returns its id.
   *
   * @param benchmark What it is created with.
   * @returns Its id.
   */
  createBenchmark(benchmark: NewBenchmark): string {
    const id = benchmark.id ?? newBenchmarkId(benchmark.startedAt);
    this.#db.prepare(
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
    return id;
  }

  /**
   * Replaces a benchmark's meta (e.g. after a resume with a new concurrency).
   *
   * @param id The benchmark.
   * @param meta Its new meta.
   */
  updateMeta(id: string, meta: unknown): void {
    this.#db.prepare("UPDATE benchmarks SET meta_json = ? WHERE id = ?")
      .run(JSON.stringify(meta), id);
  }

  /**
   * A benchmark by id.
   *
   * @param id Its id.
   * @returns It, or null when there is none.
   */
  getBenchmark(id: string): StoredBenchmark | null {
    const row = this.#db.prepare("SELECT * FROM benchmarks WHERE id = ?").get(id) as
      | Row
      | undefined;
    if (row === undefined) return null;
    return {
      id: row.id as string,
      label: row.label as string | null,
      startedAt: row.started_at as string,
      gitCommit: row.git_commit as string | null,
      settings: this.#benchmarkJson(id, "settings_json", row.settings_json),
      meta: this.#benchmarkJson(id, "meta_json", row.meta_json),
      plannedRuns: row.planned_runs as number,
      shard: row.shard as string | null,
      priceCatalog: row.price_catalog as string | null,
    };
  }

  #benchmarkJson(id: string, column: string, value: SqlValue): unknown {
    try {
      return JSON.parse(value as string);
    } catch {
      throw new StoreError(
        `benchmark ${id} in ${this.#path}: benchmarks.${column} is not JSON`,
        "unreadable-benchmark",
      );
    }
  }

  /**
   * Stores one finished run (its run, stage and call rows) in one transaction.
   *
   * @param benchmarkId The benchmark.
   * @param record The run.
   */
  appendRun(benchmarkId: string, record: RunRecord): void {
    transaction(this.#db, () => this.#insert(benchmarkId, record));
  }

  /**
   * Stores many finished runs in one transaction (e.g. when merging shards): all or none.
   *
   * @param benchmarkId The benchmark.
   * @param records The runs.
   */
  appendRuns(benchmarkId: string, records: Iterable<RunRecord>): void {
    transaction(this.#db, () => {
      for (const record of records) this.#insert(benchmarkId, record);
    });
  }

  #insert(benchmarkId: string, record: RunRecord): void {
    const { seq } = this.#nextSeq.get(benchmarkId) as { seq: number };
    const rows = recordToRows(benchmarkId, seq, record);
    this.#insertRun.run(rows.run);
    for (const row of rows.stages) this.#insertStage.run(row);
    for (const row of rows.calls) this.#insertCall.run(row);
    for (const row of rows.paths) this.#insertPath.run(row);
    for (const row of rows.scores ?? []) this.#insertScore.run(row);
    for (const row of rows.evaluations ?? []) this.#insertEvaluation.run(row);
    if (seq === 0) {
      this.#db.prepare(
        "UPDATE benchmarks SET price_catalog = ? WHERE id = ? AND price_catalog IS NULL",
      ).run(`${record.metrics.pricing.catalog} ${record.metrics.pricing.version}`, benchmarkId);
    }
  }

  /**
   * How many runs a benchmark has stored.
   *
   * @param benchmarkId The benchmark.
   * @returns The count.
   */
  countRuns(benchmarkId: string): number {
    const row = this.#db.prepare("SELECT COUNT(*) AS n FROM runs WHERE benchmark_id = ?")
      .get(benchmarkId) as { n: number };
    return row.n;
  }

  /**
   * The runner's {@linkcode RunLog} for one benchmark: `create` fails when it holds runs, `load`
   * reads them back, `append` commits a run.
   *
   * @param benchmarkId The benchmark.
   * @returns The log.
   */
  runLog(benchmarkId: string): RunLog {
    return storeRunLog(this, benchmarkId);
  }

  /**
   * Replaces a stored run's rows (every table's: a plain SQL client may have left orphans) with a
   * new record of the same run, in one transaction.
   *
   * @param benchmarkId The benchmark.
   * @param record The run made again.
   */
  replaceRun(benchmarkId: string, record: RunRecord): void {
    transaction(this.#db, () => {
      for (const table of ["paths", "scores", "evaluations", "calls", "stages", "runs"]) {
        this.#db.prepare(
          `DELETE FROM ${table} WHERE benchmark_id = ? AND input_id = ? AND repeat = ?`,
        ).run(benchmarkId, record.inputId, record.repeat);
      }
      this.#insert(benchmarkId, record);
    });
  }

  /**
   * Every stored run of a benchmark, in finishing order, as the records that were appended.
   *
   * @param benchmarkId The benchmark.
   * @returns The records.
   * @throws {StoreError} When a run's rows cannot be read back (naming the run and the column):
   * resuming the benchmark makes such runs again.
   */
  loadRuns(benchmarkId: string): RunRecord[] {
    const { records, unreadable } = this.readRuns(benchmarkId);
    const [first] = unreadable;
    if (first !== undefined) {
      const more = unreadable.length > 1 ? ` and ${unreadable.length - 1} more` : "";
      throw new StoreError(
        `benchmark ${benchmarkId} in ${this.#path}: run ${first.inputId}#${first.repeat} cannot ` +
          `be read back (${first.column}: ${first.reason})${more}; resume the benchmark to make ` +
          "such runs again",
        "unreadable-runs",
      );
    }
    return records;
  }

  /**
   * Every stored run of a benchmark, in finishing order, checked against the run record schema;
   * runs whose rows cannot be read back (not JSON, a wrong type, a status outside the enum) are
   * set aside, each with the column to blame.
   *
   * @param benchmarkId The benchmark.
   * @returns The readable records and the unreadable runs.
   */
  readRuns(benchmarkId: string): StoredRuns {
    return readRuns(this.#db, benchmarkId);
  }

  /**
   * Each stored run's outcome, wall time and cost, in finishing order, read from the run rows
   * alone (no stage or call is loaded): what a history needs of a 100,000-run benchmark.
   *
   * @param benchmarkId The benchmark.
   * @returns One entry per run.
   */
  loadRunWallTimes(benchmarkId: string): StoredRunTime[] {
    const rows = this.#db.prepare(
      `SELECT status = 'ok' AND error IS NULL AS ok, wall_time_ms, cost_usd FROM runs
       WHERE benchmark_id = ? ORDER BY seq`,
    ).all(benchmarkId) as Row[];
    return rows.map((row) => ({
      ok: row.ok === 1,
      wallTimeMs: row.wall_time_ms as number,
      costUsd: row.cost_usd as number | null,
    }));
  }

  /**
   * The call rows of a benchmark, one at a time, in run and call order (for exports), each with
   * its run's `thread_id`, `attributes_json` and `input_metadata_json` (who the call was for).
   *
   * @param benchmarkId The benchmark.
   * @returns The rows, by column.
   */
  iterateCalls(benchmarkId: string): Iterable<Row> {
    return this.#db.prepare(
      `SELECT calls.*, runs.thread_id, runs.attributes_json, runs.input_metadata_json
       FROM calls JOIN runs USING (benchmark_id, input_id, repeat)
       WHERE benchmark_id = ? ORDER BY runs.seq, calls.position`,
    ).iterate(benchmarkId) as Iterable<Row>;
  }

  /**
   * The score rows of a benchmark, one at a time, in run and key order (for exports).
   *
   * @param benchmarkId The benchmark.
   * @returns The rows, by column.
   */
  iterateScores(benchmarkId: string): Iterable<Row> {
    return this.#db.prepare(
      `SELECT scores.* FROM scores JOIN runs USING (benchmark_id, input_id, repeat)
       WHERE benchmark_id = ? ORDER BY runs.seq, scores.position`,
    ).iterate(benchmarkId) as Iterable<Row>;
  }

  /**
   * The node path rows of a benchmark (one per path and run), in run order, parents first.
   *
   * @param benchmarkId The benchmark.
   * @returns The rows, by column.
   */
  iteratePaths(benchmarkId: string): Iterable<Row> {
    return this.#db.prepare(
      `SELECT paths.* FROM paths JOIN runs USING (benchmark_id, input_id, repeat)
       WHERE benchmark_id = ? ORDER BY runs.seq, paths.position`,
    ).iterate(benchmarkId) as Iterable<Row>;
  }

  /**
   * The evaluators' cost rows of a benchmark (their LLM calls' sums per run), in run order.
   *
   * @param benchmarkId The benchmark.
   * @returns The rows, by column.
   */
  iterateEvaluations(benchmarkId: string): Iterable<Row> {
    return this.#db.prepare(
      `SELECT evaluations.* FROM evaluations JOIN runs USING (benchmark_id, input_id, repeat)
       WHERE benchmark_id = ? ORDER BY runs.seq, evaluations.position`,
    ).iterate(benchmarkId) as Iterable<Row>;
  }

  /**
   * Each key's mean score over a benchmark's successful runs, from the score rows alone (what a
   * history needs): how many runs were scored, and the mean of their scores.
   *
   * @param benchmarkId The benchmark.
   * @returns One entry per key, in the order keys first appear.
   */
  scoreMeans(benchmarkId: string): StoredScoreMean[] {
    const rows = this.#db.prepare(
      `SELECT s.key, COUNT(s.score) AS scored, AVG(s.score) AS mean, MIN(s.rowid) AS first
       FROM scores s JOIN runs r USING (benchmark_id, input_id, repeat)
       WHERE s.benchmark_id = ? AND r.status = 'ok' AND r.error IS NULL
       GROUP BY s.key ORDER BY first`,
    ).all(benchmarkId) as Row[];
    return rows.map((row) => ({
      key: row.key as string,
      scoredRuns: row.scored as number,
      mean: row.mean as number | null,
    }));
  }

  /**
   * Every benchmark, oldest first, with its run count and cost per successful run.
   *
   * @returns The summaries.
   */
  listBenchmarks(): BenchmarkSummary[] {
    const rows = this.#db.prepare(
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
      costPerRunUsd: row.cost === null || !row.ok
        ? null
        : (row.cost as number) / (row.ok as number),
      shard: row.shard as string | null,
    }));
  }

  /**
   * The id of the benchmark a reference names: an id, a label (the latest benchmark carrying
   * it), `latest`, or `latest~N` (N benchmarks before the latest).
   *
   * @param ref The reference.
   * @returns The benchmark's id.
   * @throws {StoreError} When no benchmark matches.
   */
  resolveBenchmark(ref: string): string {
    const ids = (sql: string, ...params: SqlParam[]): string[] =>
      (this.#db.prepare(sql).all(...params) as { id: string }[]).map((row) => row.id);
    if (ids("SELECT id FROM benchmarks WHERE id = ?", ref).length === 1) return ref;
    const latest = /^latest(?:~(\d+))?$/.exec(ref);
    if (latest) {
      const back = Number(latest[1] ?? 0);
      const found = ids(
        "SELECT id FROM benchmarks ORDER BY started_at DESC, rowid DESC LIMIT 1 OFFSET ?",
        back,
      );
      if (found.length === 1) return found[0];
      throw new StoreError(
        `no benchmark "${ref}" in ${this.#path}: it holds ${this.listBenchmarks().length}`,
        "no-such-benchmark",
      );
    }
    const labelled = ids(
      "SELECT id FROM benchmarks WHERE label = ? ORDER BY started_at DESC, rowid DESC LIMIT 1",
      ref,
    );
    if (labelled.length === 1) return labelled[0];
    throw new StoreError(
      `no benchmark with id or label "${ref}" in ${this.#path}`,
      "no-such-benchmark",
    );
  }

  /** Closes the database. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  /** Closes the database (for `using`). */
  [Symbol.dispose](): void {
    this.close();
  }
}

type SqlParam = string | number | null;

/**
 * Opens the results store at `path` (created and migrated as needed; `:memory:` for one in
 * memory).
 *
 * @param path The database file, e.g. `reports/graphmeter.db`.
 * @returns The store.
 * @throws {StoreError} When the file is not a results store (or is a newer one).
 *
 * @example Usage
 * ```ts
 * import { openResultsStore } from "./results_store.ts";
 * import assert from "node:assert/strict";
 *
 * using store = openResultsStore(":memory:");
 * const id = store.createBenchmark({
 *   label: "nightly",
 *   startedAt: "2026-01-01T00:00:00.000Z",
 *   gitCommit: null,
 *   settings: {},
 *   meta: {},
 *   plannedRuns: 0,
 *   shard: null,
 * });
 * assert.equal(store.resolveBenchmark("nightly"), id);
 * assert.equal(store.resolveBenchmark("latest"), id);
 * assert.deepEqual(store.loadRuns(id), []);
 * ```
 */
export function openResultsStore(path: string): ResultsStore {
  return new ResultsStore(path);
}
