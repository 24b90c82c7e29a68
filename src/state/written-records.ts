import type { Logger } from '../logger.js';
import type { StateStore } from './store.js';

interface Written {
  value: string;
  /** Epoch ms when the store would have dropped it anyway. */
  until: number;
  /** Put back over whatever is there (a result is newer than any claim); otherwise only where the key is missing. */
  overwrite: boolean;
}

/** Entries kept before expired ones are swept. */
const SWEEP_AT = 1_000;

/**
 * What this instance wrote to a shared store, kept so that it can be put back should Redis restart empty: a retry on
 * another instance must still find it. On reconnect each live entry is written again where it is missing (or over
 * what is there, for an `overwrite` entry). On the memory store nothing is kept: it cannot lose its data under us.
 */
export class WrittenRecords {
  readonly #entries = new Map<string, Written>();

  /** `what` names the records in log lines, e.g. `order`. */
  constructor(
    private readonly store: StateStore,
    private readonly what: string,
    private readonly log?: Logger,
  ) {
    store.onReconnect(() => void this.#putBack());
  }

  remember(key: string, value: string, ttlMs: number, how: 'if-absent' | 'overwrite' = 'if-absent'): void {
    if (this.store.kind === 'memory') return;
    const now = Date.now();
    if (this.#entries.size >= SWEEP_AT) for (const [k, { until }] of this.#entries) if (until <= now) this.#entries.delete(k);
    this.#entries.set(key, { value, until: now + ttlMs, overwrite: how === 'overwrite' });
  }

  forget(key: string): void {
    this.#entries.delete(key);
  }

  /** Puts back what is missing (never over a newer record unless `overwrite`); stops at the first store failure. */
  async #putBack(): Promise<void> {
    let restored = 0;
    for (const [key, { value, until, overwrite }] of this.#entries) {
      const ttlMs = until - Date.now();
      if (ttlMs <= 0) {
        this.#entries.delete(key);
        continue;
      }
      try {
        if (overwrite) await this.store.set(key, value, ttlMs);
        if (overwrite || (await this.store.setIfAbsent(key, value, ttlMs))) restored++;
      } catch (error) {
        this.log?.warn({ err: (error as Error).message }, `state store: could not put back the ${this.what} records after reconnecting`);
        return;
      }
    }
    if (restored) this.log?.info({ records: restored }, `state store: ${this.what} records put back after reconnecting`);
  }
}
