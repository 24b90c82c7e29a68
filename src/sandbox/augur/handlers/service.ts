import { createHash } from 'node:crypto';
import type { PublicContext, SiteContext } from '../context.js';
import { single, type Result } from '../envelope.js';
import type { RouteDef } from '../route-definition.js';

/** Service endpoints (health-check, ping, whoami) and the deprecated refresh triggers. */

export function healthCheck(ctx: SiteContext): Result {
  const siteId = ctx.store.site.siteId;
  return single({ siteHash: createHash('sha256').update(siteId).digest('hex').slice(0, 16), siteId });
}

export function ping(_ctx: PublicContext): Result {
  return single('pong');
}

export function whoami(ctx: SiteContext): Result {
  const claims = ctx.claims;
  return single({
    email: claims?.email ?? '',
    name: claims?.name ?? '',
    scope: claims?.scope ?? null,
    siteId: claims?.siteId ?? ctx.store.site.siteId,
    tokenType: claims?.tokenType ?? 'site',
    userId: claims?.userId ?? 0,
    username: claims?.username ?? '',
  });
}

/** GET triggers that start a job and change nothing the sandbox serves (reference §5 #21). */
export function refresh(dataset: string) {
  return (ctx: SiteContext): Result => {
    ctx.store.refreshJobs += 1;
    return single({
      message: `Refresh of ${dataset} queued`,
      timestamp: new Date(ctx.nowMs).toISOString(),
      jobId: `${ctx.store.site.siteId}-${dataset}-${String(ctx.store.refreshJobs).padStart(6, '0')}`,
    });
  };
}

export const SERVICE_ROUTES: readonly RouteDef[] = [
  { method: 'GET', path: '/health-check', auth: 'site', summary: 'Service health for the site', data: { kind: 'object', shape: 'HealthCheck' }, handler: healthCheck },
  { method: 'GET', path: '/ping', auth: 'none', summary: 'Liveness probe; answers "pong"', data: { kind: 'string', shape: 'Pong' }, handler: ping },
  { method: 'GET', path: '/whoami', auth: 'bearer', summary: 'Decoded claims of the bearer token', data: { kind: 'object', shape: 'WhoAmI' }, handler: whoami },
];

/** Refresh triggers: dropped from the current SDK, still served (reference §2.3.17). */
export const REFRESH_ROUTES: readonly RouteDef[] = [
  { method: 'GET', path: '/contacts/refresh', auth: 'bearer', summary: 'Trigger a contacts data refresh', data: { kind: 'object', shape: 'RefreshJob' }, deprecated: true, handler: refresh('contacts') },
  { method: 'GET', path: '/oe-contacts-customer/refresh', auth: 'bearer', summary: 'Trigger an oe_contacts_customer data refresh', data: { kind: 'object', shape: 'RefreshJob' }, deprecated: true, handler: refresh('oe-contacts-customer') },
  { method: 'GET', path: '/ship-to/refresh', auth: 'bearer', summary: 'Trigger a ship-to data refresh', data: { kind: 'object', shape: 'RefreshJob' }, deprecated: true, handler: refresh('ship-to') },
];
