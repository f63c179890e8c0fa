/**
 * Budget counters in Redis, for a fleet: each reservation and each charge is one Lua script, run
 * atomically by Redis over all the counters a call touches, and windowed counters expire with
 * their window. Its own import (`@graphmeter/graphmeter/budget/redis`), so the rest of graphmeter
 * never loads a Redis client.
 *
 * @module
 */
import { createClient } from "@redis/client";
import type { BudgetCounter, BudgetCounterEntry, BudgetReservation } from "./counter.ts";

// The types this entry point's signatures use, so its documentation is complete.
export type { BudgetCounter, BudgetCounterEntry, BudgetReservation } from "./counter.ts";

/** Takes the amount to every counter if each stays within its maximum; else says which refused. */
const RESERVE = `
local amount = tonumber(ARGV[1])
for i = 1, #KEYS do
  local spent = tonumber(redis.call('GET', KEYS[i]) or '0')
  if spent + amount > tonumber(ARGV[2 * i]) then
    return {0, i - 1, spent}
  end
end
for i = 1, #KEYS do
  redis.call('INCRBY', KEYS[i], ARGV[1])
  local ttl = tonumber(ARGV[2 * i + 1])
  if ttl > 0 and redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return {1}
`;

/** Adds the amount to every counter; returns their new values. */
const ADD = `
local totals = {}
for i = 1, #KEYS do
  totals[i] = redis.call('INCRBY', KEYS[i], ARGV[1])
  local ttl = tonumber(ARGV[i + 1])
  if ttl > 0 and redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return totals
`;

/** The part of a node-redis client (`@redis/client`, `redis`) the counter calls. */
export interface RedisScriptClient {
  /** Runs a Lua script (`EVAL`). */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** Options of {@linkcode RedisBudgetCounter}. */
export interface RedisBudgetCounterOptions {
  /** The server, e.g. `redis://127.0.0.1:6379` (default); ignored when `client` is given. */
  url?: string;
  /** A node-redis client you connected yourself (the counter then never closes it). */
  client?: RedisScriptClient;
  /**
   * Prefixes every counter's key. Default `graphmeter:budget:`. On Redis Cluster, give one with a
   * hash tag (`{graphmeter-budget}:`): a call's counters must share a slot to be updated at once.
   */
  keyPrefix?: string;
  /** How long connecting may take, ms. Default 1000. */
  connectTimeoutMs?: number;
}

/** The parts of the client the counter opens itself that it calls. */
interface OwnClient extends RedisScriptClient {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  on(event: "error", listener: (error: unknown) => void): unknown;
  connect(): Promise<unknown>;
  destroy(): void;
}

/**
 * Budget counters shared through Redis. While the server cannot be reached, every operation fails
 * at once (nothing is queued), and the guard applies its `failOpen` policy; the client reconnects
 * in the background.
 *
 * @example Usage
 * ```ts ignore
 * import { RedisBudgetCounter } from "./redis_counter.ts";
 * import { BudgetGuard } from "./mod.ts";
 *
 * const budget = new BudgetGuard({
 *   limits: [{ per: "user_id", maxUsd: 5, window: "1d" }],
 *   counter: new RedisBudgetCounter({ url: "redis://cache.internal:6379" }),
 * });
 * ```
 */
export class RedisBudgetCounter implements BudgetCounter {
  readonly #client: RedisScriptClient;
  readonly #own: OwnClient | null;
  readonly #ready: Promise<unknown> | null;
  readonly #prefix: string;
  /** The last error the connection reported (node-redis reports them as events). */
  lastError: unknown = null;

  /**
   * Connects to Redis (in the background: operations wait for the first connection, within the
   * guard's timeout).
   *
   * @param options The server (or a client), the key prefix, the connect timeout.
   */
  constructor(options: RedisBudgetCounterOptions = {}) {
    this.#prefix = options.keyPrefix ?? "graphmeter:budget:";
    if (options.client) {
      this.#client = options.client;
      this.#own = null;
      this.#ready = null;
      return;
    }
    const own = createClient({
      url: options.url ?? "redis://127.0.0.1:6379",
      // Fail at once while disconnected: a budget check must not wait for a reconnection.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: options.connectTimeoutMs ?? 1000,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5000),
      },
    }) as unknown as OwnClient;
    // node-redis emits connection errors as events; an unheard "error" event would crash.
    own.on("error", (error: unknown) => void (this.lastError = error));
    this.#own = own;
    this.#client = own;
    this.#ready = own.connect().catch((error: unknown) => void (this.lastError = error));
  }

  /** See {@linkcode BudgetCounter.reserve}: one Lua script over every counter. */
  async reserve(
    entries: readonly BudgetCounterEntry[],
    amountNanoUsd: number,
  ): Promise<BudgetReservation> {
    const reply = await this.#eval(
      RESERVE,
      entries,
      [
        String(amountNanoUsd),
        ...entries.flatMap((e) => [String(e.maxNanoUsd), String(e.ttlMs ?? 0)]),
      ],
    ) as number[];
    return reply[0] === 1
      ? { granted: true }
      : { granted: false, index: Number(reply[1]), spentNanoUsd: Number(reply[2]) };
  }

  /** See {@linkcode BudgetCounter.add}: one Lua script over every counter. */
  async add(entries: readonly BudgetCounterEntry[], amountNanoUsd: number): Promise<number[]> {
    const reply = await this.#eval(
      ADD,
      entries,
      [String(amountNanoUsd), ...entries.map((e) => String(e.ttlMs ?? 0))],
    ) as number[];
    return reply.map(Number);
  }

  /** Closes the connection the counter opened (not a client you gave it). */
  async close(): Promise<void> {
    if (!this.#own) return;
    // Not waiting for the first connection: against an unreachable server it never comes.
    if (this.#own.isOpen) this.#own.destroy();
    await this.#ready;
  }

  async #eval(script: string, entries: readonly BudgetCounterEntry[], args: string[]) {
    if (this.#own && !this.#own.isReady) {
      // Not connected yet: wait for the first connection (the guard bounds the wait), but not for
      // a reconnection.
      if (!this.#own.isOpen) throw new Error("the Redis client is closed");
      await this.#ready;
      if (!this.#own.isReady) {
        throw new Error(
          `cannot reach Redis (${(this.lastError as Error)?.message ?? "not ready"})`,
        );
      }
    }
    return await this.#client.eval(script, {
      keys: entries.map((entry) => this.#prefix + entry.key),
      arguments: args,
    });
  }
}
