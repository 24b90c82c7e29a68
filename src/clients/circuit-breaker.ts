/**
 * A circuit breaker per upstream: after `failureThreshold` failed calls in a row (no answer, or a 5xx), calls fail
 * fast for `coolDownMs`; then one probe call is let through — its success closes the circuit, its failure opens it
 * for another cool-down. A 4xx or 429 is an answer from a live upstream and counts as a success here.
 * (opossum, the usual library, needs Node 22 in its current major; this is the small part we need.)
 */
export interface CircuitBreakerOptions {
  failureThreshold?: number;
  coolDownMs?: number;
  now?: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export class CircuitOpenError extends Error {
  constructor(
    readonly retryAfterMs: number,
    readonly failures: number,
  ) {
    super('circuit open');
    this.name = 'CircuitOpenError';
  }
}

export class CircuitBreaker {
  readonly failureThreshold: number;
  readonly coolDownMs: number;
  readonly #now: () => number;
  #consecutiveFailures = 0;
  #openedAt: number | undefined;
  #probeInFlight = false;

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.coolDownMs = options.coolDownMs ?? 30_000;
    this.#now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.#openedAt === undefined) return 'closed';
    return this.#now() - this.#openedAt >= this.coolDownMs ? 'half-open' : 'open';
  }

  /** Failed calls in a row so far. */
  get consecutiveFailures(): number {
    return this.#consecutiveFailures;
  }

  /** Call before sending; throws CircuitOpenError while the upstream is given time to recover. */
  admit(): { probe: boolean } {
    const state = this.state;
    if (state === 'closed') return { probe: false };
    if (state === 'half-open' && !this.#probeInFlight) {
      this.#probeInFlight = true;
      return { probe: true };
    }
    const waited = this.#now() - (this.#openedAt ?? this.#now());
    throw new CircuitOpenError(Math.max(this.coolDownMs - waited, 1_000), this.#consecutiveFailures);
  }

  succeeded(): void {
    this.#consecutiveFailures = 0;
    this.#openedAt = undefined;
    this.#probeInFlight = false;
  }

  /** Counts a failure; returns true when this failure opened the circuit (so the caller can say so, once). */
  failed(): boolean {
    this.#consecutiveFailures++;
    const wasOpen = this.#openedAt !== undefined && !this.#probeInFlight;
    if (this.#probeInFlight || this.#consecutiveFailures >= this.failureThreshold) this.#openedAt = this.#now();
    this.#probeInFlight = false;
    return !wasOpen && this.#openedAt !== undefined;
  }
}
