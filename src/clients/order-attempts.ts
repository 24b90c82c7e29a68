import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import type { Logger } from '../logger.js';
import { StateUnavailableError, StoreUnavailableError, stateKey, type StateStore } from '../state/store.js';
import type { TenantState } from '../state/tenant.js';
import { WrittenRecords } from '../state/written-records.js';

/**
 * What became of the last attempt at each order body, per tenant, so that an agent which leaves out the
 * idempotencyKey cannot place an order twice:
 *
 * - `pending`: a key was sent (or is being sent) for this body and its outcome is not known (no answer, timeout,
 *   reset, 5xx, a crash mid-send). A later keyless call with the same body reuses that key, so the upstream replays
 *   the order if it was placed and places it once if not. Written before the request, remembered 24 h (the
 *   upstream's own key retention, after which a replay could not be promised anyway) or until an attempt succeeds.
 * - `placed`: the body's order succeeded; for 10 minutes a keyless call with the same body is refused as a
 *   possible duplicate unless the agent says `allowDuplicate`.
 *
 * Records live in the tenant's state store (memory: one instance; Redis: the fleet) under
 * `<tenant>:order-attempts:<digest of the body>`, so every instance of a fleet resolves a keyless retry the same way.
 */

export const PENDING_TTL_MS = 24 * 60 * 60 * 1000;
export const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

interface AttemptRecord {
  key: string;
  state: 'pending' | 'placed';
  orderId?: number;
  /** Epoch ms of the write. */
  at: number;
}

/** The key an order call uses, and whether this call wrote the pending record for it (so may take it back). */
export interface OrderClaim {
  key: string;
  recordKey: string;
  /** The record this call wrote, when it wrote one; undefined when it found one and reuses its key. */
  wrote?: string;
  /** True when a keyless call took the key of an earlier attempt whose outcome is unknown. */
  reused: boolean;
}

/** A keyless order whose body equals one placed moments ago: refused, nothing sent. */
export class PossibleDuplicateError extends Error {
  constructor(
    readonly key: string,
    readonly orderId: number | undefined,
    readonly placedAt: number,
  ) {
    super(`an identical order${orderId !== undefined ? ` (orderId ${orderId})` : ''} was placed with idempotencyKey ${key}`);
    this.name = 'PossibleDuplicateError';
  }
}

/**
 * A failed order attempt, with the key it used and whether the order may have been placed: the agent needs both to
 * retry without a duplicate. `cause` is what actually failed.
 */
export class OrderAttemptError extends Error {
  constructor(
    readonly key: string,
    readonly outcomeUnknown: boolean,
    override readonly cause: unknown,
  ) {
    super(`${(cause as Error)?.message ?? String(cause)} (idempotencyKey ${key})`);
    this.name = 'OrderAttemptError';
  }
}

export interface OrderAttemptsOptions {
  store: StateStore;
  /** The store key of a record, from a digest of the order body. */
  keyFor: (digest: string) => string;
  log?: Logger;
  now?: () => number;
}

export class OrderAttempts {
  /** What this instance wrote, to be put back should Redis restart empty (a retry elsewhere must still find it). */
  readonly #written: WrittenRecords;

  /** A tenant's order attempts, memory and Redis alike. */
  static ofTenant(state: TenantState): OrderAttempts {
    return new OrderAttempts({
      store: state.store,
      keyFor: (digest) => stateKey(state.tenant, 'order-attempts', digest),
      ...(state.log ? { log: state.log } : {}),
    });
  }

  constructor(private readonly options: OrderAttemptsOptions) {
    this.#written = new WrittenRecords(options.store, 'order attempt', options.log);
  }

  /**
   * The key for this call. An explicit key is used as given; without one, the key of an earlier attempt at the same
   * body whose outcome is unknown, else a new one, unless the same body was placed in the last 10 minutes and
   * `allowDuplicate` is not set (PossibleDuplicateError). Throws StateUnavailableError when the store cannot answer
   * (nothing sent).
   */
  async claim(body: unknown, explicitKey: string | undefined, allowDuplicate: boolean): Promise<OrderClaim> {
    const { store } = this.options;
    const digest = createHash('sha256').update(canonicalJson(body)).digest('hex').slice(0, 32);
    const recordKey = this.options.keyFor(digest);
    try {
      // Just reconnected: a restarted Redis may not have every pending record back yet.
      if (store.settlingMs() > 0) throw new StoreUnavailableError('reconnected moments ago');
      for (let tries = 0; tries < 5; tries++) {
        const current = await this.#read(recordKey);
        if (explicitKey) {
          // Never replace another attempt's unknown outcome: a keyless retry must still find that key.
          if (current?.state === 'pending') return { key: explicitKey, recordKey, reused: false };
          return { key: explicitKey, recordKey, wrote: await this.#write(recordKey, explicitKey, 'overwrite'), reused: false };
        }
        if (current?.state === 'pending') return { key: current.key, recordKey, reused: true };
        if (current?.state === 'placed' && !allowDuplicate) throw new PossibleDuplicateError(current.key, current.orderId, current.at);
        const key = randomUUID();
        const wrote = await this.#write(recordKey, key, current ? 'overwrite' : 'if-absent');
        if (wrote) return { key, recordKey, wrote, reused: false };
        // Another call claimed this body a moment ago: read its record again.
      }
      throw new StoreUnavailableError('the order record kept changing');
    } catch (error) {
      throw refuseWithoutStore(error, store, this.options.log, ATTEMPT_RECORD_DOWN);
    }
  }

  /** The order was placed (or replayed): remember it for the duplicate window. */
  async placed(claim: OrderClaim, orderId: number): Promise<void> {
    const value: AttemptRecord = { key: claim.key, state: 'placed', orderId, at: this.#now() };
    await this.#store(claim.recordKey, JSON.stringify(value), DUPLICATE_WINDOW_MS);
  }

  /**
   * The attempt failed. With an unknown outcome the pending record stays (it was written before sending). When it
   * is certain that no order was placed under this key, the record this call wrote is taken back; a record it found
   * is left alone, since an earlier attempt's outcome may still be unknown.
   */
  async failed(claim: OrderClaim, outcomeUnknown: boolean): Promise<void> {
    if (outcomeUnknown || claim.wrote === undefined) return;
    this.#written.forget(claim.recordKey);
    await this.options.store.deleteIfEquals(claim.recordKey, claim.wrote).catch(() => {});
  }

  async #read(recordKey: string): Promise<AttemptRecord | undefined> {
    const text = await this.options.store.get(recordKey);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as AttemptRecord;
    } catch {
      return undefined;
    }
  }

  /** Writes a pending record; returns its text, or undefined when `if-absent` found one. */
  async #write(recordKey: string, key: string, how: 'overwrite' | 'if-absent'): Promise<string | undefined> {
    const value = JSON.stringify({ key, state: 'pending', at: this.#now() } satisfies AttemptRecord);
    if (how === 'if-absent') {
      if (!(await this.options.store.setIfAbsent(recordKey, value, PENDING_TTL_MS))) return undefined;
    } else {
      await this.options.store.set(recordKey, value, PENDING_TTL_MS);
    }
    this.#written.remember(recordKey, value, PENDING_TTL_MS);
    return value;
  }

  /** Best effort after the order was placed: a store that is down only costs the duplicate check, never an order. */
  async #store(recordKey: string, value: string, ttlMs: number): Promise<void> {
    this.#written.remember(recordKey, value, ttlMs);
    await this.options.store.set(recordKey, value, ttlMs).catch((error: Error) => {
      this.options.log?.warn({ err: error.message }, 'state store unavailable: the order was placed; its record is written when the store is back');
    });
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}

const ATTEMPT_RECORD_DOWN =
  'The shared order record (Redis) is unavailable, so this order cannot be guarded against a duplicate; nothing was sent. Call create_order again with the same arguments shortly.';

/**
 * `error` as an order call throws it: a store that cannot answer refuses the order (nothing sent) with `message`,
 * retryable once the store has settled after a reconnect; any other error as it was.
 */
export function refuseWithoutStore(error: unknown, store: StateStore, log: Logger | undefined, message: string): unknown {
  if (!(error instanceof StoreUnavailableError)) return error;
  log?.warn({ err: error.message }, 'state store unavailable: create_order refused (nothing sent)');
  return new StateUnavailableError(message, Math.max(1, Math.ceil(store.settlingMs() / 1000)));
}
