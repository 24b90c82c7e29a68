import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Logger } from '../logger.js';
import type { ToolSelection } from '../mcp/tool-selection.js';
import { createMcpServer } from '../server.js';
import type { HttpContext } from './context.js';
import { resumableSession } from './event-store.js';
import { isInitialize, negotiated } from './protocol-version.js';
import { callerFields } from './oauth/authenticate.js';
import { scopeSelection } from './oauth/scopes.js';
import type { Caller } from './tenant-directory.js';
import { leavesNoState, watchAnswers } from './server-pool.js';
import { ownerOf } from './tenant-sessions.js';

/** Applies a batch's refused members to the transport that answers the batch. */
export type RefuseOver = (transport: StreamableHTTPServerTransport) => void;

/**
 * What a session's McpServer is built with: the server's options, narrowed by the tenant, the OAuth token's scopes
 * (tools it has no scope for are not listed), then the session.
 */
function serverOptionsFor(ctx: HttpContext, { tenant, principal }: Caller, log: Logger, narrowing: ToolSelection | undefined) {
  const byScopes = principal && ctx.oauth ? scopeSelection(principal.scopes, ctx.oauth.names) : undefined;
  return {
    ...ctx.mcp,
    clients: tenant.clients,
    log,
    narrow: [...(ctx.mcp.narrow ?? []), tenant.selection, byScopes, narrowing],
    confirmationSecret: ctx.mcp.confirmationSecret ?? tenant.confirmationSecret,
    state: tenant.state,
    // The audit record's caller: the token's subject (and client), else the tenant of the static key.
    caller: { tenant: tenant.name, ...auditCallerOf(principal) },
  };
}

function auditCallerOf(principal: Caller['principal']): { caller?: string } {
  const { sub, clientId } = callerFields(principal);
  if (!sub && !clientId) return {};
  return { caller: [sub, clientId && `client ${clientId}`].filter(Boolean).join(' via ') };
}

/**
 * Stateless: an McpServer of this tenant and selection (an idle one from the pool, else a new one) and a new
 * transport for this one POST; once the POST is answered and the transport closed, the server goes back to the pool
 * unless the POST could have left state in it (`leavesNoState`) or a request of it is still unanswered (`watchAnswers`).
 */
export async function serveStateless(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
  body: unknown,
  narrowing: ToolSelection | undefined,
  refuseOver: RefuseOver,
): Promise<void> {
  // The caller's subject and client on every log line of this request (never the token).
  const log = caller.principal ? caller.tenant.log.child(callerFields(caller.principal)) : caller.tenant.log;
  const selection = poolSelection(ctx, caller, narrowing);
  const mcp = ctx.serverPool.take(caller.tenant, selection, () => createMcpServer(serverOptionsFor(ctx, caller, log, narrowing)));
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  transport.onerror = (error) => log.debug({ err: error.message }, 'transport refused a request');
  const reusable = leavesNoState(body);
  const answered = watchAnswers(transport, body);
  res.once('close', () => {
    mcp.close().then(
      () => {
        // Every request answered (no handler still running), detached from its transport: safe for the next request.
        if (reusable && answered() && !mcp.server.transport) ctx.serverPool.give(caller.tenant, selection, mcp);
      },
      () => {},
    );
  });
  await mcp.connect(transport);
  refuseOver(transport);
  return transport.handleRequest(req, res, isInitialize(body) ? negotiated(body).body : body);
}

/** Everything serverOptionsFor takes from the caller besides its tenant: the pool's key within the tenant. */
function poolSelection(ctx: HttpContext, { principal }: Caller, narrowing: ToolSelection | undefined): string {
  if (!principal) return narrowing ? JSON.stringify([narrowing]) : '';
  const scopes = ctx.oauth ? [...principal.scopes].sort() : null;
  return JSON.stringify([narrowing ?? null, ownerOf(principal), scopes]);
}

export interface NewSession {
  caller: Caller;
  /** The initialize request (or a batch with it). */
  body: unknown;
  narrowing: ToolSelection | undefined;
  /** Ends the session cap's reservation (once the session is in the table, or its initialize failed). */
  releaseReservation: () => void;
  refuseOver: RefuseOver;
}

/** Stateful: a session of its own (McpServer, transport, event store), added to the table once initialized. */
export async function openSession(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, opening: NewSession): Promise<void> {
  const { tenant, principal } = opening.caller;
  const sessions = ctx.sessions;
  const id = randomUUID();
  // A session opened with a token is its subject's only (tenant-sessions.ts), so its log lines name them.
  const sessionLog = tenant.log.child({ session: id, ...callerFields(principal) });
  const mcp = createMcpServer(serverOptionsFor(ctx, opening.caller, sessionLog, opening.narrowing));
  const owner = ownerOf(principal);
  let opened = false;
  const protocol = negotiated(opening.body);
  const resumable = resumableSession();
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => id,
    ...resumable,
    onsessioninitialized: () => {
      opened = true;
      const session = { id, tenant, server: mcp, transport, lastSeen: sessions.now(), active: 0, protocolVersion: protocol.version, events: resumable.eventStore, ...(owner ? { owner } : {}) };
      sessions.add(session);
      opening.releaseReservation();
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
  opening.refuseOver(transport);
  await transport.handleRequest(req, res, protocol.body);
  if (!opened) await mcp.close().catch(() => {});
}
