/**
 * The CLI's words for what the runner reports as data: each {@linkcode BenchmarkEvent} becomes
 * one line on stderr, naming the flag that helps.
 *
 * @module
 */
import type { BenchmarkEvent } from "../../benchmark/options.ts";
import { formatUsd } from "../../report/format.ts";
import { runKey } from "../../benchmark/run_record.ts";

/**
 * Words one runner event as one line (without a line break).
 *
 * @param event The event.
 * @returns The line.
 *
 * @example Usage
 * ```ts
 * import { formatBenchEvent } from "./events.ts";
 * import assert from "node:assert/strict";
 *
 * const line = formatBenchEvent({ kind: "budget-unenforceable", provider: "openai", model: "x" });
 * assert.match(line, /^--max-cost: a call to openai:x could not be priced/);
 * ```
 */
export function formatBenchEvent(event: BenchmarkEvent): string {
  switch (event.kind) {
    case "log-records-skipped": {
      const [first] = event.skipped;
      const more = event.skipped.length > 1 ? ` and ${event.skipped.length - 1} more` : "";
      return `warning: --resume: skipped ${event.skipped.length} unreadable record(s) ` +
        `(${first.location}: ${first.reason}${more}); their runs are made again`;
    }
    case "output-not-summarized":
      return `warning: run ${runKey(event.run.inputId, event.run.repeat)}: the output could ` +
        `not be summarized (${event.reason}); its summary is left empty`;
    case "run-stopped":
      return `run ${runKey(event.run.inputId, event.run.repeat)} stopped in flight ` +
        `(${formatUsd(event.costUsd)} spent); --resume makes it again`;
    case "budget-unenforceable":
      return `--max-cost: a call to ${event.provider}:${event.model} could not be priced, so ` +
        "the budget cannot be held: stopping; price it with --prices FILE";
  }
}
