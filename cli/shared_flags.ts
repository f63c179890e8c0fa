/**
 * Flags that several commands take, declared once: the results store (`--db`), a gate's rules
 * (`--fail-on`) and a price table (`--prices`).
 *
 * @module
 */
import { type GateRule, GateRuleError, parseGateRules } from "../compare/gate.ts";
import { type Flag, valueFlag } from "./flags.ts";
import { pathFlag } from "./value_flags.ts";
import { DEFAULT_DB } from "./open_store.ts";
import { UsageError } from "./usage_error.ts";

/**
 * `--db FILE`: the results store, `reports/graphmeter.db` unless given.
 *
 * @example Usage
 * ```ts
 * import { DB_FLAG } from "./shared_flags.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DB_FLAG.shown, "reports/graphmeter.db");
 * ```
 */
export const DB_FLAG: Flag<string | null> = pathFlag("FILE", "the results store", {
  shown: DEFAULT_DB,
});

/**
 * `--prices FILE`: the user's price table, which wins over the catalog.
 *
 * @example Usage
 * ```ts
 * import { PRICES_FLAG } from "./shared_flags.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(PRICES_FLAG.default, null);
 * ```
 */
export const PRICES_FLAG: Flag<string | null> = pathFlag(
  "FILE",
  "a JSON price table in $ per million tokens that wins over the catalog: " +
    `{"<model>" or "<provider>:<model>": {"inputPerMTok": 0.2, "outputPerMTok": 0.6, ` +
    `"cacheReadPerMTok"?: ..., "cacheWritePerMTok"?: ...}}`,
);

/**
 * `--fail-on RULES`: a gate's rules, e.g. `cost:+5%,p95:+10%`.
 *
 * @param help What the flag does in this command.
 * @returns The flag; a bad rule is a usage error naming it.
 *
 * @example Usage
 * ```ts
 * import { failOnFlag } from "./shared_flags.ts";
 * import { parseFlags } from "./parse_flags.ts";
 * import assert from "node:assert/strict";
 *
 * const flags = { failOn: failOnFlag("a CI gate") };
 * assert.equal(parseFlags(flags, ["--fail-on", "cost:+5%"]).values.failOn[0].text, "cost:+5%");
 * assert.throws(() => parseFlags(flags, ["--fail-on", "speed:+5%"]), /^UsageError: --fail-on: /);
 * ```
 */
export function failOnFlag(help: string): Flag<GateRule[]> {
  return valueFlag("RULES", help, {
    default: [],
    parse: (text, flag) => {
      try {
        return parseGateRules(text);
      } catch (error) {
        if (error instanceof GateRuleError) throw new UsageError(`${flag}: ${error.message}`);
        throw error;
      }
    },
  });
}

/** What a gate's rules look like, for the help of the commands that take them. */
export const FAIL_ON_RULES = 'e.g. "cost:+5%,p95:+10%,errors:+0" (figures cost, tokens, calls, ' +
  "p50, p95 (end-to-end), service.p50, service.p95 (without the waits of retries and rate " +
  "limits), errors, exclusive; <stage>.<figure> for one stage, <stage>/<node>.<figure> for a " +
  "node inside one; quality.<key>:-2% or quality.<key>:-0.02 for how far an evaluator key's " +
  "mean score may drop)";
