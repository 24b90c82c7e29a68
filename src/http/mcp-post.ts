import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ToolSelection } from '../mcp/tool-selection.js';
import { MemberRefusals, batchRefusal, toolCallIds } from './batch.js';
import { readJsonBody } from './body.js';
import type { HttpContext } from './context.js';
import { refuseInvalidMessage } from './jsonrpc-validation.js';
import { admitMembers, concurrencyRefusal, rateLimited, rateRefusal, releaseBeforeAnswer } from './limits.js';
import { openSession, serveStateless, type RefuseOver } from './mcp-servers.js';
import { isInitialize, refuseProtocolHeader } from './protocol-version.js';
import { headerValue } from './request-headers.js';
import { rpcError, sessionNotFound } from './responses.js';
import { sessionSelection } from './session-selection.js';
import type { Session } from './sessions.js';
import { refuseMissingScopes } from './oauth/scope-challenge.js';
import type { Caller, HttpTenant } from './tenant-directory.js';
import { sessionFor } from './tenant-sessions.js';

/**
 * POST /mcp: the tenant's budgets, the session (stateful), the message; then the McpServer that answers it: a new
 * one (stateless), the session's, or a new session's (initialize).
 */
export async function handlePost(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, caller: Caller): Promise<void> {
  const { tenant } = caller;
  if (!(await admitPost(ctx, res, tenant))) return;
  // Session checks come first: they need no body.
  let session: Session<HttpTenant> | undefined;
  const sessionId = headerValue(req, 'mcp-session-id');
  if (!ctx.stateless && sessionId !== undefined) {
    session = sessionFor(ctx, sessionId, caller);
    if (!session) return sessionNotFound(res);
    res.once('close', ctx.sessions.begin(session));
  }
  const message = await readMessage(ctx, req, res, session);
  if (!message) return;
  if (refuseMissingScopes(ctx, res, caller, message.body)) return;
  const refuseOver = await admitBatchMembers(ctx, res, tenant, message.body);

  let narrowing: ToolSelection | undefined;
  if (ctx.stateless || !session) {
    const headers = sessionSelection(req);
    if ('unknown' in headers) return rpcError(res, 400, -32602, `Bad Request: unknown ${headers.unknown.join(', ')} in the X-MCP-* tool selection headers`);
    narrowing = headers.selection;
  }
  if (ctx.stateless) return serveStateless(ctx, req, res, caller, message.body, narrowing, refuseOver);
  if (session) {
    if (isInitialize(message.body)) {
      return rpcError(res, 400, -32600, 'Invalid Request: this session is already initialized; to open another, send initialize without Mcp-Session-Id');
    }
    refuseOver(session.transport);
    return session.transport.handleRequest(req, res, message.body);
  }
  return initializeSession(ctx, req, res, { caller, body: message.body, narrowing, refuseOver });
}

/**
 * The tenant's rate point and concurrency slot for this POST (else 429 is sent and false returned); the slot and
 * the in-flight count are held until the response closes.
 */
async function admitPost(ctx: HttpContext, res: ServerResponse, tenant: HttpTenant): Promise<boolean> {
  if (tenant.rate) {
    const retryAfter = await rateLimited(tenant.rate, tenant.name);
    if (retryAfter !== undefined) {
      tenant.log.warn({ retryAfter }, 'rate limit reached; request refused with 429');
      ctx.telemetry?.refused('rate_limit', tenant.name);
      rpcError(res, 429, -32000, rateRefusal(retryAfter), { 'retry-after': String(retryAfter) });
      return false;
    }
  }
  const release = await tenant.limit.tryAcquire();
  if (!release) {
    tenant.log.warn({ limit: tenant.limit.max }, 'concurrency limit reached; request refused with 429');
    ctx.telemetry?.refused('concurrency', tenant.name);
    rpcError(res, 429, -32000, concurrencyRefusal(tenant.limit.max), { 'retry-after': '1' });
    return false;
  }
  res.once('close', ctx.inFlight.enter());
  releaseBeforeAnswer(res, [release]);
  return true;
}

/** The POST's JSON-RPC message (or batch), read and checked; undefined when a refusal was sent instead. */
async function readMessage(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  session: Session<HttpTenant> | undefined,
): Promise<{ body: unknown } | undefined> {
  const read = await readJsonBody(req, ctx.maxBodyBytes);
  if (read.kind === 'aborted') return void res.destroy();
  if (read.kind === 'too_large') {
    res.setHeader('connection', 'close');
    return void rpcError(res, 413, -32000, `Request body too large: the limit is ${ctx.maxBodyBytes} bytes`);
  }
  if (read.kind === 'invalid_json') return void rpcError(res, 400, -32700, 'Parse error: Invalid JSON');
  const invalid = refuseInvalidMessage(read.value);
  if (invalid) return void rpcError(res, 400, invalid.code, invalid.message, {}, invalid.id);
  const badVersion = isInitialize(read.value) ? undefined : refuseProtocolHeader(req, session?.protocolVersion);
  if (badVersion) return void rpcError(res, 400, -32000, badVersion);
  const batchRefused = batchRefusal(read.value, [headerValue(req, 'mcp-protocol-version'), session?.protocolVersion]);
  if (batchRefused) return void rpcError(res, 400, -32600, batchRefused);
  return { body: read.value };
}

/**
 * This POST's own slot and rate point cover its first tool call; every further one of a batch needs its own. The
 * members over a limit are answered with an error by the transport the result applies them to.
 */
async function admitBatchMembers(ctx: HttpContext, res: ServerResponse, tenant: HttpTenant, body: unknown): Promise<RefuseOver> {
  const extraCalls = toolCallIds(body).slice(1);
  if (extraCalls.length === 0) return () => {};
  const admission = await admitMembers(extraCalls, tenant.limit, tenant.rate, tenant.name);
  releaseBeforeAnswer(res, admission.releases);
  if (admission.refused.length === 0) return () => {};
  tenant.log.warn({ refused: admission.refused.length, limit: tenant.limit.max }, 'batch members over the limits refused');
  ctx.telemetry?.refused('batch_member', tenant.name, admission.refused.length);
  return (transport) => res.once('close', MemberRefusals.of(transport).refuse(admission.refused));
}

/** initialize without a session: room under the session cap (else 429/503), then a new session. */
async function initializeSession(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  opening: { caller: Caller; body: unknown; narrowing: ToolSelection | undefined; refuseOver: RefuseOver },
): Promise<void> {
  const { tenant } = opening.caller;
  if (!isInitialize(opening.body)) return rpcError(res, 400, -32000, 'Bad Request: No valid session ID provided; send initialize first');
  const room = ctx.sessionCap.admit(tenant);
  if (!room.ok) {
    const limit = room.status === 429 ? ctx.sessionCap.options.maxPerTenant : ctx.sessionCap.options.maxSessions;
    tenant.log.warn({ status: room.status, limit }, 'session cap reached and no session is idle; initialize refused');
    return rpcError(res, room.status, -32000, room.message, { 'retry-after': String(room.retryAfter) });
  }
  res.once('close', room.release);
  return openSession(ctx, req, res, { ...opening, releaseReservation: room.release });
}
