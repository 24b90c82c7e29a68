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

interface Entry<T> {
  fingerprint: string;
  inFlight?: Promise<T>;
  at: number;
}

export class IdempotencyRecord<T> {
  readonly #entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs = 24 * 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Runs `send` for `key` unless the record says otherwise. `joined` is true when this call waited for an
   * identical call already in flight and got its result.
   */
  async run(key: string, body: unknown, send: () => Promise<T>): Promise<{ value: T; joined: boolean }> {
    this.#sweep();
    const fingerprint = canonicalJson(body);
    const existing = this.#entries.get(key);
    if (existing && existing.fingerprint !== fingerprint) throw new IdempotencyConflictError(key);
    if (existing?.inFlight) return { value: await existing.inFlight, joined: true };
    // Not known, or completed before: send (the upstream replays a completed order for the same key).
    const inFlight = send();
    const entry: Entry<T> = { fingerprint, inFlight, at: this.now() };
    this.#entries.set(key, entry);
    try {
      return { value: await inFlight, joined: false };
    } catch (error) {
      // A failed attempt binds nothing locally: the upstream's own record decides what a retry gets.
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
      throw error;
    } finally {
      delete entry.inFlight;
    }
  }

  #sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [key, entry] of this.#entries) if (!entry.inFlight && entry.at < cutoff) this.#entries.delete(key);
  }
}

/** JSON with object keys sorted, so that key order never makes two equal bodies look different. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
