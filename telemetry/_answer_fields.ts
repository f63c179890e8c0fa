/**
 * Reading fields out of a provider's answer as LangChain hands it over (plain JSON objects of
 * unknown shape): shared by the usage and billing readers.
 *
 * @module
 */

/** A JSON object of unknown shape. */
export type Dict = Record<string, unknown>;

/** The value as an object, or undefined when it is not one. */
export function asDict(value: unknown): Dict | undefined {
  return typeof value === "object" && value !== null ? value as Dict : undefined;
}

/**
 * A reported count as a number: absent is 0; anything reported is kept as it is (rounded when
 * finite), so negative, non-finite or absurd counts reach the handler's usage check and are flagged
 * instead of silently becoming 0.
 */
export function count(value: unknown): number {
  if (typeof value !== "number") return 0;
  return Number.isFinite(value) ? Math.round(value) : value;
}

/** True when the dict holds a number under at least one of the keys (a count was reported). */
export function hasCount(dict: Dict, ...keys: string[]): boolean {
  return keys.some((key) => typeof dict[key] === "number" && Number.isFinite(dict[key]));
}

/** The first non-empty string among the values, or null. */
export function firstString(...values: unknown[]): string | null {
  for (const value of values) {
    if (typeof value === "string" && value.length > 0) return value;
  }
  return null;
}
