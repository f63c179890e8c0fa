/** Stores as older graphmeters wrote them: what each later migration added, taken away again. */

/** Undoes migration 6 (node paths): no `paths` table, no `calls.path`, no critical path. */
export const UNDO_MIGRATION_6 = "DROP TABLE paths; ALTER TABLE calls DROP COLUMN path; " +
  "ALTER TABLE runs DROP COLUMN critical_path_json;";
