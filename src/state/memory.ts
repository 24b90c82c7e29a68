import { consumeOrWait, KEY_PREFIX, type RateLimit, type RateLimitOptions, type StateStore, type StoreStatus } from './store.js';

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * The embedded store: plain maps in this process (today's single-instance behaviour). Expired entries are
 * dropped when read and swept every few hundred writes, so the maps cannot grow without bound.
 */
export class MemoryStore implements StateStore {
  readonly kind = 'memory' as const;
  readonly #values = new Map<string, Entry>();
  readonly #slots = new Map<string, Map<string, number>>();
  #writes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  status(): StoreStatus {
    return 'ok';
  }

  async get(key: string): Promise<string | undefined> {
    return this.#live(key)?.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.#write(key, value, ttlMs);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.#live(key)) return false;
    this.#write(key, value, ttlMs);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.#values.delete(key);
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    if (this.#live(key)?.value !== value) return false;
    this.#values.delete(key);
    return true;
  }

  async acquireSlot(key: string, id: string, max: number, leaseMs: number): Promise<boolean> {
    const now = this.now();
    const holders = this.#slots.get(key) ?? new Map<string, number>();
    for (const [holder, until] of holders) if (until <= now) holders.delete(holder);
    if (holders.size >= max) return false;
    holders.set(id, now + leaseMs);
    this.#slots.set(key, holders);
    return true;
  }

  async releaseSlot(key: string, id: string): Promise<void> {
    const holders = this.#slots.get(key);
    holders?.delete(id);
    if (holders?.size === 0) this.#slots.delete(key);
  }

  async renewSlot(key: string, id: string, leaseMs: number): Promise<void> {
    const holders = this.#slots.get(key);
    if (holders?.has(id)) holders.set(id, this.now() + leaseMs);
  }

  async rateLimiter(options: RateLimitOptions): Promise<RateLimit> {
    // Loaded only when a rate limit is configured: it costs ~100 ms of start-up.
    const { RateLimiterMemory } = await import('rate-limiter-flexible');
    const limiter = new RateLimiterMemory({ keyPrefix: `${KEY_PREFIX}:t`, points: options.points, duration: options.durationSeconds });
    return { consume: (key) => consumeOrWait(limiter, key) };
  }

  /** One process: there is no connection to lose. */
  onReconnect(): void {}

  settlingMs(): number {
    return 0;
  }

  lastReconnectAt(): number {
    return 0;
  }

  async close(): Promise<void> {
    this.#values.clear();
    this.#slots.clear();
  }

  #live(key: string): Entry | undefined {
    const entry = this.#values.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.#values.delete(key);
      return undefined;
    }
    return entry;
  }

  #write(key: string, value: string, ttlMs: number): void {
    this.#values.set(key, { value, expiresAt: this.now() + ttlMs });
    if (++this.#writes % 500 === 0) {
      const now = this.now();
      for (const [k, entry] of this.#values) if (entry.expiresAt <= now) this.#values.delete(k);
    }
  }
}
