/**
 * `--rpm` / `--tpm`: the rate limits a benchmark is told per provider endpoint, and the progress
 * line's word on pacing (when it holds requests, and why).
 *
 * @module
 */
import type { EndpointPacing, LimitState, ToldLimits } from "../../benchmark/pacing/rate_pacer.ts";
import { formatCount } from "../../report/format.ts";
import { type LimitFlag, PROVIDERS } from "./args.ts";
import { DEFAULT_BASE_URLS } from "./provider_errors.ts";

/** The host a `--rpm` target names: a provider's endpoint (`--base-url`'s, else its default). */
function hostOf(target: string, baseUrl: string | null, providers: readonly string[]): string {
  if (!(PROVIDERS as readonly string[]).includes(target)) return target;
  const url = baseUrl !== null && providers.includes(target)
    ? baseUrl
    : DEFAULT_BASE_URLS[target] ?? `http://${target}`;
  return new URL(url).host;
}

/**
 * The told limits per host (`*` for every endpoint), for the pacer.
 *
 * @param rpm The `--rpm` values.
 * @param tpm The `--tpm` values.
 * @param baseUrl `--base-url`, or null.
 * @param providers The providers the benchmark's models use (a provider's `--base-url`).
 * @returns Limits by host.
 *
 * @example Usage
 * ```ts
 * import { toldLimits } from "./pacing.ts";
 * import assert from "node:assert/strict";
 *
 * const told = toldLimits([{ target: "openai", perMinute: 500 }], [], null, ["openai"]);
 * assert.deepEqual(told, { "api.openai.com": { requestsPerMinute: 500 } });
 * ```
 */
export function toldLimits(
  rpm: readonly LimitFlag[],
  tpm: readonly LimitFlag[],
  baseUrl: string | null,
  providers: readonly string[],
): Record<string, ToldLimits> {
  const told: Record<string, ToldLimits> = {};
  const add = (flags: readonly LimitFlag[], field: keyof ToldLimits) => {
    for (const flag of flags) {
      const host = flag.target === null ? "*" : hostOf(flag.target, baseUrl, providers);
      told[host] = { ...told[host], [field]: flag.perMinute };
    }
  };
  add(rpm, "requestsPerMinute");
  add(tpm, "tokensPerMinute");
  // A limit told for every endpoint also applies where only the other one was told per host.
  for (const [host, limits] of Object.entries(told)) {
    if (host !== "*") told[host] = { ...told["*"], ...limits };
  }
  return told;
}

const SOURCE: Record<LimitState["source"], string> = {
  told: "--rpm/--tpm",
  headers: "its rate-limit headers",
  "429s": "its 429s",
};

function limitText(state: LimitState, unit: string): string {
  const per = state.windowMs === 60_000 ? "/min" : ` per ${(state.windowMs / 1000).toFixed(1)} s`;
  return `${formatCount(state.limit)} ${unit}${per}`;
}

/**
 * The progress line's parts on pacing: one per endpoint that holds requests now or is paused
 * after a 429, saying to what limits and from where they came; nothing when nothing is held.
 *
 * @param status The pacer's status.
 * @returns The parts.
 *
 * @example Usage
 * ```ts
 * import { formatPacing } from "./pacing.ts";
 * import assert from "node:assert/strict";
 *
 * const [part] = formatPacing([{
 *   endpoint: "127.0.0.1:8080 gpt-4.1-mini",
 *   requests: { limit: 600, windowMs: 60_000, source: "headers" },
 *   tokens: { limit: 200000, windowMs: 60_000, source: "headers" },
 *   waiting: 12,
 *   pausedForMs: 0,
 *   rateLimited: 0,
 *   held: { requests: 40, ms: 9000 },
 * }]);
 * assert.equal(
 *   part,
 *   "pacing 127.0.0.1:8080 gpt-4.1-mini: 12 held for 600 requests/min, 200,000 tokens/min " +
 *     "(from its rate-limit headers)",
 * );
 * ```
 */
export function formatPacing(status: readonly EndpointPacing[]): string[] {
  return status.flatMap((endpoint) => {
    if (endpoint.waiting === 0 && endpoint.pausedForMs === 0) return [];
    const limits = [
      endpoint.requests && limitText(endpoint.requests, "requests"),
      endpoint.tokens && limitText(endpoint.tokens, "tokens"),
    ].filter((text): text is string => text !== null);
    const sources = [
      ...new Set(
        [endpoint.requests?.source, endpoint.tokens?.source].filter((s) => s !== undefined),
      ),
    ].map((source) => SOURCE[source!]);
    const paused = endpoint.pausedForMs > 0
      ? `paused ${(endpoint.pausedForMs / 1000).toFixed(1)} s after a 429`
      : null;
    const held = endpoint.waiting > 0 ? `${endpoint.waiting} held` : null;
    const why = limits.length > 0
      ? ` for ${limits.join(", ")} (from ${sources.join(" and ")})`
      : "";
    return [
      `pacing ${endpoint.endpoint}: ${[paused, held].filter((t) => t !== null).join(", ")}${why}`,
    ];
  });
}
