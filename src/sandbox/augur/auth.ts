import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './envelope.js';

/**
 * HS256 JWTs bound to a site by their `siteId` claim (tokens are site-locked, reference §1.3). Claims follow
 * reference §5 #8 so /whoami can echo them.
 */
export interface AugurClaims {
  siteId: string;
  userId: number;
  username: string;
  name: string;
  email: string;
  tokenType: 'site' | 'user';
  scope: string;
  iat: number;
  exp: number;
}

/** Fixed so the demo tokens are the same string on every start. Sandbox only: it is printed in the README. */
const SANDBOX_SECRET = 'augur-sandbox-hs256-secret (not a real credential)';

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (input: string): Buffer => createHmac('sha256', SANDBOX_SECRET).update(input).digest();

export function signToken(claims: AugurClaims): string {
  const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${input}.${sign(input).toString('base64url')}`;
}

/** Verifies signature and expiry; throws a 401 ApiError with a reason a person can act on. */
export function verifyToken(token: string, nowMs: number): AugurClaims {
  const parts = token.split('.');
  if (parts.length !== 3) throw unauthorized('The bearer token is not a JWT');
  const [header, payload, signature] = parts as [string, string, string];
  let parsedHeader: { alg?: unknown };
  let claims: Partial<AugurClaims>;
  try {
    parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<AugurClaims>;
  } catch {
    throw unauthorized('The bearer token is not a JWT');
  }
  // Only HS256 is accepted: an `alg: none` token must never pass.
  if (parsedHeader.alg !== 'HS256') throw unauthorized('The bearer token signature is invalid');
  const expected = sign(`${header}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw unauthorized('The bearer token signature is invalid');
  }
  if (typeof claims.siteId !== 'string' || claims.siteId === '') throw unauthorized('The bearer token carries no siteId');
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= nowMs) throw unauthorized('The bearer token has expired');
  return claims as AugurClaims;
}

/** Reads `Authorization: Bearer <JWT>`, verifies it and checks it belongs to the requested site. */
export function authenticate(headers: IncomingHttpHeaders, siteId: string, nowMs: number): AugurClaims {
  const header = headers.authorization;
  if (!header) throw unauthorized('Missing Authorization header (Bearer JWT required)');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw unauthorized('Malformed Authorization header (expected "Bearer <JWT>")');
  const claims = verifyToken(match[1], nowMs);
  if (claims.siteId !== siteId) {
    throw new ApiError(403, `This token is locked to site '${claims.siteId}' and cannot be used for site '${siteId}'`);
  }
  return claims;
}

const unauthorized = (message: string): ApiError => new ApiError(401, message);

/** Fixed issue time (2026-01-01) and far-future expiry (2100-01-01): the demo tokens never change. */
const DEMO_IAT = 1_767_225_600;
const DEMO_EXP = 4_102_444_800;

export function demoToken(site: { siteId: string; identity: { userId: number; username: string; name: string; email: string } }): string {
  return signToken({ siteId: site.siteId, ...site.identity, tokenType: 'site', scope: 'customers', iat: DEMO_IAT, exp: DEMO_EXP });
}
