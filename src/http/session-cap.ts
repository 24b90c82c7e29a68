import type { Session, SessionTable } from './sessions.js';

export interface SessionCapOptions {
  /** Sessions of all tenants together. */
  maxSessions: number;
  /** Sessions of one tenant. */
  maxPerTenant: number;
  /** Told to a client refused for want of room (seconds). */
  retryAfterSeconds?: number;
  onEvicted?: (session: Session<unknown>, reason: 'tenant' | 'server') => void;
}

export type SessionAdmission<T> =
  | { ok: true; /** Ends the reservation (the session was added to the table, or its initialize failed). */ release(): void }
  | { ok: false; status: 429 | 503; retryAfter: number; message: string; tenant: T };

const refusal = <T>(tenant: T, status: 429 | 503, retryAfter: number, message: string): SessionAdmission<T> => ({ ok: false, status, retryAfter, message, tenant });

/** No request in flight and no GET stream open: closing it interrupts nobody. */
const idle = (session: Session<unknown>) => session.active === 0 && !session.streams;

/**
 * Caps the stateful sessions, per tenant and in all, so a key that opens sessions in a loop cannot grow the
 * process without bound. A new session takes the place of the oldest idle one (of its tenant, then of anyone);
 * where none is idle it is refused: 429 when its own tenant is full, 503 when the server is. Initializations in
 * progress hold a reservation, so a burst of parallel ones cannot overshoot the cap either.
 */
export class SessionCap<T> {
  readonly #reserved = new Map<T, number>();
  #reservedTotal = 0;

  constructor(
    private readonly table: SessionTable<T>,
    readonly options: SessionCapOptions,
  ) {}

  admit(tenant: T): SessionAdmission<T> {
    const retryAfter = this.options.retryAfterSeconds ?? 5;
    let view = this.#scan(tenant);
    if (view.ofTenant >= this.options.maxPerTenant) {
      if (!view.oldestIdleOfTenant) {
        return refusal(tenant, 429, retryAfter, `Too many sessions for this tenant (limit ${this.options.maxPerTenant}, all busy); end unused sessions with DELETE or retry after ${retryAfter} s`);
      }
      this.#evict(view.oldestIdleOfTenant, 'tenant');
      view = this.#scan(tenant);
    }
    if (view.total >= this.options.maxSessions) {
      if (!view.oldestIdle) {
        return refusal(tenant, 503, retryAfter, `The server is at its session limit (${this.options.maxSessions}, all busy); retry after ${retryAfter} s`);
      }
      this.#evict(view.oldestIdle, 'server');
    }
    this.#reserved.set(tenant, (this.#reserved.get(tenant) ?? 0) + 1);
    this.#reservedTotal++;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.#reservedTotal--;
        const left = (this.#reserved.get(tenant) ?? 1) - 1;
        if (left > 0) this.#reserved.set(tenant, left);
        else this.#reserved.delete(tenant);
      },
    };
  }

  /** O(sessions), at most twice per new session: cheap next to building an McpServer. */
  #scan(tenant: T) {
    let total = this.#reservedTotal;
    let ofTenant = this.#reserved.get(tenant) ?? 0;
    let oldestIdle: Session<T> | undefined;
    let oldestIdleOfTenant: Session<T> | undefined;
    for (const session of this.table.values()) {
      total++;
      const mine = session.tenant === tenant;
      if (mine) ofTenant++;
      if (!idle(session)) continue;
      if (!oldestIdle || session.lastSeen < oldestIdle.lastSeen) oldestIdle = session;
      if (mine && (!oldestIdleOfTenant || session.lastSeen < oldestIdleOfTenant.lastSeen)) oldestIdleOfTenant = session;
    }
    return { total, ofTenant, oldestIdle, oldestIdleOfTenant };
  }

  #evict(session: Session<T>, reason: 'tenant' | 'server'): void {
    this.table.evict(session);
    this.options.onEvicted?.(session as Session<unknown>, reason);
  }
}
