/**
 * The results store: every benchmark, run, stage and call in one SQLite database (Deno's built-in
 * `node:sqlite`, WAL mode), shared by any number of processes. Each finished run is committed in
 * one short transaction as it finishes, so a crash loses at most the runs in flight; a writer
 * that finds the store locked waits (SQLite's busy timeout, set before anything else) and tries
 * again for up to `lockWaitMs`. This file is an I/O edge: the database file.
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
  STAGE_COLUMNS,
} from "./_rows.ts";
import { readRuns, type StoredRuns } from "./_read_runs.ts";
import { storeRunLog } from "./_run_log.ts";
import {
  isBusy,
  StoreBusyError,
  StoreDamagedError,
  StoreError,
  storeErrorOf,
  type StoreProblem,
} from "./_store_error.ts";
import { statement, transaction } from "./_transaction.ts";
import { pagedRows } from "./_paged_rows.ts";
import {
  BenchmarkLeasedError,
  confirmLease,
  Lease,
  LEASE_STALE_MS,
  type LeaseInfo,
  leaseIsLive,
  readLease,
  takeLease,
} from "./_leases.ts";
import { type LeaseLock, leaseLockPath } from "./_lease_lock.ts";
import { insertStoppedRun, readStoppedRuns, type StoredStoppedRuns } from "./_stopped_runs.ts";
import { countProblems, fullCheck, type StoreCheck } from "./_health.ts";
import {
  type BenchmarkSummary,
  insertBenchmark,
  type NewBenchmark,
  newBenchmarkId,
  resolveReference,
  selectBenchmark,
  selectSummaries,
  type StoredBenchmark,
} from "./_benchmark_rows.ts";
import { migrate } from "./_migrate.ts";

export { StoreError, type StoreProblem };
export type { BenchmarkSummary, NewBenchmark, StoredBenchmark };

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

/** How a store waits for other processes. */
export interface StoreOptions {
  /**
   * How long one try waits for a lock inside SQLite (the busy timeout; the event loop waits with
   * it); default 100 ms. Tries go on until `lockWaitMs`.
   */
  busyTimeoutMs?: number;
  /** How long a write keeps trying while another process holds the store; default 120,000 ms. */
  lockWaitMs?: number;
  /** How long without a heartbeat makes a benchmark's lease stale; default 30,000 ms. */
  leaseStaleMs?: number;
}

/** How one write goes: whether to keep trying on a locked store, and the lease it needs. */
export interface WriteOptions {
  /** Keep trying for `lockWaitMs` (default), or try once (the caller waits between tries). */
  wait?: boolean;
  /** The lease the write needs: checked (and its heartbeat beaten) in the same transaction. */
  lease?: Lease;
}

const insertSql = (table: string, columns: readonly string[]): string =>
  `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((c) => `:${c}`).join(", ")})`;

/** A results store on one SQLite database; close it (or `using` it) when done. */
export class ResultsStore implements Disposable {
  readonly #db: DatabaseSync;
  readonly #path: string;
  readonly #lockWaitMs: number;
  readonly #busyTimeoutMs: number;
  readonly #leaseStaleMs: number;
  readonly #insertRun: StatementSync;
  readonly #insertStage: StatementSync;
  readonly #insertCall: StatementSync;
  readonly #insertPath: StatementSync;
  readonly #insertScore: StatementSync;
  readonly #insertEvaluation: StatementSync;
  readonly #nextSeq: StatementSync;

  /** Opens (and migrates) the database at `path`; prefer {@linkcode openResultsStore}. */
  constructor(path: string, options: StoreOptions = {}) {
    this.#path = path;
    this.#lockWaitMs = options.lockWaitMs ?? 120_000;
    this.#busyTimeoutMs = Math.max(options.busyTimeoutMs ?? 100, 10);
    this.#leaseStaleMs = options.leaseStaleMs ?? LEASE_STALE_MS;
    try {
      // The busy timeout before anything else: the WAL switch and the migrations wait too.
      this.#db = new DatabaseSync(path, { timeout: this.#busyTimeoutMs });
      this.#use(() => this.#db.exec("PRAGMA journal_mode = WAL"));
      this.#db.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
      this.#use(() => migrate(this.#db, path));
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

  /**
   * Runs one piece of database work: SQLite's failures become store errors (damaged, read-only,
   * full); a locked store is tried again until `lockWaitMs` has passed (with `wait`).
   */
  #use<T>(work: () => T, wait = true): T {
    const started = Date.now();
    for (;;) {
      try {
        return work();
      } catch (error) {
        if (!isBusy(error)) throw storeErrorOf(error, this.#path) ?? error;
        if (!wait || Date.now() - started >= this.#lockWaitMs) {
          throw new StoreBusyError(
            `the results store ${this.#path} stayed locked by another process for ` +
              `${Math.round((Date.now() - started) / 1000)} s`,
            this.#path,
          );
        }
      }
    }
  }

  /** The database's path. */
  get path(): string {
    return this.#path;
  }

  /** How long a write keeps trying while another process holds the store, milliseconds. */
  get lockWaitMs(): number {
    return this.#lockWaitMs;
  }

  /**
   * Creates a benchmark and returns its id.
   *
   * @param benchmark What it is created with.
   * @returns Its id.
   */
  createBenchmark(benchmark: NewBenchmark): string {
    const id = benchmark.id ?? newBenchmarkId(benchmark.startedAt);
    this.#use(() => insertBenchmark(this.#db, id, benchmark));
    return id;
  }

  /**
   * Creates a benchmark holding the given finished runs, in one transaction: all or nothing
   * (e.g. the benchmark `deno task merge` makes of its shards).
   *
   * @param benchmark What it is created with.
   * @param records Its runs.
   * @returns Its id.
   */
  createBenchmarkWithRuns(benchmark: NewBenchmark, records: Iterable<RunRecord>): string {
    const id = benchmark.id ?? newBenchmarkId(benchmark.startedAt);
    this.#use(() =>
      transaction(this.#db, () => {
        insertBenchmark(this.#db, id, benchmark);
        for (const record of records) this.#insert(id, record);
      })
    );
    return id;
  }

  /**
   * Creates a benchmark and takes its lease in one transaction: no other process can take it
   * between the two.
   *
   * @param benchmark What it is created with.
   * @param command What the holder does (e.g. `bench`), shown to a writer refused.
   * @returns Its id and the lease.
   */
  createLeasedBenchmark(benchmark: NewBenchmark, command: string): { id: string; lease: Lease } {
    const id = benchmark.id ?? newBenchmarkId(benchmark.startedAt);
    const holder = crypto.randomUUID();
    const lock = this.#leaseTransaction(id, holder, command, () => {
      insertBenchmark(this.#db, id, benchmark);
    });
    return { id, lease: new Lease(this.#db, id, holder, lock) };
  }

  /**
   * Takes a benchmark's lease: the process holding it is the one writing it. A stale lease (no
   * heartbeat for the stale time, or its process gone from this host) is taken over.
   *
   * @param benchmarkId The benchmark.
   * @param command What the holder does (e.g. `bench --resume`), shown to a writer refused.
   * @returns The lease: beat it with `renew()` while writing, `release()` it when done.
   * @throws {BenchmarkLeasedError} When another live process holds it.
   */
  acquireLease(benchmarkId: string, command: string): Lease {
    const holder = crypto.randomUUID();
    const lock = this.#leaseTransaction(benchmarkId, holder, command, () => {});
    return new Lease(this.#db, benchmarkId, holder, lock);
  }

  /**
   * One transaction that does `work` and takes a lease; the lease's lock is released again when
   * the transaction fails (and is taken anew when it is tried again).
   */
  #leaseTransaction(
    benchmarkId: string,
    holder: string,
    command: string,
    work: () => void,
  ): LeaseLock | null {
    return this.#use(() => {
      let lock: LeaseLock | null = null;
      try {
        transaction(this.#db, () => {
          work();
          lock = takeLease(this.#db, {
            benchmarkId,
            holder,
            command,
            staleAfterMs: this.#leaseStaleMs,
            lockPath: leaseLockPath(this.#path, benchmarkId),
          });
        });
        return lock;
      } catch (error) {
        (lock as LeaseLock | null)?.release();
        throw error;
      }
    });
  }

  /**
   * The live lease of a benchmark (it is being written), or null.
   *
   * @param benchmarkId The benchmark.
   * @returns Who holds it, or null when no live process does.
   */
  liveLease(benchmarkId: string): LeaseInfo | null {
    const lease = this.#use(() => readLease(this.#db, benchmarkId));
    if (lease === null) return null;
    const lockPath = leaseLockPath(this.#path, benchmarkId);
    return leaseIsLive(lease, Date.now(), this.#leaseStaleMs, lockPath) ? lease : null;
  }

  /**
   * Replaces a benchmark's meta (e.g. after a resume with a new concurrency).
   *
   * @param id The benchmark.
   * @param meta Its new meta.
   */
  updateMeta(id: string, meta: unknown): void {
    this.#use(() =>
      this.#db.prepare("UPDATE benchmarks SET meta_json = ? WHERE id = ?")
        .run(JSON.stringify(meta), id)
    );
  }

  /**
   * Deletes a benchmark and everything stored of it (e.g. a merge interrupted before it was
   * reported), in one transaction.
   *
   * @param id The benchmark.
   */
  deleteBenchmark(id: string): void {
    this.#use(() =>
      transaction(this.#db, () => this.#db.prepare("DELETE FROM benchmarks WHERE id = ?").run(id))
    );
  }

  /**
   * A benchmark by id.
   *
   * @param id Its id.
   * @returns It, or null when there is none.
   */
  getBenchmark(id: string): StoredBenchmark | null {
    return this.#use(() => selectBenchmark(this.#db, this.#path, id));
  }

  /**
   * Stores one finished run (its run, stage and call rows) in one transaction.
   *
   * @param benchmarkId The benchmark.
   * @param record The run.
   * @param options Whether to keep trying on a locked store, and the lease it needs.
   */
  appendRun(benchmarkId: string, record: RunRecord, options: WriteOptions = {}): void {
    this.#write(benchmarkId, options, () => this.#insert(benchmarkId, record));
  }

  /**
   * Stores many finished runs in one transaction (e.g. when merging shards): all or none.
   *
   * @param benchmarkId The benchmark.
   * @param records The runs.
   */
  appendRuns(benchmarkId: string, records: Iterable<RunRecord>): void {
    this.#write(benchmarkId, {}, () => {
      for (const record of records) this.#insert(benchmarkId, record);
    });
  }

  /**
   * Stores a run stopped in flight (the budget, an interrupt): its finished calls were paid. A
   * resume makes the run again; this record of what it cost stays.
   *
   * @param benchmarkId The benchmark.
   * @param record The run's record when it was stopped.
   * @param reason Why it was stopped.
   * @param options Whether to keep trying on a locked store, and the lease it needs.
   */
  appendStoppedRun(
    benchmarkId: string,
    record: RunRecord,
    reason: string,
    options: WriteOptions = {},
  ): void {
    this.#write(benchmarkId, options, () => {
      insertStoppedRun(this.#db, benchmarkId, record, reason);
      this.#db.prepare("UPDATE benchmarks SET recorded_stopped = recorded_stopped + 1 WHERE id = ?")
        .run(benchmarkId);
    });
  }

  /**
   * Replaces a stored run's rows (every table's: a plain SQL client may have left orphans) with a
   * new record of the same run, in one transaction.
   *
   * @param benchmarkId The benchmark.
   * @param record The run made again.
   * @param options Whether to keep trying on a locked store, and the lease it needs.
   */
  replaceRun(benchmarkId: string, record: RunRecord, options: WriteOptions = {}): void {
    this.#write(benchmarkId, options, () => {
      const deleted: Record<string, number> = {};
      for (const table of ["paths", "scores", "evaluations", "calls", "stages", "runs"]) {
        deleted[table] = Number(
          this.#db.prepare(
            `DELETE FROM ${table} WHERE benchmark_id = ? AND input_id = ? AND repeat = ?`,
          ).run(benchmarkId, record.inputId, record.repeat).changes,
        );
      }
      // A run recorded before (rows of it were left) stays one recorded run; its calls are
      // counted anew.
      const recorded = deleted.runs + deleted.stages + deleted.calls > 0 ? 1 : 0;
      this.#db.prepare(
        `UPDATE benchmarks SET recorded_runs = recorded_runs - ?,
          recorded_calls = recorded_calls - ? WHERE id = ?`,
      ).run(recorded, deleted.calls, benchmarkId);
      this.#insert(benchmarkId, record);
    });
  }

  /**
   * One write transaction, with the lease checked when one is given. A single try (`wait:
   * false`) waits for the lock only the busy timeout, so a caller that waits between tries keeps
   * its event loop running.
   */
  #write(benchmarkId: string, options: WriteOptions, work: () => void): void {
    const { lease } = options;
    this.#use(() =>
      transaction(this.#db, () => {
        if (lease !== undefined) confirmLease(this.#db, benchmarkId, lease.holder);
        work();
      }), options.wait ?? true);
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
    statement(
      this.#db,
      `UPDATE benchmarks SET recorded_runs = recorded_runs + 1,
        recorded_calls = recorded_calls + ? WHERE id = ?`,
    ).run(rows.calls.length, benchmarkId);
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
    return this.#use(() =>
      (this.#db.prepare("SELECT COUNT(*) AS n FROM runs WHERE benchmark_id = ?")
        .get(benchmarkId) as { n: number }).n
    );
  }

  /**
   * The runner's {@linkcode RunLog} for one benchmark: `create` fails when it holds runs, `load`
   * reads them back (and what its stopped runs cost), `append` commits a run, `appendStopped`
   * keeps a run stopped in flight. A locked store is waited for between tries, without blocking.
   *
   * @param benchmarkId The benchmark.
   * @param lease The lease its writes need (checked in each write's transaction), if any.
   * @returns The log.
   */
  runLog(benchmarkId: string, lease?: Lease): RunLog {
    return storeRunLog(this, benchmarkId, lease);
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
    return this.#use(() => readRuns(this.#db, benchmarkId));
  }

  /**
   * A benchmark's runs stopped in flight, in the order they were stopped.
   *
   * @param benchmarkId The benchmark.
   * @returns The readable ones and the unreadable ones.
   */
  readStoppedRuns(benchmarkId: string): StoredStoppedRuns {
    return this.#use(() => readStoppedRuns(this.#db, benchmarkId));
  }

  /**
   * What a benchmark's calls cost in US dollars, as stored: its finished runs' calls, their
   * evaluators' calls, and its runs stopped in flight (unpriced calls count as nothing).
   *
   * @param benchmarkId The benchmark.
   * @returns The sum.
   */
  spentUsd(benchmarkId: string): number {
    return this.#use(() =>
      (this.#db.prepare(
        `SELECT COALESCE((SELECT SUM(cost_usd) FROM calls WHERE benchmark_id = ?1), 0) +
          COALESCE((SELECT SUM(cost_usd) FROM evaluations WHERE benchmark_id = ?1), 0) +
          COALESCE((SELECT SUM(cost_usd) FROM stopped_runs WHERE benchmark_id = ?1), 0) AS usd`,
      ).get(benchmarkId) as { usd: number }).usd
    );
  }

  /**
   * Each stored run's outcome, wall time and cost, in finishing order, read from the run rows
   * alone (no stage or call is loaded): what a history needs of a 100,000-run benchmark.
   *
   * @param benchmarkId The benchmark.
   * @returns One entry per run.
   */
  loadRunWallTimes(benchmarkId: string): StoredRunTime[] {
    const rows = this.#use(() =>
      this.#db.prepare(
        `SELECT status = 'ok' AND error IS NULL AS ok, wall_time_ms, cost_usd FROM runs
         WHERE benchmark_id = ? ORDER BY seq`,
      ).all(benchmarkId) as Row[]
    );
    return rows.map((row) => ({
      ok: row.ok === 1,
      wallTimeMs: row.wall_time_ms as number,
      costUsd: row.cost_usd as number | null,
    }));
  }

  /**
   * The call rows of a benchmark, a page at a time, in run and call order (for exports), each with
   * its run's `thread_id`, `attributes_json` and `input_metadata_json` (who the call was for).
   *
   * @param benchmarkId The benchmark.
   * @returns The rows, by column.
   */
  iterateCalls(benchmarkId: string): Generator<Row> {
    return this.#runRows("calls", benchmarkId, (run) => ({
      thread_id: run.thread_id,
      attributes_json: run.attributes_json,
      input_metadata_json: run.input_metadata_json,
    }));
  }

  /**
   * The score rows of a benchmark, a page at a time, in run and key order (for exports).
   *
   * @param benchmarkId The benchmark.
   * @returns The rows, by column.
   */
  iterateScores(benchmarkId: string): Generator<Row> {
    return this.#runRows("scores", benchmarkId);
  }

  /**
   * The node path rows of a benchmark (one per path and run), in run order, parents first.
   *
   * @param benchmarkId The benchmark.
   * @returns The rows, by column.
   */
  iteratePaths(benchmarkId: string): Generator<Row> {
    return this.#runRows("paths", benchmarkId);
  }

  /**
   * The evaluators' cost rows of a benchmark (their LLM calls' sums per run), in run order.
   *
   * @param benchmarkId The benchmark.
   * @returns The rows, by column.
   */
  iterateEvaluations(benchmarkId: string): Generator<Row> {
    return this.#runRows("evaluations", benchmarkId);
  }

  /**
   * A table's rows of each run of a benchmark, in run (finishing) and position order, read a
   * run at a time with `all()` (an error of SQLite's is thrown, never a shorter list).
   */
  *#runRows(
    table: string,
    benchmarkId: string,
    ofRun: (run: Row) => Row = () => ({}),
  ): Generator<Row> {
    const runs = pagedRows(this.#db, {
      table: "runs",
      where: "benchmark_id = ?",
      params: [benchmarkId],
      keys: ["seq", "input_id", "repeat"],
    });
    const rows = statement(
      this.#db,
      `SELECT * FROM ${table} WHERE benchmark_id = ? AND input_id = ? AND repeat = ?
       ORDER BY position`,
    );
    for (;;) {
      const run = this.#use(() => runs.next());
      if (run.done) return;
      const extra = ofRun(run.value);
      const found = this.#use(() =>
        rows.all(benchmarkId, run.value.input_id, run.value.repeat) as Row[]
      );
      for (const row of found) yield { ...row, ...extra };
    }
  }

  /**
   * Each key's mean score over a benchmark's successful runs, from the score rows alone (what a
   * history needs): how many runs were scored, and the mean of their scores.
   *
   * @param benchmarkId The benchmark.
   * @returns One entry per key, in the order keys first appear.
   */
  scoreMeans(benchmarkId: string): StoredScoreMean[] {
    const rows = this.#use(() =>
      this.#db.prepare(
        `SELECT s.key, COUNT(s.score) AS scored, AVG(s.score) AS mean, MIN(s.rowid) AS first
         FROM scores s JOIN runs r USING (benchmark_id, input_id, repeat)
         WHERE s.benchmark_id = ? AND r.status = 'ok' AND r.error IS NULL
         GROUP BY s.key ORDER BY first`,
      ).all(benchmarkId) as Row[]
    );
    return rows.map((row) => ({
      key: row.key as string,
      scoredRuns: row.scored as number,
      mean: row.mean as number | null,
    }));
  }

  /**
   * The call rows of a benchmark's runs stopped in flight, in the order they were stopped, with
   * the `calls` table's columns (for exports: these calls were paid too).
   *
   * @param benchmarkId The benchmark.
   * @returns The rows, by column.
   */
  *iterateStoppedCalls(benchmarkId: string): Generator<Row> {
    for (const stopped of this.readStoppedRuns(benchmarkId).runs) {
      const { run, calls } = recordToRows(benchmarkId, 0, stopped.record);
      const extra = {
        thread_id: run.thread_id ?? null,
        attributes_json: run.attributes_json ?? "{}",
        input_metadata_json: run.input_metadata_json ?? null,
      };
      for (const call of calls) yield { ...call, ...extra };
    }
  }

  /**
   * Reads every call row of a benchmark from the table itself (not an index), so a damaged page
   * among them is found before any is used; checks their count against the index and what the
   * benchmark recorded.
   *
   * @param benchmarkId The benchmark.
   * @throws {StoreDamagedError} When a page is damaged or the counts disagree.
   */
  checkCallRows(benchmarkId: string): void {
    const { read, indexed, recorded } = this.#use(() =>
      this.#db.prepare(
        `SELECT
          (SELECT COUNT(*) FROM calls
            WHERE benchmark_id = ?1 AND typeof(cost_source) = 'text') AS read,
          (SELECT COUNT(*) FROM calls WHERE benchmark_id = ?1) AS indexed,
          (SELECT recorded_calls FROM benchmarks WHERE id = ?1) AS recorded`,
      ).get(benchmarkId) as { read: number; indexed: number; recorded: number }
    );
    if (read !== indexed || indexed !== recorded) {
      throw new StoreDamagedError(
        `the results store ${this.#path} is damaged: benchmark ${benchmarkId} recorded ` +
          `${recorded} calls, ${read} can be read`,
        this.#path,
      );
    }
  }

  /**
   * Every benchmark, oldest first, with its run count and cost per successful run.
   *
   * @returns The summaries.
   */
  listBenchmarks(): BenchmarkSummary[] {
    return this.#use(() => selectSummaries(this.#db));
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
    return this.#use(() => resolveReference(this.#db, this.#path, ref));
  }

  /**
   * The cheap check, for every command before it writes or shows anything: each benchmark's
   * stored runs, calls and stopped runs against the counts it recorded, and no row without its
   * benchmark (40–85 ms on a 168 MB store of 501 benchmarks and 260,000 calls).
   *
   * @throws {StoreDamagedError} When they disagree, or SQLite finds a damaged page on the way.
   */
  checkCounts(): void {
    const problems = this.#use(() => countProblems(this.#db));
    if (problems.length === 0) return;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
    throw new StoreDamagedError(
      `the results store ${this.#path} is damaged: ${problems[0]}${more}`,
      this.#path,
    );
  }

  /**
   * SQLite's quick check of every page (0.3–0.4 s for a 168 MB store), for every command before
   * it writes or shows anything: a damaged store is never written to, nor read for figures.
   *
   * @throws {StoreDamagedError} When a page is damaged.
   */
  checkPages(): void {
    const rows = this.#use(() => this.#db.prepare("PRAGMA quick_check").all()) as Row[];
    const problems = rows.flatMap((row) => String(row.quick_check).split("\n"))
      .filter((line) => line !== "ok" && !line.startsWith("***"));
    if (problems.length > 0) {
      throw new StoreDamagedError(
        `the results store ${this.#path} is damaged: ${problems[0]}`,
        this.#path,
      );
    }
  }

  /**
   * The full check: SQLite's integrity check, the foreign keys, the counts and every run read
   * back.
   *
   * @returns What it found (its `problems` empty when the store is whole).
   */
  check(): StoreCheck {
    try {
      return this.#use(() => fullCheck(this.#db));
    } catch (error) {
      if (!(error instanceof StoreDamagedError)) throw error;
      const problem = error.message.replace(/^the results store .* is damaged \((.*)\)$/, "$1");
      return { benchmarks: 0, runs: 0, calls: 0, stoppedRuns: 0, problems: [problem] };
    }
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

export { BenchmarkLeasedError, Lease };
export type { LeaseInfo, StoreCheck, StoredStoppedRuns };

/**
 * Opens the results store at `path` (created and migrated as needed; `:memory:` for one in
 * memory).
 *
 * @param path The database file, e.g. `reports/graphmeter.db`.
 * @param options How long to wait for other processes.
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
 * store.checkCounts(); // a whole store: no error
 * ```
 */
export function openResultsStore(path: string, options?: StoreOptions): ResultsStore {
  return new ResultsStore(path, options);
}
