import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { AugurClient } from '../clients/augur.js';
import { PartsSourceClient } from '../clients/partssource.js';
import { HTTP_DEFAULTS } from '../config.js';
import type { Logger } from '../logger.js';
import { createMcpServer, type ServerOptions } from '../server.js';
import { MemoryStore } from '../state/memory.js';
import { stateKey, type RateLimit, type StateStore } from '../state/store.js';
import { confirmationSecretFor, credentialSecretOf, type TenantState } from '../state/tenant.js';
import type { UpstreamClients } from '../tools/define.js';
import { VERSION } from '../version.js';
import { KeyRing, WWW_AUTHENTICATE, bearerToken } from './auth.js';
import { AuthFailures } from './auth-failures.js';
import { MemberRefusals, batchRefusal, toolCallIds } from './batch.js';
import { createHostGuard } from './guard.js';
import { InFlight } from '../in-flight.js';
import { FleetConcurrencyLimit, admitMembers, concurrencyRefusal, rateLimited, rateRefusal } from './limits.js';
import { createReadiness } from './readiness.js';
import { SessionCap } from './session-cap.js';
import { refuseLastEventId, resumableSession } from './event-store.js';
import { refuseInvalidMessage } from './jsonrpc-validation.js';
import { negotiated, refuseProtocolHeader } from './protocol-version.js';
import { headerValue, refuseAccept, UNSUPPORTED_MEDIA_TYPE } from './request-headers.js';
import { SessionTable } from './sessions.js';
import type { TenantSpec } from './tenants.js';
import { parseList, unknownNames, type ToolSelection } from '../mcp/tool-selection.js';

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
}

export type McpOptions = Omit<ServerOptions, 'clients' | 'log'>;

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

/** One tenant at run time: its own clients (so its own token cache), logger and concurrency budget. */
interface Tenant {
  name: string;
  clients: UpstreamClients;
  log: Logger;
  limit: FleetConcurrencyLimit;
  rate?: RateLimit;
  state: TenantState;
  /** The tenant's narrowing of the tool selection (tenants file). */
  selection?: ToolSelection;
  /** Key of this tenant's confirmation tokens: a token works across its sessions, never for another tenant. */
  confirmationSecret: Buffer;
}

type Body = { kind: 'ok'; value: unknown } | { kind: 'too_large' } | { kind: 'invalid_json' } | { kind: 'aborted' };

/**
 * The Streamable HTTP server: `/mcp` (the SDK transport behind Host/Origin checks, bearer-key auth, a body
 * limit and a per-tenant concurrency limit), `/healthz` and `/readyz`. Stateful by default (one McpServer per
 * session, bound to its tenant) or stateless (one per request).
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServerHandle> {
  if (options.tenants.length === 0) throw new Error('startHttpServer needs at least one tenant');
  const log = options.log;
  const host = options.host ?? HTTP_DEFAULTS.host;
  const stateless = options.stateless ?? false;
  const maxBodyBytes = options.maxBodyBytes ?? HTTP_DEFAULTS.maxBodyBytes;
  const graceMs = options.shutdownGraceMs ?? HTTP_DEFAULTS.shutdownGraceMs;
  const mcpOptions: McpOptions = options.mcp ?? {};

  const store = options.store ?? new MemoryStore();
  const rateLimiter = options.rateLimitPerMinute ? await store.rateLimiter({ points: options.rateLimitPerMinute, durationSeconds: 60 }) : undefined;
  const keys = new KeyRing<Tenant>();
  const tenants: Tenant[] = options.tenants.map((spec) => {
    const tenantLog = log.child({ tenant: spec.name });
    const state: TenantState = {
      store,
      tenant: spec.name,
      log: tenantLog,
      ...(options.stateEncryptionKey ? { encryptionKey: options.stateEncryptionKey } : {}),
    };
    const maxConcurrency = spec.maxConcurrency ?? options.maxConcurrency ?? HTTP_DEFAULTS.maxConcurrency;
    const tenant: Tenant = {
      name: spec.name,
      clients: {
        ...(spec.partssource ? { partssource: new PartsSourceClient(spec.partssource, state) } : {}),
        ...(spec.augur ? { augur: new AugurClient(spec.augur) } : {}),
      },
      log: tenantLog,
      limit: new FleetConcurrencyLimit(maxConcurrency, store, stateKey(spec.name, 'limit', 'concurrency'), tenantLog),
      ...(rateLimiter ? { rate: rateLimiter } : {}),
      state,
      ...(spec.selection ? { selection: spec.selection } : {}),
      confirmationSecret: confirmationSecretFor(state, credentialSecretOf(spec) ?? spec.name),
    };
    spec.keyDigests.forEach((digest) => keys.add(digest, tenant));
    return tenant;
  });

  const guard = createHostGuard({ bindHost: host, allowedHosts: options.allowedHosts ?? [], allowedOrigins: options.allowedOrigins ?? [] });
  const readiness = createReadiness({ tenants, store, ...(options.readinessCacheMs !== undefined ? { cacheMs: options.readinessCacheMs } : {}) });
  const inFlight = new InFlight();
  const sessions = new SessionTable<Tenant>({
    idleMs: options.sessionIdleMs ?? HTTP_DEFAULTS.sessionIdleMs,
    ...(options.now ? { now: options.now } : {}),
    onExpired: (session) => (session.tenant as Tenant).log.info({ session: session.id }, 'session expired after idle timeout'),
  });
  const sessionCap = new SessionCap<Tenant>(sessions, {
    maxSessions: options.maxSessions ?? HTTP_DEFAULTS.maxSessions,
    maxPerTenant: options.maxSessionsPerTenant ?? HTTP_DEFAULTS.maxSessionsPerTenant,
    onEvicted: (session, reason) =>
      (session.tenant as Tenant).log.info({ session: session.id, reason }, 'closed the oldest idle session to make room for a new one (session cap)'),
  });
  const authFailures = new AuthFailures({ log, ...(options.authFailureLimit !== undefined ? { limit: options.authFailureLimit } : {}), ...(options.now ? { now: options.now } : {}) });
  let closing = false;

  const server: Server = createServer((req, res) => {
    const started = performance.now();
    res.on('finish', () =>
      log.debug({ method: req.method, path: req.url, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'http request'),
    );
    handle(req, res).catch((error: unknown) => {
      log.error({ err: error }, 'unexpected error in the HTTP handler');
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal server error');
      else res.end();
    });
  });
  // An idle connection outlives the client's and the proxy's own idle timeout (nginx and ALB: 60 s), so the client
  // closes it first. With Node's 5 s default a request sent just as the server closes its connection fails
  // ("other side closed", UND_ERR_SOCKET): seen from the SDK client on a loaded machine, and as 502s behind balancers.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (closing) {
      // The listener stays open through the grace period so that a load balancer gets this 503 (and retries
      // elsewhere) instead of a refused connection; the probes say "not ready" so it stops sending traffic.
      const headers = { 'retry-after': '1', connection: 'close' };
      if (path === '/healthz' || path === '/readyz') return sendJson(res, 503, { status: 'shutting_down', version: VERSION }, headers);
      return rpcError(res, 503, -32000, 'Server is shutting down; retry the request (on another instance)', headers);
    }
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
      return sendJson(res, 200, { status: 'ok', version: VERSION });
    }
    if (path === '/readyz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
      const ready = await readiness();
      // Counts only (no tenant names), as the rest of /readyz.
      const open = { open: sessions.size, max: sessionCap.options.maxSessions };
      return sendJson(res, ready.status === 'ready' ? 200 : 503, { ...ready, sessions: open, version: VERSION });
    }
    if (path === '/mcp') return handleMcp(req, res);
    return sendJson(res, 404, { error: `Not found: ${path}. The MCP endpoint is /mcp; health checks are /healthz and /readyz.` });
  }

  async function handleMcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = guard(req);
    if (refused) {
      log.warn({ host: req.headers.host, origin: req.headers.origin }, 'refused a request with a foreign Host or Origin');
      return rpcError(res, 403, -32000, refused);
    }
    const allowed = stateless ? 'POST' : 'GET, POST, DELETE';
    if (!allowed.split(', ').includes(req.method ?? '')) {
      return methodNotAllowed(
        res,
        allowed,
        stateless ? `Method not allowed: this server is stateless (no sessions, no GET stream); send POST` : undefined,
      );
    }
    const key = bearerToken(req.headers);
    const tenant = key === undefined ? undefined : keys.match(key);
    if (!tenant) {
      const retryAfter = authFailures.fail(req.socket.remoteAddress ?? 'unknown', key === undefined ? 'missing' : 'invalid');
      if (retryAfter !== undefined) {
        res.setHeader('connection', 'close');
        return rpcError(res, 429, -32001, `Too many failed authentications from this client; retry after ${retryAfter} s`, { 'retry-after': String(retryAfter) });
      }
      res.setHeader('www-authenticate', WWW_AUTHENTICATE);
      return rpcError(
        res,
        401,
        -32001,
        key === undefined
          ? 'Unauthorized: send the API key as "Authorization: Bearer <key>"'
          : 'Unauthorized: the API key is not valid',
      );
    }
    const notAcceptable = refuseAccept(req);
    if (notAcceptable) return rpcError(res, notAcceptable === UNSUPPORTED_MEDIA_TYPE ? 415 : 406, -32000, notAcceptable);
    if (req.method === 'POST') return handlePost(req, res, tenant);
    return handleSessionRequest(req, res, tenant);
  }

  async function handlePost(req: IncomingMessage, res: ServerResponse, tenant: Tenant): Promise<void> {
    if (tenant.rate) {
      const retryAfter = await rateLimited(tenant.rate, tenant.name);
      if (retryAfter !== undefined) {
        tenant.log.warn({ retryAfter }, 'rate limit reached; request refused with 429');
        return rpcError(res, 429, -32000, rateRefusal(retryAfter), { 'retry-after': String(retryAfter) });
      }
    }
    const release = await tenant.limit.tryAcquire();
    if (!release) {
      tenant.log.warn({ limit: tenant.limit.max }, 'concurrency limit reached; request refused with 429');
      return rpcError(res, 429, -32000, concurrencyRefusal(tenant.limit.max), { 'retry-after': '1' });
    }
    const leave = inFlight.enter();
    res.once('close', () => {
      release();
      leave();
    });

    // Session checks come first: they need no body.
    let session;
    let sessionNarrowing: ToolSelection | undefined;
    const sessionId = headerValue(req, 'mcp-session-id');
    if (!stateless && sessionId !== undefined) {
      session = sessionFor(sessionId, tenant);
      if (!session) return sessionNotFound(res);
      res.once('close', sessions.begin(session));
    }

    const body = await readJsonBody(req, maxBodyBytes);
    if (body.kind === 'aborted') return void res.destroy();
    if (body.kind === 'too_large') {
      res.setHeader('connection', 'close');
      return rpcError(res, 413, -32000, `Request body too large: the limit is ${maxBodyBytes} bytes`);
    }
    if (body.kind === 'invalid_json') return rpcError(res, 400, -32700, 'Parse error: Invalid JSON');
    const invalid = refuseInvalidMessage(body.value);
    if (invalid) return rpcError(res, 400, invalid.code, invalid.message, {}, invalid.id);
    const badVersion = isInitialize(body.value) ? undefined : refuseProtocolHeader(req, session?.protocolVersion);
    if (badVersion) return rpcError(res, 400, -32000, badVersion);
    const batchRefused = batchRefusal(body.value, [headerValue(req, 'mcp-protocol-version'), session?.protocolVersion]);
    if (batchRefused) return rpcError(res, 400, -32600, batchRefused);
    // This POST's own slot and rate point cover its first tool call; every further one of a batch needs its own.
    const extraCalls = toolCallIds(body.value).slice(1);
    const admission = extraCalls.length > 0 ? await admitMembers(extraCalls, tenant.limit, tenant.rate, tenant.name) : undefined;
    if (admission) {
      res.once('close', () => admission.releases.forEach((release) => release()));
      if (admission.refused.length > 0) tenant.log.warn({ refused: admission.refused.length, limit: tenant.limit.max }, 'batch members over the limits refused');
    }
    const refuseOver = (transport: StreamableHTTPServerTransport) => {
      if (admission?.refused.length) res.once('close', MemberRefusals.of(transport).refuse(admission.refused));
    };

    if (stateless || !session) {
      const narrowing = sessionSelection(req);
      if ('unknown' in narrowing) {
        return rpcError(res, 400, -32602, `Bad Request: unknown ${narrowing.unknown.join(', ')} in the X-MCP-* tool selection headers`);
      }
      sessionNarrowing = narrowing.selection;
    }

    if (stateless) {
      const mcp = createMcpServer(serverOptionsFor(tenant, tenant.log, sessionNarrowing));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      transport.onerror = (error) => tenant.log.debug({ err: error.message }, 'transport refused a request');
      res.once('close', () => void mcp.close().catch(() => {}));
      await mcp.connect(transport);
      refuseOver(transport);
      return transport.handleRequest(req, res, isInitialize(body.value) ? negotiated(body.value).body : body.value);
    }

    if (session && isInitialize(body.value)) {
      return rpcError(res, 400, -32600, 'Invalid Request: this session is already initialized; to open another, send initialize without Mcp-Session-Id');
    }
    if (session) {
      refuseOver(session.transport);
      return session.transport.handleRequest(req, res, body.value);
    }
    if (!isInitialize(body.value)) return rpcError(res, 400, -32000, 'Bad Request: No valid session ID provided; send initialize first');
    const room = sessionCap.admit(tenant);
    if (!room.ok) {
      tenant.log.warn({ status: room.status, limit: room.status === 429 ? sessionCap.options.maxPerTenant : sessionCap.options.maxSessions }, 'session cap reached and no session is idle; initialize refused');
      return rpcError(res, room.status, -32000, room.message, { 'retry-after': String(room.retryAfter) });
    }
    res.once('close', room.release);
    return openSession(req, res, tenant, body.value, sessionNarrowing, room.release, refuseOver);
  }

  /** What a session's McpServer is built with: the server's options, narrowed by the tenant, then the session. */
  function serverOptionsFor(tenant: Tenant, log: Logger, narrowing: ToolSelection | undefined) {
    return {
      ...mcpOptions,
      clients: tenant.clients,
      log,
      narrow: [...(mcpOptions.narrow ?? []), tenant.selection, narrowing],
      confirmationSecret: mcpOptions.confirmationSecret ?? tenant.confirmationSecret,
      state: tenant.state,
    };
  }

  async function openSession(
    req: IncomingMessage,
    res: ServerResponse,
    tenant: Tenant,
    body: unknown,
    narrowing: ToolSelection | undefined,
    releaseReservation: () => void,
    refuseOver: (transport: StreamableHTTPServerTransport) => void,
  ): Promise<void> {
    const id = randomUUID();
    const sessionLog = tenant.log.child({ session: id });
    const mcp = createMcpServer(serverOptionsFor(tenant, sessionLog, narrowing));
    let opened = false;
    const protocol = negotiated(body);
    const resumable = resumableSession();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      ...resumable,
      onsessioninitialized: () => {
        opened = true;
        const session = { id, tenant, server: mcp, transport, lastSeen: sessions.now(), active: 0, protocolVersion: protocol.version, events: resumable.eventStore };
        sessions.add(session);
        releaseReservation();
        // Busy until its initialize is answered: a burst of new sessions cannot close it before its client has it.
        res.once('close', sessions.begin(session));
        sessionLog.info('session opened');
      },
      onsessionclosed: () => {
        sessions.remove(id);
        sessionLog.info('session ended by the client');
      },
    });
    transport.onerror = (error) => sessionLog.debug({ err: error.message }, 'transport refused a request');
    transport.onclose = () => sessions.remove(id);
    await mcp.connect(transport);
    refuseOver(transport);
    await transport.handleRequest(req, res, protocol.body);
    if (!opened) await mcp.close().catch(() => {});
  }

  /** GET (the session's SSE stream) and DELETE (end the session). */
  async function handleSessionRequest(req: IncomingMessage, res: ServerResponse, tenant: Tenant): Promise<void> {
    const sessionId = headerValue(req, 'mcp-session-id');
    if (sessionId === undefined) return rpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
    const session = sessionFor(sessionId, tenant);
    if (!session) return sessionNotFound(res);
    session.lastSeen = sessions.now();
    const refused = refuseProtocolHeader(req, session.protocolVersion) ?? refuseLastEventId(req, session.events);
    if (refused) return rpcError(res, 400, -32000, refused);
    // An open GET stream makes the session busy (never closed for room) and is counted per tenant.
    if (req.method === 'GET') res.once('close', sessions.openStream(session));
    return session.transport.handleRequest(req, res);
  }

  /** The session, if it exists, is alive, and belongs to this tenant; another tenant's id is "not found". */
  function sessionFor(id: string, tenant: Tenant) {
    const session = sessions.get(id);
    if (session && session.tenant !== tenant) {
      tenant.log.warn({ session: id, owner: session.tenant.name }, "refused a request on another tenant's session");
      return undefined;
    }
    return session;
  }

  function sessionCounts() {
    const sessionsByTenant: Record<string, number> = Object.fromEntries(tenants.map((t) => [t.name, 0]));
    const streams: Record<string, number> = Object.fromEntries(tenants.map((t) => [t.name, 0]));
    for (const session of sessions.values()) {
      sessionsByTenant[session.tenant.name]! += 1;
      streams[session.tenant.name]! += session.streams ?? 0;
    }
    return { sessionsByTenant, streams };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? HTTP_DEFAULTS.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url: `${origin}/mcp`,
    origin,
    port,
    stateless,
    stats: () => ({
      sessions: sessions.size,
      inFlight: inFlight.count,
      tenants: Object.fromEntries(tenants.map((t) => [t.name, t.limit.active])),
      ...sessionCounts(),
      authFailureClients: authFailures.size,
    }),
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

/**
 * A session's own narrowing of the tools, from headers sent with initialize (stateful) or with every request
 * (stateless): X-MCP-Toolsets, X-MCP-Tools, X-MCP-Exclude-Tools, X-MCP-Read-Only: true. It can only remove tools.
 */
function sessionSelection(req: IncomingMessage): { selection?: ToolSelection } | { unknown: string[] } {
  const toolsets = parseList(headerValue(req, 'x-mcp-toolsets'));
  const tools = parseList(headerValue(req, 'x-mcp-tools'));
  const excludeTools = parseList(headerValue(req, 'x-mcp-exclude-tools'));
  const readOnly = ['1', 'true', 'yes'].includes(headerValue(req, 'x-mcp-read-only')?.trim().toLowerCase() ?? '');
  const selection: ToolSelection = {
    ...(toolsets ? { toolsets } : {}),
    ...(tools ? { tools } : {}),
    ...(excludeTools ? { excludeTools } : {}),
    ...(readOnly ? { readOnly } : {}),
  };
  const unknown = unknownNames(selection);
  if (unknown.length > 0) return { unknown };
  return Object.keys(selection).length > 0 ? { selection } : {};
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(payload);
}

/**
 * An HTTP-level refusal as a JSON-RPC error. Without the request's id when it is not known: MCP's schema (2025-11-25)
 * makes the id of an error optional and never null, and the transport spec says such a body "has no id".
 */
function rpcError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}, id?: string | number): void {
  sendJson(res, status, { jsonrpc: '2.0', ...(id !== undefined ? { id } : {}), error: { code, message } }, headers);
}

const isInitialize = (body: unknown) => (Array.isArray(body) ? body.some(isInitializeRequest) : isInitializeRequest(body));

function methodNotAllowed(res: ServerResponse, allow: string, message?: string): void {
  rpcError(res, 405, -32000, message ?? `Method not allowed; use ${allow}`, { allow });
}

function sessionNotFound(res: ServerResponse): void {
  rpcError(res, 404, -32001, 'Session not found: it expired, was closed, or belongs to another key; start a new session with initialize');
}

/** Reads the body up to `limit` bytes (413 before reading when Content-Length already says more). */
function readJsonBody(req: IncomingMessage, limit: number): Promise<Body> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too_large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: Body) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish({ kind: 'too_large' });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      if (done) return;
      try {
        finish({ kind: 'ok', value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch {
        finish({ kind: 'invalid_json' });
      }
    });
    req.once('error', () => finish({ kind: 'aborted' }));
    req.once('close', () => {
      if (!req.complete) finish({ kind: 'aborted' });
    });
  });
}
