import type { AugurClient } from './augur.js';
import { UpstreamError, type Upstream } from './errors.js';
import type { PartsSourceClient } from './partssource.js';
import type { CallContext } from './types.js';

/**
 * What probing one upstream found. The errors are kept as thrown, for the caller to word: check_health turns them
 * into advice for the agent, /readyz only counts.
 */
export interface UpstreamProbe {
  name: Upstream;
  /** The upstream answered (an answer, even a refusal, counts). */
  reachable: boolean;
  /** Our credentials were accepted. */
  authenticated: boolean;
  /** Time of the first probe (health check or token check). */
  latencyMs: number;
  /** The id to quote: the upstream's last one, else the caller's. */
  correlationId: string;
  /** Augur's public health-check failed (the upstream may still have answered). */
  healthCheckError?: unknown;
  /** The credential check failed (PartsSource token, Augur whoami). */
  authError?: unknown;
}

/** A failure that never got an answer (network, timeout, a failing server) means "not reachable". */
function unreachable(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return false;
  const { kind, status } = error.info;
  return kind === 'network' || kind === 'timeout' || (status !== undefined && status >= 500);
}

const since = (started: number) => Math.round(performance.now() - started);
const idOf = (error: unknown, fallback: string) => (error instanceof UpstreamError ? error.correlationId : fallback);

/** PartsSource: a token check through the client's token provider (cached or fresh). */
export async function probePartsSource(partssource: PartsSourceClient, call: CallContext): Promise<UpstreamProbe> {
  const started = performance.now();
  try {
    const { latencyMs } = await partssource.checkToken(call);
    return { name: 'partssource', reachable: true, authenticated: true, latencyMs, correlationId: call.correlationId };
  } catch (error) {
    const failed = { reachable: !unreachable(error), authenticated: false, latencyMs: since(started), authError: error };
    return { name: 'partssource', ...failed, correlationId: idOf(error, call.correlationId) };
  }
}

/** Augur: the public /health-check, then an authenticated /whoami (authenticated = whoami succeeded). */
export async function probeAugur(augur: AugurClient, call: CallContext): Promise<UpstreamProbe> {
  const started = performance.now();
  let correlationId = call.correlationId;
  let healthCheck: { healthCheckError?: unknown } = {};
  try {
    correlationId = (await augur.healthCheck(call)).correlationId;
  } catch (error) {
    healthCheck = { healthCheckError: error };
  }
  const latencyMs = since(started);
  if ('healthCheckError' in healthCheck && unreachable(healthCheck.healthCheckError)) {
    return { name: 'augur', reachable: false, authenticated: false, latencyMs, correlationId, ...healthCheck };
  }
  try {
    const whoami = await augur.whoami(call);
    return { name: 'augur', reachable: true, authenticated: true, latencyMs, correlationId: whoami.correlationId, ...healthCheck };
  } catch (error) {
    return { name: 'augur', reachable: true, authenticated: false, latencyMs, correlationId: idOf(error, correlationId), ...healthCheck, authError: error };
  }
}

/** The clients of one tenant, as many as are configured. */
export interface ProbedClients {
  partssource?: PartsSourceClient;
  augur?: AugurClient;
}

/** Probes every configured upstream of one tenant, PartsSource first. Never throws: a failure is in the result. */
export function probeUpstreams(clients: ProbedClients, call: CallContext): Promise<UpstreamProbe[]> {
  const probes: Array<Promise<UpstreamProbe>> = [];
  if (clients.partssource) probes.push(probePartsSource(clients.partssource, call));
  if (clients.augur) probes.push(probeAugur(clients.augur, call));
  return Promise.all(probes);
}
