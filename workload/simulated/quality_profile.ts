/**
 * The simulated model's quality profile: how often it errs when it answers as a given real model.
 * The rates are simulated, not measured on those models: they give the bundled benchmark a
 * quality-versus-cost trade-off to find with no key. A model of the small tiers (nano, lite)
 * drops relationships, misplaces nodes and returns malformed JSON; every other model answers as
 * the simulation's heuristics write, as it always did (so its tokens and costs are unchanged).
 *
 * @module
 */

/** How often the simulated model errs, per item of an answer (malformed: per answer). */
export interface QualityProfile {
  /** Chance that a relationship is dropped: a related chunk said to relate to nothing. */
  dropRelationshipRate: number;
  /** Chance that a node is misplaced: related to, appended to or created under another node. */
  misplaceNodeRate: number;
  /** Chance that an answer is malformed (cut short, not valid JSON). */
  malformedRate: number;
}

/** No mistake: the answers as the simulation writes them. */
export const NO_MISTAKES: Readonly<QualityProfile> = Object.freeze({
  dropRelationshipRate: 0,
  misplaceNodeRate: 0,
  malformedRate: 0,
});

/**
 * The simulated tiers, in the order they are matched against a model's name. Simulated rates:
 * stated in the README as such, not measurements of the named models.
 */
export const SIMULATED_QUALITY_TIERS: readonly {
  /** The tier's name, for reports. */
  readonly tier: string;
  /** Matches the models of the tier. */
  readonly pattern: RegExp;
  /** Its rates. */
  readonly profile: Readonly<QualityProfile>;
}[] = [
  {
    tier: "small (nano, lite)",
    pattern: /(?:^|[-_.:/])(?:nano|lite|flash-8b)(?:$|[-_.:])/i,
    profile: Object.freeze({
      dropRelationshipRate: 0.3,
      misplaceNodeRate: 0.15,
      malformedRate: 0.08,
    }),
  },
];

/**
 * The simulated quality profile of a model: its tier's rates, or no mistakes.
 *
 * @param model The real model's name the simulated model answers as.
 * @returns The rates.
 *
 * @example Usage
 * ```ts
 * import { qualityProfileFor } from "./quality_profile.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(qualityProfileFor("gpt-4.1-nano").dropRelationshipRate, 0.3);
 * assert.equal(qualityProfileFor("gemini-2.5-flash-lite").malformedRate, 0.08);
 * assert.equal(qualityProfileFor("gpt-4.1-mini").dropRelationshipRate, 0);
 * ```
 */
export function qualityProfileFor(model: string): Readonly<QualityProfile> {
  return SIMULATED_QUALITY_TIERS.find((tier) => tier.pattern.test(model))?.profile ?? NO_MISTAKES;
}
