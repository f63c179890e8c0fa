/**
 * The CI gate: rules such as `cost:+5%,p95:+10%,errors:+0` say how far a figure may regress, and
 * `quality.<key>:-2%` (or `-0.02`) how far a score may drop; a rule fails when its figure
 * regressed significantly (its interval excludes zero) and the change passes the threshold,
 * criterion.rs's "significant and above the noise threshold".
 *
 * @module
 */
import type { Comparison, FigureComparison } from "./compare_benchmarks.ts";
import type { Figure } from "./figures.ts";
import type { QualityComparison } from "./quality_comparison.ts";

/** The figures a rule may name, and the figure each compares. */
const GATE_FIGURES: Readonly<Record<string, Figure>> = {
  cost: "cost",
  tokens: "tokens",
  calls: "calls",
  p50: "p50",
  p95: "p95",
  "service.p50": "serviceP50",
  "service.p95": "serviceP95",
  errors: "errors",
  exclusive: "exclusive",
};

/** Figure names, longest first (`service.p95` before `p95`), to find one at a rule's end. */
const FIGURE_NAMES = Object.keys(GATE_FIGURES).sort((a, b) => b.length - a.length);

/** Splits a rule's name into its stage (or null) and its figure's name. */
function splitName(name: string): { stage: string | null; figureName: string } {
  for (const figureName of FIGURE_NAMES) {
    if (name === figureName) return { stage: null, figureName };
    if (name.endsWith(`.${figureName}`)) {
      return { stage: name.slice(0, -figureName.length - 1), figureName };
    }
  }
  const dot = name.lastIndexOf(".");
  return dot < 0
    ? { stage: null, figureName: name }
    : { stage: name.slice(0, dot), figureName: name.slice(dot + 1) };
}

/** One rule of the gate. */
export interface GateRule {
  /** The rule as written, e.g. `relationship_analysis.cost:+5%`. */
  text: string;
  /**
   * The stage or node path (`research_agent/tools`), or null for the whole pipeline (and for a
   * quality rule).
   */
  stage: string | null;
  /** The figure, or `quality` for an evaluator key's score. */
  figure: Figure | "quality";
  /** The evaluator key of a `quality.<key>` rule. */
  key?: string;
  /**
   * The allowed change: a fraction of the baseline (`percent`) or an amount (`absolute`); an
   * increase for a figure, a drop for a quality score.
   */
  threshold: { kind: "percent" | "absolute"; value: number };
}

/** A rule the gate could not read: the message says what to write instead. */
export class GateRuleError extends Error {
  /** The error's name. */
  override name = "GateRuleError";
}

/** A `quality.<key>:-<number>[%]` rule, or null when the rule is not about quality. */
function qualityRule(part: string, name: string, limit: string): GateRule | null {
  if (!name.startsWith("quality.")) return null;
  const key = name.slice("quality.".length).trim();
  if (key === "") {
    throw new GateRuleError(`rule "${part}": name the key, e.g. "quality.correctness:-2%"`);
  }
  const match = /^[-−](\d+(?:\.\d+)?)(%?)$/.exec(limit);
  if (match === null) {
    throw new GateRuleError(
      `rule "${part}": a score may only drop: write -<number>% or -<number>, e.g. ` +
        `"quality.${key}:-2%" or "quality.${key}:-0.02"`,
    );
  }
  const amount = Number(match[1]);
  const threshold = match[2] === "%"
    ? { kind: "percent" as const, value: amount / 100 }
    : { kind: "absolute" as const, value: amount };
  return { text: part, stage: null, figure: "quality", key, threshold };
}

/**
 * Parses a gate's rules: comma-separated `[<stage or node path>.]<figure>:+<number>[%]`, figures
 * `cost`, `tokens`, `calls`, `p50`, `p95` (end-to-end, waits included), `service.p50`,
 * `service.p95` (without the calls' waits: failed attempts, backoff, pacing; for the total and
 * the stages), `errors`, and `exclusive` (a stage's or node's own time per run), a node path
 * inside a stage written `research_agent/tools`; and
 * `quality.<key>:-<number>[%]`, how far an evaluator key's mean score may drop.
 *
 * @param text The rules, e.g. `cost:+5%,p95:+10%,errors:+0`.
 * @returns The rules, in order.
 * @throws {GateRuleError} On a rule that cannot be read.
 *
 * @example Usage
 * ```ts
 * import { parseGateRules } from "./gate.ts";
 * import assert from "node:assert/strict";
 *
 * const [cost, stageCost] = parseGateRules("cost:+5%, relationship_analysis.cost:+0.01");
 * assert.deepEqual(cost.threshold, { kind: "percent", value: 0.05 });
 * assert.equal(stageCost.stage, "relationship_analysis");
 * assert.deepEqual(stageCost.threshold, { kind: "absolute", value: 0.01 });
 * assert.throws(() => parseGateRules("speed:+5%"), /unknown figure "speed"/);
 * const [service] = parseGateRules("relationship_analysis.service.p95:+10%");
 * assert.deepEqual([service.stage, service.figure], ["relationship_analysis", "serviceP95"]);
 * assert.equal(parseGateRules("research_agent/tools.p95:+10%")[0].stage, "research_agent/tools");
 * const [quality] = parseGateRules("quality.correctness:-2%");
 * assert.equal(quality.key, "correctness");
 * assert.deepEqual(quality.threshold, { kind: "percent", value: 0.02 });
 * ```
 */
export function parseGateRules(text: string): GateRule[] {
  const parts = text.split(",").map((part) => part.trim()).filter((part) => part !== "");
  if (parts.length === 0) throw new GateRuleError(`no rule in "${text}"; e.g. "cost:+5%"`);
  return parts.map((part) => {
    const colon = part.lastIndexOf(":");
    if (colon < 0) {
      throw new GateRuleError(`rule "${part}": write <figure>:+<limit>, e.g. "cost:+5%"`);
    }
    const name = part.slice(0, colon).trim();
    const limit = part.slice(colon + 1).trim();
    const quality = qualityRule(part, name, limit);
    if (quality !== null) return quality;
    const { stage, figureName } = splitName(name);
    const figure = GATE_FIGURES[figureName];
    if (figure === undefined) {
      throw new GateRuleError(
        `rule "${part}": unknown figure "${figureName}"; use one of ` +
          Object.keys(GATE_FIGURES).join(", ") + ", or quality.<key>",
      );
    }
    if (stage === "") throw new GateRuleError(`rule "${part}": the stage before "." is empty`);
    const match = /^\+?(\d+(?:\.\d+)?)(%?)$/.exec(limit);
    if (match === null) {
      throw new GateRuleError(
        `rule "${part}": the limit must be +<number> or +<number>%, e.g. "+5%" or "+0"`,
      );
    }
    const amount = Number(match[1]);
    const threshold = match[2] === "%"
      ? { kind: "percent" as const, value: amount / 100 }
      : { kind: "absolute" as const, value: amount };
    return { text: part, stage, figure, threshold };
  });
}

/** One rule checked against a comparison. */
export interface GateResult {
  /** The rule. */
  rule: GateRule;
  /** The figure (or the evaluator key) the rule looked at. */
  comparison: FigureComparison | QualityComparison;
  /** True when the figure regressed significantly past the threshold. */
  failed: boolean;
}

/** Whether a score's drop passes the threshold (a drop from 0 cannot happen: scores are ≥ 0). */
function droppedPastThreshold(q: QualityComparison, rule: GateRule): boolean {
  const drop = -(q.delta ?? 0);
  if (rule.threshold.kind === "absolute") return drop > rule.threshold.value;
  if (q.relativeDelta === null) return drop > 0;
  return -q.relativeDelta > rule.threshold.value;
}

/** Whether the change passes the threshold. */
function pastThreshold(figure: FigureComparison, rule: GateRule): boolean {
  const delta = figure.delta ?? 0;
  if (rule.threshold.kind === "absolute") return delta > rule.threshold.value;
  if (figure.relativeDelta === null) return delta > 0; // from zero, any rise is past any percent
  return figure.relativeDelta > rule.threshold.value;
}

/**
 * Checks the rules against a comparison.
 *
 * @param comparison The comparison.
 * @param rules The rules.
 * @returns One result per rule.
 * @throws {GateRuleError} When a rule names a stage or node path neither benchmark has, or a
 *   figure its scope lacks.
 *
 * @example Usage
 * ```ts
 * import { checkGate, parseGateRules } from "./gate.ts";
 * import type { Comparison } from "./compare_benchmarks.ts";
 * import assert from "node:assert/strict";
 *
 * const cost = {
 *   figure: "cost", baseline: 1, candidate: 1.2, delta: 0.2, relativeDelta: 0.2,
 *   interval: [0.1, 0.3], verdict: "regressed",
 * };
 * const comparison = { scopes: [{ stage: null, figures: [cost] }] } as unknown as Comparison;
 * assert.equal(checkGate(comparison, parseGateRules("cost:+10%"))[0].failed, true);
 * assert.equal(checkGate(comparison, parseGateRules("cost:+25%"))[0].failed, false);
 * ```
 */
export function checkGate(comparison: Comparison, rules: readonly GateRule[]): GateResult[] {
  return rules.map((rule) => {
    if (rule.figure === "quality") {
      const q = comparison.quality.find((candidate) => candidate.key === rule.key);
      if (q === undefined) {
        throw new GateRuleError(
          `rule "${rule.text}": no evaluator key "${rule.key}" in either benchmark; keys: ` +
            (comparison.quality.map((k) => k.key).join(", ") || "(none: run with evaluators)"),
        );
      }
      return {
        rule,
        comparison: q,
        failed: q.verdict === "regressed" && droppedPastThreshold(q, rule),
      };
    }
    const scope = comparison.scopes.find((s) => s.stage === rule.stage);
    if (scope === undefined) {
      const stages = comparison.scopes.flatMap((s) =>
        s.stage === null || s.depth !== undefined ? [] : [s.stage]
      );
      const nested = comparison.scopes.filter((s) => s.depth !== undefined).length;
      throw new GateRuleError(
        `rule "${rule.text}": no stage "${rule.stage}" (nor node path) in either benchmark; ` +
          `stages: ${stages.join(", ") || "(none)"}` +
          (nested > 0
            ? ` (and ${nested} node paths inside them, e.g. "${
              comparison.scopes.find((s) => s.depth !== undefined)?.stage
            }")`
            : ""),
      );
    }
    const figure = scope.figures.find((f) => f.figure === rule.figure);
    if (figure === undefined) {
      throw new GateRuleError(
        `rule "${rule.text}": the whole pipeline has no ${rule.figure} figure; name a stage or ` +
          `a node path, e.g. "research_agent.${rule.figure}:+10%"`,
      );
    }
    return {
      rule,
      comparison: figure,
      failed: figure.verdict === "regressed" && pastThreshold(figure, rule),
    };
  });
}
