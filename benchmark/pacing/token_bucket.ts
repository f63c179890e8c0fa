/**
 * A token bucket: an allowance that refills at a steady rate up to its capacity, the shape of a
 * provider's per-minute limit (a full minute's allowance may go at once; it comes back at
 * limit / 60 s). Pure: every method takes the time.
 *
 * @module
 */

/**
 * A token bucket of `capacity`, refilled at `capacity / windowMs` per millisecond.
 *
 * @example Usage
 * ```ts
 * import { TokenBucket } from "./token_bucket.ts";
 * import assert from "node:assert/strict";
 *
 * const bucket = new TokenBucket(600, 60_000, 0); // 600 a minute, full at 0 ms
 * bucket.take(600, 0);
 * assert.equal(bucket.msUntil(1, 0), 100); // one more after 100 ms
 * assert.equal(bucket.levelAt(1_000), 10);
 * ```
 */
export class TokenBucket {
  #capacity: number;
  #windowMs: number;
  #level: number;
  #updatedMs: number;

  /**
   * Creates a full bucket.
   *
   * @param capacity The allowance per window.
   * @param windowMs The window, milliseconds (60,000 for a per-minute limit).
   * @param nowMs The time, milliseconds.
   */
  constructor(capacity: number, windowMs: number, nowMs: number) {
    this.#capacity = capacity;
    this.#windowMs = windowMs;
    this.#level = capacity;
    this.#updatedMs = nowMs;
  }

  /** The allowance per window. */
  get capacity(): number {
    return this.#capacity;
  }

  /**
   * The level at `nowMs` (negative after a take larger than what was left).
   *
   * @param nowMs The time, milliseconds.
   * @returns The level.
   */
  levelAt(nowMs: number): number {
    const refilled = (Math.max(0, nowMs - this.#updatedMs) * this.#capacity) / this.#windowMs;
    return Math.min(this.#capacity, this.#level + refilled);
  }

  /**
   * Milliseconds until `amount` is available (an amount above the capacity waits for a full
   * bucket); 0 when it is available now.
   *
   * @param amount The amount wanted.
   * @param nowMs The time, milliseconds.
   * @returns The wait, milliseconds.
   */
  msUntil(amount: number, nowMs: number): number {
    const missing = Math.min(amount, this.#capacity) - this.levelAt(nowMs);
    return missing <= 0 ? 0 : (missing * this.#windowMs) / this.#capacity;
  }

  /**
   * Takes `amount` (a negative amount gives it back), whatever the level.
   *
   * @param amount The amount.
   * @param nowMs The time, milliseconds.
   */
  take(amount: number, nowMs: number): void {
    this.#level = this.levelAt(nowMs) - amount;
    this.#updatedMs = Math.max(this.#updatedMs, nowMs);
  }

  /**
   * Lowers the level to `level` when it is above it (what the provider says is left).
   *
   * @param level The level the provider reported.
   * @param nowMs The time, milliseconds.
   */
  lowerTo(level: number, nowMs: number): void {
    const current = this.levelAt(nowMs);
    this.#level = Math.min(current, level);
    this.#updatedMs = Math.max(this.#updatedMs, nowMs);
  }

  /**
   * Changes the window the capacity refills over (a refill rate learnt), keeping the level.
   *
   * @param windowMs The new window, milliseconds.
   * @param nowMs The time, milliseconds.
   */
  rewindow(windowMs: number, nowMs: number): void {
    this.#level = this.levelAt(nowMs);
    this.#updatedMs = Math.max(this.#updatedMs, nowMs);
    this.#windowMs = windowMs;
  }

  /**
   * Changes the capacity (a limit learnt or told), keeping what was taken so far.
   *
   * @param capacity The new allowance per window.
   * @param nowMs The time, milliseconds.
   */
  resize(capacity: number, nowMs: number): void {
    const used = this.#capacity - this.levelAt(nowMs);
    this.#capacity = capacity;
    this.#level = capacity - used;
    this.#updatedMs = Math.max(this.#updatedMs, nowMs);
  }
}
