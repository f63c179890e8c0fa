/**
 * A compile-time check that a published interface and its zod schema name the same fields: the
 * interfaces are spelled out for the docs, the schemas validate, and this keeps the two one.
 *
 * @module
 */

/** `true` when `A` and `B` have exactly the same keys, else `false`. */
export type SameKeys<A, B> = [keyof A] extends [keyof B]
  ? ([keyof B] extends [keyof A] ? true : false)
  : false;
