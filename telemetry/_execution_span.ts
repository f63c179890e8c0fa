/**
 * The zod schema of one node execution's span, apart from the other metric schemas so that the
 * stage's (`metrics.ts`) and the node paths' (`path_metrics.ts`) can both use it.
 *
 * @module
 */
import { z } from "zod";

/** The zod schema of `ExecutionSpan`. */
export const executionSpanSchema = z.object({
  startedAt: z.number().describe("Start, epoch milliseconds."),
  latencyMs: z.number().nonnegative().describe("Wall time, milliseconds."),
  failed: z.boolean().describe("The execution threw (a retry policy may have run it again)."),
}).describe(
  "One execution of a node (a stage's, or a node inside it): when it started, how long it " +
    "took, whether it failed.",
);
