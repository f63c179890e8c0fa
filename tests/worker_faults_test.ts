/**
 * A user's graph that misbehaves runs in the worker, where the CLI can stop it: a node that throws
 * (its message, and its stack with --debug), leaves a rejected promise unawaited (that run fails,
 * the rest go on), awaits forever (--run-timeout), blocks the event loop (Ctrl-C still works at
 * once, a run timeout replaces the worker), a factory that never resolves (one line naming the
 * export, after --load-timeout), inputs the graph does not know (one warning).
 */
import assert from "node:assert/strict";
import {
  finish,
  modesDataset,
  processesWith,
  startBench,
  writtenResult,
} from "./support/hostile_graph.ts";

Deno.test("worker: a throwing node, an unhandled rejection and a hang fail their runs only", async () => {
  const dir = await Deno.makeTempDir();
  const data = await modesDataset(dir, ["ok", "unhandled", "hang", "throw"]);
  const { code, stderr } = await finish(startBench([
    ...["--graph", "./src/hostile.ts:graph", "--dataset", data, "--run-timeout", "2"],
    ...["--db", `${dir}/g.db`, "--out", `${dir}/out`, "--debug"],
  ]));
  assert.equal(code, 1, stderr);
  const runs = Object.fromEntries((await writtenResult(dir)).runs.map((run) => [run.inputId, run]));
  assert.equal(runs.ok.ok, true);
  assert.equal(runs.ok.llmCalls, 1);
  assert.equal(
    runs.unhandled.error,
    "Error: unhandled promise rejection in the graph: a promise nobody awaited",
  );
  assert.match(runs.hang.error!, /took longer than 2 s \(--run-timeout\)/);
  assert.equal(runs.throw.error, "RangeError: the node threw on purpose");
  // --debug: the node's stack, from inside the worker.
  assert.match(
    stderr,
    /run failed: RangeError: the node threw on purpose\n\s+at throwDeep .*hostile\.ts/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("worker: without --debug a failed run is its message, no stack", async () => {
  const dir = await Deno.makeTempDir();
  const data = await modesDataset(dir, ["throw"]);
  const { code, stderr } = await finish(startBench([
    ...["--graph", "./src/hostile.ts:graph", "--dataset", data],
    ...["--db", `${dir}/g.db`, "--out", `${dir}/out`],
  ]));
  assert.equal(code, 1, stderr);
  assert.match(stderr, /1 run\(s\) failed \(first: RangeError: the node threw on purpose\)/);
  assert.doesNotMatch(stderr, /throwDeep/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("worker: Ctrl-C stops a node in a CPU loop at once, worker included", async () => {
  const dir = await Deno.makeTempDir();
  const data = await modesDataset(dir, ["cpu-loop"]);
  const marker = crypto.randomUUID();
  const child = startBench([
    ...["--graph", "./src/hostile.ts:graph", "--dataset", data],
    ...["--config", JSON.stringify({ configurable: { marker } })],
    ...["--db", `${dir}/g.db`, "--out", `${dir}/out`],
  ]);
  try {
    // Wait until the worker is up beside the CLI (both command lines carry the marker) and the
    // loop has begun.
    const deadline = Date.now() + 30_000;
    while ((await processesWith(marker)).length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sentAt = performance.now();
    child.kill("SIGINT");
    const { code, stderr } = await finish(child);
    const waitedMs = performance.now() - sentAt;
    assert.equal(code, 130, stderr);
    assert.match(stderr, /interrupted \(SIGINT\): finished runs are stored/);
    assert.ok(waitedMs < 3000, `Ctrl-C took ${waitedMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(await processesWith(marker), [], "the worker is gone");
  } finally {
    // Whatever failed, leave no process of this test behind.
    for (const pid of await processesWith(marker)) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("worker: a run in a CPU loop times out; a fresh worker runs the rest", async () => {
  const dir = await Deno.makeTempDir();
  const data = await modesDataset(dir, ["cpu-loop", "ok"]);
  const { code, stderr } = await finish(startBench([
    ...["--graph", "./src/hostile.ts:graph", "--dataset", data, "--run-timeout", "1"],
    ...["--concurrency", "1", "--db", `${dir}/g.db`, "--out", `${dir}/out`],
  ]));
  assert.equal(code, 1, stderr);
  const runs = Object.fromEntries((await writtenResult(dir)).runs.map((run) => [run.inputId, run]));
  assert.match(runs["cpu-loop"].error!, /took longer than 1 s/);
  assert.equal(runs.ok.ok, true);
  assert.equal(runs.ok.llmCalls, 1);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("worker: a factory that never resolves is one line naming the export, exit 2", async () => {
  const dir = await Deno.makeTempDir();
  const data = await modesDataset(dir, ["ok"]);
  const { code, stderr } = await finish(startBench([
    ...["--graph", "./src/hostile.ts:neverFactory", "--dataset", data, "--load-timeout", "1"],
    ...["--db", `${dir}/g.db`, "--out", `${dir}/out`],
  ]));
  assert.equal(code, 2, stderr);
  assert.equal(stderr.split("\n").length, 2, stderr);
  assert.match(stderr, /neverFactory in .*hostile\.ts did not finish loading within 1 s/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("worker: inputs the graph's schema does not know get one warning", async () => {
  const dir = await Deno.makeTempDir();
  const data = `${dir}/q.jsonl`;
  await Deno.writeTextFile(data, '{"id": "a", "inputs": {"question": "ok?", "mode": "ok"}}\n');
  const { code, stderr } = await finish(startBench([
    ...["--graph", "./src/hostile.ts:graph", "--dataset", data],
    ...["--db", `${dir}/g.db`, "--out", `${dir}/out`],
  ]));
  assert.equal(code, 0, stderr);
  const warnings = stderr.split("\n").filter((line) => line.startsWith("warning:"));
  assert.deepEqual(warnings, [
    'warning: 1 of 1 examples have inputs graph ./src/hostile.ts:graph does not know: "question" ' +
    "(its input keys: mode, answer); they run on an empty state",
  ]);
  await Deno.remove(dir, { recursive: true });
});
