/**
 * A catalog older than 60 days that does not know a call's model says so once, in the metrics,
 * in `metrics.json` and in the report, never per call: a real benchmark of a LangGraph graph
 * calling ChatOpenAI against a loopback OpenAI server.
 */
import assert from "node:assert/strict";
import { ChatOpenAI } from "@langchain/openai";
import { waitForUpdate } from "@pydantic/genai-prices";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { runBenchmark } from "../benchmark/runner.ts";
import { buildBenchmarkResult } from "../benchmark/result/aggregate_runs.ts";
import { BenchmarkResult } from "../benchmark/result/benchmark_result.ts";
import { writeBenchmarkReport } from "../benchmark/markdown/benchmark_report.ts";
import { writeCostBreakdownSection } from "../report/cost_breakdown_section.ts";
import {
  catalogAsOf,
  type CatalogProvider,
  currentCatalog,
  isCatalogStale,
  useBundledCatalog,
  useCatalogData,
} from "../pricing/catalog.ts";
import { chatUsage, startOpenAIServer } from "./fixtures/openai_server.ts";

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A one-node graph asking `model` once per run. */
function graphOf(model: ChatOpenAI) {
  return new StateGraph(Annotation.Root({ text: Annotation<string> }))
    .addNode("answer", async (state, config) => ({
      text: String((await model.invoke(state.text, config)).content),
    }))
    .addEdge(START, "answer")
    .addEdge("answer", END)
    .compile();
}

/** A 2-input x 2-repeat benchmark of `model` answering as `answered`, with the catalog fetched `fetchedOn`. */
async function benchmarkOf(model: string, answered: string, fetchedOn: string) {
  const providers = await waitForUpdate();
  await useCatalogData(providers as unknown as CatalogProvider[], "test catalog", fetchedOn);
  try {
    await using server = startOpenAIServer(() => ({
      model: answered,
      text: "ok",
      usage: chatUsage(1_000, 100),
    }));
    const chat = new ChatOpenAI({
      model,
      apiKey: "sk-test",
      maxRetries: 0,
      configuration: { baseURL: `${server.origin}/v1` },
    });
    const run = await runBenchmark({
      graph: graphOf(chat),
      inputs: [{ id: "a", input: { text: "one" } }, { id: "b", input: { text: "two" } }],
      repeats: 2,
    });
    const result = buildBenchmarkResult(run, {
      createdAt: new Date().toISOString(),
      gitCommit: null,
      models: { "*": model },
      inputSource: "two inputs",
      repeats: 2,
      concurrency: 1,
      maxCostUsd: null,
      seed: null,
    });
    return { run, result };
  } finally {
    await useBundledCatalog();
  }
}

const count = (text: string, part: string) => text.split(part).length - 1;

Deno.test("an old catalog and an unknown model: the stale note appears exactly once", async () => {
  const old = day(Date.now() - 90 * DAY_MS);
  const { run, result } = await benchmarkOf("gpt-9-preview", "gpt-9-preview-2026-11-30", old);
  assert.equal(run.records.length, 4);
  for (const record of run.records) {
    assert.equal(record.metrics.calls[0].costSource, "unpriced");
    assert.equal(record.metrics.pricing.notes?.length, 1);
  }
  const [note] = result.pricing!.notes!;
  assert.match(note, new RegExp(`test catalog is current to ${old}, more than 60 days`));
  assert.match(note, /deno task prices --update/);
  assert.deepEqual(result.pricing!.notes, [note]);
  // metrics.json validates, the note in it once.
  const json = JSON.stringify(BenchmarkResult.parse(JSON.parse(JSON.stringify(result))));
  assert.equal(count(json, "may be stale"), 1);
  // The report: the catalog's data date in the header, as before, and the note once.
  const report = writeBenchmarkReport(result);
  assert.equal(count(report, "The price catalog may be stale"), 1);
  assert.match(report, /\| Price catalog \| @pydantic\/genai-prices test catalog/);
  // One run's report section says it too, once.
  assert.equal(
    count(writeCostBreakdownSection(run.records[0].metrics), "may be stale"),
    1,
  );
});

Deno.test("no stale note with a fresh catalog, nor with an old one that knows every model", async () => {
  const fresh = await benchmarkOf("gpt-9-preview", "gpt-9-preview", day(Date.now()));
  assert.equal(fresh.run.records[0].metrics.calls[0].costSource, "unpriced");
  assert.deepEqual(fresh.result.pricing!.notes ?? [], []);
  assert.doesNotMatch(writeBenchmarkReport(fresh.result), /may be stale/);
  const known = await benchmarkOf(
    "gpt-4.1-mini",
    "gpt-4.1-mini-2025-04-14",
    day(Date.now() - 90 * DAY_MS),
  );
  assert.equal(known.run.records[0].metrics.calls[0].costSource, "catalog");
  assert.deepEqual(known.result.pricing!.notes ?? [], []);
});

Deno.test("the bundled catalog's age: its newest price change up to the day, not a scheduled one", () => {
  assert.equal(currentCatalog().origin, "bundled");
  const december = Date.parse("2026-12-06T12:00:00Z");
  const asOf = catalogAsOf(december)!;
  // The bundled data schedules changes for 2027-01-01 (its dataDate); its age is measured from
  // the newest change that has happened.
  assert.ok(asOf <= "2026-12-06", asOf);
  assert.ok(currentCatalog().dataDate! > asOf);
  assert.equal(isCatalogStale(december), december - Date.parse(asOf) > 60 * DAY_MS);
  assert.equal(isCatalogStale(Date.parse(asOf) + 10 * DAY_MS), false);
});
