import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import type { Logger } from '../logger.js';
import { consumeOrWait, KEY_PREFIX, StoreUnavailableError, type RateLimit, type RateLimitOptions, type StateStore, type StoreStatus } from './store.js';

export interface RedisStoreOptions {
  url: string;
  log: Logger;
  /**
   * Longest wait for one store call (default 500 ms): a slow Redis costs this much, a dead one nothing. A wait
   * during which this process itself was busy is extended, up to BUSY_EXTENSIONS times (see #run).
   */
  commandTimeoutMs?: number;
  /** How long start() waits for the first connection before going on degraded (default 2 s). */
  connectWaitMs?: number;
  /** After a call times out, how long calls skip Redis at once before one probes it again (default 3 s). */
  slowBackoffMs?: number;
  /**
   * After a reconnect, how long settlingMs() is non-zero (default 5 s): longer than the reconnect backoff (2 s), so
   * every instance is back and has put back what it holds before anyone trusts a missing record.
   */
  settleMs?: number;
}

/**
 * A release (our lock, our slot) is sent even while Redis counts as slow: it follows, on the same connection, a
 * claim that may still land after its caller gave up, so skipping it could leave that claim until its lease ends.
 */
type CallKind = 'use' | 'release';
const RELEASE: CallKind = 'release';

/**
 * A wait whose event loop was busy at least this share of the time says nothing about Redis: its answer may be
 * sitting unread behind this process's own work (a CPU-starved machine, a burst of calls). Such a wait is extended
 * by another timeout, at most BUSY_EXTENSIONS times, before the store is called slow.
 */
const BUSY_UTILIZATION = 0.5;
const BUSY_EXTENSIONS = 2;

/** The documented SET-lock release: delete the key only while it still holds our value (atomically). */
const DELETE_IF_EQUALS = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * The Redis store (node-redis). The offline queue is off and every call is bounded by a short timeout, so while
 * Redis is down or slow a call fails fast with StoreUnavailableError instead of queueing; the client reconnects
 * by itself (backoff up to 2 s) and status() says whether it is connected.
 */
export class RedisStore implements StateStore {
  readonly kind = 'redis' as const;
  readonly #client;
  readonly #log: Logger;
  readonly #timeoutMs: number;
  readonly #slowBackoffMs: number;
  #up = false;
  /** Until then Redis counts as slow: calls fail at once instead of each waiting out the timeout. */
  #slowUntil = 0;
  readonly #settleMs: number;
  #connectedOnce = false;
  #settledAt = 0;
  #reconnectedAt = 0;
  readonly #reconnectListeners: Array<() => void> = [];

  private constructor(options: RedisStoreOptions) {
    this.#log = options.log;
    this.#timeoutMs = options.commandTimeoutMs ?? 500;
    this.#slowBackoffMs = options.slowBackoffMs ?? 3_000;
    this.#settleMs = options.settleMs ?? 5_000;
    this.#client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 2_000,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 5), 2_000),
      },
    });
    // Without an error listener node-redis would crash the process on a lost connection.
    this.#client.on('error', (error: Error) => {
      if (this.#up) this.#log.warn({ err: error.message }, 'redis: connection lost; using local state until it is back');
      this.#up = false;
    });
    this.#client.on('ready', () => {
      if (!this.#up) this.#log.info('redis: connected');
      this.#up = true;
      if (!this.#connectedOnce) {
        this.#connectedOnce = true;
        return;
      }
      this.#reconnectedAt = Date.now();
      this.#settledAt = this.#reconnectedAt + this.#settleMs;
      for (const listener of this.#reconnectListeners) listener();
    });
  }

  /** Connects (waiting up to connectWaitMs); a Redis that is not there yet is retried in the background. */
  static async start(options: RedisStoreOptions): Promise<RedisStore> {
    const store = new RedisStore(options);
    const connected = store.#client.connect().then(
      () => true,
      (error: Error) => {
        options.log.warn({ err: error.message }, 'redis: cannot connect');
        return false;
      },
    );
    const waited = await Promise.race([connected, new Promise<false>((resolve) => setTimeout(() => resolve(false), options.connectWaitMs ?? 2_000).unref())]);
    if (!waited) options.log.warn('redis: not reachable at start; running on local state and reconnecting in the background');
    return store;
  }

  status(): StoreStatus {
    return this.#client.isReady && Date.now() >= this.#slowUntil ? 'ok' : 'unavailable';
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.#run('GET', () => this.#client.get(key));
    return value ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.#run('SET', () => this.#client.set(key, value, { expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) } }));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const reply = await this.#run('SET NX', () =>
      this.#client.set(key, value, { expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) }, condition: 'NX' }),
    );
    return reply === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.#run('DEL', () => this.#client.del(key));
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    const deleted = await this.#run('EVAL', () => this.#client.eval(DELETE_IF_EQUALS, { keys: [key], arguments: [value] }), RELEASE);
    return deleted === 1;
  }

  /**
   * A sorted set of holders scored by lease end, in one MULTI: drop expired leases, add ours, count. Over the
   * limit, ours is taken back out. Two racing at the edge may both be refused; never are both admitted over it.
   */
  async acquireSlot(key: string, id: string, max: number, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    const replies = await this.#run('MULTI slot', () =>
      this.#client
        .multi()
        .zRemRangeByScore(key, 0, now)
        .zAdd(key, { score: now + leaseMs, value: id })
        .zCard(key)
        .pExpire(key, leaseMs)
        .exec(),
    );
    const count = Number(replies[2]);
    if (count <= max) return true;
    await this.releaseSlot(key, id).catch(() => {});
    return false;
  }

  async releaseSlot(key: string, id: string): Promise<void> {
    await this.#run('ZREM', () => this.#client.zRem(key, id), RELEASE);
  }

  async renewSlot(key: string, id: string, leaseMs: number): Promise<void> {
    await this.#run('ZADD XX', () =>
      this.#client.multi().zAdd(key, { score: Date.now() + leaseMs, value: id }, { condition: 'XX' }).pExpire(key, leaseMs).exec(),
    );
  }

  /**
   * rate-limiter-flexible over Redis, each consume bounded like any store call; while Redis is down or slow, an
   * in-memory limiter of this instance counts instead (the fleet may then admit up to N× the budget).
   */
  async rateLimiter(options: RateLimitOptions): Promise<RateLimit> {
    const { RateLimiterMemory, RateLimiterRedis } = await import('rate-limiter-flexible');
    const limits = { keyPrefix: `${KEY_PREFIX}:t`, points: options.points, duration: options.durationSeconds };
    const shared = new RateLimiterRedis({ ...limits, storeClient: this.#client, useRedisPackage: true, rejectIfRedisNotReady: true });
    const local = new RateLimiterMemory(limits);
    return {
      consume: async (key) => {
        try {
          return await this.#run('rate limit', () => consumeOrWait(shared, key));
        } catch (error) {
          if (!(error instanceof StoreUnavailableError)) throw error;
          return consumeOrWait(local, key);
        }
      },
    };
  }

  onReconnect(listener: () => void): void {
    this.#reconnectListeners.push(listener);
  }

  settlingMs(): number {
    return Math.max(0, this.#settledAt - Date.now());
  }

  lastReconnectAt(): number {
    return this.#reconnectedAt;
  }

  async close(): Promise<void> {
    this.#up = false;
    // A graceful close waits for replies; a client that is not connected has none coming, so it is just dropped.
    if (this.#client.isReady) await this.#client.close().catch(() => this.#client.destroy());
    else if (this.#client.isOpen) this.#client.destroy();
  }

  /**
   * One store call: refused at once while disconnected or known to be slow, abandoned after the timeout. A
   * timeout marks Redis slow for slowBackoffMs, so a stalled Redis costs one timeout per backoff, not one per call.
   * Only a wait this process spent mostly idle counts: while its own event loop was busy, a late answer is ours to
   * blame (on a loaded machine a 500 ms wall-clock wait can be a few ms of our CPU), so the wait is extended.
   */
  async #run<T>(what: string, call: () => Promise<T>, kind: CallKind = 'use'): Promise<T> {
    if (!this.#client.isReady) throw new StoreUnavailableError('not connected');
    if (kind === 'use' && Date.now() < this.#slowUntil) throw new StoreUnavailableError('slow to answer; skipped for now');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      let extensions = 0;
      const wait = () => {
        const loopBefore = performance.eventLoopUtilization();
        timer = setTimeout(() => {
          if (extensions < BUSY_EXTENSIONS && performance.eventLoopUtilization(loopBefore).utilization >= BUSY_UTILIZATION) {
            extensions++;
            wait();
            return;
          }
          if (Date.now() >= this.#slowUntil) {
            this.#log.warn({ command: what, timeoutMs: this.#timeoutMs, extensions, backoffMs: this.#slowBackoffMs }, 'redis: slow to answer; using local state for a while');
          }
          this.#slowUntil = Date.now() + this.#slowBackoffMs;
          reject(new StoreUnavailableError(`${what} took longer than ${this.#timeoutMs * (extensions + 1)} ms`));
        }, this.#timeoutMs);
      };
      wait();
    });
    try {
      return await Promise.race([call(), timeout]);
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      throw new StoreUnavailableError(`${what} failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** An id for a lock value or a slot: unique per holder, so one holder never releases another's. */
export const holderId = (): string => randomUUID();
