/**
 * `deno run -A tools/hostile_table.ts`: reruns issue 18's hostile cases as a user meets them
 * (real `deno task` processes, real signals, real SQLite files under `reports/hostile-*`) and
 * prints a Markdown table: each case, the exit code and the line it printed. Not part of
 * `deno task test` (each case is also a test: `tests/hostile_cli_test.ts`,
 * `tests/shared_store_cli_test.ts`, `tests/bench_signals_test.ts`, `tests/store_shared_test.ts`).
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";

const ROOT = new URL("../", import.meta.url).pathname;
const DIR = `reports/hostile-${Date.now()}`;
const BIN = Deno.execPath().replace(/\/[^/]+$/, "");
const rows: string[][] = [];

interface Done {
  code: number;
  out: string;
  err: string;
  seconds: number;
}

/** Runs a shell command line from the repository root, as a user types it. */
async function sh(line: string): Promise<Done> {
  const started = performance.now();
  const output = await new Deno.Command("bash", {
    args: ["-c", line],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", PATH: `${BIN}:${Deno.env.get("PATH")}` },
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return {
    code: output.code,
    out: text(output.stdout),
    err: text(output.stderr),
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Starts a shell command line and signals it once a line of its stderr matches `when` (or, for a
 * function, once it returns true: polled every 20 ms).
 */
async function interrupt(
  line: string,
  when: RegExp | (() => boolean),
  signal: Deno.Signal,
): Promise<Done> {
  const started = performance.now();
  const child = new Deno.Command("bash", {
    args: ["-c", `exec ${line}`],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", PATH: `${BIN}:${Deno.env.get("PATH")}` },
  }).spawn();
  let err = "";
  let signalled = false;
  const send = (): void => {
    if (signalled) return;
    signalled = true;
    child.kill(signal);
  };
  const poll = typeof when === "function"
    ? setInterval(() => {
      try {
        if (when()) send();
      } catch { /* not there yet */ }
    }, 20)
    : undefined;
  const out = new Response(child.stdout).text();
  for await (const text of child.stderr.pipeThrough(new TextDecoderStream())) {
    err += text;
    if (when instanceof RegExp && err.split("\n").some((l) => when.test(l))) send();
  }
  const { code } = await child.status;
  clearInterval(poll);
  return { code, out: await out, err, seconds: (performance.now() - started) / 1000 };
}

/** The lines a user reads (no progress lines, no `Task` echo). */
const said = (text: string): string =>
  text.split("\n").filter((l) => l !== "" && !/^\d+\/\d+ runs|^Task /.test(l)).join(" / ");

function row(what: string, done: Done, note = ""): void {
  rows.push([what, String(done.code), said(done.err).slice(0, 400) + note]);
  console.error(`${what}: exit ${done.code}`);
}

const count = (db: string, sql: string): number => {
  const store = new DatabaseSync(`${ROOT}/${db}`, { readOnly: true });
  try {
    return Number(Object.values(store.prepare(sql).get() ?? {})[0]);
  } finally {
    store.close();
  }
};

await Deno.mkdir(`${ROOT}/${DIR}`, { recursive: true });
// The report folders the cases make under reports/ (those given no --out), removed at the end.
const before = new Set([...Deno.readDirSync(`${ROOT}/reports`)].map((entry) => entry.name));
const dataset = (name: string, n: number, extra = ""): string => {
  const path = `${DIR}/${name}`;
  Deno.writeTextFileSync(
    `${ROOT}/${path}`,
    Array.from({ length: n }, (_, i) => `{"inputs": {"text": "t${i}"${extra}}}`).join("\n"),
  );
  return path;
};
const GRAPH = "--graph tests/fixtures/scale_graph.ts:graph";
try {
  // 1-2. Two benchmarks at once in one store; Ctrl-C one; its hint, pasted twice at once.
  const db = `${DIR}/graphmeter.db`;
  const slow = `--input workload/transcripts/standup.txt --concurrency 1 --db ${db}`;
  const other = sh(`deno task bench ${slow} --runs 6 --latency-scale 0.04 --label b`);
  const a = await interrupt(`deno task bench ${slow} --runs 3 --label a`, /^1\/3 runs/, "SIGINT");
  row("Two benchmarks at once; Ctrl-C one", a);
  const hint = /continue with (.*)$/m.exec(a.err)?.[1] ?? "";
  const [first, second] = await Promise.all([sh(hint), sh(hint)]);
  row("...its printed hint, pasted twice at once (one)", first);
  row("...its printed hint, pasted twice at once (the other)", second);
  const b = await other;
  row("...the other benchmark, meanwhile", b);

  // 3. Another process holds the store for 8 s while a bench writes.
  const heldDb = `${DIR}/held.db`;
  const bench = sh(
    `deno task bench ${GRAPH} --dataset ${dataset("d600.jsonl", 600)} ` +
      `--concurrency 1 --db ${heldDb}`,
  );
  while (!(await Deno.stat(`${ROOT}/${heldDb}`).then(() => true, () => false))) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 800));
  const holder = sh(`deno run -A tests/fixtures/store_process.ts lock ${heldDb} 8`);
  const held = await bench;
  await holder;
  row("A store held by another process for 8 s", held, ` (${held.seconds.toFixed(1)} s)`);

  // 4. A budget stop: what was printed, what the store holds.
  const budgetDb = `${DIR}/budget.db`;
  const budget = await sh(`deno task bench --runs 3 --max-cost 0.05 --db ${budgetDb}`);
  const spent = count(
    budgetDb,
    `SELECT COALESCE((SELECT SUM(cost_usd) FROM calls), 0) +
      COALESCE((SELECT SUM(cost_usd) FROM stopped_runs), 0)`,
  );
  row("The budget stops runs in flight", budget, ` [the store holds $${spent}]`);

  // 5-6. SIGTERM and SIGHUP mid-run; SIGINT while the report is written; during merge.
  for (const signal of ["SIGTERM", "SIGHUP"] as const) {
    const done = await interrupt(
      `deno task bench ${slow.replace(db, `${DIR}/${signal}.db`)} --runs 3`,
      /^1\/3 runs/,
      signal,
    );
    row(`${signal} mid-run`, done);
  }
  const big = dataset("d2500.jsonl", 2500);
  // The signal must land while the report (~0.4 s) is written; landing after, the command ends
  // as it would (the report whole): tried again, up to three times.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const report = await interrupt(
      `deno task bench ${GRAPH} --dataset ${big} --concurrency 8 ` +
        `--db ${DIR}/report-${attempt}.db --out ${DIR}/report-${attempt}`,
      /^2500\/2500 runs/,
      "SIGINT",
    );
    const files = [...Deno.readDirSync(`${ROOT}/${DIR}/report-${attempt}`)].map((e) => e.name);
    if (report.code === 0 && attempt < 3) continue;
    row(
      "SIGINT while the report is written",
      report,
      ` [out: ${files.sort().join(", ") || "empty"}; attempt ${attempt}]`,
    );
    break;
  }
  const shards = [1, 2, 3].map((i) => `${DIR}/shard-${i}.db`);
  await Promise.all(
    shards.map((path, i) =>
      sh(
        `deno task bench ${GRAPH} --dataset ${big} --shard ${i + 1}/3 --concurrency 8 ` +
          `--db ${path} --out ${DIR}/shard-${i + 1}`,
      )
    ),
  );
  const mergeDb = `${DIR}/merged.db`;
  // Once the merged benchmark is stored: the merge is writing its report.
  const merged = await interrupt(
    `deno task merge ${shards.join(" ")} --db ${mergeDb} --out ${DIR}/merged`,
    () => count(mergeDb, "SELECT COUNT(*) FROM benchmarks") === 1,
    "SIGINT",
  );
  const left = count(mergeDb, "SELECT COUNT(*) FROM benchmarks");
  row("SIGINT during merge", merged, ` [benchmarks left in the target: ${left}]`);

  // 8. A node that awaits forever.
  const hangs = `${DIR}/hangs.jsonl`;
  Deno.writeTextFileSync(
    `${ROOT}/${hangs}`,
    '{"inputs": {"text": "a"}}\n{"inputs": {"text": "b", "hang": true}}\n',
  );
  row(
    "A node that awaits forever (--run-timeout 2)",
    await sh(
      `deno task bench --graph tests/fixtures/hanging_graph.ts:graph --dataset ${hangs} ` +
        `--run-timeout 2 --db ${DIR}/hang.db`,
    ),
  );

  // 10. 8 KB of random bytes in the middle of the store.
  const damaged = `${DIR}/damaged.db`;
  for (const seed of [1, 2, 3]) {
    await sh(`deno task bench --runs 2 --latency-scale 0 --seed ${seed} --db ${damaged}`);
  }
  const size = Deno.statSync(`${ROOT}/${damaged}`).size;
  const file = Deno.openSync(`${ROOT}/${damaged}`, { write: true });
  file.seekSync(Math.floor(size / 2 / 4096) * 4096 + 1000, Deno.SeekMode.Start);
  file.writeSync(crypto.getRandomValues(new Uint8Array(8192)));
  file.close();
  for (
    const command of [
      `export latest --db ${damaged}`,
      `compare latest~1 latest --db ${damaged}`,
      `history --db ${damaged}`,
      `bench --db ${damaged} --runs 1`,
    ]
  ) {
    row(`8 KB of random bytes: ${command.split(" ")[0]}`, await sh(`deno task ${command}`));
  }

  // 11-13. A refused start; --baseline of another graph; export's --out and pipe.
  await Deno.writeTextFile(`${ROOT}/${DIR}/a-file`, "");
  const stored = count(db, "SELECT COUNT(*) FROM benchmarks");
  const refused = await sh(`deno task bench --db ${db} --out ${DIR}/a-file`);
  const after = count(db, "SELECT COUNT(*) FROM benchmarks");
  row("A refused start (--out is a file)", refused, ` [benchmarks: ${stored} -> ${after}]`);
  row(
    "--baseline of a different graph",
    await sh(
      `deno task bench ${GRAPH} --dataset ${dataset("d2.jsonl", 2)} --db ${db} ` +
        `--baseline b --fail-on cost:+5%`,
    ),
  );
  row(
    "export --out into a missing folder",
    await sh(`deno task export latest --db ${db} --out ${DIR}/no/such/x.csv`),
  );
  const pipe = await sh(
    `deno task export b --db ${db} | head -c 10 >/dev/null; echo "exit \${PIPESTATUS[0]}" >&2`,
  );
  row("export | head", { ...pipe, code: Number(/exit (\d+)/.exec(pipe.err)?.[1]) });

  // 14. A read-only store (root writes a chmod 444 file: chattr +i).
  const readOnly = `${DIR}/read-only.db`;
  await Deno.copyFile(`${ROOT}/${db}`, `${ROOT}/${readOnly}`);
  await sh(`chattr +i ${readOnly}`);
  row("A read-only store: bench", await sh(`deno task bench --db ${readOnly} --runs 1`));
  row("A read-only store: history", await sh(`deno task history --db ${readOnly}`));
  await sh(`chattr -i ${readOnly}`);

  // 15-17. Labels and plans.
  const quoted = await interrupt(
    `deno task bench ${GRAPH} --dataset ${dataset("d400.jsonl", 400)} --concurrency 1 ` +
      `--label 'prompt v2' --db '${DIR}/my store.db'`,
    /^2\/400 runs/,
    "SIGINT",
  );
  row("--label 'prompt v2', Ctrl-C", quoted);
  row("...paste the hint", await sh(/continue with (.*)$/m.exec(quoted.err)?.[1] ?? ""));
  row("--label latest~1", await sh("deno task bench --label latest~1"));
  const huge = await sh("deno task bench --runs 100000000");
  row("--runs 100000000", huge, ` (${huge.seconds.toFixed(1)} s)`);

  // 18. --db outside reports/, following the printed advice.
  const outside = await Deno.makeTempDir();
  const advice = await sh(`deno task bench --db ${outside}/g.db --runs 1 --latency-scale 0`);
  row("--db outside reports/", advice);
  row("...the advice, run", await sh(/; run (deno run .*)$/m.exec(advice.err)?.[1] ?? "false"));
  await Deno.remove(outside, { recursive: true });

  // 19. prices --update to a server that never answers; prices --help.
  const pending: (() => void)[] = [];
  const silent = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Promise<Response>((resolve) => pending.push(() => resolve(new Response("late")))),
  );
  const update = await sh(
    `deno task prices --update --url http://127.0.0.1:${silent.addr.port}/ --timeout 3 ` +
      `--file ${DIR}/prices.json`,
  );
  row("prices --update, a server that never answers", update, ` (${update.seconds.toFixed(1)} s)`);
  pending.forEach((answer) => answer());
  await silent.shutdown();
  const help = await sh("deno task prices --help");
  rows.push(["prices --help", String(help.code), help.out.split("\n")[0]]);

  // 20. Datasets: a BOM, UTF-16, one pretty-printed object.
  Deno.writeFileSync(
    `${ROOT}/${DIR}/bom.jsonl`,
    new TextEncoder().encode('\ufeff{"inputs": {"text": "a"}}'),
  );
  Deno.writeFileSync(
    `${ROOT}/${DIR}/utf16.jsonl`,
    Uint8Array.from([0xff, 0xfe, ...[...'{"inputs": {}}'].flatMap((c) => [c.charCodeAt(0), 0])]),
  );
  Deno.writeTextFileSync(`${ROOT}/${DIR}/pretty.json`, '{\n  "inputs": {"text": "a"}\n}\n');
  for (const name of ["bom.jsonl", "utf16.jsonl", "pretty.json"]) {
    row(
      `A dataset: ${name}`,
      await sh(`deno task bench ${GRAPH} --dataset ${DIR}/${name} --db ${DIR}/datasets.db`),
    );
  }
} finally {
  console.log("| Case | Exit | What it printed |\n| --- | ---: | --- |");
  for (const [what, code, line] of rows) {
    console.log(`| ${what} | ${code} | ${line.replaceAll("|", "\\|")} |`);
  }
  await Deno.remove(`${ROOT}/${DIR}`, { recursive: true }).catch(() => {});
  for (const entry of Deno.readDirSync(`${ROOT}/reports`)) {
    if (!before.has(entry.name) && /^\d{8}-\d{6}-[0-9a-f]{4}$/.test(entry.name)) {
      await Deno.remove(`${ROOT}/reports/${entry.name}`, { recursive: true });
    }
  }
}
