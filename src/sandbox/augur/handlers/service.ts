import { createHash } from 'node:crypto';
import type { PublicContext, SiteContext } from '../context.js';
import { single, type Result } from '../envelope.js';

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
