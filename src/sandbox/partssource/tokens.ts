import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Scope, TenantId } from './credentials.js';

/** Looks like the Cognito user pool issuer; the sandbox never serves a JWKS, it checks its own tokens. */
export const TOKEN_ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PsSandbox';

export interface IssuedToken {
  jti: string;
  clientId: string;
  tenant: TenantId;
  scopes: Scope[];
  /** Real wall-clock ms; tokens ignore the `now` option so a test can jump 31 days without losing its token. */
  expiresAtMs: number;
}

export type TokenCheck =
  | { ok: true; token: IssuedToken }
  | { ok: false; reason: string };

/**
 * Issues Cognito-style JWT access tokens (HS256 with a per-sandbox secret instead of RS256, since nobody outside
 * verifies them) and keeps every issued token server-side, so they can expire and be revoked.
 */
export class TokenService {
  readonly #secret = randomBytes(32);
  readonly #issued = new Map<string, IssuedToken>();

  constructor(private readonly lifetimeSeconds: number) {}

  get lifetime(): number {
    return this.lifetimeSeconds;
  }

  issue(clientId: string, tenant: TenantId, scopes: Scope[]): string {
    const nowMs = Date.now();
    const iat = Math.floor(nowMs / 1000);
    const jti = randomUUID();
    const header = { alg: 'HS256', typ: 'JWT', kid: 'partssource-sandbox-hs256' };
    const claims = {
      sub: clientId,
      client_id: clientId,
      token_use: 'access',
      scope: scopes.join(' '),
      auth_time: iat,
      iss: TOKEN_ISSUER,
      iat,
      exp: iat + this.lifetimeSeconds,
      jti,
      version: 2,
    };
    const unsigned = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    this.#issued.set(jti, { jti, clientId, tenant, scopes, expiresAtMs: nowMs + this.lifetimeSeconds * 1000 });
    return `${unsigned}.${this.#sign(unsigned)}`;
  }

  verify(token: string): TokenCheck {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'The access token is malformed (expected a JWT).' };
    const [header, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.#sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return { ok: false, reason: 'The access token signature is invalid.' };
    }
    let jti: unknown;
    try {
      jti = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { jti?: unknown }).jti;
    } catch {
      return { ok: false, reason: 'The access token is malformed.' };
    }
    const issued = typeof jti === 'string' ? this.#issued.get(jti) : undefined;
    if (!issued) return { ok: false, reason: 'The access token has been revoked.' };
    if (Date.now() >= issued.expiresAtMs) return { ok: false, reason: 'The access token has expired; request a new one.' };
    return { ok: true, token: issued };
  }

  revokeAll(): void {
    this.#issued.clear();
  }

  #sign(data: string): string {
    return createHmac('sha256', this.#secret).update(data).digest('base64url');
  }
}

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
