/**
 * Progress inside the runs in flight of the reference workload: windows done / total of each,
 * counted from its segmentation calls (one per window), so a long transcript is never silent.
 *
 * @module
 */
import type { LLMCallMetrics } from "../../telemetry/metrics.ts";
import type { PlannedRun } from "../../benchmark/schedule.ts";
import { runKey } from "../../benchmark/run_record.ts";

/**
 * Tracks the windows of the runs in flight.
 *
 * @param windowsOf The number of windows of an input, by id.
 * @returns `onCallEnd` and `onRunEnd` for the runner, and `parts()` for the progress line.
 *
 * @example Usage
 * ```ts
 * import { windowProgress } from "./window_progress.ts";
 * import type { LLMCallMetrics } from "../../telemetry/metrics.ts";
 * import assert from "node:assert/strict";
 *
 * const progress = windowProgress(() => 40);
 * const run = { inputIndex: 0, inputId: "lecture", repeat: 0 };
 * progress.onCallEnd(run, { stage: "segmentation" } as LLMCallMetrics);
 * assert.deepEqual(progress.parts(), ["lecture#0 window 1/40"]);
 * progress.onRunEnd(run);
 * assert.deepEqual(progress.parts(), []);
 * ```
 */
export function windowProgress(windowsOf: (inputId: string) => number): {
  onCallEnd: (run: PlannedRun, call: LLMCallMetrics) => void;
  onRunEnd: (run: PlannedRun) => void;
  parts: () => string[];
} {
  const started = new Map<string, { windows: number; total: number }>();
  return {
    onCallEnd(run, call) {
      if (call.stage !== "segmentation") return;
      const key = runKey(run.inputId, run.repeat);
      const entry = started.get(key) ?? { windows: 0, total: windowsOf(run.inputId) };
      entry.windows++;
      started.set(key, entry);
    },
    onRunEnd(run) {
      started.delete(runKey(run.inputId, run.repeat));
    },
    parts() {
      const shown = [...started].slice(0, 3).map(([key, entry]) =>
        `${key} window ${entry.windows}/${entry.total}`
      );
      return started.size > 3 ? [...shown, `+${started.size - 3} more`] : shown;
    },
  };
}
