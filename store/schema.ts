/**
 * The schema of the results store, as SQL migrations: migration N brings a database from
 * `PRAGMA user_version` N-1 to N. Any SQLite client reads the tables:
 *
 * - `benchmarks`: one row per benchmark: `id`, `label`, `started_at` (ISO 8601), `git_commit`,
 *   `settings_json` (what a resume must match), `meta_json` (facts for the report),
 *   `price_catalog` (e.g. `genai-prices 0.1.8`), `planned_runs`, `shard` (`i/n` or null).
 * - `runs`: one row per finished run (`benchmark_id`, `input_id`, `repeat`), its status, error,
 *   wall time and totals (`llm_calls`, `*_tokens`, `cost_usd` NULL when unpriced), quality, its
 *   `thread_id` and attribution keys (`attributes_json`), the input's metadata
 *   (`input_metadata_json`).
 * - `stages`: one row per stage of a run (`position` keeps the order stages appeared).
 * - `calls`: one row per LLM call (`stage`, `path`, `provider`, `model`, tokens, `latency_ms`,
 *   `ttft_ms`, `cost_usd`, `cost_source`, `error`; its HTTP attempts in `attempts_json`,
 *   `service_latency_ms`, `wait_ms`, `rate_limit_json`).
 * - `scores`: one row per key per evaluated run (`key`, `score` NULL when not scored, `kind`
 *   `boolean` or `number`, `comment`, `error` when the evaluator failed).
 * - `evaluations`: one row per evaluator that made LLM calls on a run: its calls' `llm_calls`,
 *   `input_tokens`, `output_tokens`, `cost_usd` (evaluation cost, never the pipeline's), their
 *   sums in `totals_json` and the calls themselves in `calls_json`.
 * - `paths`: one row per node path of a run (`path` such as `research_agent/tools`, `depth`,
 *   `executions`, `latency_ms`, then `exclusive_*` and `inclusive_*` figures: `time_ms`,
 *   `llm_calls`, tokens, `cost_usd`, tool runs, `tools_json`, errors; `critical_*` for the
 *   critical path). At most 500 per run (the rest folded into `(other)` paths).
 * - `stopped_runs`: one row per run stopped in flight (a budget crossed, an interrupt): its cost,
 *   calls and whole record (`record_json`, the calls in `$.metrics.calls`); a resume makes the
 *   run again, as another row of `runs`, and this one stays: its calls were paid.
 * - `leases`: the process writing a benchmark (`pid`, `host`, `heartbeat_at` in ms since the
 *   epoch); others refuse to write that benchmark while its heartbeat is fresh.
 *
 * `benchmarks.recorded_runs`, `recorded_calls` and `recorded_stopped` count the rows each
 * benchmark stored, in the same transactions: every command compares them with the rows there
 * are, so a SQL client that deletes rows must lower them too (or `deno task check-store` reports
 * the difference as damage).
 *
 * Columns are the metric schemas' field names in snake case; an object or list field is JSON text
 * in a `*_json` column (`cost_breakdown_json`, `cost_missing_json`).
 *
 * @module
 */

/** The columns of a run's and a stage's totals (version 1; later ones are added by migrations). */
const TOTALS_COLUMNS = `executions INTEGER NOT NULL,
    latency_ms REAL NOT NULL,
    llm_calls INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cache_read_tokens INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL,
    reasoning_tokens INTEGER NOT NULL,
    cost_usd REAL,
    unpriced_calls INTEGER NOT NULL,
    calls_without_usage INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    tool_calls INTEGER NOT NULL,
    tool_latency_ms REAL NOT NULL,`;

/**
 * The migrations, in order; the database's `PRAGMA user_version` counts those applied.
 *
 * @example Usage
 * ```ts
 * import { MIGRATIONS } from "./schema.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(MIGRATIONS[0], /CREATE TABLE benchmarks/);
 * ```
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE benchmarks (
    id TEXT PRIMARY KEY,
    label TEXT,
    started_at TEXT NOT NULL,
    git_commit TEXT,
    settings_json TEXT NOT NULL,
    meta_json TEXT NOT NULL,
    price_catalog TEXT,
    planned_runs INTEGER NOT NULL,
    shard TEXT
  );
  CREATE INDEX benchmarks_by_label ON benchmarks (label, started_at);
  CREATE INDEX benchmarks_by_start ON benchmarks (started_at);
  CREATE TABLE runs (
    benchmark_id TEXT NOT NULL REFERENCES benchmarks (id) ON DELETE CASCADE,
    input_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    run_id TEXT NOT NULL,
    run_count INTEGER NOT NULL,
    started_at REAL NOT NULL,
    wall_time_ms REAL NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    metrics_error TEXT,
    handler_errors INTEGER NOT NULL,
    pricing_catalog TEXT NOT NULL,
    pricing_version TEXT NOT NULL,
    pricing_override_models INTEGER NOT NULL,
    input_amount REAL,
    output_summary TEXT,
    quality_json TEXT,
    ${TOTALS_COLUMNS}
    PRIMARY KEY (benchmark_id, input_id, repeat)
  );
  CREATE TABLE stages (
    benchmark_id TEXT NOT NULL,
    input_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    position INTEGER NOT NULL,
    stage TEXT NOT NULL,
    execution_spans_json TEXT NOT NULL,
    ${TOTALS_COLUMNS}
    PRIMARY KEY (benchmark_id, input_id, repeat, position),
    FOREIGN KEY (benchmark_id, input_id, repeat)
      REFERENCES runs (benchmark_id, input_id, repeat) ON DELETE CASCADE
  );
  CREATE TABLE calls (
    benchmark_id TEXT NOT NULL,
    input_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    position INTEGER NOT NULL,
    call_run_id TEXT NOT NULL,
    stage TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    requested_model TEXT,
    started_at REAL NOT NULL,
    latency_ms REAL NOT NULL,
    ttft_ms REAL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cache_read_tokens INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL,
    reasoning_tokens INTEGER NOT NULL,
    usage_reported INTEGER NOT NULL,
    usage_issue TEXT,
    cost_usd REAL,
    cost_source TEXT NOT NULL,
    error TEXT,
    PRIMARY KEY (benchmark_id, input_id, repeat, position),
    FOREIGN KEY (benchmark_id, input_id, repeat)
      REFERENCES runs (benchmark_id, input_id, repeat) ON DELETE CASCADE
  );
  CREATE INDEX calls_by_cost ON calls (benchmark_id, cost_usd);
  `,
  // 2: every billed dimension (1-hour cache writes, audio, web searches), the cost breakdown and
  // partial prices, the catalog's data date.
  `
  ALTER TABLE runs ADD COLUMN pricing_data_date TEXT;
  ${
    ["runs", "stages", "calls"].map((table) => `
  ALTER TABLE ${table} ADD COLUMN cache_write1h_tokens INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE ${table} ADD COLUMN input_audio_tokens INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE ${table} ADD COLUMN output_audio_tokens INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE ${table} ADD COLUMN web_search_requests INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE ${table} ADD COLUMN cost_breakdown_json TEXT;`).join("")
  }
  ALTER TABLE runs ADD COLUMN partial_calls INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE stages ADD COLUMN partial_calls INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE calls ADD COLUMN cost_missing_json TEXT NOT NULL DEFAULT '[]';
  `,
  // 3: runs by finishing order. Each append asks for the benchmark's next seq (MAX(seq)); without
  // this index that scanned every stored run, so appends slowed down linearly (a 100,000-run
  // benchmark spent most of its time there).
  `
  CREATE INDEX runs_by_seq ON runs (benchmark_id, seq);
  `,
  // 4: server-side file searches (OpenAI's file_search tool), billed per request.
  ["runs", "stages", "calls"].map((table) => `
  ALTER TABLE ${table} ADD COLUMN file_search_requests INTEGER NOT NULL DEFAULT 0;`).join(""),
  // 5: a run's pricing notes (a catalog that may be stale, why a model is unpriced), as JSON.
  `
  ALTER TABLE runs ADD COLUMN pricing_notes_json TEXT NOT NULL DEFAULT '[]';
  `,
  // 6: evaluators' scores, and what their own LLM calls cost (apart from the pipeline's). The
  // calls are JSON, not columns: a token kind added later needs no migration of this table.
  `
  CREATE TABLE scores (
    benchmark_id TEXT NOT NULL,
    input_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    key TEXT NOT NULL,
    position INTEGER NOT NULL,
    score REAL,
    kind TEXT NOT NULL,
    comment TEXT,
    error TEXT,
    PRIMARY KEY (benchmark_id, input_id, repeat, key),
    FOREIGN KEY (benchmark_id, input_id, repeat)
      REFERENCES runs (benchmark_id, input_id, repeat) ON DELETE CASCADE
  );
  CREATE INDEX scores_by_key ON scores (benchmark_id, key);
  CREATE TABLE evaluations (
    benchmark_id TEXT NOT NULL,
    input_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    position INTEGER NOT NULL,
    evaluator TEXT NOT NULL,
    llm_calls INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost_usd REAL,
    totals_json TEXT NOT NULL,
    calls_json TEXT NOT NULL,
    PRIMARY KEY (benchmark_id, input_id, repeat, position),
    FOREIGN KEY (benchmark_id, input_id, repeat)
      REFERENCES runs (benchmark_id, input_id, repeat) ON DELETE CASCADE
  );
  `,
  // 7: node paths inside the stages (subgraph nodes at any depth, tools), each call's path, and
  // each run's critical path. Runs stored before have no path rows and calls with a NULL path.
  `
  ALTER TABLE calls ADD COLUMN path TEXT;
  ALTER TABLE runs ADD COLUMN critical_path_json TEXT NOT NULL DEFAULT '[]';
  CREATE TABLE paths (
    benchmark_id TEXT NOT NULL,
    input_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    position INTEGER NOT NULL,
    path TEXT NOT NULL,
    depth INTEGER NOT NULL,
    executions INTEGER NOT NULL,
    latency_ms REAL NOT NULL,
    ${
    ["exclusive", "inclusive"].map((side) => `
    ${side}_time_ms REAL NOT NULL,
    ${side}_llm_calls INTEGER NOT NULL,
    ${side}_llm_latency_ms REAL NOT NULL,
    ${side}_input_tokens INTEGER NOT NULL,
    ${side}_output_tokens INTEGER NOT NULL,
    ${side}_cost_usd REAL,
    ${side}_unpriced_calls INTEGER NOT NULL,
    ${side}_tool_calls INTEGER NOT NULL,
    ${side}_tool_latency_ms REAL NOT NULL,
    ${side}_tools_json TEXT NOT NULL,
    ${side}_errors INTEGER NOT NULL,`).join("")
  }
    critical_runs INTEGER NOT NULL,
    critical_exclusive_ms REAL NOT NULL,
    critical_inclusive_ms REAL NOT NULL,
    execution_spans_json TEXT NOT NULL,
    tool_spans_json TEXT NOT NULL,
    PRIMARY KEY (benchmark_id, input_id, repeat, position),
    FOREIGN KEY (benchmark_id, input_id, repeat)
      REFERENCES runs (benchmark_id, input_id, repeat) ON DELETE CASCADE
  );
  CREATE INDEX paths_by_path ON paths (benchmark_id, path);
  `,
  // 8: who a run was for (its thread and attribution keys: user_id, tenant_id, ...) and the
  // input's metadata (a dataset example's, e.g. dataset_split), so reports can group runs.
  `
  ALTER TABLE runs ADD COLUMN thread_id TEXT;
  ALTER TABLE runs ADD COLUMN attributes_json TEXT NOT NULL DEFAULT '{}';
  ALTER TABLE runs ADD COLUMN input_metadata_json TEXT;
  `,
  // 9: one store, many processes. What each benchmark recorded (counted in the transactions that
  // store its rows, so a damaged or thinned store is told from a whole one), the lease of the
  // process writing a benchmark, and the runs stopped in flight (their calls were paid).
  `
  ALTER TABLE benchmarks ADD COLUMN recorded_runs INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE benchmarks ADD COLUMN recorded_calls INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE benchmarks ADD COLUMN recorded_stopped INTEGER NOT NULL DEFAULT 0;
  UPDATE benchmarks SET
    recorded_runs = (SELECT COUNT(*) FROM runs r WHERE r.benchmark_id = benchmarks.id),
    recorded_calls = (SELECT COUNT(*) FROM calls c WHERE c.benchmark_id = benchmarks.id);
  CREATE TABLE leases (
    benchmark_id TEXT PRIMARY KEY REFERENCES benchmarks (id) ON DELETE CASCADE,
    holder TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    command TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    heartbeat_at REAL NOT NULL
  );
  CREATE TABLE stopped_runs (
    benchmark_id TEXT NOT NULL REFERENCES benchmarks (id) ON DELETE CASCADE,
    input_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    stopped_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    llm_calls INTEGER NOT NULL,
    cost_usd REAL,
    record_json TEXT NOT NULL,
    PRIMARY KEY (benchmark_id, input_id, repeat, attempt)
  );
  `,
  // 10: HTTP attempts: each call's attempts (JSON), service latency, wait and rate-limit headers
  // last seen; the runs' and stages' sums of them. Rows written before hold no attempt data:
  // tracked_calls 0 says their waits are unknown, not zero.
  ["runs", "stages"].map((table) => `
  ALTER TABLE ${table} ADD COLUMN tracked_calls INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE ${table} ADD COLUMN http_attempts INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE ${table} ADD COLUMN rate_limited_attempts INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE ${table} ADD COLUMN wait_ms REAL NOT NULL DEFAULT 0;`).join("") + `
  ALTER TABLE calls ADD COLUMN attempts_json TEXT;
  ALTER TABLE calls ADD COLUMN service_latency_ms REAL;
  ALTER TABLE calls ADD COLUMN wait_ms REAL;
  ALTER TABLE calls ADD COLUMN rate_limit_json TEXT;
  `,
];

/**
 * The schema version this code writes and reads (`PRAGMA user_version`).
 *
 * @example Usage
 * ```ts
 * import { MIGRATIONS, SCHEMA_VERSION } from "./schema.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(SCHEMA_VERSION, MIGRATIONS.length);
 * ```
 */
export const SCHEMA_VERSION: number = MIGRATIONS.length;
