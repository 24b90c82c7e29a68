import type { Server } from 'node:http';
import type { InFlight } from '../in-flight.js';
import type { Logger } from '../logger.js';
import type { SessionTable } from './sessions.js';

export interface GracefulShutdown {
  /** True once close() was called: the router answers 503 from then on. */
  readonly closing: boolean;
  /** Idempotent: every call returns the same promise. */
  close(): Promise<void>;
}

/**
 * Graceful stop: new requests get 503 with `Retry-After: 1` and `Connection: close` (the listener stays open),
 * in-flight requests finish (up to graceMs), then the listener, sessions and connections are closed.
 */
export function gracefulShutdown(parts: { server: Server; inFlight: InFlight; sessions: SessionTable<unknown>; graceMs: number; log: Logger }): GracefulShutdown {
  const { server, inFlight, sessions, graceMs, log } = parts;
  let closing = false;
  let closed: Promise<void> | undefined;
  return {
    get closing() {
      return closing;
    },
    close() {
      closed ??= (async () => {
        closing = true;
        const pending = inFlight.count;
        if (pending > 0) log.info({ inFlight: pending, graceMs }, 'waiting for in-flight requests; new requests get 503');
        if (!(await inFlight.drained(graceMs))) log.warn({ inFlight: inFlight.count }, 'shutdown deadline passed; closing anyway');
        // Only now stop listening: during the grace, new connections were accepted and answered 503.
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await sessions.closeAll();
        server.closeAllConnections();
        await stopped;
      })();
      return closed;
    },
  };
}
