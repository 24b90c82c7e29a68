import type { SandboxRequest, SandboxResponse } from '../types.js';
import { findClient, type Scope } from './credentials.js';
import { oauthError } from './responses.js';
import type { TokenService } from './tokens.js';

/**
 * `POST /oauth2/token`, the client-credentials grant as AWS Cognito answers it: client authentication in the form
 * body or HTTP Basic (not both), RFC 6749 JSON errors, and all of the client's scopes when `scope` is omitted.
 */
export function handleTokenRequest(req: SandboxRequest, tokens: TokenService): SandboxResponse {
  if (req.method !== 'POST') {
    return oauthError(405, 'invalid_request', 'The token endpoint accepts POST only.', { allow: 'POST' });
  }
  const contentType = String(req.headers['content-type'] ?? '');
  if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return oauthError(400, 'invalid_request', 'Send the token request as application/x-www-form-urlencoded.');
  }
  const form = new URLSearchParams(req.rawBody.toString('utf8'));

  const basic = parseBasic(req.headers.authorization);
  const bodyId = form.get('client_id');
  const bodySecret = form.get('client_secret');
  if (basic === 'malformed') return oauthError(400, 'invalid_request', 'The Basic authorization header is malformed.');
  if (basic && bodySecret) {
    return oauthError(400, 'invalid_request', 'Use one client authentication method: HTTP Basic or client_secret in the body.');
  }
  if (basic && bodyId && bodyId !== basic.id) {
    return oauthError(400, 'invalid_request', 'client_id in the body differs from the one in the Basic header.');
  }

  const grantType = form.get('grant_type');
  if (!grantType) return oauthError(400, 'invalid_request', 'grant_type is required.');

  const clientId = basic ? basic.id : bodyId;
  const secret = basic ? basic.secret : bodySecret;
  if (!clientId) return oauthError(400, 'invalid_request', 'client_id is required.');
  const client = findClient(clientId);
  // Never echo the secret; the message only says which half failed as much as Cognito does (not at all).
  if (!client || secret !== client.clientSecret) {
    return oauthError(401, 'invalid_client', 'Client authentication failed.', basic ? { 'www-authenticate': 'Basic realm="oauth2"' } : {});
  }
  if (grantType !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', `grant_type ${grantType} is not supported; use client_credentials.`);
  }

  const requested = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
  let scopes: Scope[];
  if (requested.length === 0) {
    scopes = [...client.allowedScopes];
  } else {
    const notAllowed = requested.filter((s) => !(client.allowedScopes as string[]).includes(s));
    if (notAllowed.length > 0) {
      return oauthError(400, 'invalid_scope', `Scope not allowed for this client: ${notAllowed.join(' ')}`);
    }
    scopes = [...new Set(requested)] as Scope[];
  }

  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache' },
    body: { access_token: tokens.issue(client.clientId, client.tenant, scopes), token_type: 'Bearer', expires_in: tokens.lifetime },
  };
}

function parseBasic(header: string | undefined): { id: string; secret: string } | 'malformed' | undefined {
  if (!header || !/^basic\s/i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  try {
    // RFC 6749 §2.3.1: both halves are form-urlencoded before base64.
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return 'malformed';
  }
}
