/**
 * Load test of `examples/server.ts`: a loopback OpenAI-compatible model server and an OTLP
 * receiver in this process, two server processes (graphmeter on, exporting through the SDK's
 * OTLP/HTTP exporters; graphmeter off), and `--requests` requests at `--concurrency` sent to each
 * in alternating rounds. Reports per-request server CPU and latency of both, heap after GC along
 * the way, and checks every run is exported exactly once (after SIGTERM flushes the server).
 *
 * Run: `deno task loadtest` (2,000 requests at concurrency 50), or
 * `deno run -A tools/server_load.ts --requests 200 --concurrency 20`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { chatUsage, startOpenAIServer } from "../tests/fixtures/openai_server.ts";
import { startOtlpReceiver } from "../tests/fixtures/otlp_receiver.ts";

const serverScript = new URL("../examples/server.ts", import.meta.url).pathname;

/** A running example server. */
interface ServerProcess {
  origin: string;
  process: Deno.ChildProcess;
}

/** What `/stats` answers. */
export interface ServerStats {
  measured: boolean;
  exportedRuns: number;
  failedRuns: number;
  handlerErrors: number;
  retainedRuns: number;
  spans: { ended: number; delivered: number; dropped: number } | null;
  heapUsedBytes: number;
  cpuMs: number;
}

async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const process = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-sys",
      "--v8-flags=--expose-gc",
      serverScript,
    ],
    env: { PORT: "0", NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = process.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/listening on (\S+)/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the example server ended before listening");
    text += value;
  }
  reader.releaseLock();
  return { origin: text.match(/listening on (\S+)/)![1], process };
}

async function stats(server: ServerProcess): Promise<ServerStats> {
  return await (await fetch(`${server.origin}/stats?gc`)).json();
}

/** Sends `count` requests, `concurrency` at a time; returns run ids and latencies (ms). */
async function send(server: ServerProcess, count: number, concurrency: number) {
  const runIds: string[] = [];
  const latenciesMs: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      const response = await fetch(`${server.origin}/agent`, {
        method: "POST",
        body: JSON.stringify({ question: `Why was I charged twice? (${i})` }),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(`request ${i}: ${JSON.stringify(body)}`);
      latenciesMs.push(performance.now() - started);
      runIds.push(body.runId);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { runIds, latenciesMs };
}

async function stop(server: ServerProcess): Promise<number> {
  server.process.kill("SIGTERM");
  await server.process.stdout.cancel().catch(() => {});
  return (await server.process.status).code;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Options of {@linkcode runServerLoad}. */
export interface ServerLoadOptions {
  requests: number;
  concurrency: number;
  /** Rounds each server gets, alternating (default 4). */
  rounds?: number;
  /** Also start the graphmeter-off server, for the overhead comparison (default true). */
  baseline?: boolean;
  /** The measured server's exporter: the JS SDK's OTLP/HTTP (default) or Deno's own. */
  exporter?: "sdk" | "deno";
}

/** The load test's findings. */
export interface ServerLoadResult {
  /** Names of the spans the run spans hang under (`(root)` for none), e.g. Deno's HTTP span. */
  runSpanParents: string[];
  requests: number;
  runIds: string[];
  /** How many run spans arrived per run id of a response. */
  runSpansPerRunId: Map<string, number>;
  /** Run spans that arrived for no response's run id. */
  strayRunSpans: number;
  final: ServerStats;
  exitCode: number;
  heapAfterRoundsBytes: number[];
  measured: { cpuMsPerRequest: number; p50Ms: number; p95Ms: number };
  baseline: { cpuMsPerRequest: number; p50Ms: number; p95Ms: number } | null;
}

/** Runs the load test. */
export async function runServerLoad(options: ServerLoadOptions): Promise<ServerLoadResult> {
  const rounds = options.rounds ?? 4;
  await using model = startOpenAIServer(() => ({
    model: "gpt-4.1-mini-2025-04-14",
    text: "billing",
    usage: chatUsage(420, 12, { cached: 256 }),
  }));
  await using receiver = startOtlpReceiver();
  const modelUrl = `${model.origin}/v1`;
  const measured = await startServer(
    options.exporter === "deno"
      ? {
        MODEL_URL: modelUrl,
        OTEL_DENO: "true",
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
        OTEL_SERVICE_NAME: "graphmeter-example",
      }
      : { MODEL_URL: modelUrl, OTLP_ENDPOINT: receiver.origin },
  );
  const baseline = options.baseline === false
    ? null
    : await startServer({ MODEL_URL: modelUrl, GRAPHMETER: "off" });
  const perRound = Math.ceil(options.requests / rounds);
  const runIds: string[] = [];
  const latencies = { measured: [] as number[], baseline: [] as number[] };
  const cpu = { measured: 0, baseline: 0 };
  const heapAfterRoundsBytes: number[] = [];
  // Warm both up (JIT, connection pools) before measuring.
  const warmRunIds = new Set((await send(measured, 50, options.concurrency)).runIds);
  if (baseline) await send(baseline, 50, options.concurrency);
  for (let round = 0; round < rounds; round++) {
    for (const [name, server] of [["measured", measured], ["baseline", baseline]] as const) {
      if (!server) continue;
      const before = (await stats(server)).cpuMs;
      const sent = await send(server, perRound, options.concurrency);
      const after = await stats(server);
      cpu[name] += after.cpuMs - before;
      latencies[name].push(...sent.latenciesMs);
      if (name === "measured") {
        runIds.push(...sent.runIds);
        heapAfterRoundsBytes.push(after.heapUsedBytes);
      }
    }
  }
  const final = await stats(measured);
  const exitCode = await stop(measured);
  if (baseline) await stop(baseline);
  const runSpansPerRunId = new Map(runIds.map((id) => [id, 0]));
  const spanIds = new Map(receiver.spans.map((span) => [span.spanId, span]));
  const runParents = new Set<string>();
  let strayRunSpans = 0;
  for (const span of receiver.spans) {
    if (!span.name.startsWith("invoke_agent")) continue;
    const id = String(span.attributes["graphmeter.run.id"]);
    runParents.add(spanIds.get(span.parentSpanId)?.name ?? "(root)");
    if (runSpansPerRunId.has(id)) runSpansPerRunId.set(id, runSpansPerRunId.get(id)! + 1);
    else if (!warmRunIds.has(id)) strayRunSpans += 1;
  }
  const summary = (values: number[], cpuMs: number) => ({
    cpuMsPerRequest: cpuMs / values.length,
    p50Ms: percentile(values, 0.5),
    p95Ms: percentile(values, 0.95),
  });
  return {
    runSpanParents: [...runParents].sort(),
    requests: runIds.length,
    runIds,
    runSpansPerRunId,
    strayRunSpans,
    final,
    exitCode,
    heapAfterRoundsBytes,
    measured: summary(latencies.measured, cpu.measured),
    baseline: baseline ? summary(latencies.baseline, cpu.baseline) : null,
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      requests: { type: "string", default: "2000" },
      concurrency: { type: "string", default: "50" },
      rounds: { type: "string", default: "4" },
      exporter: { type: "string", default: "sdk" },
    },
  });
  const result = await runServerLoad({
    requests: Number(values.requests),
    concurrency: Number(values.concurrency),
    rounds: Number(values.rounds),
    exporter: values.exporter === "deno" ? "deno" : "sdk",
  });
  const counts = [...result.runSpansPerRunId.values()];
  const once = counts.filter((n) => n === 1).length;
  const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
  console.log(`requests to the measured server: ${result.requests}`);
  console.log(`run spans' parents: ${result.runSpanParents.join(", ")}`);
  console.log(
    `runs exported exactly once: ${once} / ${result.requests} ` +
      `(missing ${counts.filter((n) => n === 0).length}, ` +
      `duplicated ${counts.filter((n) => n > 1).length}, stray ${result.strayRunSpans})`,
  );
  console.log(`server: ${JSON.stringify(result.final)}; exit code on SIGTERM ${result.exitCode}`);
  console.log(
    `heap after GC, after each round (MB): ${result.heapAfterRoundsBytes.map(mb).join(", ")}`,
  );
  const m = result.measured;
  const b = result.baseline!;
  console.log("| server | CPU per request | p50 latency | p95 latency |");
  console.log("| --- | ---: | ---: | ---: |");
  console.log(
    `| graphmeter off | ${b.cpuMsPerRequest.toFixed(3)} ms | ${b.p50Ms.toFixed(1)} ms | ${
      b.p95Ms.toFixed(1)
    } ms |`,
  );
  console.log(
    `| graphmeter on, OTLP export | ${m.cpuMsPerRequest.toFixed(3)} ms | ${
      m.p50Ms.toFixed(1)
    } ms | ${m.p95Ms.toFixed(1)} ms |`,
  );
  console.log(
    `overhead: +${(m.cpuMsPerRequest - b.cpuMsPerRequest).toFixed(3)} ms CPU per request ` +
      `(${(m.cpuMsPerRequest / b.cpuMsPerRequest).toFixed(2)}x)`,
  );
  if (once !== result.requests || result.strayRunSpans > 0 || result.exitCode !== 0) Deno.exit(1);
}
