/**
 * The cost-truth table of issue 24: each case priced through `estimateCost` of a tree (this one
 * by default, or another checkout's, to compare before and after), beside the published price.
 *
 *   deno run -A tools/pricing_truth_table.ts [path/to/another/tree]
 *
 * The published figures come from the sources cited in `pricing/corrections/`,
 * `pricing/model_ids.ts`, `pricing/peak_hours.ts` and `pricing/service_tiers.ts`.
 *
 * @module
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const root = resolve(Deno.args[0] ?? new URL("..", import.meta.url).pathname);
const { estimateCost } = await import(pathToFileURL(`${root}/pricing/estimate.ts`).href);

const M = 1_000_000;
const usage = (input: number, output: number, cacheRead = 0, extra = {}) => ({
  inputTokens: input,
  outputTokens: output,
  cacheReadTokens: cacheRead,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  cacheWrite1hTokens: 0,
  inputAudioTokens: 0,
  outputAudioTokens: 0,
  webSearchRequests: 0,
  fileSearchRequests: 0,
  ...extra,
});
const TUE = "2026-12-01T12:00:00Z";
const MARCH = "2026-03-03T12:00:00Z";
const LONG = usage(300_000, 2_000, 100_000);
const p = (tokens: number, perMTok: number) => tokens * perMTok / M;

/** [case, usage, model, provider, when, service tier, published $ or null (unpublished)] */
type Row = [string, ReturnType<typeof usage>, string, string, string, string | null, number | null];
const priority = (
  model: string,
  tier: string,
  input: number,
  cached: number,
  output: number,
): Row => [
  `${model} service_tier ${tier} (10K in, 2K cached, 1K out)`,
  usage(10_000, 1_000, 2_000),
  model,
  "openai",
  TUE,
  tier,
  p(8_000, input) + p(2_000, cached) + p(1_000, output),
];
const ROWS: Row[] = [
  [
    "claude-sonnet-4-20250514, 300K in (100K cached), 2K out",
    LONG,
    "claude-sonnet-4-20250514",
    "anthropic",
    TUE,
    null,
    1.305,
  ],
  [
    "Bedrock us.anthropic.claude-sonnet-4-20250514-v1:0, same",
    LONG,
    "us.anthropic.claude-sonnet-4-20250514-v1:0",
    "amazon_bedrock",
    TUE,
    null,
    1.305,
  ],
  [
    "Vertex claude-sonnet-4@20250514, same",
    LONG,
    "claude-sonnet-4@20250514",
    "google_vertexai",
    TUE,
    null,
    1.305,
  ],
  [
    "Bedrock us.anthropic.claude-sonnet-4-5-20250929-v1:0, same",
    LONG,
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "amazon_bedrock",
    TUE,
    null,
    1.4355,
  ],
  [
    "grok-4-0709 at 180K, 2026-12 (billed as grok-4.3)",
    usage(180_000, 2_000),
    "grok-4-0709",
    "xai",
    TUE,
    null,
    p(180_000, 1.25) + p(2_000, 2.5),
  ],
  [
    "grok-4-0709 at 180K, 2026-03 (>128K tier)",
    usage(180_000, 2_000),
    "grok-4-0709",
    "xai",
    MARCH,
    null,
    p(180_000, 6) + p(2_000, 30),
  ],
  [
    "grok-4-fast-reasoning at 180K, 2026-12 (grok-4.3)",
    usage(180_000, 2_000),
    "grok-4-fast-reasoning",
    "xai",
    TUE,
    null,
    p(180_000, 1.25) + p(2_000, 2.5),
  ],
  [
    "grok-4-fast-reasoning at 180K, 2026-03",
    usage(180_000, 2_000),
    "grok-4-fast-reasoning",
    "xai",
    MARCH,
    null,
    null,
  ],
  priority("gpt-5-mini", "priority", 0.45, 0.045, 3.6),
  priority("gpt-4.1", "priority", 3.5, 0.875, 14),
  priority("o3", "priority", 3.5, 0.875, 14),
  priority("o4-mini", "priority", 2, 0.5, 8),
  priority("gpt-4o-mini", "priority", 0.25, 0.125, 1),
  priority("gpt-5.2", "priority", 3.5, 0.35, 28),
  priority("gpt-6-sol", "fast", 4, 0.4, 20),
  [
    "deepseek-v4-pro, Saturday 02:00 UTC (10K in, 4K cached, 1K out)",
    usage(10_000, 1_000, 4_000),
    "deepseek-v4-pro",
    "deepseek",
    "2026-12-05T02:00:00Z",
    null,
    p(6_000, 0.66) + p(4_000, 0.022) + p(1_000, 1.98),
  ],
  [
    "deepseek-v4-flash (legacy id), Tuesday noon",
    usage(10_000, 1_000, 4_000),
    "deepseek-v4-flash",
    "deepseek",
    TUE,
    null,
    p(6_000, 0.15) + p(4_000, 0.003) + p(1_000, 0.6),
  ],
  [
    "gpt-4o-mini-audio-preview, 8K of 10K in audio, 400 of 500 out audio",
    usage(10_000, 500, 0, { inputAudioTokens: 8_000, outputAudioTokens: 400 }),
    "gpt-4o-mini-audio-preview",
    "openai",
    TUE,
    null,
    p(2_000, 0.15) + p(100, 0.6) + p(8_000, 10) + p(400, 20),
  ],
  [
    "claude-haiku-5-5 (10K in, 1K out)",
    usage(10_000, 1_000),
    "claude-haiku-5-5",
    "anthropic",
    TUE,
    null,
    p(10_000, 0.1) + p(1_000, 0.5),
  ],
  [
    "gpt-6.1-sol (10K in, 2K cached, 1K out)",
    usage(10_000, 1_000, 2_000),
    "gpt-6.1-sol",
    "openai",
    TUE,
    null,
    p(8_000, 2) + p(2_000, 0.1) + p(1_000, 10),
  ],
  [
    "gpt-6.2-sol (same)",
    usage(10_000, 1_000, 2_000),
    "gpt-6.2-sol",
    "openai",
    TUE,
    null,
    p(8_000, 2) + p(2_000, 0.1) + p(1_000, 10),
  ],
  [
    "grok-4.7 (same)",
    usage(10_000, 1_000, 2_000),
    "grok-4.7",
    "xai",
    TUE,
    null,
    p(8_000, 2) + p(2_000, 0.5) + p(1_000, 6),
  ],
  [
    "mistral-small-2506 (10K in, 1K out)",
    usage(10_000, 1_000),
    "mistral-small-2506",
    "mistralai",
    TUE,
    null,
    p(10_000, 0.1) + p(1_000, 0.3),
  ],
  [
    "deepseek-flash, Tuesday noon (10K in, 4K cached, 1K out)",
    usage(10_000, 1_000, 4_000),
    "deepseek-flash",
    "deepseek",
    TUE,
    null,
    p(6_000, 0.15) + p(4_000, 0.003) + p(1_000, 0.6),
  ],
  [
    "Vertex publishers/google/models/gemini-2.5-flash (10K in, 1K out)",
    usage(10_000, 1_000),
    "publishers/google/models/gemini-2.5-flash",
    "google_vertexai",
    TUE,
    null,
    p(10_000, 0.3) + p(1_000, 2.5),
  ],
  [
    "Vertex gemini-2.5-flash@001",
    usage(10_000, 1_000),
    "gemini-2.5-flash@001",
    "google_vertexai",
    TUE,
    null,
    p(10_000, 0.3) + p(1_000, 2.5),
  ],
  [
    "gemini-pro-latest, 2026-12 (Gemini 3.1 Pro Preview)",
    usage(10_000, 1_000),
    "gemini-pro-latest",
    "google_genai",
    TUE,
    null,
    p(10_000, 2) + p(1_000, 12),
  ],
  [
    "models/gemini-2.5-flash",
    usage(10_000, 1_000),
    "models/gemini-2.5-flash",
    "google_genai",
    TUE,
    null,
    p(10_000, 0.3) + p(1_000, 2.5),
  ],
];

const usd = (value: number | null) => value === null ? "unpriced" : `$${value.toFixed(6)}`;
console.log(`Priced by ${root}\n`);
console.log("| Case | graphmeter | published | |");
console.log("|---|---|---|---|");
for (const [label, call, model, provider, at, serviceTier, published] of ROWS) {
  const priced = estimateCost(call, model, { provider, at: new Date(at), serviceTier });
  const partial = priced.missing.length > 0 ? ` partial (${priced.missing.join(", ")})` : "";
  let verdict: string;
  if (published === null) {
    verdict = partial ? "named partial: rate unpublished" : "rate unpublished";
  } else if (priced.costUsd === null) verdict = "unpriced";
  else if (Math.abs(priced.costUsd - published) < 1e-9 && !partial) verdict = "exact";
  else verdict = `${((priced.costUsd / published - 1) * 100).toFixed(1)}%`;
  console.log(
    `| ${label} | ${usd(priced.costUsd)}${partial} | ${
      published === null ? "not published" : usd(published)
    } | ${verdict} |`,
  );
}
