/**
 * A budget needs prices: before a benchmark with `--max-cost` starts, every chosen model must be
 * priced by the catalog or by `--prices`, or the budget could not be held.
 *
 * @module
 */
import { providerForModel } from "../../workload/simulated/provider.ts";
import { estimateCost } from "../../pricing/estimate.ts";
import type { PriceOverrides } from "../../pricing/overrides.ts";
import { zeroTokenUsage } from "../../pricing/token_usage.ts";
import type { ModelChoice } from "./args.ts";

/**
 * LangChain's provider name for a CLI provider (what calls are priced under): a simulated model
 * answers as its real model's provider.
 *
 * @param choice The provider and model.
 * @returns The provider calls are priced under.
 *
 * @example Usage
 * ```ts
 * import { pricedProvider } from "./budget.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(pricedProvider({ provider: "simulated", model: "gemini-2.5-flash" }), "google_genai");
 * ```
 */
export function pricedProvider(choice: ModelChoice): string {
  switch (choice.provider) {
    case "simulated":
      return providerForModel(choice.model);
    case "google-genai":
      return "google_genai";
    default:
      return choice.provider;
  }
}

/**
 * The chosen models no price table prices (as `provider:model`, each once).
 *
 * @param choices The model of each stage.
 * @param overrides The `--prices` table, if any.
 * @returns The unpriced ones; empty when a budget can be held.
 *
 * @example Usage
 * ```ts
 * import { unpricedModels } from "./budget.ts";
 * import assert from "node:assert/strict";
 *
 * const choices = {
 *   a: { provider: "openai" as const, model: "gpt-4.1-mini" },
 *   b: { provider: "openai" as const, model: "my-finetune" },
 * };
 * assert.deepEqual(unpricedModels(choices), ["openai:my-finetune"]);
 * const prices = { "my-finetune": { inputPerMTok: 1, outputPerMTok: 2 } };
 * assert.deepEqual(unpricedModels(choices, prices), []);
 * ```
 */
export function unpricedModels(
  choices: Readonly<Record<string, ModelChoice>>,
  overrides?: PriceOverrides,
): string[] {
  const usage = { ...zeroTokenUsage(), inputTokens: 1000, outputTokens: 1000 };
  const unpriced = new Set<string>();
  for (const choice of Object.values(choices)) {
    const provider = pricedProvider(choice);
    const { costUsd } = estimateCost(usage, choice.model, { provider, overrides });
    if (costUsd === null) unpriced.add(`${choice.provider}:${choice.model}`);
  }
  return [...unpriced];
}
