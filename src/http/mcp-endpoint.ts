import type { IncomingMessage, ServerResponse } from 'node:http';
import { WWW_AUTHENTICATE, bearerToken } from './auth.js';
import type { HttpContext } from './context.js';
import { refuseLastEventId } from './event-store.js';
import { handlePost } from './mcp-post.js';
import { sessionFor } from './tenant-sessions.js';
import { refuseProtocolHeader } from './protocol-version.js';
import { headerValue, refuseAccept, UNSUPPORTED_MEDIA_TYPE } from './request-headers.js';
import { methodNotAllowed, rpcError, sessionNotFound } from './responses.js';
import type { HttpTenant } from './tenant-directory.js';

/**
 * `/mcp`: Host/Origin check, allowed methods, the tenant's API key, Accept; then POST (messages) or GET/DELETE
 * (a session's stream, its end).
 */
export async function handleMcp(ctx: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const refused = ctx.guard(req);
  if (refused) {
    ctx.log.warn({ host: req.headers.host, origin: req.headers.origin }, 'refused a request with a foreign Host or Origin');
    return rpcError(res, 403, -32000, refused);
  }
  const allowed = ctx.stateless ? 'POST' : 'GET, POST, DELETE';
  if (!allowed.split(', ').includes(req.method ?? '')) {
    return methodNotAllowed(res, allowed, ctx.stateless ? `Method not allowed: this server is stateless (no sessions, no GET stream); send POST` : undefined);
  }
  const tenant = authenticate(ctx, req, res);
  if (!tenant) return;
  const notAcceptable = refuseAccept(req);
  if (notAcceptable) return rpcError(res, notAcceptable === UNSUPPORTED_MEDIA_TYPE ? 415 : 406, -32000, notAcceptable);
  if (req.method === 'POST') return handlePost(ctx, req, res, tenant);
  return handleSessionRequest(ctx, req, res, tenant);
}

/** The tenant of the request's API key; else the refusal is sent (401, or 429 for a client failing too often). */
function authenticate(ctx: HttpContext, req: IncomingMessage, res: ServerResponse): HttpTenant | undefined {
  const key = bearerToken(req.headers);
  const tenant = key === undefined ? undefined : ctx.directory.keys.match(key);
  if (tenant) return tenant;
  const retryAfter = ctx.authFailures.fail(req.socket.remoteAddress ?? 'unknown', key === undefined ? 'missing' : 'invalid');
  if (retryAfter !== undefined) {
    res.setHeader('connection', 'close');
    rpcError(res, 429, -32001, `Too many failed authentications from this client; retry after ${retryAfter} s`, { 'retry-after': String(retryAfter) });
    return undefined;
  }
  res.setHeader('www-authenticate', WWW_AUTHENTICATE);
  rpcError(res, 401, -32001, key === undefined ? 'Unauthorized: send the API key as "Authorization: Bearer <key>"' : 'Unauthorized: the API key is not valid');
  return undefined;
}

/** GET (the session's SSE stream) and DELETE (end the session). */
async function handleSessionRequest(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, tenant: HttpTenant): Promise<void> {
  const sessionId = headerValue(req, 'mcp-session-id');
  if (sessionId === undefined) return rpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
  const session = sessionFor(ctx, sessionId, tenant);
  if (!session) return sessionNotFound(res);
  session.lastSeen = ctx.sessions.now();
  const refused = refuseProtocolHeader(req, session.protocolVersion) ?? refuseLastEventId(req, session.events);
  if (refused) return rpcError(res, 400, -32000, refused);
  // An open GET stream makes the session busy (never closed for room) and is counted per tenant.
  if (req.method === 'GET') res.once('close', ctx.sessions.openStream(session));
  return session.transport.handleRequest(req, res);
}
