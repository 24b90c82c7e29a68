/**
 * The state seam: everything several instances of the server must agree on (the PartsSource token cache and its
 * single-flight lock, create_order idempotency records, used confirmation tokens, per-tenant limits) goes through
 * one small store. Two implementations: in-memory (embedded, the default: one process) and Redis (a fleet).
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

export type StoreKind = 'memory' | 'redis';
export type StoreStatus = 'ok' | 'unavailable';

/** Keys are `customer-api-mcp:t:<what the caller consumes>`; callers consume `<tenant>:rate:<name>`. */
export interface RateLimitOptions {
  points: number;
  durationSeconds: number;
}

/** A per-key request budget. */
export interface RateLimit {
  /** Counts one request: undefined when allowed, else the seconds until the next one is. */
  consume(key: string): Promise<number | undefined>;
}

/** One rate-limiter-flexible consume as a RateLimit answer; a refusal is a value, anything else is thrown. */
export async function consumeOrWait(limiter: RateLimiterAbstract, key: string): Promise<number | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (rejection) {
    const msBeforeNext = (rejection as { msBeforeNext?: unknown } | undefined)?.msBeforeNext;
    if (typeof msBeforeNext === 'number') return Math.max(1, Math.ceil(msBeforeNext / 1000));
    throw rejection;
  }
}

export interface StateStore {
  readonly kind: StoreKind;
  /** Whether the store is reachable now (the memory store always is). */
  status(): StoreStatus;
  get(key: string): Promise<string | undefined>;
  /** Every key expires: there is no set without a TTL. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Sets only when the key does not exist (a lock, a claim); true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Deletes only while the key still holds `value` (releasing one's own lock, never a successor's). */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
  /**
   * Takes one of `max` slots under `key` for `id`, held at most `leaseMs` (a holder that dies frees its slot when
   * the lease ends). False when all slots are taken.
   */
  acquireSlot(key: string, id: string, max: number, leaseMs: number): Promise<boolean>;
  releaseSlot(key: string, id: string): Promise<void>;
  /** Extends a slot still held by `id` to `leaseMs` from now (a long call keeps counting); no-op when it is gone. */
  renewSlot(key: string, id: string, leaseMs: number): Promise<void>;
  /** A rate limit (rate-limiter-flexible, loaded on first use) over this store; a store failure never refuses. */
  rateLimiter(options: RateLimitOptions): Promise<RateLimit>;
  /** Calls `listener` each time the store is reachable again after losing its connection (never on memory). */
  onReconnect(listener: () => void): void;
  /**
   * Milliseconds left of the settling time after a reconnect (0 when settled): a restarted Redis may have lost its
   * data, and the other instances need a moment to put back what they hold.
   */
  settlingMs(): number;
  /** When the store last reconnected (epoch ms; 0 if it never lost its connection). */
  lastReconnectAt(): number;
  close(): Promise<void>;
}

/** The store could not be reached (or answered too slowly): the caller decides whether it can do without it. */
export class StoreUnavailableError extends Error {
  constructor(reason: string) {
    super(`the shared state store is unavailable (${reason})`);
    this.name = 'StoreUnavailableError';
  }
}

/** A guarantee that needs the shared store cannot be kept now; nothing was sent upstream. Retryable. */
export class StateUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'StateUnavailableError';
  }
}

export const KEY_PREFIX = 'customer-api-mcp';

/**
 * `customer-api-mcp:t:<tenant>:<part>:...`: every key is namespaced per tenant. Parts are names and digests only,
 * never a secret (no client id, secret, API key or token).
 */
export function stateKey(tenant: string, ...parts: string[]): string {
  return [KEY_PREFIX, 't', tenant, ...parts].join(':');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
