import type { HttpContext } from './context.js';
import type { Session } from './sessions.js';
import type { HttpTenant } from './tenant-directory.js';

/** The session, if it exists, is alive, and belongs to this tenant; another tenant's id is "not found". */
export function sessionFor(ctx: HttpContext, id: string, tenant: HttpTenant): Session<HttpTenant> | undefined {
  const session = ctx.sessions.get(id);
  if (session && session.tenant !== tenant) {
    tenant.log.warn({ session: id, owner: session.tenant.name }, "refused a request on another tenant's session");
    return undefined;
  }
  return session;
}
