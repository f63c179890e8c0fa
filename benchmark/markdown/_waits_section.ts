/**
 * "Latency and waiting" in the benchmark report: per stage, the service latency (without the
 * waits) beside the end-to-end latency, HTTP attempts per call, 429s and the time waited, and a
 * plain warning when the waits are a material share of the latency figures. The rows are shared
 * with `report.html`.
 *
 * @module
 */
import type { BenchmarkAggregates } from "../result/benchmark_aggregates.ts";
import { waitsAreMaterial, waitShare } from "../result/service_latency.ts";
import { formatCount, formatMs, formatSeconds, formatShare } from "../../report/format.ts";
import { escapeMarkdown } from "../../report/performance_section.ts";

/** The columns of the waits table. */
export const WAIT_COLUMNS: readonly string[] = [
  "Stage",
  "End-to-end p50",
  "End-to-end p95",
  "Service p50",
  "Service p95",
  "Calls tracked",
  "Attempts / call",
  "429s",
  "Waited",
  "Share waited",
];

/** What the warning advises when the caller says nothing (the report knows no flags). */
export const DEFAULT_WAIT_ADVICE =
  "run fewer at once, or pace the calls to the provider's rate limits";

const orDash = (ms: number | null): string => ms === null ? "–" : formatMs(ms);

function attemptsPerCall(attempts: number, tracked: number): string {
  return tracked === 0 ? "–" : (attempts / tracked).toFixed(2);
}

/**
 * The waits table's rows: one per stage that made LLM calls, then the whole run (its wall
 * times). Names are raw (the caller escapes them for its format).
 *
 * @param a The aggregates.
 * @returns The rows, cell texts in {@linkcode WAIT_COLUMNS} order.
 */
export function waitRows(a: BenchmarkAggregates): string[][] {
  const stages = a.stages.filter((s) => s.llmCalls > 0);
  const totalLatency = stages.reduce((sum, s) => sum + s.latencyTotalMs, 0);
  return [
    ...stages.map((s) => [
      s.stage,
      formatMs(s.latencyP50Ms),
      formatMs(s.latencyP95Ms),
      orDash(s.serviceLatencyP50Ms),
      orDash(s.serviceLatencyP95Ms),
      `${formatCount(s.trackedCalls)} of ${formatCount(s.llmCalls)}`,
      attemptsPerCall(s.httpAttempts, s.trackedCalls),
      formatCount(s.rateLimitedAttempts),
      formatSeconds(s.waitMs),
      formatShare(waitShare(s.waitMs, s.latencyTotalMs)),
    ]),
    [
      "Run (total)",
      formatMs(a.wallTimeP50Ms),
      formatMs(a.wallTimeP95Ms),
      orDash(a.serviceWallTimeP50Ms),
      orDash(a.serviceWallTimeP95Ms),
      `${formatCount(a.trackedCalls)} of ${formatCount(a.llmCalls)}`,
      attemptsPerCall(a.httpAttempts, a.trackedCalls),
      formatCount(a.rateLimitedAttempts),
      formatSeconds(a.waitMs),
      formatShare(waitShare(a.waitMs, totalLatency)),
    ],
  ];
}

/**
 * The plain warning when waits are a material share of the latency figures, or null.
 *
 * @param a The aggregates.
 * @param advice What to do about it (the caller's words, e.g. its flags).
 * @returns The warning sentence, or null.
 */
export function waitWarning(a: BenchmarkAggregates, advice: string): string | null {
  const stages = a.stages.filter((s) => s.llmCalls > 0);
  const totalLatency = stages.reduce((sum, s) => sum + s.latencyTotalMs, 0);
  const share = waitShare(a.waitMs, totalLatency);
  const scopes = [
    ...stages.map((s) => ({
      serviceP50Ms: s.serviceLatencyP50Ms,
      serviceP95Ms: s.serviceLatencyP95Ms,
      endToEndP95Ms: s.latencyP95Ms,
    })),
    {
      serviceP50Ms: a.serviceWallTimeP50Ms,
      serviceP95Ms: a.serviceWallTimeP95Ms,
      endToEndP95Ms: a.wallTimeP95Ms,
    },
  ];
  if (a.waitMs === 0 || !waitsAreMaterial(share, scopes)) return null;
  const limited = a.rateLimitedAttempts > 0
    ? `, ${formatCount(a.rateLimitedAttempts)} of ${formatCount(a.httpAttempts)} attempts ` +
      "answered 429"
    : "";
  return `Waiting is ${formatShare(share)} of the stages' latency ` +
    `(${
      formatSeconds(a.waitMs)
    } waited: failed attempts, backoff, retry-after and pacing${limited}): ` +
    "the end-to-end figures measure this benchmark's own throttling as much as the provider. " +
    `Compare service latency, or ${advice}.`;
}

const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;

/**
 * The "Latency and waiting" section; empty when no successful run made an LLM call.
 *
 * @param a The aggregates.
 * @param advice What the warning advises.
 * @returns The Markdown section, heading included, or "".
 */
export function waitsSection(a: BenchmarkAggregates, advice: string = DEFAULT_WAIT_ADVICE): string {
  if (a.successfulRuns === 0 || a.llmCalls === 0) return "";
  const intro = "\n## Latency and waiting\n\nEnd-to-end latency includes the time calls " +
    "waited: failed attempts, backoff, `retry-after` and pacing to the providers' rate limits. " +
    "Service latency leaves the waiting out (a call's successful attempt and the client's own " +
    "work), over the runs whose calls all had their HTTP attempts tracked. The run row's " +
    "latencies are its wall times.\n\n";
  if (a.trackedCalls === 0) {
    return intro + "_No call's HTTP attempts were tracked: service latency and waits are " +
      "unknown._\n";
  }
  const rows = waitRows(a).map((cells, i, all) =>
    line(
      cells.map((cell, column) =>
        column > 0 ? cell : i === all.length - 1 ? `**${cell}**` : escapeMarkdown(cell)
      ),
    )
  );
  const warning = waitWarning(a, advice);
  return intro +
    [line(WAIT_COLUMNS), line(WAIT_COLUMNS.map((_, i) => i === 0 ? "---" : "---:")), ...rows]
      .join("\n") +
    "\n" + (warning === null ? "" : `\n**⚠️ ${warning}**\n`);
}
