import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import type { Logger } from '../logger.js';
import { StateUnavailableError, StoreUnavailableError, sleep, type StateStore } from '../state/store.js';

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

/** What this instance wrote to the fleet's record, kept so it can be put back if Redis restarts empty. */
interface Held<T> {
  recordKey: string;
  lockKey: string;
  record: SharedRecord<T>;
  /** The lock's value while this instance is sending, and when its lease ends. */
  lock?: { holder: string; until: number };
  at: number;
}

export class IdempotencyRecord<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #held = new Map<string, Held<T>>();

  constructor(
    private readonly ttlMs = 24 * 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
    private readonly shared?: SharedIdempotency,
  ) {
    shared?.store.onReconnect(() => void this.#putBack(shared));
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
    const digest = createHash('sha256').update(key).digest('hex').slice(0, 32);
    const recordKey = shared.keyFor(digest);
    const lockKey = `${recordKey}:lock`;
    const leaseMs = shared.leaseMs ?? 45_000;
    const giveUpAt = Math.min(deadline ?? Infinity, Date.now() + leaseMs + 1_000);
    const holder = randomUUID();
    const fp = createHash('sha256').update(fingerprint).digest('base64url');
    const read = async () => {
      const text = await shared.store.get(recordKey);
      return text === undefined ? undefined : (JSON.parse(text) as SharedRecord<T>);
    };
    try {
      // Just reconnected: a restarted Redis may have lost records that other instances are still putting back.
      const settlingMs = shared.store.settlingMs();
      if (settlingMs > 0) throw new StoreUnavailableError('reconnected moments ago');
      for (let wait = 20; ; wait = Math.min(wait * 2, 200)) {
        const record = await read();
        if (record && record.fingerprint !== fp) throw new IdempotencyConflictError(key);
        // Placed already (by this instance or another, while we waited or before): that order is the answer.
        if (record?.state === 'done') return { value: record.result as T, joined: true };
        if (!record) {
          await shared.store.setIfAbsent(recordKey, JSON.stringify({ fingerprint: fp, state: 'pending' }), this.ttlMs);
          continue; // read it again: another instance may have claimed the key (with other arguments) first
        }
        if (await shared.store.setIfAbsent(lockKey, holder, leaseMs)) {
          const again = await read();
          if (again?.state === 'done' || (again && again.fingerprint !== fp)) {
            await shared.store.deleteIfEquals(lockKey, holder);
            continue;
          }
          break;
        }
        if (Date.now() + wait > giveUpAt) throw new IdempotencyInProgressError(key);
        await sleep(wait);
      }
    } catch (error) {
      if (error instanceof StoreUnavailableError) {
        shared.log?.warn({ err: error.message }, 'state store unavailable: create_order refused (nothing sent)');
        throw new StateUnavailableError(
          'The shared order record (Redis) is unavailable, so this order cannot be guarded against a duplicate from another instance; nothing was sent. Try again shortly with the same idempotencyKey.',
          Math.max(1, Math.ceil(shared.store.settlingMs() / 1000)),
        );
      }
      throw error;
    }
    // We hold the lock: send once. What we write is also held here, to be put back should Redis restart empty.
    const held: Held<T> = { recordKey, lockKey, record: { fingerprint: fp, state: 'pending' }, lock: { holder, until: Date.now() + leaseMs }, at: Date.now() };
    this.#held.set(recordKey, held);
    try {
      const value = await send();
      held.record = { fingerprint: fp, state: 'done', result: value };
      await shared.store
        .set(recordKey, JSON.stringify(held.record), this.ttlMs)
        .catch((error: Error) => shared.log?.warn({ err: error.message }, 'state store unavailable: the order was placed; its result is shared when the store is back'));
      return { value, joined: false };
    } catch (error) {
      // A failed attempt binds nothing: the upstream's own record decides what a retry gets.
      this.#held.delete(recordKey);
      await shared.store.delete(recordKey).catch(() => {});
      throw error;
    } finally {
      delete held.lock;
      await shared.store.deleteIfEquals(lockKey, holder).catch(() => {});
    }
  }

  /**
   * After a reconnect: put back the records this instance wrote (a placed order's result, or the claim and lock of
   * an order still being sent) where they are missing, so a retry on another instance finds them instead of
   * sending again. Harmless when Redis kept its data: nothing is overwritten but a stale "pending".
   */
  async #putBack(shared: SharedIdempotency): Promise<void> {
    const cutoff = Date.now() - this.ttlMs;
    let restored = 0;
    for (const [recordKey, held] of this.#held) {
      if (held.at < cutoff) {
        this.#held.delete(recordKey);
        continue;
      }
      try {
        const json = JSON.stringify(held.record);
        if (held.record.state === 'done') await shared.store.set(recordKey, json, held.at + this.ttlMs - Date.now());
        else if (await shared.store.setIfAbsent(recordKey, json, this.ttlMs)) restored++;
        const lease = held.lock ? held.lock.until - Date.now() : 0;
        if (held.lock && lease > 0) await shared.store.setIfAbsent(held.lockKey, held.lock.holder, lease);
        if (held.record.state === 'done') restored++;
      } catch (error) {
        shared.log?.warn({ err: (error as Error).message }, 'state store: could not put back an order record after reconnecting');
        return;
      }
    }
    if (restored) shared.log?.info({ records: restored }, 'state store: order records put back after reconnecting');
  }

  #sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [key, entry] of this.#entries) if (!entry.inFlight && entry.at < cutoff) this.#entries.delete(key);
    for (const [key, held] of this.#held) if (!held.lock && held.at < cutoff) this.#held.delete(key);
  }
}
