import type { IncomingMessage, ServerResponse } from 'node:http';
import { VERSION } from '../version.js';
import type { HttpContext } from './context.js';
import { handleMcp } from './mcp-endpoint.js';
import { handleMetrics } from './metrics-endpoint.js';
import { isMetadataPath, serveMetadata } from './oauth/metadata.js';
import { methodNotAllowed, rpcError, sendJson } from './responses.js';

/** The server's request listener: routes each request, logs it at debug, and answers 500 for an unexpected error. */
export function createRequestListener(ctx: HttpContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const started = performance.now();
    res.on('finish', () =>
      ctx.log.debug({ method: req.method, path: req.url, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'http request'),
    );
    route(ctx, req, res).catch((error: unknown) => {
      ctx.log.error({ err: error }, 'unexpected error in the HTTP handler');
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal server error');
      else res.end();
    });
  };
}

/** `/mcp`, `/healthz`, `/readyz`; during shutdown, 503 for all. */
async function route(ctx: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (ctx.closing()) {
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
    const ready = await ctx.readiness();
    // Counts only (no tenant names), as the rest of /readyz.
    const open = { open: ctx.sessions.size, max: ctx.sessionCap.options.maxSessions };
    return sendJson(res, ready.status === 'ready' ? 200 : 503, { ...ready, sessions: open, version: VERSION });
  }
  if (ctx.oauth && isMetadataPath(path, ctx.oauth.config)) return serveMetadata(req, res, ctx.oauth.config, ctx.oauth.supported);
  if (path === '/mcp') return handleMcp(ctx, req, res);
  if (path === '/metrics') return handleMetrics(ctx, req, res);
  return sendJson(res, 404, { error: `Not found: ${path}. The MCP endpoint is /mcp; health checks are /healthz and /readyz.` });
}
