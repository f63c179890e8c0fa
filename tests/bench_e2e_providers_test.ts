/**
 * `deno task bench` end to end against each provider's wire-format test server: the real CLI
 * (in-process), the real LangChain chat model of the provider, the reference workload answered
 * with valid stage answers and usage chosen here. The report's totals must equal the sums the
 * server handed out, and its cost the hand-computed cost from the published prices.
 */
import assert from "node:assert/strict";
import { BenchmarkResult } from "../benchmark/result/benchmark_result.ts";
import type { RunRecord } from "../benchmark/run_record.ts";
import { openResultsStore } from "../store/mod.ts";
import { formatCount, formatUsd } from "../report/format.ts";
import { LLM_STAGES } from "../workload/prompts/sections.ts";
import { runBenchCli } from "../cli/bench.ts";
import { assertCost, usd } from "./fixtures/graph.ts";
import {
  startWorkloadServer,
  type TokenUsage,
  type WireProvider,
} from "./fixtures/workload_responder.ts";

/** Per-million-token prices; `cacheWrite` only where the provider bills cache writes. */
interface Price {
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
}

// https://openai.com/api/pricing/ (per 1M tokens): gpt-4.1-mini input $0.40, cached input $0.10,
// output $1.60 (reasoning billed as output). OpenAI bills no cache writes.
const GPT_41_MINI: Price = { input: 0.40, cacheRead: 0.10, cacheWrite: 0.40, output: 1.60 };
// https://docs.anthropic.com/en/docs/about-claude/pricing (per 1M tokens): Claude Haiku 4.5 input
// $1, 5-minute cache write $1.25, cache read $0.10, output $5.
const HAIKU_45: Price = { input: 1, cacheRead: 0.10, cacheWrite: 1.25, output: 5 };
// https://ai.google.dev/gemini-api/docs/pricing (per 1M tokens, paid tier, text): Gemini 2.5
// Flash-Lite input $0.10, context-cache read $0.01, output $0.40 (thinking included).
const FLASH_LITE_25: Price = { input: 0.10, cacheRead: 0.01, cacheWrite: 0.10, output: 0.40 };

/** One provider's end-to-end case. */
interface ProviderCase {
  provider: WireProvider;
  /** The model named on the command line. */
  model: string;
  /** The model name the server answers with (a dated snapshot, as the real APIs do). */
  answeredModel?: string;
  /** The API key variable, set to a dummy value; null when the provider needs none. */
  keyVariable: string | null;
  /** The published prices, or null for a local model. */
  price: Price | null;
}

const CASES: readonly ProviderCase[] = [
  {
    provider: "openai",
    model: "gpt-4.1-mini",
    answeredModel: "gpt-4.1-mini-2025-04-14",
    keyVariable: "OPENAI_API_KEY",
    price: GPT_41_MINI,
  },
  {
    provider: "anthropic",
    model: "claude-haiku-4-5",
    answeredModel: "claude-haiku-4-5-20251001",
    keyVariable: "ANTHROPIC_API_KEY",
    price: HAIKU_45,
  },
  {
    provider: "google-genai",
    model: "gemini-2.5-flash-lite",
    keyVariable: "GOOGLE_API_KEY",
    price: FLASH_LITE_25,
  },
  { provider: "ollama", model: "llama3.2:3b", keyVariable: null, price: null },
];

/** Two windows of ~300 characters, so every stage runs twice and caches are read. */
const TRANSCRIPT = "Good morning everyone. The release is planned for Friday because QA signed " +
  "off yesterday. Anna will finish the billing migration today and then pair with Tom. The " +
  "login page still has a bug on mobile Safari. Tom will look into the login bug after lunch. " +
  "Next week we start the search project with the new filters. We need a designer for the " +
  "search filters, ideally someone who knows the mobile app. Marketing wants the release notes " +
  "by Thursday, so Anna will draft them tonight.";

/** The API key set in the environment of the CLI. */
const DUMMY_KEY = "test-key-not-secret";

/** Pause of the test server before each answer: every call's latency is at least this. */
const DELAY_MS = 5;

/** Hand-computed cost of one call from published per-million-token prices. */
function costOf(usage: TokenUsage, price: Price): number {
  const uncached = usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens;
  return usd(uncached, price.input) + usd(usage.cacheReadTokens, price.cacheRead) +
    usd(usage.cacheWriteTokens, price.cacheWrite) + usd(usage.outputTokens, price.output);
}

/** The five token counts of anything that has them. */
function tokensOf(usage: TokenUsage): TokenUsage {
  const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens } = usage;
  return { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens };
}

/** The cells of the first performance table's **Total** row, without the bold markers. */
function totalRow(report: string): string[] {
  const line = report.split("\n").find((text) => text.startsWith("| **Total** |"));
  assert.ok(line, "the report has a Total row");
  return line.slice(1, -1).split(" | ").map((cell) => cell.trim().replace(/^\*\*(.*)\*\*$/, "$1"));
}

/** A row `| label | value |` of the report's Cost table. */
function costTableValue(report: string, label: string): string | undefined {
  const prefix = `| ${label} | `;
  return report.split("\n").find((line) => line.startsWith(prefix))?.slice(prefix.length, -2);
}

interface BenchOutcome {
  code: number;
  stderr: string;
  result: BenchmarkResult;
  report: string;
  records: RunRecord[];
}

/** Runs `deno task bench` in this process on the short transcript, against `baseUrl`. */
async function benchAgainst(
  spec: string,
  baseUrl: string,
  env: Record<string, string>,
): Promise<BenchOutcome> {
  const dir = await Deno.makeTempDir({ prefix: "graphmeter_bench_e2e_" });
  try {
    await Deno.writeTextFile(`${dir}/standup.txt`, TRANSCRIPT);
    let stderr = "";
    const code = await runBenchCli(
      [
        "--model",
        spec,
        "--base-url",
        baseUrl,
        "--input",
        `${dir}/standup.txt`,
        "--out",
        dir,
        "--db",
        `${dir}/graphmeter.db`,
      ],
      {
        out: () => {},
        err: (text) => (stderr += text),
        errIsTerminal: false,
        env: (name) => env[name],
      },
    );
    assert.notEqual(code, 2, `bench refused the command line: ${stderr}`);
    const result = BenchmarkResult.parse(
      JSON.parse(await Deno.readTextFile(`${dir}/metrics.json`)),
    );
    const report = await Deno.readTextFile(`${dir}/report.md`);
    // Every call of every run lives in the results store.
    using store = openResultsStore(`${dir}/graphmeter.db`);
    const records = store.loadRuns(result.benchmark!.id);
    return { code, stderr, result, report, records };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

for (const c of CASES) {
  Deno.test(`bench e2e (${c.provider}:${c.model}): totals equal what the server handed out`, async () => {
    const workload = startWorkloadServer({
      provider: c.provider,
      answeredModel: c.answeredModel,
      delayMs: DELAY_MS,
    });
    try {
      const env: Record<string, string> = c.keyVariable ? { [c.keyVariable]: DUMMY_KEY } : {};
      const { code, stderr, result, report, records } = await benchAgainst(
        `${c.provider}:${c.model}`,
        workload.baseUrl,
        env,
      );
      assert.equal(code, 0, stderr);

      // The server answered every stage of both windows with valid answers.
      const handedOut = workload.calls;
      assert.equal(workload.server.requests.length, handedOut.length);
      if (c.keyVariable) {
        // The key from the environment reached the provider (a header or the query string).
        for (const request of workload.server.requests) {
          const sent = [...request.headers.values(), ...request.query.values()];
          assert.ok(
            sent.some((value) => value.includes(DUMMY_KEY)),
            `no key sent to ${request.path}`,
          );
        }
      }
      assert.deepEqual(new Set(handedOut.map((call) => call.stage)), new Set(LLM_STAGES));
      assert.ok(handedOut.length >= 2 * LLM_STAGES.length, `${handedOut.length} calls`);
      assert.equal(result.runs.length, 1);
      const [record] = records;
      assert.equal(record.error, null);
      assert.equal(record.metrics.status, "ok");
      assert.equal(record.quality?.invalidOutputs, 0);
      assert.equal(record.quality?.windows, 2);
      assert.equal(result.meta.modelsNote, undefined); // real providers: no "simulated" note

      // Call by call (the pipeline is sequential): the server's usage, normalized.
      const { calls, totals } = record.metrics;
      assert.deepEqual(calls.map(tokensOf), handedOut.map((call) => call.usage));
      assert.deepEqual(
        calls.map((call) => call.stage),
        handedOut.map((call) => call.stage),
      );
      const expectedModel = c.answeredModel ?? c.model;
      for (const call of calls) {
        assert.equal(call.model, expectedModel);
        assert.equal(call.usageReported, true);
        assert.equal(call.error, null);
        assert.ok(call.latencyMs >= DELAY_MS - 1, `latency ${call.latencyMs} ms`);
      }

      // Totals: the run's and the benchmark's.
      const sums = workload.totals();
      assert.deepEqual(tokensOf(totals), sums);
      assert.equal(totals.llmCalls, handedOut.length);
      assert.equal(totals.unpricedCalls, 0);
      assert.equal(totals.callsWithoutUsage, 0);
      assert.equal(result.aggregates.llmCalls, handedOut.length);
      assert.equal(result.aggregates.inputTokens, sums.inputTokens);
      assert.equal(result.aggregates.outputTokens, sums.outputTokens);
      assert.equal(result.aggregates.unpricedCalls, 0);
      if (c.provider !== "ollama") assert.ok(sums.cacheReadTokens > 0);
      if (c.provider === "anthropic") assert.ok(sums.cacheWriteTokens > 0);

      // Cost: hand-computed from the published prices, call by call; a local model is $0.
      const expectedCost = c.price === null
        ? 0
        : handedOut.reduce((sum, call) => sum + costOf(call.usage, c.price!), 0);
      if (c.price === null) {
        for (const call of calls) {
          assert.equal(call.costSource, "local");
          assert.equal(call.costUsd, 0);
        }
        assert.equal(totals.costUsd, 0);
        assert.equal(result.aggregates.costUsd, 0);
      } else {
        calls.forEach((call, i) => {
          assert.equal(call.costSource, "catalog");
          assertCost(call.costUsd, costOf(handedOut[i].usage, c.price!));
        });
        assertCost(totals.costUsd, expectedCost);
        assertCost(result.aggregates.costUsd, expectedCost);
      }

      // The Markdown shows the same numbers.
      const [label, latency, callCount, input, output, cost] = totalRow(report);
      assert.equal(label, "Total");
      assert.ok(Number(latency) > 0, `total latency ${latency}`);
      assert.equal(callCount, formatCount(handedOut.length));
      assert.equal(input, formatCount(sums.inputTokens));
      assert.equal(output, formatCount(sums.outputTokens));
      assert.equal(cost, formatUsd(expectedCost).replace("$", ""));
      assert.equal(costTableValue(report, "Input tokens"), formatCount(sums.inputTokens));
      assert.equal(costTableValue(report, "Output tokens"), formatCount(sums.outputTokens));
      assert.equal(costTableValue(report, "Cost of the successful runs"), formatUsd(expectedCost));
      assert.match(report, /real providers/);
      assert.doesNotMatch(report, /unpriced/i);
      if (c.price === null) {
        assert.match(report, new RegExp(`${handedOut.length} call\\(s\\) ran on a local model`));
      }
    } finally {
      await workload.shutdown();
    }
  });
}

Deno.test("bench e2e (openai, a model no catalog knows): tokens counted, cost unpriced", async () => {
  const workload = startWorkloadServer({ provider: "openai", delayMs: DELAY_MS });
  try {
    const { code, stderr, result, report, records } = await benchAgainst(
      "openai:acme-internal-model",
      workload.baseUrl,
      { OPENAI_API_KEY: DUMMY_KEY },
    );
    assert.equal(code, 0, stderr);
    const { calls, totals } = records[0].metrics;
    assert.ok(calls.length >= 2 * LLM_STAGES.length);
    assert.deepEqual(calls.map(tokensOf), workload.calls.map((call) => call.usage));
    for (const call of calls) {
      assert.equal(call.model, "acme-internal-model");
      assert.equal(call.costSource, "unpriced");
      assert.equal(call.costUsd, null);
    }
    assert.deepEqual(tokensOf(totals), workload.totals());
    assert.equal(totals.costUsd, null);
    assert.equal(totals.unpricedCalls, calls.length);
    assert.equal(result.aggregates.costUsd, null);
    assert.equal(result.aggregates.unpricedCalls, calls.length);

    const cells = totalRow(report);
    assert.equal(cells[3], formatCount(workload.totals().inputTokens));
    assert.equal(cells[5], "unpriced");
    assert.match(
      report,
      /call\(s\) are \*\*unpriced\*\* \(no price known for `acme-internal-model`\)/,
    );
    // An unknown price is never shown as $0 (only node extraction, which calls no model, is).
    const costRows = [
      "Cost of the successful runs",
      "Cost per run",
      "Cost per 1,000 words",
      `Projected daily cost at ${result.aggregates.dailyVolume?.label} a day`,
    ];
    for (const label of costRows) assert.equal(costTableValue(report, label), "unpriced", label);
    assert.match(report, /^\| \*\*Run \(total\)\*\* \|.*\| unpriced \| – \|$/m);
  } finally {
    await workload.shutdown();
  }
});
