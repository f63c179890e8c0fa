/**
 * The commands of the command line, in the order `graphmeter help` lists them. A new command is
 * a module that declares it (`defineCommand`) and one entry here.
 *
 * @module
 */
import { benchCommand } from "./bench.ts";
import { checkStoreCommand } from "./check_store.ts";
import type { Command } from "./command.ts";
import { compareCommand } from "./compare.ts";
import { exportCommand } from "./export.ts";
import { historyCommand } from "./history.ts";
import { mergeCommand } from "./merge.ts";
import { pricesCommand } from "./prices.ts";
import { repriceCommand } from "./reprice.ts";
import { tuneCommand } from "./tune.ts";

/**
 * Every command, declared.
 *
 * @example Usage
 * ```ts
 * import { COMMANDS } from "./commands.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(
 *   COMMANDS.map((command) => command.name),
 *   [
 *     "bench",
 *     "tune",
 *     "compare",
 *     "reprice",
 *     "history",
 *     "export",
 *     "merge",
 *     "prices",
 *     "check-store",
 *   ],
 * );
 * ```
 */
export const COMMANDS: readonly Command[] = [
  benchCommand,
  tuneCommand,
  compareCommand,
  repriceCommand,
  historyCommand,
  exportCommand,
  mergeCommand,
  pricesCommand,
  checkStoreCommand,
];
