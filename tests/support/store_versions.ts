/** Stores as older graphmeters wrote them: what a later migration added, taken away again. */

/** Undoes migration 7 (node paths): no `paths` table, no `calls.path`, no critical path. */
export const UNDO_PATHS_MIGRATION = "DROP TABLE paths; ALTER TABLE calls DROP COLUMN path; " +
  "ALTER TABLE runs DROP COLUMN critical_path_json;";
