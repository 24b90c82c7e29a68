import type { AugurClient } from './augur.js';
import type { CallObserver } from './events.js';
import type { PartsSourceClient } from './partssource.js';

/** Types every client shares: what a call takes, what it returns, and the set of one tenant's clients. */

/** Per call: the tool call's correlation id, abort signal and deadline. */
export interface CallContext {
  correlationId: string;
  signal?: AbortSignal;
  /** Epoch ms by which the tool call must have its answer: no retry or Retry-After wait goes past it. */
  deadline?: number;
  /** Told about retries, waits, the circuit breaker and token refreshes as they happen. */
  observer?: CallObserver;
}

/** A successful call: the unwrapped `data` and the correlation id to report. */
export interface Result<T> {
  data: T;
  correlationId: string;
  /** True when the upstream replayed a stored response for an idempotency key. */
  replayed?: boolean;
}

/** The upstream clients of one tenant; an upstream that is not configured has none. */
export interface UpstreamClients {
  partssource?: PartsSourceClient;
  augur?: AugurClient;
}

export type UpstreamName = keyof UpstreamClients;
