import type { IncomingMessage, ServerResponse } from 'node:http';
import { WWW_AUTHENTICATE, bearerToken } from './auth.js';
import type { HttpContext } from './context.js';
import { refuseLastEventId } from './event-store.js';
import { handlePost } from './mcp-post.js';
import { authenticateToken, looksLikeJwt, missingTokenChallenge, type TokenOutcome } from './oauth/authenticate.js';
import { sessionFor } from './tenant-sessions.js';
import { refuseProtocolHeader } from './protocol-version.js';
import { headerValue, refuseAccept, UNSUPPORTED_MEDIA_TYPE } from './request-headers.js';
import { methodNotAllowed, rpcError, sessionNotFound } from './responses.js';
import type { Caller } from './tenant-directory.js';

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
  const caller = await authenticate(ctx, req, res);
  if (!caller) return;
  const notAcceptable = refuseAccept(req);
  if (notAcceptable) return rpcError(res, notAcceptable === UNSUPPORTED_MEDIA_TYPE ? 415 : 406, -32000, notAcceptable);
  if (req.method === 'POST') return handlePost(ctx, req, res, caller);
  return handleSessionRequest(ctx, req, res, caller);
}

/**
 * The caller of the request's bearer token; else the refusal is sent (401, 403, or 429 for a client failing too
 * often). With OAuth on, a token shaped like a JWT (or none) goes to the token verifier, anything else to the key
 * ring (src/http/oauth/authenticate.ts), and every 401 carries the OAuth challenge.
 */
async function authenticate(ctx: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<Caller | undefined> {
  const key = bearerToken(req.headers);
  if (ctx.oauth && (key === undefined || looksLikeJwt(key))) return callerOf(ctx, req, res, await authenticateToken(ctx.oauth, key));
  const tenant = key === undefined ? undefined : ctx.directory.keys.match(key);
  if (tenant) return { tenant };
  const introspector = ctx.oauth?.introspector;
  if (ctx.oauth && introspector && key !== undefined) return callerOf(ctx, req, res, await authenticateToken(ctx.oauth, key, (t) => introspector.verify(t)));
  const challenge = ctx.oauth ? missingTokenChallenge(ctx.oauth) : WWW_AUTHENTICATE;
  const message = key === undefined ? 'Unauthorized: send the API key as "Authorization: Bearer <key>"' : 'Unauthorized: the API key is not valid';
  return void refuseAuthentication(ctx, req, res, { missing: key === undefined, challenge, message });
}

/** The caller of an accepted token; else its refusal is sent. */
function callerOf(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, outcome: TokenOutcome): Caller | undefined {
  if (outcome.ok) return { tenant: outcome.tenant, principal: outcome.principal };
  if (outcome.status === 403) {
    ctx.log.warn({ reason: outcome.message }, 'OAuth: a valid token named no tenant of this server; refused with 403');
    return void rpcError(res, 403, -32001, outcome.message);
  }
  return void refuseAuthentication(ctx, req, res, { missing: outcome.missing, challenge: outcome.challenge!, message: outcome.message });
}

/** 401 with its challenge, or 429 once this client failed too often. */
function refuseAuthentication(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, refusal: { missing: boolean; challenge: string; message: string }): void {
  const retryAfter = ctx.authFailures.fail(req.socket.remoteAddress ?? 'unknown', refusal.missing ? 'missing' : 'invalid');
  if (retryAfter !== undefined) {
    res.setHeader('connection', 'close');
    return rpcError(res, 429, -32001, `Too many failed authentications from this client; retry after ${retryAfter} s`, { 'retry-after': String(retryAfter) });
  }
  res.setHeader('www-authenticate', refusal.challenge);
  rpcError(res, 401, -32001, refusal.message);
}

/** GET (the session's SSE stream) and DELETE (end the session). */
async function handleSessionRequest(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, caller: Caller): Promise<void> {
  const sessionId = headerValue(req, 'mcp-session-id');
  if (sessionId === undefined) return rpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
  const session = sessionFor(ctx, sessionId, caller);
  if (!session) return sessionNotFound(res);
  session.lastSeen = ctx.sessions.now();
  const refused = refuseProtocolHeader(req, session.protocolVersion) ?? refuseLastEventId(req, session.events);
  if (refused) return rpcError(res, 400, -32000, refused);
  // An open GET stream makes the session busy (never closed for room) and is counted per tenant.
  if (req.method === 'GET') res.once('close', ctx.sessions.openStream(session));
  return session.transport.handleRequest(req, res);
}
