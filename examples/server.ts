/**
 * A production service measured by graphmeter: `Deno.serve` runs a small LangGraph agent
 * (`classify -> answer`, each a chat-model call) per request, against any OpenAI-compatible model
 * server, and every finished run leaves as OpenTelemetry spans and metrics. One handler serves
 * all requests and keeps no finished run (`maxRetainedRuns: 0`): memory stays flat.
 *
 * ```sh
 * # Deno's own OTLP exporter (to OTEL_EXPORTER_OTLP_ENDPOINT, default http://localhost:4318):
 * OTEL_DENO=true MODEL_URL=http://127.0.0.1:8080/v1 OPENAI_API_KEY=sk-... \
 *   deno run --allow-net --allow-env --allow-read --allow-sys examples/server.ts
 * # Or the OpenTelemetry JS SDK's OTLP/HTTP exporters, with delivery counted:
 * OTLP_ENDPOINT=http://127.0.0.1:4318 MODEL_URL=... deno run ... examples/server.ts
 * ```
 *
 * Environment: `MODEL_URL` (required), `MODEL` (default `gpt-4.1-mini`), `OPENAI_API_KEY`,
 * `PORT` (default 8000; 0 picks a free one and prints it), `OTLP_ENDPOINT` (SDK mode),
 * `GRAPHMETER=off` (no handler: the baseline the load test compares with).
 * `POST /agent {"question": "..."}` answers `{ runId, answer }`; `GET /stats` tells runs
 * exported, spans dropped, and heap; SIGTERM drains requests and flushes telemetry.
 *
 * @module
 */
import { cpuUsage } from "node:process";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { ChatOpenAI } from "@langchain/openai";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { OpenTelemetryRunExporter } from "../otel/mod.ts";
import { type OpenTelemetrySetup, startOpenTelemetry } from "./otel_sdk.ts";

const modelUrl = Deno.env.get("MODEL_URL");
if (!modelUrl) {
  console.error("Set MODEL_URL to an OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1.");
  Deno.exit(2);
}
const measured = Deno.env.get("GRAPHMETER") !== "off";
const otlpEndpoint = Deno.env.get("OTLP_ENDPOINT");
const sdk: OpenTelemetrySetup | null = measured && otlpEndpoint
  ? startOpenTelemetry({ endpoint: otlpEndpoint, serviceName: "graphmeter-example" })
  : null;

const model = new ChatOpenAI({
  model: Deno.env.get("MODEL") ?? "gpt-4.1-mini",
  apiKey: Deno.env.get("OPENAI_API_KEY") ?? "sk-local",
  maxRetries: 1,
  configuration: { baseURL: modelUrl },
});

const AgentState = Annotation.Root({
  question: Annotation<string>,
  topic: Annotation<string>,
  reply: Annotation<string>,
});

const agent = new StateGraph(AgentState)
  .addNode("classify", async (state) => {
    const reply = await model.invoke(
      `Name the topic of this question in one word: ${state.question}`,
    );
    return { topic: String(reply.content) };
  })
  .addNode("answer", async (state) => {
    const reply = await model.invoke(`Topic: ${state.topic}. Answer briefly: ${state.question}`);
    return { reply: String(reply.content) };
  })
  .addEdge(START, "classify")
  .addEdge("classify", "answer")
  .addEdge("answer", END)
  .compile();

// Production mode: each finished run is exported as it ends, then forgotten.
const exporter = new OpenTelemetryRunExporter({ workflowName: "support-agent" });
const handler = new PerformanceCallbackHandler({
  onRunEnd: exporter.onRunEnd,
  maxRetainedRuns: 0,
});
const callbacks = measured ? [handler] : [];

async function answer(request: Request): Promise<Response> {
  const body = await request.json().catch(() => null) as { question?: unknown } | null;
  if (typeof body?.question !== "string") {
    return Response.json({ error: 'Send {"question": "..."}.' }, { status: 400 });
  }
  const runId = crypto.randomUUID();
  const state = await agent.invoke({ question: body.question }, { callbacks, runId });
  return Response.json({ runId, answer: state.reply });
}

function stats(url: URL): Response {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (url.searchParams.has("gc") && gc) gc();
  return Response.json({
    measured,
    exportedRuns: exporter.exportedRuns,
    failedRuns: exporter.failedRuns,
    handlerErrors: handler.handlerErrors,
    retainedRuns: handler.runs.length,
    spans: sdk?.delivery() ?? null,
    heapUsedBytes: Deno.memoryUsage().heapUsed,
    cpuMs: (cpuUsage().user + cpuUsage().system) / 1000,
  });
}

const server = Deno.serve({
  hostname: "127.0.0.1",
  port: Number(Deno.env.get("PORT") ?? 8000),
  onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}`),
}, async (request) => {
  const url = new URL(request.url);
  try {
    if (request.method === "POST" && url.pathname === "/agent") return await answer(request);
    if (request.method === "GET" && url.pathname === "/stats") return stats(url);
    return Response.json({ error: "POST /agent or GET /stats" }, { status: 404 });
  } catch (error) {
    return Response.json({ error: String(error) }, { status: 502 });
  }
});

Deno.addSignalListener("SIGTERM", async () => {
  await server.shutdown(); // finish the requests in flight
  await sdk?.shutdown(); // export what is queued
  Deno.exit(0); // with OTEL_DENO, Deno flushes its exporter on exit
});
