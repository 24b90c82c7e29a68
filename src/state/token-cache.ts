import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { Sealer } from './crypto.js';
import { StoreUnavailableError, sleep, stateKey, type StateStore } from './store.js';
import type { TenantState } from './tenant.js';

/** An access token and when to stop using it (shortly before the upstream's expiry). */
export interface CachedToken {
  value: string;
  refreshAt: number;
}

/** The credential set a token belongs to. */
export interface TokenCredential {
  /** The credential's own secret: the sealing key's input when STATE_ENCRYPTION_KEY is not set. */
  secret: string;
  /** What the token is bound to (e.g. token URL, client id, scope) without naming it in the key. */
  identity: string;
}

/**
 * A tenant's fleet-wide token cache for one upstream: the token sealed (AES-256-GCM, bound to its key and its
 * credential set) under `<tenant>:token:<upstream>`, and a lock beside it (`…:lock`, with a lease) so that one
 * instance fetches while the others wait for its token. On the memory store the same code serves one process.
 */
export class SharedTokenCache {
  readonly #store: StateStore;
  readonly #key: string;
  readonly #lockKey: string;
  readonly #sealer: Sealer;
  readonly #aad: string;
  readonly #log: Logger | undefined;
  /** A lock holder that died frees the lock after this long; waiters give up after it too. */
  readonly #leaseMs: number;
  readonly #now: () => number;
  /** The last token a 401 rejected: never taken from the store again. */
  #rejected: string | undefined;

  constructor(state: TenantState, upstream: string, credential: TokenCredential, now: () => number = Date.now) {
    this.#store = state.store;
    this.#key = stateKey(state.tenant, 'token', upstream);
    this.#lockKey = `${this.#key}:lock`;
    this.#sealer = new Sealer(state.encryptionKey ?? credential.secret, `token:${state.tenant}`);
    this.#aad = `${this.#key}\n${credential.identity}`;
    this.#log = state.log;
    this.#leaseMs = state.tokenLeaseMs ?? 10_000;
    this.#now = now;
  }

  /**
   * A fresh token from the store, else the one `fetch` gets while this instance holds the lock (then stored for
   * the fleet). A store that cannot answer, or a lock held past its lease, costs a fetch for this instance only.
   */
  async obtain(fetch: () => Promise<CachedToken>, correlationId: string): Promise<CachedToken> {
    try {
      return await this.#obtainShared(fetch, correlationId);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      this.#log?.warn({ correlationId, err: error.message }, 'state store unavailable: fetching a token for this instance only');
      return fetch();
    }
  }

  /**
   * Never take `value` from the store again (a 401 said it is no longer good), and drop it there in the background
   * if it is still the stored one.
   */
  reject(value: string): void {
    this.#rejected = value;
    void (async () => {
      const sealed = await this.#store.get(this.#key);
      if (sealed !== undefined && this.#open(sealed)?.value === value) await this.#store.deleteIfEquals(this.#key, sealed);
    })().catch((error: Error) => this.#log?.warn({ err: error.message }, 'state store unavailable: could not drop the rejected token from the shared cache'));
  }

  async #obtainShared(fetch: () => Promise<CachedToken>, correlationId: string): Promise<CachedToken> {
    const giveUpAt = Date.now() + this.#leaseMs + 1_000;
    const holder = randomUUID();
    for (let wait = 10; ; wait = Math.min(wait * 2, 100)) {
      const found = await this.#read();
      if (found) return found;
      if (await this.#store.setIfAbsent(this.#lockKey, holder, this.#leaseMs)) {
        try {
          // Someone may have stored a token between our read and our lock.
          return (await this.#read()) ?? (await this.#fetchAndStore(fetch, correlationId));
        } finally {
          await this.#store.deleteIfEquals(this.#lockKey, holder).catch(() => {});
        }
      }
      // Bounded wait: a holder that never answers cannot hold us past its lease (plus a margin).
      if (Date.now() > giveUpAt) {
        this.#log?.warn({ correlationId }, 'waited a whole lease for the token lock; fetching a token for this instance');
        return fetch();
      }
      await sleep(wait);
    }
  }

  async #fetchAndStore(fetch: () => Promise<CachedToken>, correlationId: string): Promise<CachedToken> {
    const token = await fetch();
    await this.#store
      .set(this.#key, this.#sealer.seal(JSON.stringify(token), this.#aad), Math.max(1, token.refreshAt - this.#now()))
      .catch((error: Error) => this.#log?.warn({ correlationId, err: error.message }, 'state store unavailable: the new token is cached on this instance only'));
    return token;
  }

  /** A still-fresh stored token, or undefined. */
  async #read(): Promise<CachedToken | undefined> {
    const sealed = await this.#store.get(this.#key);
    const token = sealed === undefined ? undefined : this.#open(sealed);
    if (!token || this.#now() >= token.refreshAt || token.value === this.#rejected) return undefined;
    return token;
  }

  #open(sealed: string): CachedToken | undefined {
    const text = this.#sealer.open(sealed, this.#aad);
    if (text === undefined) return undefined;
    try {
      const parsed = JSON.parse(text) as CachedToken;
      return typeof parsed.value === 'string' && typeof parsed.refreshAt === 'number' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
}
