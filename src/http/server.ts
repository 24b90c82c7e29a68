import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP_DEFAULTS } from '../config.js';
import type { OAuthConfig } from '../config/oauth-config.js';
import { InFlight } from '../in-flight.js';
import type { Logger } from '../logger.js';
import { MemoryStore } from '../state/memory.js';
import type { StateStore } from '../state/store.js';
import type { Telemetry } from '../telemetry/types.js';
import { AuthFailures } from './auth-failures.js';
import type { HttpContext, McpOptions } from './context.js';
import { createHostGuard } from './guard.js';
import { createReadiness } from './readiness.js';
import { startOAuth, withOAuthReadiness, type OAuthStartOptions } from './oauth/runtime.js';
import { createRequestListener } from './routes.js';
import { StatelessServerPool, type ServerPoolStats } from './server-pool.js';
import { SessionCap } from './session-cap.js';
import { SessionTable } from './sessions.js';
import { gracefulShutdown, type GracefulShutdown } from './shutdown.js';
import { buildTenantDirectory, type HttpTenant } from './tenant-directory.js';
import type { TenantSpec } from './tenants.js';

export type { McpOptions } from './context.js';

/** Longer than the common idle timeouts of clients and balancers (60 s), so that they close an idle connection first. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export interface HttpServerOptions {
  tenants: readonly TenantSpec[];
  log: Logger;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** No sessions: a new McpServer and transport per POST (default false: stateful sessions). */
  stateless?: boolean;
  /** Idle time after which a stateful session is closed (default 30 min). */
  sessionIdleMs?: number;
  /** Concurrent MCP POSTs per tenant (default 16); a tenant's `maxConcurrency` overrides it. */
  maxConcurrency?: number;
  /** Largest accepted request body (default 1 MiB); larger gets 413. */
  maxBodyBytes?: number;
  allowedHosts?: readonly string[];
  allowedOrigins?: readonly string[];
  /** How long close() waits for in-flight requests (default 10 s). */
  shutdownGraceMs?: number;
  /** What every McpServer of every tenant is built with (admin tools, tool deadline, ...). */
  mcp?: McpOptions;
  /** Clock of session idle expiry (tests). */
  now?: () => number;
  /** How long a /readyz result is reused (default 5 s). */
  readinessCacheMs?: number;
  /** The shared state (token caches, order records, used confirmation tokens, limits); default: in memory. */
  store?: StateStore;
  /** STATE_ENCRYPTION_KEY: HKDF input for state at rest; default: each tenant's own credential secret. */
  stateEncryptionKey?: string;
  /** MCP requests per tenant per minute, fleet-wide on a shared store (default 0: no rate limit). */
  rateLimitPerMinute?: number;
  /** Stateful sessions in all (default 1000) and per tenant (default 100). */
  maxSessions?: number;
  maxSessionsPerTenant?: number;
  /** Failed authentications per client per minute before further ones get 429 (default 10). */
  authFailureLimit?: number;
  /** Traces and metrics (src/telemetry/); give it to `mcp` too for the tool calls' spans. */
  telemetry?: Telemetry;
  /** Turns on /metrics, readable with this key (needs `telemetry` with a Prometheus reader). A secret. */
  metricsKey?: string;
  /** Resource-server mode: OAuth access tokens of this issuer (src/http/oauth/), beside the static keys. */
  oauth?: OAuthConfig & Pick<OAuthStartOptions, 'jwksCooldownMs' | 'metadataRetryMs'>;
}

export interface HttpServerStats {
  sessions: number;
  inFlight: number;
  /** MCP requests in flight per tenant. */
  tenants: Record<string, number>;
  /** Stateful sessions per tenant. */
  sessionsByTenant: Record<string, number>;
  /** Open GET (SSE) streams per tenant. */
  streams: Record<string, number>;
  /** Clients remembered for failed authentication (bounded). */
  authFailureClients: number;
  /** Stateless mode: servers built, requests answered by a pooled one, servers idle in the pool. */
  statelessServers: ServerPoolStats;
}

export interface HttpServerHandle {
  /** The MCP endpoint, e.g. `http://127.0.0.1:3000/mcp`. */
  url: string;
  origin: string;
  port: number;
  stateless: boolean;
  stats(): HttpServerStats;
  /**
   * Graceful stop: new requests get 503 with `Retry-After: 1` and `Connection: close` (the listener stays open),
   * in-flight requests finish (up to shutdownGraceMs), then the listener, sessions and connections are closed.
   * Idempotent.
   */
  close(): Promise<void>;
}

/**
 * The Streamable HTTP server: `/mcp` (the SDK transport behind Host/Origin checks, bearer-key auth, a body
 * limit and a per-tenant concurrency limit), `/healthz` and `/readyz`. Stateful by default (one McpServer per
 * session, bound to its tenant) or stateless (one per request).
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServerHandle> {
  if (options.tenants.length === 0) throw new Error('startHttpServer needs at least one tenant');
  const { log } = options;
  const host = options.host ?? HTTP_DEFAULTS.host;
  const store = options.store ?? new MemoryStore();
  const directory = await buildTenantDirectory(options.tenants, {
    store,
    log,
    maxConcurrency: options.maxConcurrency ?? HTTP_DEFAULTS.maxConcurrency,
    ...(options.rateLimitPerMinute ? { rateLimitPerMinute: options.rateLimitPerMinute } : {}),
    ...(options.stateEncryptionKey ? { stateEncryptionKey: options.stateEncryptionKey } : {}),
  });
  const oauth = options.oauth ? await startOAuth(oauthOptions(options, options.oauth, directory.tenants)) : undefined;
  const inFlight = new InFlight();
  const { sessions, sessionCap } = sessionTable(options);
  let shutdown: GracefulShutdown | undefined;
  const ctx: HttpContext = {
    log,
    stateless: options.stateless ?? false,
    maxBodyBytes: options.maxBodyBytes ?? HTTP_DEFAULTS.maxBodyBytes,
    mcp: options.mcp ?? {},
    directory,
    guard: createHostGuard({ bindHost: host, allowedHosts: options.allowedHosts ?? [], allowedOrigins: options.allowedOrigins ?? [] }),
    readiness: withOAuthReadiness(createReadiness({ tenants: directory.tenants, store, ...(options.readinessCacheMs !== undefined ? { cacheMs: options.readinessCacheMs } : {}) }), oauth),
    inFlight,
    sessions,
    sessionCap,
    serverPool: new StatelessServerPool<HttpTenant>(),
    authFailures: new AuthFailures({ log, ...(options.authFailureLimit !== undefined ? { limit: options.authFailureLimit } : {}), ...(options.now ? { now: options.now } : {}) }),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
    ...(options.metricsKey ? { metricsKey: options.metricsKey } : {}),
    closing: () => shutdown?.closing ?? false,
    ...(oauth ? { oauth } : {}),
  };
  options.telemetry?.observeSessions(() => ctx.sessions.size);

  const server = createServer(createRequestListener(ctx));
  // An idle connection outlives the client's and the proxy's own idle timeout (nginx and ALB: 60 s), so the client
  // closes it first. With Node's 5 s default a request sent just as the server closes its connection fails
  // ("other side closed", UND_ERR_SOCKET): seen from the SDK client on a loaded machine, and as 502s behind balancers.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  shutdown = gracefulShutdown({ server, inFlight, sessions, graceMs: options.shutdownGraceMs ?? HTTP_DEFAULTS.shutdownGraceMs, log });
  const port = await listen(server, options.port ?? HTTP_DEFAULTS.port, host);
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const close = async () => {
    oauth?.keys.close();
    await shutdown!.close();
  };
  return { url: `${origin}/mcp`, origin, port, stateless: ctx.stateless, stats: () => statsOf(ctx), close };
}

function oauthOptions(options: HttpServerOptions, oauth: NonNullable<HttpServerOptions['oauth']>, tenants: readonly HttpTenant[]): OAuthStartOptions {
  const { jwksCooldownMs, metadataRetryMs, ...config } = oauth;
  return {
    config,
    tenants,
    log: options.log,
    enableAdmin: options.mcp?.enableAdmin ?? false,
    ...(jwksCooldownMs !== undefined ? { jwksCooldownMs } : {}),
    ...(metadataRetryMs !== undefined ? { metadataRetryMs } : {}),
  };
}

/** The stateful sessions, with their idle expiry and their cap (per tenant and in all). */
function sessionTable(options: HttpServerOptions) {
  const sessions = new SessionTable<HttpTenant>({
    idleMs: options.sessionIdleMs ?? HTTP_DEFAULTS.sessionIdleMs,
    ...(options.now ? { now: options.now } : {}),
    onExpired: (session) => (session.tenant as HttpTenant).log.info({ session: session.id }, 'session expired after idle timeout'),
  });
  const sessionCap = new SessionCap<HttpTenant>(sessions, {
    maxSessions: options.maxSessions ?? HTTP_DEFAULTS.maxSessions,
    maxPerTenant: options.maxSessionsPerTenant ?? HTTP_DEFAULTS.maxSessionsPerTenant,
    onEvicted: (session, reason) =>
      (session.tenant as HttpTenant).log.info({ session: session.id, reason }, 'closed the oldest idle session to make room for a new one (session cap)'),
  });
  return { sessions, sessionCap };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function statsOf(ctx: HttpContext): HttpServerStats {
  const { tenants } = ctx.directory;
  const sessionsByTenant: Record<string, number> = Object.fromEntries(tenants.map((t) => [t.name, 0]));
  const streams: Record<string, number> = Object.fromEntries(tenants.map((t) => [t.name, 0]));
  for (const session of ctx.sessions.values()) {
    sessionsByTenant[session.tenant.name]! += 1;
    streams[session.tenant.name]! += session.streams ?? 0;
  }
  return {
    sessions: ctx.sessions.size,
    inFlight: ctx.inFlight.count,
    tenants: Object.fromEntries(tenants.map((t) => [t.name, t.limit.active])),
    sessionsByTenant,
    streams,
    authFailureClients: ctx.authFailures.size,
    statelessServers: ctx.serverPool.stats(),
  };
}
