import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Logger } from '../logger.js';
import type { ToolSelection } from '../mcp/tool-selection.js';
import { createMcpServer } from '../server.js';
import type { HttpContext } from './context.js';
import { resumableSession } from './event-store.js';
import { isInitialize, negotiated } from './protocol-version.js';
import type { HttpTenant } from './tenant-directory.js';

/** Applies a batch's refused members to the transport that answers the batch. */
export type RefuseOver = (transport: StreamableHTTPServerTransport) => void;

/** What a session's McpServer is built with: the server's options, narrowed by the tenant, then the session. */
function serverOptionsFor(ctx: HttpContext, tenant: HttpTenant, log: Logger, narrowing: ToolSelection | undefined) {
  return {
    ...ctx.mcp,
    clients: tenant.clients,
    log,
    tenant: tenant.name,
    narrow: [...(ctx.mcp.narrow ?? []), tenant.selection, narrowing],
    confirmationSecret: ctx.mcp.confirmationSecret ?? tenant.confirmationSecret,
    state: tenant.state,
    caller: { tenant: tenant.name },
  };
}

/** Stateless: a new McpServer and transport for this one POST, closed with it. */
export async function serveStateless(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  tenant: HttpTenant,
  body: unknown,
  narrowing: ToolSelection | undefined,
  refuseOver: RefuseOver,
): Promise<void> {
  const mcp = createMcpServer(serverOptionsFor(ctx, tenant, tenant.log, narrowing));
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  transport.onerror = (error) => tenant.log.debug({ err: error.message }, 'transport refused a request');
  res.once('close', () => void mcp.close().catch(() => {}));
  await mcp.connect(transport);
  refuseOver(transport);
  return transport.handleRequest(req, res, isInitialize(body) ? negotiated(body).body : body);
}

export interface NewSession {
  tenant: HttpTenant;
  /** The initialize request (or a batch with it). */
  body: unknown;
  narrowing: ToolSelection | undefined;
  /** Ends the session cap's reservation (once the session is in the table, or its initialize failed). */
  releaseReservation: () => void;
  refuseOver: RefuseOver;
}

/** Stateful: a session of its own (McpServer, transport, event store), added to the table once initialized. */
export async function openSession(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, opening: NewSession): Promise<void> {
  const { tenant } = opening;
  const sessions = ctx.sessions;
  const id = randomUUID();
  const sessionLog = tenant.log.child({ session: id });
  const mcp = createMcpServer(serverOptionsFor(ctx, tenant, sessionLog, opening.narrowing));
  let opened = false;
  const protocol = negotiated(opening.body);
  const resumable = resumableSession();
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => id,
    ...resumable,
    onsessioninitialized: () => {
      opened = true;
      const session = { id, tenant, server: mcp, transport, lastSeen: sessions.now(), active: 0, protocolVersion: protocol.version, events: resumable.eventStore };
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
