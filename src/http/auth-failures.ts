import type { Logger } from '../logger.js';

export interface AuthFailureOptions {
  log: Logger;
  /** Failures from one client within a window after which its further failures get 429 (default 10). */
  limit?: number;
  /** Default 60 s. */
  windowMs?: number;
  /** Clients remembered at once (default 10,000); past it the oldest window is forgotten first. */
  maxClients?: number;
  now?: () => number;
}

interface Window {
  startedAt: number;
  failures: number;
}

/**
 * Failed authentication per client (remote address): logged at warn once per client per window, with the count of
 * the previous window (never the key, nor any part of its digest), and a client past `limit` failures in a window
 * is refused with 429 and Retry-After until its window ends. The key is checked first, so a valid key is never
 * slowed, even behind a proxy that many clients share; guessing a key is out of reach by its length (16+
 * characters), and the 429 tells a misconfigured client to back off and keeps the log quiet. The table is bounded:
 * a window is forgotten when it ends, and the oldest first when `maxClients` are remembered.
 */
export class AuthFailures {
  readonly #clients = new Map<string, Window>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxClients: number;
  readonly #now: () => number;

  constructor(private readonly options: AuthFailureOptions) {
    this.#limit = options.limit ?? 10;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxClients = options.maxClients ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#clients.size;
  }

  /** Records a failure; the seconds to wait when this client is over the limit (answer 429), else undefined. */
  fail(client: string, reason: 'missing' | 'invalid'): number | undefined {
    const now = this.#now();
    let window = this.#clients.get(client);
    let previous = 0;
    if (window && now - window.startedAt >= this.#windowMs) {
      previous = window.failures;
      this.#clients.delete(client);
      window = undefined;
    }
    this.#forgetEnded(now);
    if (!window) {
      while (this.#clients.size >= this.#maxClients) this.#clients.delete(this.#clients.keys().next().value as string);
      window = { startedAt: now, failures: 0 };
      // Insertion order is window order: the first entry is always the oldest window.
      this.#clients.set(client, window);
    }
    window.failures++;
    if (window.failures === 1) {
      this.options.log.warn({ client, reason, ...(previous > 1 ? { failuresPreviousWindow: previous } : {}) }, 'authentication failed');
    }
    if (window.failures < this.#limit) return undefined;
    const retryAfter = Math.max(1, Math.ceil((window.startedAt + this.#windowMs - now) / 1000));
    if (window.failures === this.#limit) {
      this.options.log.warn({ client, failures: window.failures, retryAfter }, 'repeated authentication failures: this client gets 429 until its window ends');
    }
    return retryAfter;
  }

  #forgetEnded(now: number): void {
    for (const [client, window] of this.#clients) {
      if (now - window.startedAt < this.#windowMs) break;
      this.#clients.delete(client);
    }
  }
}
