import type { HttpContext } from './context.js';
import type { Principal } from './oauth/verifier.js';
import type { Session } from './sessions.js';
import type { Caller, HttpTenant } from './tenant-directory.js';

/** The owner of a session opened with an OAuth token: its subject and client (a refreshed token keeps both). */
export function ownerOf(principal: Principal | undefined): string | undefined {
  return principal ? JSON.stringify([principal.sub ?? null, principal.clientId ?? null]) : undefined;
}

/**
 * The session, if it exists, is alive, and belongs to this tenant (and, for one opened with an OAuth token, to the
 * same subject and client); another caller's id is "not found".
 */
export function sessionFor(ctx: HttpContext, id: string, caller: Caller): Session<HttpTenant> | undefined {
  const { tenant } = caller;
  const session = ctx.sessions.get(id);
  if (session && session.tenant !== tenant) {
    tenant.log.warn({ session: id, owner: session.tenant.name }, "refused a request on another tenant's session");
    return undefined;
  }
  if (session && session.owner !== ownerOf(caller.principal)) {
    tenant.log.warn({ session: id }, 'refused a request on a session another user or client opened');
    return undefined;
  }
  return session;
}
