/**
 * Benchmark progress on stderr: a bar redrawn in place on a terminal, plain lines otherwise.
 *
 * @module
 */
import type { BenchmarkProgress } from "../../benchmark/runner.ts";
import { formatPartialCost } from "../../report/format.ts";

/**
 * Formats a duration as `m:ss` (or `h:mm:ss`).
 *
 * @param ms The duration in milliseconds.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import { formatClock } from "./progress.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatClock(83_000), "1:23");
 * assert.equal(formatClock(3_723_000), "1:02:03");
 * ```
 */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/**
 * One line of progress: runs done, failures, elapsed time, ETA and cost so far (worded as the
 * report words it: `unpriced`, never `$0`, for calls without a price), then any extra parts
 * (retries, windows of the runs in flight); with a bar when `barWidth` is given.
 *
 * @param progress Where the benchmark stands.
 * @param barWidth The bar's width in characters, or 0 for no bar.
 * @param extra More parts to show (e.g. `2 retries`, `lecture#0 window 3/40`).
 * @returns The line (without a line break).
 *
 * @example Usage
 * ```ts
 * import { formatProgress } from "./progress.ts";
 * import assert from "node:assert/strict";
 *
 * const line = formatProgress(
 *   {
 *     done: 1,
 *     total: 4,
 *     failed: 0,
 *     running: 1,
 *     failedCalls: 1,
 *     elapsedMs: 2000,
 *     etaMs: 6000,
 *     costUsd: null,
 *     unpricedCalls: 9,
 *   },
 *   8,
 * );
 * assert.equal(line, "[##------] 1/4 runs · 1 call failed · 0:02 elapsed · ETA 0:06 · unpriced");
 * ```
 */
export function formatProgress(
  progress: BenchmarkProgress,
  barWidth: number,
  extra: readonly string[] = [],
): string {
  const { done, total, failed, failedCalls, elapsedMs, etaMs, costUsd, unpricedCalls } = progress;
  const parts = [
    `${done}/${total} runs${failed > 0 ? ` (${failed} failed)` : ""}`,
    ...(failedCalls > 0 ? [`${failedCalls} call${failedCalls === 1 ? "" : "s"} failed`] : []),
    `${formatClock(elapsedMs)} elapsed`,
    `ETA ${etaMs === null ? "?" : formatClock(etaMs)}`,
    formatPartialCost(costUsd, unpricedCalls),
    ...extra,
  ];
  if (barWidth <= 0) return parts.join(" · ");
  const filled = total === 0 ? barWidth : Math.round((done / total) * barWidth);
  return `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}] ${parts.join(" · ")}`;
}

/**
 * Makes a progress callback that writes to a stream: on a terminal, one bar redrawn in place;
 * otherwise one plain line per finished run.
 *
 * @param write Writes text (e.g. to stderr).
 * @param isTerminal Whether the stream is a terminal.
 * @param now The clock in milliseconds (for `tick`).
 * @param extra More parts for each line (e.g. retries, windows of the runs in flight).
 * @returns `report` (the runner's callback), `tick` (redraws the bar with the time moved on; call
 * it every second or so) and `end` (finishes the bar's line).
 *
 * @example Usage
 * ```ts
 * import { progressReporter } from "./progress.ts";
 * import assert from "node:assert/strict";
 *
 * let text = "";
 * const reporter = progressReporter((chunk) => (text += chunk), false);
 * reporter.report({
 *   done: 1,
 *   total: 2,
 *   failed: 0,
 *   running: 0,
 *   failedCalls: 0,
 *   elapsedMs: 1000,
 *   etaMs: 1000,
 *   costUsd: 0,
 *   unpricedCalls: 0,
 * });
 * reporter.end();
 * assert.equal(text, "1/2 runs · 0:01 elapsed · ETA 0:01 · $0\n");
 * ```
 */
export function progressReporter(
  write: (text: string) => void,
  isTerminal: boolean,
  now: () => number = () => performance.now(),
  extra: () => string[] = () => [],
): { report: (progress: BenchmarkProgress) => void; tick: () => void; end: () => void } {
  let drawn = false;
  let last: { progress: BenchmarkProgress; at: number } | null = null;
  const draw = (progress: BenchmarkProgress): void => {
    write(`\r\x1b[2K${formatProgress(progress, 24, extra())}`);
    drawn = true;
  };
  return {
    report(progress: BenchmarkProgress): void {
      if (isTerminal) draw(progress);
      else if (progress.done !== last?.progress.done && progress.done > 0) {
        write(formatProgress(progress, 0, extra()) + "\n");
      }
      last = { progress, at: now() };
    },
    tick(): void {
      if (!isTerminal || last === null) return;
      const moved = now() - last.at;
      const { elapsedMs, etaMs } = last.progress;
      draw({
        ...last.progress,
        elapsedMs: elapsedMs + moved,
        etaMs: etaMs === null ? null : Math.max(0, etaMs - moved),
      });
    },
    end(): void {
      if (drawn) write("\n");
      drawn = false;
    },
  };
}
