/**
 * What the project modules share: their error (a mistake the user can fix) and how they read the
 * file system (passed in, so they are testable without a disk).
 *
 * @module
 */

/**
 * A mistake the user can fix in the project (one line saying what to do).
 *
 * @example Usage
 * ```ts
 * import { ProjectError } from "./project_error.ts";
 * import { resolveGraphRef } from "./langgraph_json.ts";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(resolveGraphRef("agent", "/p", null, () => Promise.resolve(null)), ProjectError);
 * ```
 */
export class ProjectError extends Error {
  override name = "ProjectError";
}

/** Reads a file, or returns null when there is none. */
export type ReadText = (path: string) => Promise<string | null>;
/** Whether a path exists (file or folder). */
export type Exists = (path: string) => Promise<boolean>;
