import { randomUUID } from 'node:crypto';
import type { StateStore, StoreKind, StoreStatus } from '../state/store.js';
import { probeUpstreams, type ProbedClients } from '../clients/upstream-probes.js';

export interface UpstreamReadiness {
  /** Tenants with this upstream configured. */
  tenants: number;
  /** Of those, how many reached it (an answer, even a refusal, counts). */
  reachable: number;
  /** Of those, how many had their credentials accepted. */
  authenticated: number;
  maxLatencyMs: number;
}

export interface Readiness {
  status: 'ready' | 'not_ready';
  checkedAt: string;
  tenants: number;
  upstreams: Partial<Record<'partssource' | 'augur', UpstreamReadiness>>;
  /** The state store, as of this request (not cached). */
  store: { kind: StoreKind; status: StoreStatus };
  /** Resource-server mode: whether the issuer's keys are available (tokens are refused until they are). */
  oauth?: { status: 'ready' | 'not_ready'; reason?: string };
}

export interface ReadinessOptions {
  tenants: ReadonlyArray<{ clients: ProbedClients }>;
  store: StateStore;
  /** A result is reused this long, so probes cannot be used to hammer the upstreams (default 5 s). */
  cacheMs?: number;
  /** Per probe (default 5 s). */
  timeoutMs?: number;
}

/**
 * `/readyz`: runs the upstream probes that check_health runs too (src/clients/upstream-probes.ts: PartsSource token
 * check, Augur health-check + whoami) with each tenant's own clients, and aggregates them per upstream: counts
 * only, never a tenant name, credential or message. Ready when every configured upstream is reachable for every
 * tenant; a refused credential is reported but does not make the instance unready (taking it out of a load
 * balancer would not fix the credential).
 */
export function createReadiness(options: ReadinessOptions): () => Promise<Readiness> {
  const cacheMs = options.cacheMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  let cached: { at: number; value: Promise<Omit<Readiness, 'store'>> } | undefined;

  async function probe(): Promise<Omit<Readiness, 'store'>> {
    const upstreams: Readiness['upstreams'] = {};
    const results = await Promise.all(
      options.tenants.map((tenant) => {
        const signal = AbortSignal.timeout(timeoutMs);
        return probeUpstreams(tenant.clients, { correlationId: randomUUID(), signal, deadline: Date.now() + timeoutMs });
      }),
    );
    let ready = true;
    for (const probes of results) {
      for (const p of probes) {
        const u = (upstreams[p.name] ??= { tenants: 0, reachable: 0, authenticated: 0, maxLatencyMs: 0 });
        u.tenants++;
        if (p.reachable) u.reachable++;
        else ready = false;
        if (p.authenticated) u.authenticated++;
        u.maxLatencyMs = Math.max(u.maxLatencyMs, p.latencyMs);
      }
    }
    return { status: ready ? 'ready' : 'not_ready', checkedAt: new Date().toISOString(), tenants: options.tenants.length, upstreams };
  }

  // An unavailable store does not make the instance unready: reads still work on local state, and every
  // instance shares the same Redis, so taking this one out of the balancer would not help.
  return async () => {
    const now = Date.now();
    if (!cached || now - cached.at >= cacheMs) cached = { at: now, value: probe() };
    return { ...(await cached.value), store: { kind: options.store.kind, status: options.store.status() } };
  };
}
