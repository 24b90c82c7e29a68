import { errors, jwtVerify, type JWTPayload } from 'jose';
import type { OAuthConfig } from '../../config/oauth-config.js';
import type { IssuerKeys } from './issuer-keys.js';

/** Asymmetric algorithms only: never `none`, never HS* (a public key used as an HMAC secret would forge tokens). */
export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Who called, from a verified access token: never the token itself. */
export interface Principal {
  sub?: string;
  /** `client_id` (RFC 9068), else `azp`. */
  clientId?: string;
  scopes: ReadonlySet<string>;
  /** The tenant claim's value, when it is a string. */
  tenant?: string;
}

export type Verification = { ok: true; principal: Principal } | { ok: false; reason: string };

/**
 * Verifies a JWT access token locally: signature by one of the issuer's keys, `iss` equal to the issuer, `aud`
 * containing this server's public URL (RFC 8707: a token for another resource is refused), `exp` required, an
 * allowed algorithm, the configured clock skew. The reason of a refusal is for the server's log and the 401's
 * error_description: it never repeats the token.
 */
export async function verifyAccessToken(token: string, keys: IssuerKeys, config: OAuthConfig): Promise<Verification> {
  const getKey = keys.keys;
  if (!getKey) return { ok: false, reason: 'the authorization server keys are not available yet' };
  try {
    const { payload } = await jwtVerify(token, getKey, {
      issuer: config.issuer,
      audience: config.publicUrl,
      algorithms: ALLOWED_ALGORITHMS,
      clockTolerance: config.clockSkewSeconds,
      requiredClaims: ['exp'],
    });
    return { ok: true, principal: principalOf(payload, config.tenantClaim) };
  } catch (error) {
    return { ok: false, reason: refusalReason(error) };
  }
}

export function principalOf(payload: JWTPayload, tenantClaim: string): Principal {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : Array.isArray(payload.scp) ? payload.scp : [];
  const sub = text(payload.sub);
  const clientId = text(payload.client_id) ?? text(payload.azp);
  const tenant = text(payload[tenantClaim]);
  return {
    ...(sub ? { sub } : {}),
    ...(clientId ? { clientId } : {}),
    scopes: new Set(scopes.filter((s): s is string => typeof s === 'string' && s !== '')),
    ...(tenant ? { tenant } : {}),
  };
}

function refusalReason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted (${error.reason})`;
  if (error instanceof errors.JOSEAlgNotAllowed) return "the token's signing algorithm is not accepted";
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token is signed by a key the authorization server does not publish';
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the token's signature is not valid";
  if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) return 'the token could not be checked (the key set did not answer)';
  return 'the token is not a valid JWT access token';
}
