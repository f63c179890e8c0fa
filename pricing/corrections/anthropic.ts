/**
 * Anthropic's models wherever they are served (the Claude API, Amazon Bedrock, Google Vertex AI):
 * the long-context rates of Claude Sonnet 4 and of Bedrock's Sonnet 4.5 entries, which the
 * catalog lacks, and Claude Haiku 5.5, which it does not know.
 *
 * @module
 */
import type { ModelPrice } from "@pydantic/genai-prices";
import type { PriceCorrection } from "../corrections.ts";

const ANTHROPIC_PRICING = "https://platform.claude.com/docs/en/about-claude/pricing";

/**
 * Rates ($ per million tokens) below and above a prompt of `threshold` tokens. Anthropic bills
 * the whole request at the higher rates once the prompt (cache reads and writes included)
 * exceeds the threshold.
 */
function tiered(
  threshold: number,
  below: { input: number; write5m: number; write1h: number; read: number; output: number },
  above: { input: number; write5m: number; write1h: number; read: number; output: number },
  webSearchesPerThousand?: number,
): ModelPrice {
  const tier = (base: number, price: number) => ({ base, tiers: [{ start: threshold, price }] });
  return {
    input_mtok: tier(below.input, above.input),
    cache_write_mtok: tier(below.write5m, above.write5m),
    cache_write_1h_mtok: tier(below.write1h, above.write1h),
    cache_read_mtok: tier(below.read, above.read),
    output_mtok: tier(below.output, above.output),
    ...(webSearchesPerThousand === undefined
      ? {}
      : { web_searches_kcount: webSearchesPerThousand }),
  };
}

/** Scales every rate of a price by `factor` (Bedrock's regional endpoints: 1.1). */
function scaled(
  rates: { input: number; write5m: number; write1h: number; read: number; output: number },
  factor: number,
) {
  const round = (value: number) => Math.round(value * factor * 1e6) / 1e6;
  return {
    input: round(rates.input),
    write5m: round(rates.write5m),
    write1h: round(rates.write1h),
    read: round(rates.read),
    output: round(rates.output),
  };
}

/** Sonnet 4 / 4.5 standard rates, and their rates for prompts above 200K tokens. */
const SONNET = { input: 3, write5m: 3.75, write1h: 6, read: 0.3, output: 15 };
const SONNET_LONG = { input: 6, write5m: 7.5, write1h: 12, read: 0.6, output: 22.5 };
const LONG_CONTEXT = 200_000;

/** The regional (geography-prefixed) Bedrock ids of a model, e.g. `us.anthropic.<id>`. */
function bedrockRegional(id: string): string {
  return `^(?:(?:us|eu|apac|au|jp|us-gov)\\.)?anthropic\\.${id.replaceAll(".", "\\.")}`;
}

/**
 * Anthropic's corrections, each citing its page and the day it was read.
 *
 * @example Usage
 * ```ts
 * import { ANTHROPIC_CORRECTIONS } from "./anthropic.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(ANTHROPIC_CORRECTIONS.every((correction) => /^\d{4}-\d{2}-\d{2}$/.test(correction.checkedOn)));
 * ```
 */
export const ANTHROPIC_CORRECTIONS: readonly PriceCorrection[] = [
  {
    providerId: "anthropic",
    // Claude Sonnet 4 with a prompt above 200K tokens (its 1M context window): $6 input,
    // $7.50 / $12 cache writes, $0.60 cache reads, $22.50 output, for the whole request; the
    // catalog has only the standard rates (a 300K-token call: $0.660 instead of $1.305).
    // https://platform.claude.com/docs/en/about-claude/pricing ("Long context pricing"), read
    // 2026-12-06; the same rule as the catalog's own claude-sonnet-4-5 entry.
    model: {
      id: "claude-sonnet-4-0",
      match: {
        or: [
          { starts_with: "claude-sonnet-4-2025" },
          { starts_with: "claude-sonnet-4-0" },
          { starts_with: "claude-sonnet-4@" },
          { equals: "claude-sonnet-4" },
          { starts_with: "claude-4-sonnet" },
        ],
      },
      prices: tiered(LONG_CONTEXT, SONNET, SONNET_LONG, 10),
    },
    sourceUrl: ANTHROPIC_PRICING,
    checkedOn: "2026-12-06",
    corrects: ["claude-sonnet-4-20250514"],
  },
  {
    providerId: "google",
    // Claude Sonnet 4 on Vertex AI (`claude-sonnet-4@20250514`): Vertex passes Anthropic's
    // prices through, long-context rates included (Anthropic's pricing page, above; Vertex's
    // Claude prices at parity: https://tokenmix.ai/blog/vertex-ai-pricing, read 2026-12-06).
    model: {
      id: "claude-4-sonnet",
      match: {
        or: [
          { contains: "claude-4-sonnet" },
          { contains: "claude-sonnet-4-0" },
          { contains: "claude-sonnet-4@" },
          { contains: "claude-sonnet-4-2025" },
          { equals: "claude-sonnet-4" },
        ],
      },
      prices: tiered(LONG_CONTEXT, SONNET, SONNET_LONG),
    },
    sourceUrl: ANTHROPIC_PRICING,
    checkedOn: "2026-12-06",
    corrects: ["claude-sonnet-4@20250514"],
  },
  {
    providerId: "aws",
    // Bedrock's global Sonnet 4 and Sonnet 4.5 endpoints: Anthropic's rates, long context
    // included (Anthropic's pricing page, above: the long-context rates apply on Bedrock too).
    model: {
      id: "global.anthropic.claude-sonnet-4",
      match: {
        or: [
          { contains: "global.anthropic.claude-sonnet-4-20250514" },
          { contains: "global.anthropic.claude-sonnet-4-5-20250929" },
        ],
      },
      prices: tiered(LONG_CONTEXT, SONNET, SONNET_LONG),
    },
    sourceUrl: ANTHROPIC_PRICING,
    checkedOn: "2026-12-06",
    corrects: [
      "global.anthropic.claude-sonnet-4-20250514-v1:0",
      "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
    ],
  },
  {
    providerId: "aws",
    // Bedrock's regional Sonnet 4 (priced as global: Bedrock's 10% regional premium starts
    // with the 4.5 models) with Anthropic's long-context rates.
    // https://clauder-navi.com/en/bedrock-claude-cost/ (read 2026-12-06): "Starting with Claude
    // Sonnet 4.5 / Haiku 4.5 / Opus 4.5, ... regional priced 10% higher than global".
    model: {
      id: "regional.anthropic.claude-sonnet-4-20250514",
      match: { regex: bedrockRegional("claude-sonnet-4-20250514") },
      prices: tiered(LONG_CONTEXT, SONNET, SONNET_LONG),
    },
    sourceUrl: "https://clauder-navi.com/en/bedrock-claude-cost/",
    checkedOn: "2026-12-06",
    corrects: ["us.anthropic.claude-sonnet-4-20250514-v1:0"],
  },
  {
    providerId: "aws",
    // Bedrock's regional Sonnet 4.5 (`us.anthropic.claude-sonnet-4-5-20250929-v1:0`, ...):
    // 1.1x the global rates ($3.30 / $16.50, as the catalog has them) on every category, the
    // long-context rates included: $6.60 input, $0.66 cache reads, $24.75 output above 200K.
    // The regional premium: https://clauder-navi.com/en/bedrock-claude-cost/ ("The 10% Regional
    // Premium Applies to Both Input and Output"), read 2026-12-06.
    model: {
      id: "regional.anthropic.claude-sonnet-4-5-20250929",
      match: { regex: bedrockRegional("claude-sonnet-4-5-20250929") },
      prices: tiered(LONG_CONTEXT, scaled(SONNET, 1.1), scaled(SONNET_LONG, 1.1)),
    },
    sourceUrl: "https://clauder-navi.com/en/bedrock-claude-cost/",
    checkedOn: "2026-12-06",
    corrects: ["us.anthropic.claude-sonnet-4-5-20250929-v1:0"],
  },
  {
    providerId: "anthropic",
    // Claude Haiku 5.5 (`claude-haiku-5-5`, 2026-10-07), priced by prompt length: up to 100K
    // prompt tokens (cache reads and writes included) $0.10 input, $0.125 / $0.20 cache writes,
    // $0.01 cache reads, $0.50 output; above, the whole request at $0.50 / $0.625 / $1.00 /
    // $0.05 / $2.50. https://platform.claude.com/docs/en/about-claude/pricing (read 2026-12-06;
    // the same figures on https://docs.sim.ai/models/anthropic/claude-haiku-5-5).
    model: {
      id: "claude-haiku-5-5",
      match: {
        or: [
          { equals: "claude-haiku-5-5" },
          { regex: "^claude-haiku-5-5-\\d{8}$" },
          { starts_with: "claude-haiku-5-5@" },
          { equals: "claude-haiku-5.5" },
        ],
      },
      prices: tiered(
        100_000,
        { input: 0.1, write5m: 0.125, write1h: 0.2, read: 0.01, output: 0.5 },
        { input: 0.5, write5m: 0.625, write1h: 1, read: 0.05, output: 2.5 },
        10,
      ),
    },
    sourceUrl: ANTHROPIC_PRICING,
    checkedOn: "2026-12-06",
    corrects: ["claude-haiku-5-5"],
  },
];
