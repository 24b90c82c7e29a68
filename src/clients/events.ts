import type { Upstream } from './errors.js';

/**
 * What happened on the way to an upstream answer, reported while a call is under way: retries and their waits,
 * the circuit breaker, a token refresh. Plain facts in HTTP terms (no MCP, no secrets: never a header value or a
 * body); whoever made the call decides where they go (the MCP server: its log and the client's notifications).
 */
export type UpstreamEvent =
  | {
      type: 'retry';
      upstream: Upstream;
      method: string;
      path: string;
      /** The attempt about to be made: 2 is the first retry. */
      attempt: number;
      maxAttempts: number;
      /** Why the previous attempt failed, e.g. `HTTP 503`, `timeout after 400 ms`, `ECONNRESET`. */
      reason: string;
      status?: number;
      /** The wait before the attempt. */
      delayMs: number;
      /** True when the wait is the upstream's Retry-After (clamped to the deadline and the cap), not our backoff. */
      retryAfter: boolean;
    }
  | { type: 'circuit_opened'; upstream: Upstream; method: string; path: string; failures: number; coolDownMs: number }
  | { type: 'circuit_open'; upstream: Upstream; method: string; path: string; failures: number; retryAfterMs: number }
  | { type: 'token_refresh'; upstream: Upstream; method: string; path: string; status: number }
  | { type: 'response'; upstream: Upstream; method: string; path: string; status: number; attempts: number; ms: number };

/** Receives a call's events as they happen; must not throw (it is called from inside the HTTP machinery). */
export type CallObserver = (event: UpstreamEvent) => void;
