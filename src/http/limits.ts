import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { RateLimit, StateStore } from '../state/store.js';
import { InFlight } from '../in-flight.js';

/**
 * A tenant's concurrency budget: at most `max` MCP requests at once. No queue: a request over the limit is
 * refused at once (429 with Retry-After) so one tenant can neither exhaust the server nor starve the others.
 */
export class ConcurrencyLimit {
  readonly #inFlight = new InFlight();

  constructor(readonly max: number) {}

  get active(): number {
    return this.#inFlight.count;
  }

  /** A release function when a slot is free (calling it more than once is harmless), else undefined. */
  tryAcquire(): (() => void) | undefined {
    return this.#inFlight.count >= this.max ? undefined : this.#inFlight.enter();
  }
}

/**
 * A tenant's concurrency budget across the fleet: a slot in this process (so one instance never exceeds it on
 * its own), then a leased slot in the shared store (so the whole fleet does not either). While the store is
 * unavailable the local budget alone applies, with a warning; a slot of a dead instance frees itself when its
 * lease ends.
 */
export class FleetConcurrencyLimit {
  readonly #local: ConcurrencyLimit;

  constructor(
    readonly max: number,
    private readonly store: StateStore,
    private readonly key: string,
    private readonly log: Logger,
    private readonly leaseMs = 60_000,
  ) {
    this.#local = new ConcurrencyLimit(max);
  }

  /** Requests of this tenant in flight on this instance. */
  get active(): number {
    return this.#local.active;
  }

  /**
   * A release when a slot is free, else undefined. The release (harmless to call twice) settles once the slot is
   * free fleet-wide: the HTTP server awaits it before the response's last byte, so a client that calls again as
   * soon as it has its answer finds its slot free.
   */
  async tryAcquire(): Promise<Release | undefined> {
    const releaseLocal = this.#local.tryAcquire();
    if (!releaseLocal) return undefined;
    // The memory store is this process: the local budget is already the whole answer.
    if (this.store.kind === 'memory') return async () => releaseLocal();
    const id = randomUUID();
    try {
      if (!(await this.store.acquireSlot(this.key, id, this.max, this.leaseMs))) {
        releaseLocal();
        return undefined;
      }
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'state store unavailable: concurrency limit enforced per instance only');
      // A slow Redis may still run our timed-out MULTI; this ZREM follows it on the same connection.
      void this.store.releaseSlot(this.key, id).catch(() => {});
      return async () => releaseLocal();
    }
    // A call may outlive the lease (a human answering a confirmation): renew while held, so it keeps counting.
    const renewal = setInterval(() => void this.store.renewSlot(this.key, id, this.leaseMs).catch(() => {}), this.leaseMs / 3);
    renewal.unref();
    let released: Promise<void> | undefined;
    return () =>
      (released ??= (async () => {
        clearInterval(renewal);
        releaseLocal();
        await this.store.releaseSlot(this.key, id).catch(() => {});
      })());
  }
}

/** Frees a concurrency slot; settles when it is free for the whole fleet. */
export type Release = () => Promise<void>;

/** What a request refused by the concurrency limit is told (HTTP 429, or a batch member's JSON-RPC error). */
export const concurrencyRefusal = (max: number) => `Too many concurrent requests for this tenant (limit ${max}); retry after a short wait`;
export const rateRefusal = (retryAfter: number) => `Too many requests for this tenant; retry after ${retryAfter} s`;

export interface MemberAdmission<Id> {
  /** One release per slot taken (call them when the POST ends). */
  releases: Release[];
  /** Members refused, each with the JSON-RPC error it gets instead of running. */
  refused: Array<{ id: Id; error: { code: number; message: string; data: { retryAfterSeconds: number } } }>;
}

/**
 * Admits the extra members of a batch one by one against the same budgets as single requests: a rate point each,
 * then a concurrency slot each (fleet-wide on Redis). Members over either limit are refused and never run, so a
 * 100-call batch never has more than the limit in flight.
 */
export async function admitMembers<Id>(ids: readonly Id[], limit: FleetConcurrencyLimit, rate: RateLimit | undefined, tenant: string): Promise<MemberAdmission<Id>> {
  const admission: MemberAdmission<Id> = { releases: [], refused: [] };
  const waits = rate ? await Promise.all(ids.map(() => rateLimited(rate, tenant))) : ids.map(() => undefined);
  const slots = await Promise.all(ids.map((_, i) => (waits[i] === undefined ? limit.tryAcquire() : Promise.resolve(undefined))));
  ids.forEach((id, i) => {
    const wait = waits[i];
    const release = slots[i];
    if (release) admission.releases.push(release);
    else if (wait !== undefined) admission.refused.push({ id, error: { code: -32000, message: rateRefusal(wait), data: { retryAfterSeconds: wait } } });
    else admission.refused.push({ id, error: { code: -32000, message: concurrencyRefusal(limit.max), data: { retryAfterSeconds: 1 } } });
  });
  return admission;
}

/** A tenant's request rate: undefined when allowed, else the seconds to wait. A store failure never refuses. */
export async function rateLimited(limit: RateLimit, tenant: string): Promise<number | undefined> {
  return limit.consume(`${tenant}:rate:http`).catch(() => undefined);
}

/**
 * Frees a request's slots before its response's last byte goes out (and on 'close', for a client that went away
 * first). 'close' alone fires after the client may already have its answer and have called again, and been
 * refused for a slot its own finished call still held.
 */
export function releaseBeforeAnswer(res: ServerResponse, releases: readonly Release[]): void {
  const releaseAll = () => Promise.all(releases.map((release) => release()));
  const end = res.end;
  res.end = function (this: ServerResponse, ...args: Parameters<ServerResponse['end']>) {
    res.end = end;
    void releaseAll().finally(() => end.apply(this, args));
    return this;
  } as ServerResponse['end'];
  res.once('close', () => void releaseAll());
}
