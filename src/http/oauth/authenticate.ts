import type { HttpTenant } from '../tenant-directory.js';
import { bearerChallenge } from './metadata.js';
import type { OAuthRuntime } from './runtime.js';
import { verifyAccessToken, type Principal, type Verification } from './verifier.js';

/**
 * The rule beside static keys: a bearer token shaped like a JWT (three base64url parts, the first a JSON header)
 * goes to the token verifier; anything else to the key ring, and, when no key matches and an introspection
 * endpoint is configured, to introspection (an opaque token). Keys from `customer-api-mcp new-key` are 43
 * base64url characters without dots, so they can never be mistaken for a JWT.
 */
export function looksLikeJwt(token: string): boolean {
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(token)) return false;
  try {
    const header: unknown = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && 'alg' in header;
  } catch {
    return false;
  }
}

export type TokenOutcome =
  | { ok: true; tenant: HttpTenant; principal: Principal }
  | { ok: false; status: 401 | 403; message: string; challenge?: string; missing: boolean };

/**
 * A request's access token (or its absence) → the caller, or the refusal to send (401 with a challenge, 403).
 * `verify` checks the token: the JWT verifier unless told otherwise (introspection of an opaque token).
 */
export async function authenticateToken(
  oauth: OAuthRuntime,
  token: string | undefined,
  verify: (token: string) => Promise<Verification> = (t) => verifyAccessToken(t, oauth.keys, oauth.config),
): Promise<TokenOutcome> {
  const { config } = oauth;
  if (token === undefined) {
    return {
      ok: false,
      status: 401,
      missing: true,
      challenge: missingTokenChallenge(oauth),
      message: 'Unauthorized: send an OAuth access token for this server as "Authorization: Bearer <token>" (see the resource_metadata of the WWW-Authenticate header)',
    };
  }
  const verified = await verify(token);
  if (!verified.ok) {
    return {
      ok: false,
      status: 401,
      missing: false,
      challenge: bearerChallenge(config, { error: 'invalid_token', description: verified.reason, scope: oauth.challengeScope }),
      message: `Unauthorized: ${verified.reason}`,
    };
  }
  const { principal } = verified;
  const tenant = principal.tenant === undefined ? undefined : oauth.tenantsByName.get(principal.tenant);
  if (!tenant) {
    const why = principal.tenant === undefined ? `has no "${config.tenantClaim}" claim` : `names a tenant in its "${config.tenantClaim}" claim that this server does not serve`;
    return {
      ok: false,
      status: 403,
      missing: false,
      message: `Forbidden: the access token ${why}; the authorization server must put the caller's tenant id in the "${config.tenantClaim}" claim`,
    };
  }
  return { ok: true, tenant, principal };
}

/** The challenge of a 401 without a token (or with a static key that matched nothing). */
export function missingTokenChallenge(oauth: OAuthRuntime): string {
  return bearerChallenge(oauth.config, { scope: oauth.challengeScope });
}

/** The fields every log line of the caller's requests carries: who (sub) and through which client; never the token. */
export function callerFields(principal: Principal | undefined): { sub?: string; clientId?: string } {
  if (!principal) return {};
  return { ...(principal.sub ? { sub: principal.sub } : {}), ...(principal.clientId ? { clientId: principal.clientId } : {}) };
}
