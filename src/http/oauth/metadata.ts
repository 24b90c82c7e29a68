import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OAuthConfig } from '../../config/oauth-config.js';
import { methodNotAllowed, sendJson } from '../responses.js';
import type { ScopeNames } from './scopes.js';

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** Where clients find the metadata of this resource (RFC 9728 §3.1: the well-known path, then the resource's path). */
export function resourceMetadataUrl(publicUrl: string): string {
  const url = new URL(publicUrl);
  return `${url.origin}${WELL_KNOWN}${url.pathname}`;
}

/** The scopes a client can ask for: admin only where admin tools are offered. */
export function scopesSupported(names: ScopeNames, enableAdmin: boolean): string[] {
  return enableAdmin ? [names.read, names.write, names.admin] : [names.read, names.write];
}

/** RFC 9728 protected resource metadata. */
export function protectedResourceMetadata(config: OAuthConfig, scopes: readonly string[]) {
  return {
    resource: config.publicUrl,
    authorization_servers: [config.issuer],
    scopes_supported: scopes,
    bearer_methods_supported: ['header'],
    resource_name: 'customer-api-mcp',
  };
}

/** True when the path is one of the metadata paths (the bare one, the `/mcp` one, and the public URL's). */
export function isMetadataPath(path: string, config: OAuthConfig): boolean {
  return path === WELL_KNOWN || path === `${WELL_KNOWN}/mcp` || path === `${WELL_KNOWN}${new URL(config.publicUrl).pathname}`;
}

export function serveMetadata(req: IncomingMessage, res: ServerResponse, config: OAuthConfig, scopes: readonly string[]): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
  // Public by design, and read by browser-based clients before they have any token.
  sendJson(res, 200, protectedResourceMetadata(config, scopes), { 'access-control-allow-origin': '*' });
}

/** `Bearer error="…", error_description="…", scope="…", resource_metadata="…"` (RFC 6750 §3, RFC 9728 §5.1). */
export function bearerChallenge(config: OAuthConfig, parts: { error?: string; description?: string; scope: readonly string[] }): string {
  const quote = (value: string) => `"${value.replace(/["\\]/g, '')}"`;
  const params = [
    ...(parts.error ? [`error=${quote(parts.error)}`] : []),
    ...(parts.description ? [`error_description=${quote(parts.description)}`] : []),
    `scope=${quote(parts.scope.join(' '))}`,
    `resource_metadata=${quote(resourceMetadataUrl(config.publicUrl))}`,
  ];
  return `Bearer ${params.join(', ')}`;
}
