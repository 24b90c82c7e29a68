import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import type { Logger } from '../logger.js';
import { StoreUnavailableError, sleep, stateKey, type StateStore } from '../state/store.js';
import type { TenantState } from '../state/tenant.js';
import { WrittenRecords } from '../state/written-records.js';
import { refuseWithoutStore } from './order-attempts.js';

/**
 * The local idempotency record of order creation, per client (so per tenant): an idempotency key seen before
 * with different arguments is refused without calling the upstream, and a repeat with the same arguments while
 * the first call is in flight waits for that call instead of racing it to the upstream.
 */
export class IdempotencyConflictError extends Error {
  constructor(readonly key: string) {
    super(`idempotencyKey ${key} was already used for an order with different arguments`);
    this.name = 'IdempotencyConflictError';
  }
}

/** An identical order with this key is being placed by another instance and did not finish within our wait. */
export class IdempotencyInProgressError extends Error {
  constructor(readonly key: string) {
    super(`an order with idempotencyKey ${key} is still being placed by another instance`);
    this.name = 'IdempotencyInProgressError';
  }
}

/** The fleet-wide record in the shared store: `<prefix>:<digest of key>` and `<prefix>:<digest>:lock`. */
export interface SharedIdempotency {
  store: StateStore;
  /** The store key of a record, from a digest of the idempotency key. */
  keyFor: (digest: string) => string;
  log?: Logger;
  /** A sender that died frees the key after this long (default 45 s: longer than a tool call). */
  leaseMs?: number;
}

interface SharedRecord<T> {
  fingerprint: string;
  state: 'pending' | 'done';
  result?: T;
}

interface Entry<T> {
  fingerprint: string;
  inFlight?: Promise<T>;
  at: number;
}

/** The fleet's record of one key, as this call sees it. */
interface SharedKey {
  recordKey: string;
  lockKey: string;
  /** Digest of the argument fingerprint. */
  fp: string;
  /** This call's lock value. */
  holder: string;
}

export class IdempotencyRecord<T> {
  readonly #entries = new Map<string, Entry<T>>();
  /** What this instance wrote to the fleet's record, put back should Redis restart empty. */
  readonly #written: WrittenRecords | undefined;

  /**
   * The record of a tenant's orders. One process (memory store): the local record is the whole record. A shared
   * store adds the fleet's record behind it, under `<tenant>:idempotency:orders:<digest of the key>`.
   */
  static ofOrders<T>(state: TenantState): IdempotencyRecord<T> {
    if (state.store.kind === 'memory') return new IdempotencyRecord<T>();
    return new IdempotencyRecord<T>(undefined, undefined, {
      store: state.store,
      keyFor: (digest) => stateKey(state.tenant, 'idempotency', 'orders', digest),
      ...(state.log ? { log: state.log } : {}),
      ...(state.orderLeaseMs ? { leaseMs: state.orderLeaseMs } : {}),
    });
  }

  constructor(
    private readonly ttlMs = 24 * 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
    private readonly shared?: SharedIdempotency,
  ) {
    this.#written = shared && new WrittenRecords(shared.store, 'order', shared.log);
  }

  /**
   * Runs `send` for `key` unless the record says otherwise. `joined` is true when this call waited for an
   * identical call already in flight and got its result.
   */
  async run(key: string, body: unknown, send: () => Promise<T>, deadline?: number): Promise<{ value: T; joined: boolean }> {
    this.#sweep();
    const fingerprint = canonicalJson(body);
    const existing = this.#entries.get(key);
    if (existing && existing.fingerprint !== fingerprint) throw new IdempotencyConflictError(key);
    if (existing?.inFlight) return { value: await existing.inFlight, joined: true };
    // Not known, or completed before: send (the upstream replays a completed order for the same key). With a
    // shared store, the fleet's record decides first; the local one still joins callers in this process.
    let joinedFleet = false;
    const inFlight = this.shared
      ? this.#runShared(this.shared, key, fingerprint, send, deadline).then((r) => {
          joinedFleet = r.joined;
          return r.value;
        })
      : send();
    const entry: Entry<T> = { fingerprint, inFlight, at: this.now() };
    this.#entries.set(key, entry);
    try {
      const value = await inFlight;
      return { value, joined: joinedFleet };
    } catch (error) {
      // A failed attempt binds nothing locally: the upstream's own record decides what a retry gets.
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
      throw error;
    } finally {
      delete entry.inFlight;
    }
  }

  /**
   * The fleet's record: a claim on the key (its argument fingerprint), a lock with a lease held while one instance
   * sends, and the result once it is done. Another instance with the same key waits for the result, or takes over
   * the lock when its holder died (safe: the upstream replays the order for the same Idempotency-Key).
   */
  async #runShared(shared: SharedIdempotency, key: string, fingerprint: string, send: () => Promise<T>, deadline?: number): Promise<{ value: T; joined: boolean }> {
    const recordKey = shared.keyFor(createHash('sha256').update(key).digest('hex').slice(0, 32));
    const at: SharedKey = { recordKey, lockKey: `${recordKey}:lock`, fp: createHash('sha256').update(fingerprint).digest('base64url'), holder: randomUUID() };
    const leaseMs = shared.leaseMs ?? 45_000;
    let done: T | undefined;
    try {
      // Just reconnected: a restarted Redis may have lost records that other instances are still putting back.
      if (shared.store.settlingMs() > 0) throw new StoreUnavailableError('reconnected moments ago');
      done = await this.#lockOrResult(shared.store, key, at, leaseMs, Math.min(deadline ?? Infinity, Date.now() + leaseMs + 1_000));
    } catch (error) {
      throw refuseWithoutStore(error, shared.store, shared.log, SHARED_RECORD_DOWN);
    }
    if (done !== undefined) return { value: done, joined: true };
    return { value: await this.#sendHoldingLock(shared, at, leaseMs, send), joined: false };
  }

  /**
   * Claims the key and takes its lock (undefined), or finds the order placed already, by this instance or another,
   * while we waited or before (its result). Throws a conflict for other arguments, in-progress past `giveUpAt`.
   */
  async #lockOrResult(store: StateStore, key: string, at: SharedKey, leaseMs: number, giveUpAt: number): Promise<T | undefined> {
    const read = async () => {
      const text = await store.get(at.recordKey);
      return text === undefined ? undefined : (JSON.parse(text) as SharedRecord<T>);
    };
    for (let wait = 20; ; wait = Math.min(wait * 2, 200)) {
      const record = await read();
      if (record && record.fingerprint !== at.fp) throw new IdempotencyConflictError(key);
      if (record?.state === 'done') return record.result as T;
      if (!record) {
        await store.setIfAbsent(at.recordKey, JSON.stringify({ fingerprint: at.fp, state: 'pending' }), this.ttlMs);
        continue; // read it again: another instance may have claimed the key (with other arguments) first
      }
      if (await store.setIfAbsent(at.lockKey, at.holder, leaseMs)) {
        const again = await read();
        if (!(again?.state === 'done' || (again && again.fingerprint !== at.fp))) return undefined;
        await store.deleteIfEquals(at.lockKey, at.holder);
        continue;
      }
      if (Date.now() + wait > giveUpAt) throw new IdempotencyInProgressError(key);
      await sleep(wait);
    }
  }

  /** We hold the lock: send once. What we write is also remembered, to be put back should Redis restart empty. */
  async #sendHoldingLock(shared: SharedIdempotency, at: SharedKey, leaseMs: number, send: () => Promise<T>): Promise<T> {
    const written = this.#written!;
    written.remember(at.recordKey, JSON.stringify({ fingerprint: at.fp, state: 'pending' } satisfies SharedRecord<T>), this.ttlMs);
    written.remember(at.lockKey, at.holder, leaseMs);
    try {
      const value = await send();
      const record = JSON.stringify({ fingerprint: at.fp, state: 'done', result: value } satisfies SharedRecord<T>);
      written.remember(at.recordKey, record, this.ttlMs, 'overwrite');
      await shared.store
        .set(at.recordKey, record, this.ttlMs)
        .catch((error: Error) => shared.log?.warn({ err: error.message }, 'state store unavailable: the order was placed; its result is shared when the store is back'));
      return value;
    } catch (error) {
      // A failed attempt binds nothing: the upstream's own record decides what a retry gets.
      written.forget(at.recordKey);
      await shared.store.delete(at.recordKey).catch(() => {});
      throw error;
    } finally {
      written.forget(at.lockKey);
      await shared.store.deleteIfEquals(at.lockKey, at.holder).catch(() => {});
    }
  }

  #sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [key, entry] of this.#entries) if (!entry.inFlight && entry.at < cutoff) this.#entries.delete(key);
  }
}

const SHARED_RECORD_DOWN =
  'The shared order record (Redis) is unavailable, so this order cannot be guarded against a duplicate from another instance; nothing was sent. Try again shortly with the same idempotencyKey.';
