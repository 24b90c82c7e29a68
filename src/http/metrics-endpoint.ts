import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken } from './auth.js';
import type { HttpContext } from './context.js';
import { methodNotAllowed, sendJson } from './responses.js';
import { sha256 } from './tenants.js';

/**
 * `/metrics` (Prometheus text), on only with MCP_METRICS_KEY: the same Host/Origin check as /mcp, then that key
 * alone as `Authorization: Bearer` (a tenant's key does not open it: metrics span every tenant). Failed keys count
 * toward the same per-client limit as /mcp's.
 */
export function handleMetrics(ctx: HttpContext, req: IncomingMessage, res: ServerResponse): void {
  const scrape = ctx.telemetry?.scrape;
  if (!scrape || !ctx.metricsKey) return sendJson(res, 404, { error: 'Not found: /metrics is off; set MCP_METRICS_KEY to turn it on' });
  const refused = ctx.guard(req);
  if (refused) {
    ctx.log.warn({ host: req.headers.host, origin: req.headers.origin }, 'refused a /metrics request with a foreign Host or Origin');
    return sendJson(res, 403, { error: refused });
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
  const key = bearerToken(req.headers);
  if (key === undefined || !timingSafeEqual(sha256(key), sha256(ctx.metricsKey))) {
    const retryAfter = ctx.authFailures.fail(req.socket.remoteAddress ?? 'unknown', key === undefined ? 'missing' : 'invalid');
    if (retryAfter !== undefined) return sendJson(res, 429, { error: `Too many failed authentications; retry after ${retryAfter} s` }, { 'retry-after': String(retryAfter) });
    return sendJson(res, 401, { error: 'Unauthorized: /metrics needs "Authorization: Bearer <MCP_METRICS_KEY>"' }, { 'www-authenticate': 'Bearer realm="metrics"' });
  }
  scrape(req, res);
}
